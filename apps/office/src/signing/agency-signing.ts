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
 * The agency's own signing key (its organisation certificate, not a person's): the newest
 * credential valid at `now`, its certificate chain as recorded, its private key from the key store.
 */
export async function agencySigningKey(
  db: Kysely<OfficeSchema>,
  keys: FileKeyStore,
  agencyId: string,
  now = new Date(),
): Promise<SigningKey> {
  const credential = await db
    .selectFrom('signing_credentials')
    .select(['key_ref', 'certificate_chain', 'backend'])
    .where('agency_id', '=', agencyId)
    .where('user_id', 'is', null)
    .where('not_before', '<=', now)
    .where('not_after', '>', now)
    .orderBy('not_before', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!credential) {
    throw new AgencySigningError('Cơ quan chưa có chứng thư số còn hiệu lực để ký.', 'the agency has no valid signing certificate');
  }
  if (!KEY_REF.test(credential.key_ref)) {
    throw new AgencySigningError('Tham chiếu khóa ký không hợp lệ.', `the key reference "${credential.key_ref}" is not a file name`);
  }
  let keyPem: string;
  try {
    keyPem = await readFile(join(keys.dir, `${credential.key_ref}.key.pem`), 'utf8');
  } catch {
    throw new AgencySigningError('Không tìm thấy khóa ký của cơ quan.', `no private key ${credential.key_ref} in the key store`);
  }
  // Also checks that the key on file belongs to the recorded certificate.
  return signingKeyFromPem(keyPem, credential.certificate_chain);
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
