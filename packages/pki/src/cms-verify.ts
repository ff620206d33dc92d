import type * as asn1js from 'asn1js';
import { pkijs, x509 } from './x509.js';
import { OID, attributeValue, certificatesOf, signedAttributesDer } from './cms.js';
import { finding, type Finding } from './findings.js';
import { DIGEST_NAMES, SIGNATURE_DIGESTS, sha256, verifiesWithKey } from './algorithms.js';

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
  const digestAlgorithm = DIGEST_NAMES[signerInfo.digestAlgorithm.algorithmId];
  const signatureAlgorithm = SIGNATURE_DIGESTS[signerInfo.signatureAlgorithm.algorithmId];
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
  const matches = verifiesWithKey(
    signatureAlgorithm ?? digestAlgorithm,
    signed,
    x509Certificate.publicKey.rawData,
    signerInfo.signature.valueBlock.valueHexView,
  );
  if (!matches) findings.push(finding('signature-value'));
  const binding = attributeValue(signerInfo.signedAttrs, OID.signingCertificateV2) as asn1js.Sequence | undefined;
  if (binding) {
    const certHash = findCertHash(binding);
    const actual = sha256(new Uint8Array(x509Certificate.rawData));
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
