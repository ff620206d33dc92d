import { RSA_SHA256, positiveRandom, subtle, x509, type KeyPair } from './x509.js';

/** What a certificate is for; each profile fixes its key usages and extensions. */
export type CertificateProfile = 'root-ca' | 'intermediate-ca' | 'signer' | 'agency' | 'tls-server' | 'tls-client' | 'ocsp' | 'timestamp';

export interface Subject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** Province or city, e.g. "Bình An". */
  locality?: string;
  /** Agency certificates: the agency code, carried as UID so that verifiers can match it to `From/OrganId`. */
  agencyCode?: string;
  email?: string;
}

export interface KeyAndCertificate {
  readonly certificate: x509.X509Certificate;
  readonly keys: KeyPair;
}

export interface IssueRequest {
  profile: CertificateProfile;
  subject: Subject;
  /** Absent for a root: it signs itself. */
  issuer?: KeyAndCertificate;
  notBefore: Date;
  notAfter: Date;
  /** Where verifiers fetch the issuer's CRL and ask its OCSP responder. */
  crlUrl?: string;
  ocspUrl?: string;
  /** TLS server names. */
  dnsNames?: string[];
  /** IP addresses a TLS server answers on, for clients that connect by address. */
  ipAddresses?: string[];
}

const OID = {
  documentSigning: '1.3.6.1.5.5.7.3.36',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  uid: '0.9.2342.19200300.100.1.1',
};

const KU = x509.KeyUsageFlags;

function distinguishedName(s: Subject): x509.JsonName {
  const name: x509.JsonName = [];
  const add = (type: string, value: string | undefined) => value && name.push({ [type]: [value] });
  add('C', 'VN');
  add('L', s.locality);
  add('O', s.organization);
  add('OU', s.organizationalUnit);
  add(OID.uid, s.agencyCode);
  add('CN', s.commonName);
  add('E', s.email);
  return name;
}

function profileExtensions(profile: CertificateProfile, request: IssueRequest): x509.Extension[] {
  const ext: x509.Extension[] = [];
  switch (profile) {
    case 'root-ca':
      ext.push(new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, true));
      break;
    case 'intermediate-ca':
      ext.push(new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, true));
      break;
    case 'signer':
    case 'agency':
      ext.push(
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KU.digitalSignature | KU.nonRepudiation, true),
        new x509.ExtendedKeyUsageExtension([OID.emailProtection, OID.documentSigning], false),
      );
      break;
    case 'tls-server':
      ext.push(
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KU.digitalSignature | KU.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([OID.serverAuth], false),
      );
      break;
    case 'tls-client':
      ext.push(
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KU.digitalSignature | KU.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([OID.clientAuth], false),
      );
      break;
    case 'ocsp':
      ext.push(
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KU.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([OID.ocspSigning], false),
        // The responder's own certificate is not checked for revocation (RFC 6960 4.2.2.2.1).
        new x509.Extension(OID.ocspNoCheck, false, new Uint8Array([0x05, 0x00])),
      );
      break;
    case 'timestamp':
      ext.push(
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KU.digitalSignature | KU.nonRepudiation, true),
        new x509.ExtendedKeyUsageExtension([OID.timeStamping], true),
      );
      break;
  }
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (altNames.length) ext.push(new x509.SubjectAlternativeNameExtension(altNames));
  if (request.subject.email && (profile === 'signer' || profile === 'agency')) {
    ext.push(new x509.SubjectAlternativeNameExtension([{ type: 'email', value: request.subject.email }]));
  }
  return ext;
}

/** A positive serial of 16 random bytes, as RFC 5280 asks (at most 20 octets, unpredictable). */
function serialNumber(): string {
  return positiveRandom(16).toString('hex');
}

export async function issueCertificate(request: IssueRequest): Promise<KeyAndCertificate> {
  const keys = (await subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as KeyPair;
  const name = distinguishedName(request.subject);
  const extensions = profileExtensions(request.profile, request);
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (request.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(request.issuer.certificate));
  if (request.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([request.crlUrl]));
  if (request.ocspUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: [request.ocspUrl] }));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: name,
    issuer: request.issuer ? request.issuer.certificate.subjectName : name,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    signingAlgorithm: RSA_SHA256,
    publicKey: keys.publicKey,
    signingKey: request.issuer ? request.issuer.keys.privateKey : keys.privateKey,
    extensions,
  });
  return { certificate, keys };
}

/** The agency code a certificate names in its subject (UID), if any. */
export function agencyCodeOf(certificate: x509.X509Certificate): string | null {
  return certificate.subjectName.getField(OID.uid)[0] ?? null;
}

export async function privateKeyPem(keys: KeyPair): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}
