import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

const THREAD = fileURLToPath(new URL('./thread.mjs', import.meta.url));

/**
 * A pool of a fixed number of threads that live as long as it does, each started by thread.mjs
 * with the task module `module`; `data` is added to what the threads find in workerData.
 */
export function threadPool(module: URL, threads: number, data: Record<string, unknown>, options: { atomics?: 'disabled' } = {}): Piscina {
  return new Piscina({
    filename: THREAD,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { module: module.href, ...data },
    ...options,
  });
}
