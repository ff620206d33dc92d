// A worker thread of the blob writer (blob-writer.ts): it stores bytes with blocking calls, which
// block only this thread.
import { workerData } from 'node:worker_threads';
import { BlobStore, type StoredBlob } from '@vanban/db';

const store = new BlobStore((workerData as { root: string }).root);

export default function writeBlob(parts: Uint8Array[]): StoredBlob {
  return store.putSync(parts);
}
