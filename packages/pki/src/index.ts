export {
  issueCertificate,
  agencyCodeOf,
  privateKeyPem,
  type CertificateProfile,
  type IssueRequest,
  type KeyAndCertificate,
  type Subject,
} from './certificates.js';
export { x509, RSA_SHA256, type KeyPair } from './x509.js';
