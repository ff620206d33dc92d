import { availableParallelism } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import type { ReadLimits, ReadResult } from '@vanban/edxml';
import type { FileVerification, RevocationFetcher, TrustList } from '@vanban/pki';
import type { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { answerRevocation } from './revocation-relay.js';
import { threadPool } from './thread-pool.js';

/** What the hub learns from a package's bytes before it decides on it. */
export interface Examination {
  /** The package id: the SHA-256 of the bytes as received. */
  readonly id: string;
  readonly read: ReadResult;
  /** The signature check of a package and its PDFs; null for a status message or unreadable bytes. */
  readonly verification: FileVerification | 'unknown-file' | null;
}

/** What each worker thread is started with: plain data, as a thread cannot share the hub's objects. */
export interface ExaminerSetup {
  readonly anchors: ArrayBuffer[];
  readonly intermediates: ArrayBuffer[];
  readonly limits: ReadLimits;
}

export interface ExaminerOptions {
  /** The certification authorities whose package signatures the hub accepts. */
  readonly trust: TrustList;
  /** How the threads fetch CRLs and OCSP answers; the fetches run on the hub's main thread. */
  readonly revocation: RevocationFetcher;
  readonly limits: ReadLimits;
  /** Worker threads; one per core unless set. */
  readonly threads?: number;
  readonly logger?: Logger;
}

/** The examiner's thread died while it held a package: the sender is told to send it again. */
export class ExaminerStoppedError extends Error {
  readonly statusCode = 503;
}

const WORKER = new URL('./examiner-worker.ts', import.meta.url);

function isRevocationPort(message: unknown): message is { revocationPort: MessagePort } {
  return typeof message === 'object' && message !== null && 'revocationPort' in message;
}

/**
 * Hashes, reads and verifies packages in a pool of worker threads. On the main thread, reading and
 * verifying made every sender wait for the others' turns, and one process could use only one core.
 */
export class PackageExaminer {
  private constructor(
    private readonly pool: Piscina,
    readonly limits: ReadLimits,
  ) {}

  /** Starts the threads and resolves once one of them has examined something, so a broken setup fails here. */
  static async start(options: ExaminerOptions): Promise<PackageExaminer> {
    const threads = Math.max(1, options.threads ?? availableParallelism());
    const setup: ExaminerSetup = {
      anchors: options.trust.anchors.map((c) => c.rawData),
      intermediates: (options.trust.intermediates ?? []).map((c) => c.rawData),
      limits: options.limits,
    };
    // An idle thread must keep its event loop running: a revocation answer may still be on its way.
    const pool = threadPool(WORKER, threads, { setup }, { atomics: 'disabled' });
    pool.on('message', (message: unknown) => {
      if (isRevocationPort(message)) answerRevocation(message.revocationPort, options.revocation);
    });
    const examiner = new PackageExaminer(pool, options.limits);
    // A thread that dies while idle is replaced by piscina; its error is in no task's answer, so it is logged.
    pool.on('error', (error: unknown) => options.logger?.error({ err: error }, 'a package examiner thread failed'));
    try {
      await pool.run(Buffer.alloc(0));
    } catch (error) {
      await pool.destroy();
      throw new Error(`The package examiner's threads could not start: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return examiner;
  }

  async examine(bytes: Buffer): Promise<Examination> {
    let outcome: Examination | { failed: string };
    try {
      outcome = (await this.pool.run(bytes)) as Examination | { failed: string };
    } catch (error) {
      throw new ExaminerStoppedError(
        `The thread checking the package stopped (${error instanceof Error ? error.message : String(error)}); send it again.`,
        { cause: error },
      );
    }
    if ('failed' in outcome) throw new Error(`Checking the package failed: ${outcome.failed}`);
    return outcome;
  }

  /** How many packages it checks at once: one per thread. */
  get size(): number {
    return this.pool.maxThreads;
  }

  /** The threads, for tests that stop one. */
  get threads(): readonly { terminate(): Promise<number> }[] {
    return this.pool.threads;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
