import { EdxmlReadError, readDocument, type AttachmentDigest, type AttachmentSink, type ReadLimits } from '@vanban/edxml';
import { finding, type Finding, type Verdict } from './findings.js';
import { verifyPdfSignatures, type PdfSignatureReport } from './pdf/verify.js';
import type { CertificateVerifier } from './trust.js';
import { XmlSignatureError, verifyXmlSignatures, type XmlSignatureReport } from './xml-signature.js';

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

/** An attachment as read from a package, with its bytes when it is a PDF. */
export interface ReadAttachment {
  digest: AttachmentDigest;
  pdf: Buffer | undefined;
}

/**
 * A sink for reading a package that keeps attachments' bytes in memory, so that whoever reads the
 * package once can then verify it (a PDF is verified as a whole anyway) and, with `all`, store
 * every file. `attachments` pairs the digests the read returned with the PDFs' bytes.
 */
export function keepAttachments(which: 'pdf' | 'all' = 'pdf'): {
  sink: AttachmentSink;
  bytes: ReadonlyMap<string, Buffer>;
  attachments(digests: readonly AttachmentDigest[]): ReadAttachment[];
} {
  const kept = new Map<string, Buffer>();
  return {
    sink: {
      open(contentId) {
        const parts: Uint8Array[] = [];
        return {
          write: (chunk) => void parts.push(chunk),
          close: (digest) => {
            if (which === 'all' || digest.sniffed === 'pdf') kept.set(contentId, Buffer.concat(parts));
          },
          abort: () => void kept.delete(contentId),
        };
      },
    },
    bytes: kept,
    attachments: (digests) => digests.map((digest) => ({ digest, pdf: digest.sniffed === 'pdf' ? kept.get(digest.contentId) : undefined })),
  };
}

/**
 * Every finding about a file (its own, its signatures', its attachments' and theirs) as a reason to
 * show or send: code, both languages, and the detail when there is one.
 */
export function reasonsOf(v: FileVerification): Finding[] {
  return [
    ...v.findings,
    ...v.signatures.flatMap((s) => s.findings),
    ...v.attachments.flatMap((a) => [...a.findings, ...a.signatures.flatMap((s) => s.findings)]),
  ].map((f) => ({ code: f.code, vi: f.vi, en: f.en, ...(f.detail ? { detail: f.detail } : {}) }));
}

async function readAttachments(bytes: Uint8Array, limits?: Partial<ReadLimits>): Promise<ReadAttachment[]> {
  const pdfs = keepAttachments();
  try {
    const document = await readDocument(bytes, { sink: pdfs.sink, ...(limits ? { limits } : {}) });
    return pdfs.attachments(document.attachments);
  } catch (error) {
    if (error instanceof EdxmlReadError) throw new UnknownFileError(`not a readable edXML package: ${error.message}`);
    throw error;
  }
}

async function verifyAttachments(
  found: readonly ReadAttachment[],
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
  try {
    return await verifyXmlSignatures(bytes, verifier, now);
  } catch (error) {
    // What escapes verification is about the document as a whole: not well-formed, or a DTD.
    if (error instanceof XmlSignatureError) throw new UnknownFileError(error.message);
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
  if (kind === 'pdf') return judged(kind, await verifyPdfSignatures(bytes, verifier, now), []);
  if (kind === 'xml') return judged(kind, await xmlSignatures(bytes, verifier, now), []);
  // The streaming read first: it refuses a broken or oversized package before libxml2 parses it.
  return verifyEdxml(bytes, await readAttachments(bytes, options.limits), verifier, now);
}

/** Verifies an edXML package already read, with the attachments its reading kept (`keepPdfAttachments`). */
export async function verifyEdxml(
  bytes: Uint8Array,
  attachments: readonly ReadAttachment[],
  verifier: CertificateVerifier,
  now = new Date(),
): Promise<FileVerification> {
  const signatures = await xmlSignatures(bytes, verifier, now);
  return judged('edxml', signatures, await verifyAttachments(attachments, signatures.length > 0, verifier, now));
}

function judged(
  kind: FileVerification['kind'],
  signatures: FileVerification['signatures'],
  attachments: AttachmentVerification[],
): FileVerification {
  const all = [...signatures, ...attachments.flatMap((a) => a.signatures)];
  const findings = all.length === 0 ? [finding('no-signature')] : [];
  const verdict: Verdict = findings.length ? 'invalid' : combine([...all.map((s) => s.verdict), ...attachments.map((a) => a.verdict)]);
  return { kind, signatures, attachments, findings, verdict };
}
