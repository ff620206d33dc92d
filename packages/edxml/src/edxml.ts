/** Reading and writing edXML packages and status messages: the entry points of the package. */
import type { EdxmlPackage, StatusMessage } from './model.js';
import { problem, type Problem } from './problem.js';
import { EdxmlReadError, readDocument, type ByteSource, type ReadOptions } from './reader.js';
import { checkPackage, checkStatus, type Classification, type PackageRuleContext } from './rules.js';
import { checkSchema } from './schema.js';
import { TreeReader, type Message } from './wire-read.js';
import { writePackage, writeStatus, type BuildOptions } from './wire-write.js';

export type ReadResult = ({ ok: true; warnings: Problem[] } & Message) | { ok: false; problems: Problem[] };

/**
 * Reads, checks against the schema and the rules, and returns the package or status message, or
 * every problem found. Attachment bytes have gone to `options.sink` either way; when the result
 * is not ok, the caller forgets them (on a read error the sink's writers are aborted).
 */
export async function readEdxml(source: ByteSource, options: ReadOptions & PackageRuleContext = {}): Promise<ReadResult> {
  let document;
  try {
    document = await readDocument(source, options);
  } catch (err) {
    if (err instanceof EdxmlReadError) return { ok: false, problems: [err.problem] };
    throw err;
  }
  const schemaProblems = checkSchema(document.root);
  if (schemaProblems.length) return { ok: false, problems: schemaProblems };
  const tree = new TreeReader(document.root, document.attachments);
  const message = tree.message();
  const problems = [
    ...tree.problems,
    ...(message.kind === 'package' ? checkPackage(message.package, options) : checkStatus(message.status)),
  ];
  if (problems.length) return { ok: false, problems };
  return { ok: true, ...message, warnings: message.kind === 'package' ? packageWarnings(message.package) : [] };
}

function packageWarnings(p: EdxmlPackage): Problem[] {
  const warnings: Problem[] = [];
  const signature = '/edXML/edXMLEnvelope/edXMLHeader/Signature';
  if (p.signature.kind !== 'xmldsig') {
    warnings.push(
      problem(
        signature,
        'xml-signature',
        'Gói tin không có chữ ký XML; tính xác thực dựa vào chữ ký số trong tệp PDF.',
        'The package has no XML signature; authenticity rests on the signatures inside its PDF files.',
      ),
    );
  }
  p.attachments.forEach((a, i) => {
    const reference = p.manifest.find((r) => r.contentId === a.contentId);
    if (
      a.sniffed === 'zip' &&
      reference &&
      !/zip/i.test(reference.contentType) &&
      !/\.(zip|docx|xlsx|pptx|odt|ods)$/i.test(reference.name)
    ) {
      warnings.push(
        problem(
          `/edXML/AttachmentEncoded/Attachment[${i + 1}]`,
          'attachment-type',
          `Tệp "${reference.name}" được nén ZIP dù danh mục ghi ${reference.contentType}; cần giải nén.`,
          `File "${reference.name}" is zipped although the manifest says ${reference.contentType}; unpack it.`,
        ),
      );
    }
  });
  return warnings;
}

/** A model that breaks the rules is never written. */
export class EdxmlBuildError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.en}`).join('; '));
  }
}

/**
 * The package as a byte stream in the strict form. The classification must be stated: a
 * classified document is refused here, whatever the caller's screens did.
 */
export function buildPackage(p: EdxmlPackage, options: BuildOptions & { classification: Classification }): AsyncGenerator<Buffer> {
  const problems = checkPackage(p, { classification: options.classification });
  if (problems.length) throw new EdxmlBuildError(problems);
  return writePackage(p, options);
}

export async function buildPackageBytes(
  p: EdxmlPackage,
  attachments: ReadonlyMap<string, Uint8Array>,
  classification: Classification,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  const content = (contentId: string) => attachments.get(contentId) ?? new Uint8Array(0);
  for await (const part of buildPackage(p, { content, classification })) parts.push(part);
  return Buffer.concat(parts);
}

export function buildStatus(s: StatusMessage): Buffer {
  const problems = checkStatus(s);
  if (problems.length) throw new EdxmlBuildError(problems);
  return Buffer.from(writeStatus(s), 'utf8');
}
