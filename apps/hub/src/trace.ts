import { writeTimestamp } from '@vanban/edxml';

/** edXML times are Vietnam's wall clock (UTC+7, no daylight saving), written without a zone. */
function vietnamIso(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19);
}

export class TraceError extends Error {}

/**
 * The package as this hub forwards it: one more TraceHeader (this hub's code, the time) at the end
 * of TraceHeaderList. Nothing else changes, not even whitespace, so the sender's XML signature,
 * which leaves TraceHeaders out, still verifies. The list sits in edXMLHeader, before any
 * attachment, so the first closing tag is the one.
 */
export function appendTrace(bytes: Buffer, hubCode: string, at: Date): Buffer {
  const head = bytes.subarray(0, Math.min(bytes.length, 4 * 1024 * 1024)).toString('latin1');
  const close = /<\/([A-Za-z_][\w.-]*:)?TraceHeaderList\s*>/.exec(head);
  if (!close) throw new TraceError('the package has no TraceHeaderList');
  const prefix = close[1] ?? '';
  const hop =
    `<${prefix}TraceHeader><${prefix}OrganId>${hubCode}</${prefix}OrganId>` +
    `<${prefix}Timestamp>${writeTimestamp(vietnamIso(at))}</${prefix}Timestamp></${prefix}TraceHeader>`;
  return Buffer.concat([bytes.subarray(0, close.index), Buffer.from(hop, 'utf8'), bytes.subarray(close.index)]);
}
