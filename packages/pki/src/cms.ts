import * as asn1js from 'asn1js';
import { pkijs, toPkijs, x509 } from './x509.js';
import type { SigningKey } from './signing-key.js';
import { sha256 } from './algorithms.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

function attribute(type: string, value: asn1js.BaseBlock): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** ESS signing-certificate-v2 (RFC 5035): binds the signature to the certificate, as PAdES requires. */
function signingCertificateV2(certificate: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })] }).toSchema(),
      certificate.serialNumber,
    ],
  });
  const certHash = new asn1js.OctetString({ valueHex: sha256(new Uint8Array(certificate.toSchema().toBER())) });
  // hashAlgorithm is left out: SHA-256 is its DEFAULT, and DER omits defaults.
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certHash, issuerSerial] })] })] });
}

/** The DER a signer signs: the signed attributes re-tagged from [0] IMPLICIT to SET (RFC 5652 5.4). */
export function signedAttributesDer(attributes: pkijs.SignedAndUnsignedAttributes): Uint8Array {
  const der = new Uint8Array(attributes.toSchema().toBER());
  der[0] = 0x31;
  return der;
}

export interface CmsSignRequest {
  signer: SigningKey;
  /** Encapsulated content type; `data` for a detached PDF signature. */
  contentType: string;
  /** SHA-256 of the content. */
  contentDigest: Uint8Array;
  /** Content to carry inside (a timestamp token's TSTInfo); absent for a detached signature. */
  encapsulated?: Uint8Array;
  /** Whether to embed the chain (a timestamp token asked without certReq must not). */
  includeCertificates?: boolean;
}

export async function signCms(request: CmsSignRequest): Promise<pkijs.SignedData> {
  const certificate = toPkijs(request.signer.certificate);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: request.contentType })),
      attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: request.contentDigest })),
      attribute(OID.signingCertificateV2, signingCertificateV2(certificate)),
    ],
  });
  const signature = await request.signer.signDigest(sha256(signedAttributesDer(signedAttrs)));
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const includeCertificates = request.includeCertificates ?? true;
  return new pkijs.SignedData({
    version: request.contentType === OID.data ? 1 : 3,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: request.contentType,
      ...(request.encapsulated ? { eContent: new asn1js.OctetString({ valueHex: request.encapsulated }) } : {}),
    }),
    ...(includeCertificates ? { certificates: [certificate, ...request.signer.chain.map(toPkijs)] } : {}),
    signerInfos: [signerInfo],
  });
}

export function contentInfoDer(signedData: pkijs.SignedData): Uint8Array {
  return new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
}

export function parseSignedData(der: Uint8Array): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(der);
  if (info.contentType !== OID.signedData) throw new Error(`CMS content type ${info.contentType} is not signed data`);
  return new pkijs.SignedData({ schema: info.content });
}

export function attributeValue(attributes: pkijs.SignedAndUnsignedAttributes | undefined, type: string): asn1js.BaseBlock | undefined {
  return attributes?.attributes.find((a) => a.type === type)?.values[0] as asn1js.BaseBlock | undefined;
}

export function certificatesOf(signedData: pkijs.SignedData): x509.X509Certificate[] {
  return (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => new x509.X509Certificate(c.toSchema().toBER(false)));
}
