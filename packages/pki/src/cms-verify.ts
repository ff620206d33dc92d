import { createHash, createVerify } from 'node:crypto';
import type * as asn1js from 'asn1js';
import { pkijs, x509 } from './x509.js';
import { OID, attributeValue, certificatesOf, signedAttributesDer } from './cms.js';
import { finding, type Finding } from './findings.js';

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const SIGNATURES: Record<string, string | null> = {
  [OID.rsaEncryption]: null, // the digest algorithm decides
  '1.2.840.113549.1.1.5': 'sha1',
  [OID.sha256WithRsa]: 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
};

export interface SignerCheck {
  /** Null when the signer's certificate is not in the CMS (nothing more can be judged). */
  certificate: x509.X509Certificate | null;
  /** Every certificate the CMS carries, for path building. */
  embedded: x509.X509Certificate[];
  findings: Finding[];
  signerInfo: pkijs.SignerInfo;
  digestAlgorithm: string;
}

function signerCertificate(signerInfo: pkijs.SignerInfo, certificates: pkijs.Certificate[]): pkijs.Certificate | undefined {
  const sid = signerInfo.sid as pkijs.IssuerAndSerialNumber | asn1js.BaseBlock;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // subjectKeyIdentifier [0]
  const keyId = Buffer.from((sid as asn1js.Primitive).valueBlock.valueHexView);
  return certificates.find((c) => {
    const ski = c.extensions?.find((e) => e.extnID === '2.5.29.14');
    return ski && Buffer.from((ski.parsedValue as asn1js.OctetString).valueBlock.valueHexView).equals(keyId);
  });
}

/**
 * Checks the first signer of a CMS SignedData: the content digest against the messageDigest
 * attribute, the signature value against the embedded certificate, and the ESS signing-certificate
 * binding. `digestOf` hashes the signed content with the algorithm the signer chose.
 */
export function checkSigner(signedData: pkijs.SignedData, digestOf: (algorithm: string) => Buffer): SignerCheck {
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('the CMS has no signer');
  const findings: Finding[] = [];
  const embedded = certificatesOf(signedData);
  const pkijsCertificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const certificate = signerCertificate(signerInfo, pkijsCertificates);
  const digestAlgorithm = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  const signatureAlgorithm = SIGNATURES[signerInfo.signatureAlgorithm.algorithmId];
  if (!digestAlgorithm || signatureAlgorithm === undefined) {
    findings.push(
      finding('unsupported-algorithm', `${signerInfo.digestAlgorithm.algorithmId} / ${signerInfo.signatureAlgorithm.algorithmId}`),
    );
    return { certificate: null, embedded, findings, signerInfo, digestAlgorithm: digestAlgorithm ?? 'unknown' };
  }
  const contentDigest = digestOf(digestAlgorithm);
  let signed: Uint8Array;
  if (signerInfo.signedAttrs) {
    const messageDigest = attributeValue(signerInfo.signedAttrs, OID.messageDigest) as asn1js.OctetString | undefined;
    if (!messageDigest || !contentDigest.equals(messageDigest.valueBlock.valueHexView)) findings.push(finding('integrity'));
    signed = signedAttributesDer(signerInfo.signedAttrs);
  } else {
    const content = signedData.encapContentInfo.eContent;
    if (!content) {
      findings.push(finding('malformed', 'a detached signature without signed attributes'));
      return { certificate: null, embedded, findings, signerInfo, digestAlgorithm };
    }
    signed = content.valueBlock.valueHexView;
  }
  if (!certificate) {
    findings.push(finding('untrusted', 'the signer certificate is not in the signature'));
    return { certificate: null, embedded, findings, signerInfo, digestAlgorithm };
  }
  const x509Certificate = new x509.X509Certificate(certificate.toSchema().toBER(false));
  const matches = verifySignature(
    signatureAlgorithm ?? digestAlgorithm,
    signed,
    x509Certificate,
    signerInfo.signature.valueBlock.valueHexView,
  );
  if (!matches) findings.push(finding('signature-value'));
  const binding = attributeValue(signerInfo.signedAttrs, OID.signingCertificateV2) as asn1js.Sequence | undefined;
  if (binding) {
    const certHash = findCertHash(binding);
    const actual = createHash('sha256').update(Buffer.from(x509Certificate.rawData)).digest();
    if (certHash && !actual.equals(certHash)) findings.push(finding('certificate-mismatch'));
  }
  return { certificate: x509Certificate, embedded, findings, signerInfo, digestAlgorithm };
}

/** SigningCertificateV2 → certs[0] → certHash, when its hash algorithm is the SHA-256 default. */
function findCertHash(binding: asn1js.Sequence): Buffer | null {
  const certs = binding.valueBlock.value[0] as asn1js.Sequence | undefined;
  const first = certs?.valueBlock.value[0] as asn1js.Sequence | undefined;
  const parts = first?.valueBlock.value ?? [];
  const hash = parts.find((p) => p.idBlock.tagClass === 1 && p.idBlock.tagNumber === 4) as asn1js.OctetString | undefined;
  const algorithm = parts[0]?.idBlock.tagNumber === 16 ? (parts[0] as asn1js.Sequence) : undefined;
  if (algorithm) return null;
  return hash ? Buffer.from(hash.valueBlock.valueHexView) : null;
}

export function digestWith(algorithm: string, parts: Iterable<Uint8Array>): Buffer {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function verifySignature(hash: string, data: Uint8Array, certificate: x509.X509Certificate, signature: Uint8Array): boolean {
  try {
    return createVerify(hash)
      .update(data)
      .verify({ key: Buffer.from(certificate.publicKey.rawData), format: 'der', type: 'spki' }, signature);
  } catch {
    return false;
  }
}
