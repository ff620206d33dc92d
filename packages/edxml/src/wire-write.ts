/** From the model to edXML bytes, in the one strict form: `edXML:` prefix, `yyyy/MM/dd` dates, attachments beside the envelope. */
import { createHash } from 'node:crypto';
import { writeDate, writeStatusTimestamp, writeTimestamp } from './dates.js';
import {
  BUSINESS_KINDS,
  URGENCIES,
  type Business,
  type EdxmlPackage,
  type Organization,
  type ResponseFor,
  type Staff,
  type StatusMessage,
} from './model.js';
import type { ByteSource } from './reader.js';
import { EDXML_NS, escapeText } from './xml-tree.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

function el(name: string, inner: string): string {
  return `<edXML:${name}>${inner}</edXML:${name}>`;
}

function leaf(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : el(name, escapeText(String(value)));
}

function organization(name: string, o: Organization): string {
  return el(
    name,
    leaf('OrganId', o.agencyCode) +
      leaf('OrganizationInCharge', o.organizationInCharge) +
      leaf('OrganName', o.name) +
      leaf('OrganAdd', o.address) +
      leaf('Email', o.email) +
      leaf('Telephone', o.telephone) +
      leaf('Fax', o.fax) +
      leaf('Website', o.website),
  );
}

function responseFor(r: ResponseFor): string {
  return el(
    'ResponseFor',
    leaf('OrganId', r.agencyCode) +
      leaf('Code', r.code) +
      leaf('PromulgationDate', writeDate(r.issueDate)) +
      leaf('DocumentId', r.documentId),
  );
}

function staff(s: Staff | undefined): string {
  return s
    ? el('StaffInfo', leaf('Department', s.department) + leaf('Staff', s.name) + leaf('Email', s.email) + leaf('Mobile', s.mobile))
    : '';
}

function business(b: Business | undefined): string {
  if (!b) return '';
  const info = b.documentInfo;
  return el(
    'Bussiness',
    leaf('BussinessDocType', BUSINESS_KINDS.indexOf(b.kind)) +
      leaf('BussinessDocReason', b.reason) +
      leaf('DocumentId', b.documentId) +
      leaf('Paper', b.paperCopyFollows === undefined ? undefined : b.paperCopyFollows ? 1 : 0) +
      staff(b.staff) +
      (info
        ? el(
            'BussinessDocumentInfo',
            leaf('DocumentInfo', info.documentInfo) +
              leaf('DocumentReceiver', info.documentReceiver) +
              el(
                'ReceiverList',
                info.receivers.map((r) => el('Receiver', leaf('ReceiverType', r.receiverType) + leaf('OrganId', r.agencyCode))).join(''),
              ),
          )
        : '') +
      (b.replacements
        ? el(
            'ReplacementInfoList',
            b.replacements
              .map((r) =>
                el(
                  'ReplacementInfo',
                  leaf('DocumentId', r.documentId) + el('OrganIdList', r.agencyCodes.map((c) => leaf('OrganId', c)).join('')),
                ),
              )
              .join(''),
          )
        : ''),
  );
}

