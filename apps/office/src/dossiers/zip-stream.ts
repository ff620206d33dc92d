import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { formatManifest, type ManifestLine } from './package-layout.js';

export interface PackageEntry {
  /** Relative path inside the package, already safe (see package-layout.ts). */
  readonly path: string;
  /** The content, as bytes or pulled chunk by chunk (a stored file). */
  readonly content: Uint8Array | AsyncIterable<Uint8Array>;
  /** Already compressed formats (PDF, ZIP, images) are stored as they are: deflating them again gains nothing. */
  readonly compressed?: boolean;
}

/**
 * A ZIP of the entries, with SHA256SUMS at its root naming every one of them, as a stream: each
 * file is read, hashed and compressed one chunk at a time, and only when the reader asks for more,
 * so a package of any size passes through a little memory.
 */
export function zipWithManifest(entries: AsyncIterable<PackageEntry>, modified: Date): Readable {
  return Readable.from(zipChunks(entries, modified), { objectMode: false });
}

async function* zipChunks(entries: AsyncIterable<PackageEntry>, modified: Date): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  }
  const manifest: ManifestLine[] = [];
  const add = async function* (entry: PackageEntry): AsyncGenerator<Uint8Array> {
    const file = entry.compressed ? new ZipPassThrough(entry.path) : new ZipDeflate(entry.path, { level: 6 });
    file.mtime = modified;
    zip.add(file);
    const hash = createHash('sha256');
    if (entry.content instanceof Uint8Array) {
      hash.update(entry.content);
      file.push(entry.content, true);
    } else {
      for await (const chunk of entry.content) {
        hash.update(chunk);
        file.push(chunk);
        yield* drain();
      }
      file.push(new Uint8Array(0), true);
    }
    manifest.push({ path: entry.path, sha256: hash.digest('hex') });
    yield* drain();
  };
  for await (const entry of entries) yield* add(entry);
  // Written last, naming every file before it but not itself.
  yield* add({ path: 'SHA256SUMS', content: Buffer.from(formatManifest(manifest)) });
  zip.end();
  yield* drain();
}
