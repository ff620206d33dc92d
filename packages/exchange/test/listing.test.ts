import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { carryingListing, listingOf, type PendingItem } from '../src/index.js';

const item = (n: number, carried?: boolean): PendingItem => ({
  seq: n,
  packageId: String(n).repeat(64).slice(0, 64),
  recipient: '000.00.04.H99',
  kind: 'document',
  documentId: `doc-${n}`,
  from: '000.00.00.H99',
  size: 100,
  ...(carried ? { carried } : {}),
});

describe('a listing of deliveries that carries packages', () => {
  it('reads back the page and each carried package’s bytes exactly, whatever bytes they hold', () => {
    // Bytes that look like multipart framing must come through untouched.
    const first = Buffer.concat([Buffer.from('\r\n--vanban-\r\n\r\n'), randomBytes(300_000)]);
    const second = Buffer.from('<edXML/>\r\n');
    const page = { items: [item(1, true), item(2), item(3, true)], nextCursor: 3 };
    const answer = carryingListing(page, [
      { packageId: item(1).packageId, bytes: first },
      { packageId: item(3).packageId, bytes: second },
    ]);
    assert.match(answer.contentType, /^multipart\/mixed; boundary=vanban-[0-9a-f-]{36}$/);
    const read = listingOf(answer.contentType, answer.body);
    assert.equal(read.nextCursor, 3);
    assert.deepEqual(
      read.items.map((d) => [d.seq, d.carried, d.content?.toString('base64')]),
      [
        [1, true, first.toString('base64')],
        [2, undefined, undefined],
        [3, true, second.toString('base64')],
      ],
    );
  });

  it('reads a listing without packages as plain JSON', () => {
    const page = { items: [item(1)], nextCursor: null };
    assert.deepEqual(listingOf('application/json; charset=utf-8', Buffer.from(JSON.stringify(page))), page);
  });

  it('fails when an item said to be carried came without its bytes', () => {
    const answer = carryingListing({ items: [item(1, true)], nextCursor: null }, []);
    assert.throws(() => listingOf(answer.contentType, answer.body), /said it carried package 1{64} but did not/);
  });
});
