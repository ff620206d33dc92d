// A worker thread of the package examiner (examiner.ts): it hashes, reads and verifies what the
// hub is sent, so that the hub's main thread only decides and stores.
import { createHash } from 'node:crypto';
import { getPriority, setPriority } from 'node:os';
import { MessageChannel, parentPort, workerData } from 'node:worker_threads';
import { readEdxml } from '@vanban/edxml';
import { CertificateVerifier, RevocationChecker, UnknownFileError, keepAttachments, verifyEdxml, x509 } from '@vanban/pki';
import type { Examination, ExaminerSetup } from './examiner.js';
import { relayedRevocationFetcher } from './revocation-relay.js';

const { setup } = workerData as { setup: ExaminerSetup };
// Checking packages takes the largest share of the hub's CPU. When the cores are full, the main
// thread goes first: what was accepted is delivered and acknowledged, and health checks are
// answered, while new packages wait for their check, rather than piling up undelivered. On Linux
// this lowers this thread alone, not the process. Four steps below the main thread (40% of its
// weight in the scheduler): ten starved the checks enough to cost throughput (BENCHMARKS.md,
// sixteenth measurement). Relative to the main thread, as a fixed level could mean raising it,
// which is refused without privileges, for a hub started with nice.
setPriority(Math.min(19, getPriority() + 4));
const relay = new MessageChannel();
parentPort?.postMessage({ revocationPort: relay.port2 }, [relay.port2]);
// Each thread keeps its own caches of certificate links and revocation answers.
const verifier = new CertificateVerifier(
  {
    anchors: setup.anchors.map((der) => new x509.X509Certificate(der)),
    intermediates: setup.intermediates.map((der) => new x509.X509Certificate(der)),
  },
  new RevocationChecker(relayedRevocationFetcher(relay.port1)),
);

async function examine(received: Uint8Array): Promise<Examination> {
  const bytes = Buffer.from(received.buffer, received.byteOffset, received.byteLength);
  const id = createHash('sha256').update(bytes).digest('hex');
  const pdfs = keepAttachments();
  const read = await readEdxml(bytes, { limits: setup.limits, sink: pdfs.sink });
  if (!read.ok || read.kind !== 'package') return { id, read, verification: null };
  try {
    return { id, read, verification: await verifyEdxml(bytes, pdfs.attachments(read.package.attachments), verifier) };
  } catch (error) {
    if (error instanceof UnknownFileError) return { id, read, verification: 'unknown-file' };
    throw error;
  }
}

/** The task piscina runs; a failure comes back as data, so that a rejected task means the thread itself failed. */
export default async function examineTask(received: Uint8Array): Promise<Examination | { failed: string }> {
  try {
    return await examine(received);
  } catch (error) {
    return { failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
