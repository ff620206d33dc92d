import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Base64Decoder, DECODE_PIECE } from '../src/base64-stream.js';

/** Decodes `text` handed over in chunks of `chunk` bytes; returns what the writer got, write by write. */
async function decode(text: string, chunk: number) {
  const writes: Buffer[] = [];
  const decoder = new Base64Decoder('a.bin', { write: (b) => void writes.push(Buffer.from(b)), close: () => {}, abort: () => {} }, 1 << 30);
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; at += chunk) await decoder.write(bytes.subarray(at, at + chunk));
  return { writes, digest: await decoder.end() };
}

describe('decoding an attachment as it streams past', () => {
  const content = randomBytes(1_500_001);
  const plain = content.toString('base64');
  const wrapped = plain.replace(/.{76}/g, '$&\r\n');

  it('gives the same bytes, size and SHA-256 however the text is chunked, with line breaks or without', async () => {
    for (const [text, chunk] of [
      [plain, 1 << 20],
      [wrapped, 1 << 20],
      [wrapped, 4093],
      [plain, plain.length],
    ] as const) {
      const { writes, digest } = await decode(text, chunk);
      assert.ok(Buffer.concat(writes).equals(content), `chunks of ${chunk}`);
      assert.equal(digest.size, content.length);
      assert.equal(digest.sha256, createHash('sha256').update(content).digest('hex'));
    }
  });

  it('decodes a megabyte handed over at once in pieces small enough to die young in the heap', async () => {
    const { writes } = await decode(wrapped, 1 << 20);
    assert.ok(writes.length > 40, `${writes.length} writes`);
    assert.ok(
      writes.every((w) => w.length <= (DECODE_PIECE / 4) * 3),
      `largest write: ${Math.max(...writes.map((w) => w.length))} bytes`,
    );
  });
});
