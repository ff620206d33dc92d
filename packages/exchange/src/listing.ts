import { randomUUID } from 'node:crypto';
import { parseMultipart } from '@remix-run/multipart-parser';
import type { ListedDelivery, PendingItem } from './hub-client.js';

/** A page of `GET /deliveries`: what is owed, and the cursor of the next page when there is one. */
export interface DeliveryPage<I extends PendingItem = PendingItem> {
  readonly items: I[];
  readonly nextCursor: number | null;
}

const MULTIPART_MIXED = /^multipart\/mixed\s*;\s*boundary="?([^";\s]+)"?/i;

/**
 * A listing that carries packages, as `multipart/mixed`: the page as JSON first, then each carried
 * package's bytes as they are, in the order listed, named by `Content-ID: <packageId>`. Raw bytes
 * rather than base64 in the JSON: encoding and decoding 100 KB took more CPU than the fetch it saves.
 */
export function carryingListing(
  page: DeliveryPage,
  carried: readonly { readonly packageId: string; readonly bytes: Buffer }[],
): { contentType: string; body: Buffer } {
  const boundary = `vanban-${randomUUID()}`;
  const chunks: Buffer[] = [];
  const part = (headers: string, body: Buffer) =>
    chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), body, Buffer.from('\r\n'));
  part('Content-Type: application/json', Buffer.from(JSON.stringify(page)));
  for (const { packageId, bytes } of carried) part(`Content-Type: application/xml\r\nContent-ID: <${packageId}>`, bytes);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** A listing's answer read back, plain JSON or carrying packages; an item said to be carried must be. */
export function listingOf(contentType: string, body: Buffer): DeliveryPage<ListedDelivery> {
  const boundary = MULTIPART_MIXED.exec(contentType)?.[1];
  if (!boundary) return JSON.parse(body.toString('utf8')) as DeliveryPage;
  // The whole answer is in memory already: the parser's limits guard nothing here.
  const limits = { maxFileSize: body.length, maxTotalSize: body.length, maxParts: Number.MAX_SAFE_INTEGER };
  let page: DeliveryPage | undefined;
  const bytes = new Map<string, Buffer>();
  for (const part of parseMultipart(body, { boundary, ...limits })) {
    const content = part.bytes;
    const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    if (page === undefined) page = JSON.parse(buffer.toString('utf8')) as DeliveryPage;
    else bytes.set(/^<(.*)>$/.exec(part.headers['content-id'] ?? '')?.[1] ?? '', buffer);
  }
  if (page === undefined) throw new Error('A listing of deliveries came without its page');
  const items = page.items.map((item): ListedDelivery => {
    if (!item.carried) return item;
    const content = bytes.get(item.packageId);
    if (!content) throw new Error(`A listing of deliveries said it carried package ${item.packageId} but did not`);
    return { ...item, content };
  });
  return { items, nextCursor: page.nextCursor };
}
