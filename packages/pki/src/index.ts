export {
  issueCertificate,
  agencyCodeOf,
  privateKeyPem,
  type CertificateProfile,
  type IssueRequest,
  type KeyAndCertificate,
  type Subject,
} from './certificates.js';
export {
  CertificateAuthority,
  CaError,
  type CaOptions,
  type IssueOptions,
  type Issued,
  type IssuedEntry,
} from './certificate-authority.js';
export { buildCaServer } from './ca-server.js';
export { REVOCATION_REASONS, type RevocationReason } from './crl.js';
export { FINDINGS, finding, verdictOf, type Finding, type FindingCode, type Verdict } from './findings.js';
export { RevocationChecker, httpRevocationFetcher, type RevocationFetcher, type RevocationStatus } from './revocation.js';
export {
  openSigningKeyFiles,
  signingKeyFromPem,
  signingKeyFromKeys,
  SigningKeyError,
  type SigningKey,
  type SigningKeyFiles,
} from './signing-key.js';
export { obtainTimestamp, verifyTimestamp, httpTimestampSource, type TimestampSource, type TimestampReport } from './timestamp.js';
export { CertificateVerifier, summarize, type TrustList, type ChainReport, type CertificateSummary } from './trust.js';
export { signEdxml, verifyXmlSignatures, XmlSignatureError, TRACE_HEADERS_XPATH, type XmlSignatureReport } from './xml-signature.js';
export { x509, RSA_SHA256, certificatesFromPem, normalizeSerial, type KeyPair } from './x509.js';
export { signPdf, preparePdf, PreparedPdf, PdfSignError, DEFAULT_STAMP_FONT, type PdfSignOptions } from './pdf/sign.js';
export { verifyPdfSignatures, type PdfSignatureReport } from './pdf/verify.js';
export { appendIncrement, reserveObjectNumbers } from './pdf/incremental.js';
export { addTextAnnotations, textMeasure, type PlacedText } from './pdf/text-annotations.js';
export {
  verifyFile,
  verifyEdxml,
  keepAttachments,
  reasonsOf,
  UnknownFileError,
  type FileVerification,
  type AttachmentVerification,
  type ReadAttachment,
} from './verify-file.js';
export { checkSealImage, SealImageError, type SealImage } from './pdf/seal-image.js';
