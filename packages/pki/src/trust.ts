import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { x509 } from './x509.js';
import { agencyCodeOf } from './certificates.js';
import { finding, type Finding } from './findings.js';
import type { RevocationChecker, RevocationStatus } from './revocation.js';

/** The certification authorities a system trusts (for Vietnam: the national root and the licensed CAs under it). */
export interface TrustList {
  anchors: readonly x509.X509Certificate[];
  /** Intermediates to use when a signature does not embed them. */
  intermediates?: readonly x509.X509Certificate[];
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  agencyCode?: string;
}

export interface ChainReport {
  /** From the signer's certificate up to the trust anchor, as far as it could be built. */
  chain: CertificateSummary[];
  findings: Finding[];
  /** Of the signer's certificate; intermediates' problems are among the findings. */
  revocation: RevocationStatus | null;
}

export type CertificatePurpose = 'document' | 'timestamp';

export interface CheckOptions {
  /** The time the signature must be judged at: a trusted timestamp's time, otherwise now. */
  at: Date;
  purpose: CertificatePurpose;
  /** Certificates the signature carries (intermediates, perhaps the root). */
  embedded?: readonly x509.X509Certificate[];
}

const MAX_DEPTH = 8;
const EKU_TIMESTAMPING = '1.3.6.1.5.5.7.3.8';
/** Extended key usages that allow signing documents: e-mail protection (what Vietnamese CAs' token
 * certificates carry), document signing (RFC 9336), any, and Adobe's and Microsoft's document signing. */
const EKU_DOCUMENTS = new Set([
  '1.3.6.1.5.5.7.3.4',
  '1.3.6.1.5.5.7.3.36',
  '2.5.29.37.0',
  '1.2.840.113583.1.1.5',
  '1.3.6.1.4.1.311.10.3.12',
]);
const KU = x509.KeyUsageFlags;

export function summarize(certificate: x509.X509Certificate): CertificateSummary {
  const agencyCode = agencyCodeOf(certificate);
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serial: certificate.serialNumber,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    ...(agencyCode ? { agencyCode } : {}),
  };
}

/** Builds the path from a certificate to a trust anchor and judges every link. */
export class CertificateVerifier {
  private readonly anchors: readonly x509.X509Certificate[];
  /** Whether one certificate's key signed another: the same few links come with every signature. */
  private readonly links = new LRUCache<string, boolean>({ max: 5000 });

  constructor(
    private readonly trust: TrustList,
    /** Null switches revocation checking off (every signature then stays indeterminate). */
    private readonly revocation: RevocationChecker | null,
  ) {
    this.anchors = trust.anchors;
  }

  private isAnchor(certificate: x509.X509Certificate): boolean {
    return this.anchors.some((a) => a.equal(certificate));
  }

  async check(certificate: x509.X509Certificate, options: CheckOptions): Promise<ChainReport> {
    const findings: Finding[] = [];
    const path = await this.buildPath(certificate, options.embedded ?? [], findings);
    const label = (c: x509.X509Certificate) => c.subjectName.getField('CN')[0] ?? c.subject;
    for (const link of path) {
      if (options.at < link.notBefore) findings.push(finding('not-yet-valid', `${label(link)}: ${link.notBefore.toISOString()}`));
      if (options.at > link.notAfter) findings.push(finding('expired', `${label(link)}: ${link.notAfter.toISOString()}`));
    }
    for (const ca of path.slice(1)) {
      const constraints = ca.getExtension(x509.BasicConstraintsExtension);
      const usages = ca.getExtension(x509.KeyUsagesExtension);
      if (!constraints?.ca || (usages && !(usages.usages & KU.keyCertSign))) findings.push(finding('ca-constraints', label(ca)));
    }
    if (!this.fitsPurpose(certificate, options.purpose)) findings.push(finding('key-usage', label(certificate)));
    let revocation: RevocationStatus | null = null;
    // Revocation answers from an authority we do not trust would prove nothing.
    const anchored = this.isAnchor(path.at(-1)!);
    for (let i = 0; anchored && i + 1 < path.length; i++) {
      const subject = path[i]!;
      if (this.isAnchor(subject)) break;
      const status = this.revocation
        ? await this.revocation.status(subject, path[i + 1]!)
        : { status: 'unknown' as const, why: 'revocation checking is switched off' };
      if (i === 0) revocation = status;
      if (status.status === 'unknown') findings.push(finding('revocation-unknown', `${label(subject)}: ${status.why}`));
      if (status.status === 'revoked') {
        const detail = `${label(subject)}: ${status.revokedAt.toISOString()} (${status.reason})`;
        findings.push(finding(status.revokedAt <= options.at ? 'revoked' : 'revoked-later', detail));
      }
    }
    return { chain: path.map(summarize), findings, revocation };
  }

  private fitsPurpose(certificate: x509.X509Certificate, purpose: CertificatePurpose): boolean {
    if (purpose === 'timestamp') {
      return certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages.includes(EKU_TIMESTAMPING) ?? false;
    }
    const usages = certificate.getExtension(x509.KeyUsagesExtension);
    const extended = certificate.getExtension(x509.ExtendedKeyUsageExtension);
    const keyFits = !usages || (usages.usages & (KU.digitalSignature | KU.nonRepudiation)) !== 0;
    return keyFits && (!extended || extended.usages.some((u) => EKU_DOCUMENTS.has(String(u))));
  }

  private async signedBy(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
    const key = [certificate, issuer].map((c) => createHash('sha256').update(new Uint8Array(c.rawData)).digest('base64')).join('>');
    let signed = this.links.get(key);
    if (signed === undefined)
      this.links.set(key, (signed = await certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true })));
    return signed;
  }

  private async buildPath(leaf: x509.X509Certificate, embedded: readonly x509.X509Certificate[], findings: Finding[]) {
    const pool = [...embedded, ...(this.trust.intermediates ?? []), ...this.anchors];
    const path = [leaf];
    let current = leaf;
    while (!this.isAnchor(current)) {
      if (path.length > MAX_DEPTH) {
        findings.push(finding('untrusted', 'the chain is too long'));
        break;
      }
      const named = pool.filter((c) => c.subject === current.issuer && !path.some((p) => p.equal(c)));
      let issuer: x509.X509Certificate | undefined;
      for (const candidate of named) {
        if (await this.signedBy(current, candidate)) {
          issuer = candidate;
          break;
        }
      }
      if (!issuer) {
        findings.push(
          named.length > 0 ? finding('chain-signature', current.subject) : finding('untrusted', `${current.issuer} is not known`),
        );
        break;
      }
      path.push(issuer);
      current = issuer;
    }
    return path;
  }
}
