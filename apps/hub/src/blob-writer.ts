import { fileURLToPath } from 'node:url';
import type { StoredBlob } from '@vanban/db';
import { Piscina } from 'piscina';

const THREAD = fileURLToPath(new URL('./thread.mjs', import.meta.url));
const WORKER = new URL('./blob-writer-worker.ts', import.meta.url).href;

/**
 * Stores accepted packages in the blob store from worker threads. A write is six system calls
 * (open, write, fsync, close, rename, and an fsync of the folder, plus its open and close), and
 * from the main thread each one waited for its turn on the event loop between two others: under
 * load a 100 KB package spent 20–30 ms there for less than a millisecond of the disk's time.
 * A thread makes them one after another; the main thread waits once.
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
