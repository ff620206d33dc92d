import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { normalizeSerial, pkijs, toPkijs, wholeSeconds, x509 } from './x509.js';
import { DIGEST_NAMES } from './algorithms.js';
import type { KeyAndCertificate } from './certificates.js';
import { REVOCATION_REASONS, type Revocation } from './crl.js';

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

export type CertificateStatus = { status: 'good' } | { status: 'revoked'; revocation: Revocation } | { status: 'unknown' };

export interface OcspResponderOptions {
  /** The responder's key and certificate, issued by the CA it answers for (EKU OCSPSigning). */
  responder: KeyAndCertificate;
  /** The CA whose certificates it answers for. */
  issuer: x509.X509Certificate;
  statusOf(serialHex: string): CertificateStatus;
  now: Date;
  /** How long a "good" answer may be cached. */
  validFor: number;
}

/** Whether an OCSP CertID names a certificate of this issuer (by name and key hash). */
export function isIssuedBy(id: pkijs.CertID, issuer: pkijs.Certificate): boolean {
  const hash = DIGEST_NAMES[id.hashAlgorithm.algorithmId];
  if (hash === undefined) return false;
  const name = Buffer.from(issuer.subject.toSchema().toBER());
  const key = issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  return (
    createHash(hash).update(name).digest().equals(id.issuerNameHash.valueBlock.valueHexView) &&
    createHash(hash).update(key).digest().equals(id.issuerKeyHash.valueBlock.valueHexView)
  );
}

export function serialOf(id: pkijs.CertID): string {
  return normalizeSerial(Buffer.from(id.serialNumber.valueBlock.valueHexView).toString('hex'));
}

function unsuccessful(status: number): Uint8Array {
  return new Uint8Array(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER());
}

function certStatus(s: CertificateStatus): asn1js.BaseBlock {
  if (s.status === 'good') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  if (s.status === 'unknown') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 1 },
    value: [
      new asn1js.GeneralizedTime({ valueDate: wholeSeconds(s.revocation.at) }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Enumerated({ value: REVOCATION_REASONS[s.revocation.reason] })],
      }),
    ],
  });
}

/** Answers a DER OCSP request (RFC 6960) with a signed DER response; never throws on bad input. */
export async function answerOcsp(requestDer: Uint8Array, options: OcspResponderOptions): Promise<Uint8Array> {
  let request: pkijs.OCSPRequest;
  try {
    request = pkijs.OCSPRequest.fromBER(requestDer);
  } catch {
    return unsuccessful(1); // malformedRequest
  }
  const issuer = toPkijs(options.issuer);
  const now = wholeSeconds(options.now);
  const responses = request.tbsRequest.requestList.map((entry) => {
    const id = entry.reqCert;
    const status: CertificateStatus = isIssuedBy(id, issuer) ? options.statusOf(serialOf(id)) : { status: 'unknown' };
    return new pkijs.SingleResponse({
      certID: id,
      certStatus: certStatus(status),
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + options.validFor),
    });
  });
  const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
  const responder = toPkijs(options.responder.certificate);
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: new pkijs.ResponseData({
      responderID: responder.subject,
      producedAt: now,
      responses,
      ...(nonce ? { responseExtensions: [nonce] } : {}),
    }),
    certs: [responder],
  });
  await basic.sign(options.responder.keys.privateKey, 'SHA-256');
  return new Uint8Array(
    new pkijs.OCSPResponse({
      responseStatus: new asn1js.Enumerated({ value: 0 }),
      responseBytes: new pkijs.ResponseBytes({
        responseType: OID_OCSP_BASIC,
        response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
      }),
    })
      .toSchema()
      .toBER(),
  );
}
