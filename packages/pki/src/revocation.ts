import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { Agent, fetch, type RequestInit } from 'undici';
import { normalizeSerial, pkijs, toPkijs, x509 } from './x509.js';
import { reasonName, type RevocationReason } from './crl.js';
import { SIGNATURE_DIGESTS, verifiesWithKey } from './algorithms.js';
import { OID_OCSP_BASIC, OID_OCSP_NONCE, isIssuedBy, serialOf } from './ocsp-responder.js';

/** How CRLs and OCSP answers are fetched; the HTTP one is the default, tests may serve them directly. */
export interface RevocationFetcher {
  ocsp(url: string, request: Uint8Array): Promise<Uint8Array>;
  crl(url: string): Promise<Uint8Array>;
}

/**
 * Answers are cached until their next update, so fetches are rare: a connection kept alive for the
 * next one would only hold the process open after its servers have stopped.
 */
const noKeepAlive = new Agent({ pipelining: 0 });

export function httpRevocationFetcher(timeoutMs = 5000): RevocationFetcher {
  const get = async (url: string, init?: RequestInit) => {
    const response = await fetch(url, { ...init, dispatcher: noKeepAlive, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    ocsp: (url, request) => get(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: request }),
    crl: (url) => get(url),
  };
}

export type RevocationStatus =
  | { status: 'good'; source: 'ocsp' | 'crl'; checkedAt: Date }
  | { status: 'revoked'; source: 'ocsp' | 'crl'; revokedAt: Date; reason: RevocationReason }
  | { status: 'unknown'; why: string };

const OCSP_NO_CHECK_SKEW = 5 * 60_000;
const EKU_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

function verifiesWith(spki: ArrayBuffer, algorithm: string, data: Uint8Array, signature: Uint8Array): boolean {
  const hash = SIGNATURE_DIGESTS[algorithm];
  return !!hash && verifiesWithKey(hash, data, spki, signature);
}

interface Cached {
  status: RevocationStatus;
  until: number;
}

/**
 * Answers "was this certificate revoked?" by OCSP when the certificate names a responder, by CRL
 * otherwise or when OCSP fails. Answers are cached until the responder's or CRL's next update,
 * so a hub checking thousands of packages from one agency asks once.
 */
export class RevocationChecker {
  private readonly answers = new Map<string, Cached>();
  private readonly asking = new Map<string, Promise<RevocationStatus>>();
  private readonly crls = new Map<string, { crl: x509.X509Crl; until: number }>();

  constructor(
    private readonly fetcher: RevocationFetcher = httpRevocationFetcher(),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async status(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationStatus> {
    const key = `${issuer.subject}|${normalizeSerial(certificate.serialNumber)}`;
    const cached = this.answers.get(key);
    if (cached && cached.until > this.clock().getTime()) return cached.status;
    // Packages from one agency arrive together: they wait for one answer instead of each asking.
    let asking = this.asking.get(key);
    if (!asking) {
      asking = this.ask(key, certificate, issuer).finally(() => this.asking.delete(key));
      this.asking.set(key, asking);
    }
    return asking;
  }

  private async ask(key: string, certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationStatus> {
    const problems: string[] = [];
    for (const method of [this.byOcsp, this.byCrl]) {
      try {
        const answer = await method.call(this, certificate, issuer);
        if (answer) {
          this.answers.set(key, answer);
          return answer.status;
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    return { status: 'unknown', why: problems.join('; ') || 'the certificate names no OCSP responder and no CRL' };
  }

  private async byOcsp(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<Cached | null> {
    const aia = certificate.getExtension(x509.AuthorityInfoAccessExtension);
    const url = aia?.ocsp.find((n) => n.type === 'url')?.value;
    if (!url) return null;
    const issuerPkijs = toPkijs(issuer);
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(toPkijs(certificate), { hashAlgorithm: 'SHA-1', issuerCertificate: issuerPkijs });
    const nonce = randomBytes(16);
    request.tbsRequest.requestExtensions = [
      new pkijs.Extension({ extnID: OID_OCSP_NONCE, extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER() }),
    ];
    const der = await this.fetcher.ocsp(url, new Uint8Array(request.toSchema(true).toBER()));
    const response = pkijs.OCSPResponse.fromBER(der);
    if (response.responseStatus.valueBlock.valueDec !== 0)
      throw new Error(`OCSP ${url} refused (status ${response.responseStatus.valueBlock.valueDec})`);
    if (response.responseBytes?.responseType !== OID_OCSP_BASIC) throw new Error(`OCSP ${url}: not a basic response`);
    const basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
    await this.checkResponder(basic, issuer);
    const echoed = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
    if (
      echoed &&
      !Buffer.from(echoed.extnValue.valueBlock.valueHexView).equals(Buffer.from(new asn1js.OctetString({ valueHex: nonce }).toBER()))
    ) {
      throw new Error(`OCSP ${url}: the answer is for another request (nonce)`);
    }
    const serial = normalizeSerial(certificate.serialNumber);
    const single = basic.tbsResponseData.responses.find((r) => serialOf(r.certID) === serial && isIssuedBy(r.certID, issuerPkijs));
    if (!single) throw new Error(`OCSP ${url}: no answer for this certificate`);
    const now = this.clock().getTime();
    if (single.thisUpdate.getTime() > now + OCSP_NO_CHECK_SKEW) throw new Error(`OCSP ${url}: answer dated in the future`);
    if (single.nextUpdate && single.nextUpdate.getTime() < now) throw new Error(`OCSP ${url}: stale answer`);
    const until = single.nextUpdate?.getTime() ?? now;
    const tag = (single.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
    if (tag === 0) return { status: { status: 'good', source: 'ocsp', checkedAt: single.thisUpdate }, until };
    if (tag === 1) {
      const inner = (single.certStatus as asn1js.Constructed).valueBlock.value;
      const time = inner[0] as asn1js.GeneralizedTime;
      const reason = (inner[1] as asn1js.Constructed | undefined)?.valueBlock.value[0] as asn1js.Enumerated | undefined;
      return {
        status: { status: 'revoked', source: 'ocsp', revokedAt: time.toDate(), reason: reasonName(reason?.valueBlock.valueDec) },
        until,
      };
    }
    throw new Error(`OCSP ${url}: the responder does not know this certificate`);
  }

  /** The answer is signed by the issuing CA itself or by a responder it delegated (EKU OCSPSigning). */
  private async checkResponder(basic: pkijs.BasicOCSPResponse, issuer: x509.X509Certificate): Promise<void> {
    const tbs = new Uint8Array(basic.tbsResponseData.tbsView);
    const algorithm = basic.signatureAlgorithm.algorithmId;
    const signature = basic.signature.valueBlock.valueHexView;
    if (verifiesWith(issuer.publicKey.rawData, algorithm, tbs, signature)) return;
    for (const candidate of basic.certs ?? []) {
      const responder = new x509.X509Certificate(candidate.toSchema().toBER(false));
      if (!verifiesWith(responder.publicKey.rawData, algorithm, tbs, signature)) continue;
      const delegated = responder.getExtension(x509.ExtendedKeyUsageExtension)?.usages.includes(EKU_OCSP_SIGNING);
      const now = this.clock();
      if (delegated && (await responder.verify({ publicKey: issuer.publicKey, date: now })) && responder.notAfter >= now) return;
    }
    throw new Error('the OCSP answer is not signed by the issuer or a responder it delegated');
  }

  private async byCrl(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<Cached | null> {
    const points = certificate.getExtension(x509.CRLDistributionPointsExtension);
    const urls = (points?.distributionPoints ?? []).flatMap((p) =>
      (p.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])),
    );
    if (urls.length === 0) return null;
    const errors: string[] = [];
    for (const url of urls) {
      try {
        const crl = await this.crl(url, issuer);
        const entry = crl.findRevoked(certificate);
        const until = Math.min(crl.nextUpdate?.getTime() ?? 0, this.clock().getTime() + 3600_000);
        if (!entry) return { status: { status: 'good', source: 'crl', checkedAt: crl.thisUpdate }, until };
        return { status: { status: 'revoked', source: 'crl', revokedAt: entry.revocationDate, reason: reasonName(entry.reason) }, until };
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    throw new Error(errors.join('; '));
  }

  private async crl(url: string, issuer: x509.X509Certificate): Promise<x509.X509Crl> {
    const now = this.clock().getTime();
    const cached = this.crls.get(url);
    if (cached && cached.until > now) return cached.crl;
    const crl = new x509.X509Crl(await this.fetcher.crl(url));
    if (crl.issuer !== issuer.subject || !(await crl.verify({ publicKey: issuer.publicKey })))
      throw new Error(`CRL ${url} is not signed by ${issuer.subject}`);
    const nextUpdate = crl.nextUpdate?.getTime() ?? 0;
    if (nextUpdate < now) throw new Error(`CRL ${url} is out of date`);
    this.crls.set(url, { crl, until: nextUpdate });
    return crl;
  }
}
