import type { MessagePort } from 'node:worker_threads';
import type { RevocationFetcher } from '@vanban/pki';

/** A question from a worker thread, and the answer it gets back on the same port. */
type Asked = { kind: 'ocsp'; url: string; request: Uint8Array } | { kind: 'crl'; url: string };
type Question = Asked & { id: number };
type Answer = { id: number; bytes: Uint8Array } | { id: number; error: string };

/**
 * Answers the revocation questions of one worker thread with the hub's own fetcher: the hub's
 * fetcher is configuration (a test's certification authority answers in-process), which a worker
 * cannot be given, and the fetches are rare because each worker caches the answers.
 */
export function answerRevocation(port: MessagePort, fetcher: RevocationFetcher): void {
  port.on('message', (question: Question) => {
    const asked = question.kind === 'ocsp' ? fetcher.ocsp(question.url, question.request) : fetcher.crl(question.url);
    asked.then(
      (bytes) => port.postMessage({ id: question.id, bytes } satisfies Answer),
      (error: unknown) =>
        port.postMessage({ id: question.id, error: error instanceof Error ? error.message : String(error) } satisfies Answer),
    );
  });
  // The port must not keep the hub's process alive by itself.
  port.unref();
}

/** The fetcher a worker thread uses: it asks the thread that owns the other end of `port`. */
export function relayedRevocationFetcher(port: MessagePort): RevocationFetcher {
  let next = 0;
  const waiting = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  port.on('message', (answer: Answer) => {
    const asker = waiting.get(answer.id);
    if (!asker) return;
    waiting.delete(answer.id);
    if ('error' in answer) asker.reject(new Error(answer.error));
    else asker.resolve(answer.bytes);
  });
  port.unref();
  const ask = (question: Asked) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ ...question, id });
    });
  return {
    ocsp: (url, request) => ask({ kind: 'ocsp', url, request }),
    crl: (url) => ask({ kind: 'crl', url }),
  };
}
