import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signEdxml, signingKeyFromPem, type SigningKey } from '@vanban/pki';
import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

/**
 * Where the file backend keeps private keys: `<dir>/<key_ref>.key.pem`. For the demo that is the
 * demo CA's `issued` folder, where `seedDemoCredentials` leaves every agency's key.
 */
export interface FileKeyStore {
  readonly dir: string;
}

export class AgencySigningError extends Error {
  constructor(
    readonly vi: string,
    en: string,
  ) {
    super(en);
  }
}

/** A key_ref names a file in the key folder and nothing outside it. */
const KEY_REF = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * A signing key from the key store: the newest credential valid at `now` of the agency itself
 * (`userId` null: its organisation certificate) or of one of its people, with its certificate chain
 * as recorded.
 */
async function credentialKey(
  db: Kysely<OfficeSchema>,
  keys: FileKeyStore,
  agencyId: string,
  userId: string | null,
  now: Date,
): Promise<SigningKey> {
  const credential = await db
    .selectFrom('signing_credentials')
    .select(['key_ref', 'certificate_chain', 'backend'])
    .where('agency_id', '=', agencyId)
    .where('user_id', userId === null ? 'is' : '=', userId)
    .where('not_before', '<=', now)
    .where('not_after', '>', now)
    .orderBy('not_before', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const whose = userId === null ? (['Cơ quan', 'the agency'] as const) : (['Người ký', 'the signer'] as const);
  if (!credential) {
    throw new AgencySigningError(`${whose[0]} chưa có chứng thư số còn hiệu lực để ký.`, `${whose[1]} has no valid signing certificate`);
  }
  if (!KEY_REF.test(credential.key_ref)) {
    throw new AgencySigningError('Tham chiếu khóa ký không hợp lệ.', `the key reference "${credential.key_ref}" is not a file name`);
  }
  let keyPem: string;
  try {
    keyPem = await readFile(join(keys.dir, `${credential.key_ref}.key.pem`), 'utf8');
  } catch {
    throw new AgencySigningError(
      `Không tìm thấy khóa ký của ${whose[0].toLowerCase()}.`,
      `no private key ${credential.key_ref} in the key store`,
    );
  }
  // Also checks that the key on file belongs to the recorded certificate.
  return signingKeyFromPem(keyPem, credential.certificate_chain);
}

/** The agency's own signing key (its organisation certificate, not a person's). */
export function agencySigningKey(db: Kysely<OfficeSchema>, keys: FileKeyStore, agencyId: string, now = new Date()): Promise<SigningKey> {
  return credentialKey(db, keys, agencyId, null, now);
}

/** A signer's personal signing key in an agency: what a leader signs a document with. */
export function personalSigningKey(
  db: Kysely<OfficeSchema>,
  keys: FileKeyStore,
  agencyId: string,
  userId: string,
  now = new Date(),
): Promise<SigningKey> {
  return credentialKey(db, keys, agencyId, userId, now);
}

/**
 * Signs an edXML package as the agency (the XML-DSig a hub checks against the `From` agency):
 * what an agency's outgoing document carries when it leaves through the hub.
 */
export async function signPackageAsAgency(
  db: Kysely<OfficeSchema>,
  keys: FileKeyStore,
  agencyId: string,
  unsigned: Buffer | string,
  now = new Date(),
): Promise<Buffer> {
  const key = await agencySigningKey(db, keys, agencyId, now);
  const xml = typeof unsigned === 'string' ? unsigned : unsigned.toString('utf8');
  return Buffer.from(await signEdxml(xml, key), 'utf8');
}
