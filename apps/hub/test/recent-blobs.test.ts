import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RecentBlobs } from '../src/recent-blobs.js';

/** A blob store that holds nothing: every read that reaches it fails as a missing blob would. */
const emptyStore = {
  readAll: (sha256: string) => Promise.reject(Object.assign(new Error(`no blob ${sha256}`), { code: 'ENOENT' })),
};
const bytes = (n: number, fill: string) => Buffer.alloc(n, fill);

describe('the bytes of packages stored last', () => {
  it('gives back what it keeps, joined from its parts, and reads the rest from the store', async () => {
    const recent = new RecentBlobs(emptyStore, { maxBytes: 100, maxAgeMs: 60_000 });
    recent.keep('a', [Buffer.from('<edXML>'), Buffer.from('<Trace/>')]);
    assert.equal((await recent.readAll('a')).toString(), '<edXML><Trace/>');
    await assert.rejects(recent.readAll('b'), { code: 'ENOENT' });
  });

  it('drops the oldest once the room is full, and never keeps one larger than the room', () => {
    const recent = new RecentBlobs(emptyStore, { maxBytes: 100, maxAgeMs: 60_000 });
    recent.keep('a', bytes(40, 'a'));
    recent.keep('b', bytes(40, 'b'));
    recent.keep('c', bytes(40, 'c'));
    assert.deepEqual(
      ['a', 'b', 'c'].map((sha) => recent.peek(sha)?.[0]),
      [undefined, 0x62, 0x63],
    );
    recent.keep('big', bytes(101, 'x'));
    assert.equal(recent.peek('big'), undefined);
    assert.ok(recent.peek('c'), 'a blob too large pushes nothing out');
  });

  it('forgets what it kept a minute ago, so no bytes outlive a purge for long', () => {
    let now = 0;
    const recent = new RecentBlobs(emptyStore, { maxBytes: 100, maxAgeMs: 60_000 }, () => now);
    recent.keep('a', bytes(10, 'a'));
    now = 30_000;
    recent.keep('b', bytes(10, 'b'));
    now = 60_001;
    assert.equal(recent.peek('a'), undefined);
    assert.ok(recent.peek('b'));
    now = 90_001;
    assert.equal(recent.peek('b'), undefined);
  });
});
