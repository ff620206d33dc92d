import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  /** Lower-case hex SHA-256 of the content: the blob's name. */
  readonly sha256: string;
  readonly size: number;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The content is larger than the limit of ${limit} bytes`);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Files named by the SHA-256 of their content, under `root/sha256/ab/cd/<hash>`.
 * A write goes to a temporary file that is synced and then renamed into place,
 * so a reader never sees half a blob and a crash leaves at most a stray temp file.
 */
export class BlobStore {
  constructor(readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!HEX64.test(sha256)) throw new Error(`Not a SHA-256 name: ${sha256}`);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Streams `content` in, hashing as it goes; refuses more than `maxBytes` without keeping anything. */
  async put(content: Readable | Uint8Array | string, options: { maxBytes?: number } = {}): Promise<StoredBlob> {
    const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    try {
      if (content instanceof Readable) {
        const meter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            if (size > limit) return done(new BlobTooLargeError(limit));
            hash.update(chunk);
            done(null, chunk);
          },
        });
        await pipeline(content, meter, createWriteStream(tmp, { flags: 'wx' }));
        await syncFile(tmp);
      } else {
        // Bytes already in memory (a hub's package): one write, without a stream or a copy.
        const bytes = typeof content === 'string' ? Buffer.from(content) : content;
        if (bytes.length > limit) throw new BlobTooLargeError(limit);
        size = bytes.length;
        hash.update(bytes);
        const fh = await open(tmp, 'wx');
        try {
          await fh.writeFile(bytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(tmp, target);
      await syncFile(join(target, '..'));
      return { sha256, size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async size(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }

  /** Removes a blob; removing one that is not there does nothing. */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /** A stream of the blob's bytes; fails with ENOENT when there is no such blob. */
  async read(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    await stat(path);
    return createReadStream(path);
  }
}

/** fsync of a file, or of a folder so that a rename in it lasts. */
async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
