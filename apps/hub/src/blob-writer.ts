import { fileURLToPath } from 'node:url';
import type { StoredBlob } from '@vanban/db';
import { Piscina } from 'piscina';

const THREAD = fileURLToPath(new URL('./thread.mjs', import.meta.url));
const WORKER = new URL('./blob-writer-worker.ts', import.meta.url).href;

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
    this.#pool = new Piscina({
      filename: THREAD,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: { module: WORKER, root },
    });
  }

  /** Stores the concatenation of `parts` (copied to the thread), as BlobStore.put does. */
  put(parts: Buffer | readonly Buffer[]): Promise<StoredBlob> {
    return this.#pool.run(Buffer.isBuffer(parts) ? [parts] : parts) as Promise<StoredBlob>;
  }

  close(): Promise<void> {
    return this.#pool.destroy();
  }
}
