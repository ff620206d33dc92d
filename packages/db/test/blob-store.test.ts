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
    assert.equal(await store.has(blob.sha256), true);
  });

  it('stores the same content once however often it is put', async () => {
    const a = await store.put(Readable.from([Buffer.from('một '), Buffer.from('hai')]));
    const b = await store.put('một hai');
    assert.deepEqual(a, b);
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
  });

  it('says when a blob is missing', async () => {
    await assert.rejects(store.read('0'.repeat(64)), { code: 'ENOENT' });
  });
});
