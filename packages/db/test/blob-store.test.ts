import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { BlobStore, BlobTooLargeError } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'vanban-blobs-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('blob store', () => {
  const store = new BlobStore(root);

  it('names a blob by the SHA-256 of its content and gives the bytes back', async () => {
    const content = 'Văn bản đến số 125/UBND-VP';
    const blob = await store.put(content);
    assert.equal(blob.sha256, createHash('sha256').update(content).digest('hex'));
    assert.equal(blob.size, Buffer.byteLength(content));
    assert.equal(await text(await store.read(blob.sha256)), content);
    assert.equal((await store.readAll(blob.sha256)).toString('utf8'), content);
    assert.equal(await store.has(blob.sha256), true);
  });

  it('stores the same content once however often it is put', async () => {
    const a = await store.put(Readable.from([Buffer.from('một '), Buffer.from('hai')]));
    const b = await store.put('một hai');
    assert.deepEqual(a, b);
  });

  it('stores content given in parts as the parts one after another', async () => {
    const parts = [Buffer.from('<edXML>'), Buffer.from(''), Buffer.from('<TraceHeader/>'), Buffer.alloc(300_000, 'A')];
    const blob = await store.put(parts);
    assert.deepEqual(blob, await store.put(Buffer.concat(parts)));
    assert.equal(await text(await store.read(blob.sha256)), Buffer.concat(parts).toString());
    await assert.rejects(store.put(parts, { maxBytes: 300_000 }), BlobTooLargeError);
  });

  it('gives back a blob of several reads and an empty one whole', async () => {
    const big = Buffer.from(Array.from({ length: 2_500_000 }, (_, i) => i % 251));
    const blob = await store.put(big);
    assert.ok(Buffer.concat(await (await store.read(blob.sha256)).toArray()).equals(big));
    const empty = await store.put('');
    assert.equal(await text(await store.read(empty.sha256)), '');
  });

  it('makes its folders again when they are gone', async () => {
    const fresh = new BlobStore(join(root, 'fresh'));
    const first = await fresh.put('Công văn số 1');
    rmSync(join(root, 'fresh'), { recursive: true });
    const again = await fresh.put('Công văn số 1');
    assert.deepEqual(again, first);
    assert.equal(await text(await fresh.read(again.sha256)), 'Công văn số 1');
    assert.deepEqual(readdirSync(join(root, 'fresh', 'tmp')), []);
  });

  it('stores bytes in memory with blocking calls, for a worker thread, as put stores them', async () => {
    const fresh = new BlobStore(join(root, 'blocking'));
    const parts = [Buffer.from('<edXML>'), Buffer.from('<TraceHeader/>'), Buffer.alloc(300_000, 'B')];
    const blob = fresh.putSync(parts);
    assert.deepEqual(blob, await fresh.put(Buffer.concat(parts)));
    assert.ok(Buffer.concat(await (await fresh.read(blob.sha256)).toArray()).equals(Buffer.concat(parts)));
    rmSync(join(root, 'blocking'), { recursive: true });
    assert.deepEqual(fresh.putSync(parts), blob, 'its folders made again');
    assert.throws(() => fresh.putSync([Buffer.alloc(10_000)], { maxBytes: 9_999 }), BlobTooLargeError);
    assert.deepEqual(readdirSync(join(root, 'blocking', 'tmp')), []);
  });

  it('refuses content over the limit and keeps nothing of it', async () => {
    const big = Buffer.alloc(10_000, 1);
    await assert.rejects(store.put(big, { maxBytes: 9_999 }), BlobTooLargeError);
    await assert.rejects(store.put(Readable.from([big.subarray(0, 6_000), big.subarray(6_000)]), { maxBytes: 9_999 }), BlobTooLargeError);
    const sha = createHash('sha256').update(big).digest('hex');
    assert.equal(await store.has(sha), false);
    assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  });

  it('removes a blob when told to, and removing one that is not there does nothing', async () => {
    const blob = await store.put('Hồ sơ đã hủy theo quyết định');
    await store.remove(blob.sha256);
    assert.equal(await store.has(blob.sha256), false);
    await store.remove(blob.sha256);
    await assert.rejects(store.remove('../../etc'), /Not a SHA-256 name/);
  });

  it('rejects a name that is not a SHA-256', async () => {
    await assert.rejects(store.read('../../etc/passwd'), /Not a SHA-256 name/);
    await assert.rejects(store.readAll('../../etc/passwd'), /Not a SHA-256 name/);
  });

  it('says when a blob is missing', async () => {
    await assert.rejects(store.read('0'.repeat(64)), { code: 'ENOENT' });
    await assert.rejects(store.readAll('0'.repeat(64)), { code: 'ENOENT' });
  });
});
