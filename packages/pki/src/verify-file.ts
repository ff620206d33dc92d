import { EdxmlReadError, readDocument, type AttachmentSink, type ReadLimits } from '@vanban/edxml';
import { finding, type Finding, type Verdict } from './findings.js';
import { verifyPdfSignatures, type PdfSignatureReport } from './pdf/verify.js';
import type { CertificateVerifier } from './trust.js';
import { verifyXmlSignatures, type XmlSignatureReport } from './xml-signature.js';

/** One attachment of an edXML package: its own PDF signatures, and whether anything vouches for it. */
export interface AttachmentVerification {
  contentId: string;
  sha256: string;
  size: number;
  pdf: boolean;
  signatures: PdfSignatureReport[];
  /** `attachment-unsigned` when neither a package signature nor a signature of its own covers it. */
  findings: Finding[];
  verdict: Verdict;
}

export interface FileVerification {
  kind: 'pdf' | 'edxml' | 'xml';
  /** The file's own signatures: a PDF's, or the package's XML-DSig. */
  signatures: (PdfSignatureReport | XmlSignatureReport)[];
  /** edXML only: every attachment, with the signatures inside its PDF. */
  attachments: AttachmentVerification[];
  /** About the file as a whole (no signature at all). */
  findings: Finding[];
  /**
   * Valid only when there is at least one signature, every signature (attachments' included)
   * is valid, and every attachment is covered by one.
   */
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

function combine(verdicts: readonly Verdict[]): Verdict {
  return verdicts.includes('invalid') ? 'invalid' : verdicts.includes('indeterminate') ? 'indeterminate' : 'valid';
}

/** The PDF attachments' bytes, kept in memory: a PDF is verified as a whole anyway. */
async function pdfAttachments(bytes: Uint8Array, limits?: Partial<ReadLimits>) {
  const kept = new Map<string, Buffer>();
  const sink: AttachmentSink = {
    open(contentId) {
      const parts: Uint8Array[] = [];
      return {
        write: (chunk) => void parts.push(chunk),
        close: (digest) => {
          if (digest.sniffed === 'pdf') kept.set(contentId, Buffer.concat(parts));
        },
        abort: () => undefined,
      };
    },
  };
  try {
    const document = await readDocument(bytes, { sink, ...(limits ? { limits } : {}) });
    return document.attachments.map((digest) => ({ digest, pdf: kept.get(digest.contentId) }));
  } catch (error) {
    if (error instanceof EdxmlReadError) throw new UnknownFileError(`not a readable edXML package: ${error.message}`);
    throw error;
  }
}

async function verifyAttachments(
  found: Awaited<ReturnType<typeof pdfAttachments>>,
  packageSigned: boolean,
  verifier: CertificateVerifier,
  now: Date,
): Promise<AttachmentVerification[]> {
  const out: AttachmentVerification[] = [];
  for (const { digest, pdf } of found) {
    const signatures = pdf ? await verifyPdfSignatures(pdf, verifier, now) : [];
    const findings = signatures.length === 0 && !packageSigned ? [finding('attachment-unsigned', digest.contentId)] : [];
    const verdict = findings.length ? 'indeterminate' : combine(signatures.map((s) => s.verdict));
    out.push({
      contentId: digest.contentId,
      sha256: digest.sha256,
      size: digest.size,
      pdf: pdf !== undefined,
      signatures,
      findings,
      verdict,
    });
  }
  return out;
}

async function xmlSignatures(bytes: Uint8Array, verifier: CertificateVerifier, now: Date): Promise<XmlSignatureReport[]> {
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UnknownFileError('the XML is not valid UTF-8');
  }
  try {
    return await verifyXmlSignatures(xml, verifier, now);
  } catch (error) {
    if ((error as Error).name === 'ParseError') throw new UnknownFileError(`not well-formed XML: ${(error as Error).message}`);
    throw error;
  }
}

/**
 * Verifies every signature of a PDF, an XML document, or an edXML package and the PDFs it carries.
 * A package signed only inside its PDFs (the XML signature left as a placeholder, as some systems
 * send them) is judged by those: then every attachment needs a signature of its own.
 */
export async function verifyFile(
  bytes: Uint8Array,
  verifier: CertificateVerifier,
  now = new Date(),
  options: { limits?: Partial<ReadLimits> } = {},
): Promise<FileVerification> {
  const kind = kindOf(bytes);
  let signatures: FileVerification['signatures'];
  let attachments: AttachmentVerification[] = [];
  if (kind === 'pdf') {
    signatures = await verifyPdfSignatures(bytes, verifier, now);
  } else if (kind === 'xml') {
    signatures = await xmlSignatures(bytes, verifier, now);
  } else {
    // The streaming read first: it refuses a broken or oversized package before a DOM is built.
    const found = await pdfAttachments(bytes, options.limits);
    signatures = await xmlSignatures(bytes, verifier, now);
    attachments = await verifyAttachments(found, signatures.length > 0, verifier, now);
  }
  const all = [...signatures, ...attachments.flatMap((a) => a.signatures)];
  const findings = all.length === 0 ? [finding('no-signature')] : [];
  const verdict: Verdict = findings.length ? 'invalid' : combine([...all.map((s) => s.verdict), ...attachments.map((a) => a.verdict)]);
  return { kind, signatures, attachments, findings, verdict };
}
