import { vietnamLocal, writeTimestamp } from '@vanban/edxml';

export class TraceError extends Error {}

/** Where the end of the TraceHeaderList is looked for: the first 64 KiB, else the first 4 MiB. */
const HEAD_WINDOWS = [64 * 1024, 4 * 1024 * 1024];
const CLOSE = /<\/([A-Za-z_][\w.-]*:)?TraceHeaderList\s*>/;

/**
 * The package as this hub forwards it: one more TraceHeader (this hub's code, the time) after the
 * last one in TraceHeaderList, before its Bussiness element if it has one (the schema wants the
 * headers first). Nothing else changes, not even whitespace, so the sender's XML signature, which
 * leaves TraceHeaders out, still verifies. The list sits in edXMLHeader, before any attachment, so
 * the first closing tag is the one. The result comes in parts (their concatenation is the package),
 * so that a package of megabytes is not copied just to insert a few hundred bytes.
 */
export function appendTrace(bytes: Buffer, hubCode: string, at: Date): Buffer[] {
  // The header is a few kilobytes; a package of megabytes need not be decoded whole to find its end.
  let head = '';
  let close: RegExpExecArray | null = null;
  for (const window of HEAD_WINDOWS) {
    head = bytes.subarray(0, Math.min(bytes.length, window)).toString('latin1');
    close = CLOSE.exec(head);
    if (close || window >= bytes.length) break;
  }
  if (!close) throw new TraceError('the package has no TraceHeaderList');
  const prefix = close[1] ?? '';
  const open = head.lastIndexOf(`<${prefix}TraceHeaderList`, close.index);
  const business = new RegExp(`<${prefix.replace(/[.-]/g, '\\$&')}Bussiness[\\s/>]`).exec(head.slice(open, close.index));
  const insertAt = business ? open + business.index : close.index;
  const hop =
    `<${prefix}TraceHeader><${prefix}OrganId>${hubCode}</${prefix}OrganId>` +
    `<${prefix}Timestamp>${writeTimestamp(vietnamLocal(at))}</${prefix}Timestamp></${prefix}TraceHeader>`;
  return [bytes.subarray(0, insertAt), Buffer.from(hop, 'utf8'), bytes.subarray(insertAt)];
}
