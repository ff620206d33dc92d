import { certificatesFromPem, normalizeSerial, summarize } from '@vanban/pki';
import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';

export interface NewCredential {
  readonly agencyId: string;
  /** Null: the agency's own certificate. */
  readonly userId: string | null;
  readonly backend: 'file';
  readonly keyRef: string;
  /** PEM: the certificate first, then its issuers. */
  readonly certificateChain: string;
}

export class CredentialError extends Error {}

/** Records a credential; its serial, subject and validity are read from the certificate itself. */
export async function insertCredential(db: Kysely<OfficeSchema>, credential: NewCredential): Promise<string> {
  const [certificate] = certificatesFromPem(credential.certificateChain);
  if (!certificate) throw new CredentialError('the certificate chain holds no certificate');
  const row = await db
    .insertInto('signing_credentials')
    .values({
      agency_id: credential.agencyId,
      user_id: credential.userId,
      backend: credential.backend,
      key_ref: credential.keyRef,
      certificate_chain: credential.certificateChain,
      serial: normalizeSerial(certificate.serialNumber),
      subject: certificate.subject,
      not_before: certificate.notBefore,
      not_after: certificate.notAfter,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface CredentialView {
  id: string;
  kind: 'agency' | 'signer';
  user: { id: string; username: string; fullName: string } | null;
  backend: 'file';
  /** The holder's name as the certificate gives it. */
  commonName: string;
  subject: string;
  /** The issuing authority's name. */
  issuerName: string;
  issuer: string;
  serial: string;
  agencyCode: string | null;
  notBefore: string;
  notAfter: string;
}

/** The certificates an agency and its signers sign with, newest first. */
export async function listCredentials(db: Kysely<OfficeSchema>, agencyId: string): Promise<CredentialView[]> {
  const rows = await db
    .selectFrom('signing_credentials as c')
    .leftJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.user_id', 'u.username', 'u.full_name', 'c.backend', 'c.certificate_chain', 'c.created_at'])
    .where('c.agency_id', '=', agencyId)
    .orderBy('c.user_id', (o) => o.nullsFirst())
    .orderBy('u.username')
    .orderBy('c.created_at', 'desc')
    .execute();
  return rows.map((r) => {
    const certificate = certificatesFromPem(r.certificate_chain)[0]!;
    const summary = summarize(certificate);
    return {
      id: r.id,
      kind: r.user_id ? 'signer' : 'agency',
      user: r.user_id ? { id: r.user_id, username: r.username!, fullName: r.full_name! } : null,
      backend: r.backend,
      commonName: certificate.subjectName.getField('CN')[0] ?? summary.subject,
      subject: summary.subject,
      issuerName: certificate.issuerName.getField('CN')[0] ?? summary.issuer,
      issuer: summary.issuer,
      serial: summary.serial,
      agencyCode: summary.agencyCode ?? null,
      notBefore: summary.notBefore,
      notAfter: summary.notAfter,
    };
  });
}