/** Everything before the attachment bodies, as one string (small: no file content). */
export function packageHead(p: EdxmlPackage): string {
  const header =
    organization('From', p.from) +
    p.to.map((t) => organization('To', t)).join('') +
    leaf('DocumentId', p.documentId) +
    el('Code', leaf('CodeNumber', p.number) + leaf('CodeNotation', p.notation)) +
    el('PromulgationInfo', leaf('Place', p.issuePlace) + leaf('PromulgationDate', writeDate(p.issueDate))) +
    el('DocumentType', leaf('Type', p.documentTypeCode) + leaf('TypeDetail', p.documentTypeDetail) + leaf('TypeName', p.documentTypeName)) +
    leaf('Subject', p.subject) +
    leaf('Content', p.content) +
    (p.signer
      ? el(
          'SignerInfo',
          leaf('Competence', p.signer.competence) + leaf('Position', p.signer.position) + leaf('FullName', p.signer.fullName),
        )
      : '') +
    leaf('DueDate', p.dueDate === undefined ? undefined : writeDate(p.dueDate)) +
    (p.recipientsText ? el('ToPlaces', p.recipientsText.map((t) => leaf('Place', t)).join('')) : '') +
    el(
      'OtherInfo',
      leaf('Priority', URGENCIES.indexOf(p.urgency)) +
        leaf('SphereOfPromulgation', p.sphereOfPromulgation) +
        leaf('TyperNotation', p.typistNotation) +
        leaf('PromulgationAmount', p.copies) +
        leaf('PageAmount', p.pages) +
        (p.appendixes ? el('Appendixes', p.appendixes.map((a) => leaf('Appendix', a)).join('')) : ''),
    ) +
    p.responseFor.map(responseFor).join('') +
    leaf('SteeringType', p.steeringType);
  const traces = p.traces.map((t) => el('TraceHeader', leaf('OrganId', t.agencyCode) + leaf('Timestamp', writeTimestamp(t.at)))).join('');
  const signature = p.signature.kind === 'none' ? '' : p.signature.xml;
  const manifest = p.manifest
    .map((r) =>
      el(
        'Reference',
        leaf('ContentId', r.contentId) +
          leaf('ContentType', r.contentType) +
          leaf('AttachmentName', r.name) +
          leaf('Description', r.description),
      ),
    )
    .join('');
  return (
    DECLARATION +
    `<edXML:edXML xmlns:edXML="${EDXML_NS}">` +
    el(
      'edXMLEnvelope',
      el('edXMLHeader', el('MessageHeader', header) + el('TraceHeaderList', traces + business(p.business)) + signature) +
        el('edXMLBody', el('edXMLManifest', manifest)),
    )
  );
}

export interface BuildOptions {
  /** The bytes of each attachment, by content id; they must match its size and SHA-256. */
  content: (contentId: string) => ByteSource;
}

export class AttachmentMismatchError extends Error {}

const ENCODE_CHUNK = 3 * 16 * 1024;

/** The package as a stream of bytes; attachments are base64-encoded as they are read. */
export async function* writePackage(p: EdxmlPackage, options: BuildOptions): AsyncGenerator<Buffer> {
  yield Buffer.from(packageHead(p) + '<edXML:AttachmentEncoded>', 'utf8');
  for (const a of p.attachments) {
    yield Buffer.from(`<edXML:Attachment>${leaf('ContentId', a.contentId)}<edXML:ContentTransferEncoded>`, 'utf8');
    const hash = createHash('sha256');
    let size = 0;
    let carry = Buffer.alloc(0);
    for await (const chunk of asChunks(options.content(a.contentId))) {
      hash.update(chunk);
      size += chunk.length;
      let data = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      while (data.length >= ENCODE_CHUNK) {
        yield Buffer.from(data.subarray(0, ENCODE_CHUNK).toString('base64'), 'latin1');
        data = data.subarray(ENCODE_CHUNK);
      }
      const whole = data.length - (data.length % 3);
      if (whole) yield Buffer.from(data.subarray(0, whole).toString('base64'), 'latin1');
      carry = Buffer.from(data.subarray(whole));
    }
    if (carry.length) yield Buffer.from(carry.toString('base64'), 'latin1');
    const sha256 = hash.digest('hex');
    if (size !== a.size || sha256 !== a.sha256) {
      throw new AttachmentMismatchError(
        `attachment ${a.contentId}: content is ${size} bytes with SHA-256 ${sha256}, the package says ${a.size} bytes and ${a.sha256}`,
      );
    }
    yield Buffer.from('</edXML:ContentTransferEncoded></edXML:Attachment>', 'utf8');
  }
  yield Buffer.from('</edXML:AttachmentEncoded></edXML:edXML>', 'utf8');
}

async function* asChunks(source: ByteSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) yield source;
  else yield* source;
}

export function writeStatus(s: StatusMessage): string {
  const status = el(
    'Status',
    responseFor(s.responseFor) +
      organization('From', s.from) +
      leaf('StatusCode', s.status) +
      leaf('Description', s.description) +
      leaf('Timestamp', writeStatusTimestamp(s.at)) +
      staff(s.staff),
  );
  return DECLARATION + `<edXML:edXMLEnvelope xmlns:edXML="${EDXML_NS}">` + el('edXMLHeader', status) + '</edXML:edXMLEnvelope>';
}
