import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
  writevSync,
} from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
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
const READ_CHUNK = 1024 * 1024;

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

  /**
   * Streams `content` in, hashing as it goes; refuses more than `maxBytes` without keeping anything.
   * Content in memory may come in parts (the blob is their concatenation), which are written as they are.
   */
  async put(content: Readable | Uint8Array | readonly Uint8Array[] | string, options: { maxBytes?: number } = {}): Promise<StoredBlob> {
    const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const tmpDir = join(this.root, 'tmp');
    const tmp = join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    try {
      if (content instanceof Readable) {
        await mkdir(tmpDir, { recursive: true });
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
        // Bytes already in memory: one write, without a stream or a copy.
        const memory = inMemory(content, limit);
        size = memory.size;
        for (const part of memory.parts) hash.update(part);
        // The folders almost always exist: make them only when the system says they do not.
        const fh = await inFolder(tmpDir, () => open(tmp, 'wx'));
        try {
          const { bytesWritten } = await fh.writev(memory.parts);
          if (bytesWritten < size) await fh.writeFile(Buffer.concat(memory.parts).subarray(bytesWritten));
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await inFolder(join(target, '..'), () => rename(tmp, target));
      await syncFile(join(target, '..'));
      return { sha256, size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * put for bytes in memory, with blocking calls: for a worker thread, where the eight file
   * operations follow one another at once instead of each waiting for its turn on an event loop.
   */
  putSync(content: Uint8Array | readonly Uint8Array[], options: { maxBytes?: number } = {}): StoredBlob {
    const { parts, size } = inMemory(content, options.maxBytes ?? Number.POSITIVE_INFINITY);
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    const tmpDir = join(this.root, 'tmp');
    const tmp = join(tmpDir, randomUUID());
    try {
      const fd = inFolderSync(tmpDir, () => openSync(tmp, 'wx'));
      try {
        let written = writevSync(fd, parts);
        // writev may write less than asked: the rest follows, from where it stopped.
        const whole = written < size ? Buffer.concat(parts) : null;
        while (whole && written < size) written += writeSync(fd, whole, written);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      inFolderSync(join(target, '..'), () => renameSync(tmp, target));
      syncFileSync(join(target, '..'));
      return { sha256, size };
    } catch (err) {
      rmSync(tmp, { force: true });
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

  /** The blob's bytes in memory, for content small enough to hold; fails with ENOENT when there is no such blob. */
  async readAll(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  /** A stream of the blob's bytes; fails with ENOENT when there is no such blob. */
  async read(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    const { size } = await stat(path);
    if (size === 0) return createReadStream(path);
    // A blob never changes: read it in chunks of its own size up to 1 MiB, and no read past its end.
    return createReadStream(path, { start: 0, end: size - 1, highWaterMark: Math.min(size, READ_CHUNK) });
  }
}

/** Content in memory as parts (the blob is their concatenation) and their size, refused above `limit`. */
function inMemory(content: Uint8Array | readonly Uint8Array[] | string, limit: number): { parts: readonly Uint8Array[]; size: number } {
  const parts = typeof content === 'string' ? [Buffer.from(content)] : content instanceof Uint8Array ? [content] : content;
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  if (size > limit) throw new BlobTooLargeError(limit);
  return { parts, size };
}

/** Runs `step`, and once more after making `folder` if `step` failed for want of it. */
async function inFolder<T>(folder: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(folder, { recursive: true });
    return step();
  }
}

function inFolderSync<T>(folder: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(folder, { recursive: true });
    return step();
  }
}

function syncFileSync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
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
