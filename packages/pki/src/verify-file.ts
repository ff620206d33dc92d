import { finding, type Finding, type Verdict } from './findings.js';
import { verifyPdfSignatures, type PdfSignatureReport } from './pdf/verify.js';
import type { CertificateVerifier } from './trust.js';
import { verifyXmlSignatures, type XmlSignatureReport } from './xml-signature.js';

export interface FileVerification {
  kind: 'pdf' | 'edxml' | 'xml';
  signatures: (PdfSignatureReport | XmlSignatureReport)[];
  /** About the file as a whole (no signature at all). */
  findings: Finding[];
  /** Valid only when there is at least one signature and every one is valid. */
  verdict: Verdict;
}

export class UnknownFileError extends Error {}

function kindOf(bytes: Uint8Array): FileVerification['kind'] {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  const text = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (!text.startsWith('<')) throw new UnknownFileError('neither a PDF nor an XML document');
  return /<([\w.-]+:)?edXML[\s>]/.test(Buffer.from(bytes.subarray(0, 64 * 1024)).toString('utf8')) ? 'edxml' : 'xml';
}

/** Verifies every signature of a PDF or an XML (edXML) document. */
export async function verifyFile(bytes: Uint8Array, verifier: CertificateVerifier, now = new Date()): Promise<FileVerification> {
  const kind = kindOf(bytes);
  const signatures =
    kind === 'pdf'
      ? await verifyPdfSignatures(bytes, verifier, now)
      : await verifyXmlSignatures(new TextDecoder('utf-8', { fatal: true }).decode(bytes), verifier, now);
  const findings = signatures.length === 0 ? [finding('no-signature')] : [];
  const verdicts = signatures.map((s) => s.verdict);
  const verdict: Verdict =
    signatures.length === 0 || verdicts.includes('invalid') ? 'invalid' : verdicts.includes('indeterminate') ? 'indeterminate' : 'valid';
  return { kind, signatures, findings, verdict };
}
