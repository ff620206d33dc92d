import * as asn1js from 'asn1js';
import { RSA_SHA256, x509 } from './x509.js';
import type { KeyAndCertificate } from './certificates.js';

/** RFC 5280 reason codes a clerk or an administrator may give when revoking a certificate. */
export const REVOCATION_REASONS = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export interface Revocation {
  /** Hexadecimal, as in the certificate. */
  serial: string;
  at: Date;
  reason: RevocationReason;
}

const CRL_NUMBER = '2.5.29.20';

/**
 * A CRL signed by the issuing CA. Verifiers cache it until `nextUpdate`; the CRL number only grows
 * (seconds since 1970), so a verifier can tell the newer of two.
 */
export async function makeCrl(
  issuer: KeyAndCertificate,
  revoked: readonly Revocation[],
  thisUpdate: Date,
  validFor: number,
): Promise<Uint8Array> {
  const number = new asn1js.Integer({ value: Math.floor(thisUpdate.getTime() / 1000) }).toBER();
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subjectName.toString(),
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + validFor),
    signingAlgorithm: RSA_SHA256,
    signingKey: issuer.keys.privateKey,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate), new x509.Extension(CRL_NUMBER, false, number)],
    entries: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.at, reason: REVOCATION_REASONS[r.reason] })),
  });
  return new Uint8Array(crl.rawData);
}

export function reasonName(code: number | undefined): RevocationReason {
  const entry = Object.entries(REVOCATION_REASONS).find(([, value]) => value === code);
  return (entry?.[0] as RevocationReason | undefined) ?? 'unspecified';
}
