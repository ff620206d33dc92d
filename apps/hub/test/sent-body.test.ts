import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { readSentBody } from '../src/sent-body.js';

/** A body arriving in chunks of `size` bytes, then ending (or failing with `error`). */
function upload(bytes: Buffer, size: number, error?: Error): PassThrough {
  const stream = new PassThrough();
  setImmediate(() => {
    for (let at = 0; at < bytes.length; at += size) stream.write(bytes.subarray(at, at + size));
    if (error) stream.destroy(error);
    else stream.end();
  });
  return stream;
}

const code = (expected: string, status: number) => (error: unknown) => {
  assert.equal((error as { code?: string }).code, expected);
  assert.equal((error as { statusCode?: number }).statusCode, status);
  return true;
};

describe('reading a sent body into memory the examiner and blob writer threads share', () => {
  const body = randomBytes(300_001);

  it('holds exactly the bytes sent, in shared memory, with its length declared or not', async () => {
    for (const declared of [String(body.length), undefined]) {
      const read = await readSentBody(upload(body, 16_384), declared, 1_000_000);
      assert.ok(read.equals(body));
      assert.ok(read.buffer instanceof SharedArrayBuffer, `declared ${declared}`);
    }
  });

  it('takes an empty body', async () => {
    assert.equal((await readSentBody(upload(Buffer.alloc(0), 1), '0', 10)).length, 0);
    assert.equal((await readSentBody(upload(Buffer.alloc(0), 1), undefined, 10)).length, 0);
  });

  it('refuses a body larger than the limit as too large (413), before reading when it says so, else as it passes the limit', async () => {
    await assert.rejects(readSentBody(new PassThrough(), String(body.length), body.length - 1), code('FST_ERR_CTP_BODY_TOO_LARGE', 413));
    await assert.rejects(readSentBody(upload(body, 16_384), undefined, body.length - 1), code('FST_ERR_CTP_BODY_TOO_LARGE', 413));
  });

  it('refuses a body longer or shorter than it declared (400)', async () => {
    await assert.rejects(
      readSentBody(upload(body, 16_384), String(body.length - 1), 1_000_000),
      code('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400),
    );
    await assert.rejects(
      readSentBody(upload(body, 16_384), String(body.length + 1), 1_000_000),
      code('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400),
    );
  });

  it('takes a declared length beyond what it sets aside at once by its chunks, and checks it all the same', async () => {
    const big = randomBytes(17 * 1024 * 1024);
    assert.ok((await readSentBody(upload(big, 65_536), String(big.length), 32 * 1024 * 1024)).equals(big));
    await assert.rejects(
      readSentBody(upload(big, 65_536), String(big.length + 1), 32 * 1024 * 1024),
      code('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400),
    );
  });

  it('fails a broken upload as a bad request (400)', async () => {
    const cut = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    await assert.rejects(readSentBody(upload(body, 16_384, cut), String(body.length), 1_000_000), code('ECONNRESET', 400));
  });
});
