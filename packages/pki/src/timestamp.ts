import type * as asn1js from 'asn1js';
import { pkijs } from './x509.js';
import { OID, parseSignedData } from './cms.js';
import { checkSigner } from './cms-verify.js';
import { DIGEST_NAMES, digestWith } from './algorithms.js';
import { finding, type Finding } from './findings.js';
import { timestampRequest } from './timestamp-authority.js';
import type { CertificateVerifier, ChainReport } from './trust.js';

/** Where timestamps come from: our TSA over HTTP, or in process beside it. */
export type TimestampSource = (request: Uint8Array) => Promise<Uint8Array>;

export function httpTimestampSource(url: string, timeoutMs = 10_000): TimestampSource {
  return async (request) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: request,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the timestamp authority ${url} answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** Asks for a timestamp over `data` and returns the token (DER ContentInfo), after checking it answers this request. */
export async function obtainTimestamp(source: TimestampSource, data: Uint8Array): Promise<Uint8Array> {
  const request = timestampRequest(data);
  const response = pkijs.TimeStampResp.fromBER(await source(request));
  if (response.status.status !== pkijs.PKIStatus.granted && response.status.status !== pkijs.PKIStatus.grantedWithMods) {
    const text = response.status.statusStrings?.map((s) => s.valueBlock.value).join('; ') ?? '';
    throw new Error(`the timestamp authority refused: ${text || `status ${response.status.status}`}`);
  }
  if (!response.timeStampToken) throw new Error('the timestamp authority sent no token');
  const info = tstInfoOf(parseSignedData(new Uint8Array(response.timeStampToken.toSchema().toBER())));
  const asked = pkijs.TimeStampReq.fromBER(request);
  if (
    !Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(
      asked.messageImprint.hashedMessage.valueBlock.valueHexView,
    )
  )
    throw new Error('the timestamp is for other data');
  if (asked.nonce && !(info.nonce && info.nonce.isEqual(asked.nonce))) throw new Error('the timestamp answers another request (nonce)');
  return new Uint8Array(response.timeStampToken.toSchema().toBER());
}

function tstInfoOf(token: pkijs.SignedData): pkijs.TSTInfo {
  if (token.encapContentInfo.eContentType !== OID.tstInfo || !token.encapContentInfo.eContent) throw new Error('not a timestamp token');
  return pkijs.TSTInfo.fromBER(token.encapContentInfo.eContent.getValue());
}

export interface TimestampReport {
  time: Date;
  authority: ChainReport;
  findings: Finding[];
}

/**
 * Checks a timestamp token over `data`: its imprint, its signature, and the TSA's certificate
 * (purpose timeStamping) at the time it states.
 */
export async function verifyTimestamp(tokenDer: Uint8Array, data: Uint8Array, verifier: CertificateVerifier): Promise<TimestampReport> {
  const token = parseSignedData(tokenDer);
  const info = tstInfoOf(token);
  const findings: Finding[] = [];
  const algorithm = DIGEST_NAMES[info.messageImprint.hashAlgorithm.algorithmId];
  if (!algorithm) findings.push(finding('unsupported-algorithm', info.messageImprint.hashAlgorithm.algorithmId));
  else if (!digestWith(algorithm, [data]).equals(info.messageImprint.hashedMessage.valueBlock.valueHexView))
    findings.push(finding('timestamp-invalid', 'the timestamp is for other data'));
  const eContent = (token.encapContentInfo.eContent as asn1js.OctetString).getValue();
  const signer = checkSigner(token, (a) => digestWith(a, [new Uint8Array(eContent)]));
  findings.push(...signer.findings.map((f) => ({ ...f, detail: `timestamp: ${f.detail ?? f.en}` })));
  const authority: ChainReport = signer.certificate
    ? await verifier.check(signer.certificate, { at: info.genTime, purpose: 'timestamp', embedded: signer.embedded })
    : { chain: [], findings: [], revocation: null };
  return { time: info.genTime, authority, findings };
}
