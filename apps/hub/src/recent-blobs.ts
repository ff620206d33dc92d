import type { BlobStore } from '@vanban/db';

/**
 * The bytes of the packages this process stored last, kept in memory for a minute and up to a size:
 * a system that long-polls takes a package moments after it is accepted, and reading it back from
 * the blob store costs four file operations, each waiting its turn on a busy event loop. The oldest
 * go first; what is not kept is read from the store. Kept for a minute only, so that no bytes
 * outlive the store's copy for long once retention purges it.
 */
/** 64 MiB, a minute: at the benchmark's 250 packages of 100 KB a second, the last 2.5 seconds. */
export const RECENT_BLOBS = { maxBytes: 64 * 1024 * 1024, maxAgeMs: 60_000 };

export class RecentBlobs {
  readonly #kept = new Map<string, { readonly bytes: Buffer; readonly at: number }>();
  #bytes = 0;

  constructor(
    private readonly blobs: Pick<BlobStore, 'readAll'>,
    private readonly limits: { readonly maxBytes: number; readonly maxAgeMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps a blob just stored, given as its bytes or their parts; one larger than the whole room is not kept. */
  keep(sha256: string, content: Buffer | readonly Buffer[]): void {
    if (this.#kept.has(sha256)) return;
    const bytes = Buffer.isBuffer(content) ? content : Buffer.concat(content);
    if (bytes.length > this.limits.maxBytes) return;
    this.#kept.set(sha256, { bytes, at: this.now() });
    this.#bytes += bytes.length;
    this.#forgetOld();
  }

  /** The blob's bytes if kept. */
  peek(sha256: string): Buffer | undefined {
    this.#forgetOld();
    return this.#kept.get(sha256)?.bytes;
  }

  /** The blob's bytes, kept or read from the store; fails with ENOENT when there is no such blob. */
  async readAll(sha256: string): Promise<Buffer> {
    return this.peek(sha256) ?? this.blobs.readAll(sha256);
  }

  /** Drops, oldest first (the map keeps the order kept), what is too old or over the room. */
  #forgetOld(): void {
    const stale = this.now() - this.limits.maxAgeMs;
    for (const [sha256, { bytes, at }] of this.#kept) {
      if (this.#bytes <= this.limits.maxBytes && at > stale) break;
      this.#kept.delete(sha256);
      this.#bytes -= bytes.length;
    }
  }
}
