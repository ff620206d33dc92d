// A worker thread of the blob writer (blob-writer.ts): it stores bytes with blocking calls, which
// block only this thread. It loads the blob store alone, not the database package around it.
import { workerData } from 'node:worker_threads';
import { BlobStore, type StoredBlob } from '@vanban/db/blob-store';

const store = new BlobStore((workerData as { root: string }).root);

export default function writeBlob(content: Uint8Array | Uint8Array[]): StoredBlob {
  return store.putSync(content);
}
