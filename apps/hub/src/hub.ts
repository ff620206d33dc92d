import { BlobStore, connect } from '@vanban/db';
import { DEFAULT_LIMITS, type ReadLimits } from '@vanban/edxml';
import { httpRevocationFetcher, type RevocationFetcher, type TrustList } from '@vanban/pki';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { pino, type Logger } from 'pino';
import type { BackoffPolicy } from '@vanban/exchange';
import { DeliverySignal } from './delivery-signal.js';
import { PackageExaminer } from './examiner.js';
import { JournalWriter } from './journal-writer.js';
import { HubMetrics } from './metrics.js';
import { migrateHub } from './migrate.js';
import { Pusher } from './pusher.js';
import { schedulePurge } from './retention.js';
import { buildHubServer, type HubTls } from './server.js';
import { CHAIN, JOURNAL } from './store.js';

export interface HubConfig {
  readonly databaseUrl: string;
  /** Where package bytes are kept. */
  readonly blobsDir: string;
  /** The hub's own agency code, written in every TraceHeader it appends. */
  readonly hubCode: string;
  readonly host: string;
  readonly port: number;
  readonly tls: HubTls & { readonly client: { readonly key: string; readonly cert: string } };
  /** The certification authorities whose package signatures the hub accepts. */
  readonly trust: TrustList;
  readonly revocation?: RevocationFetcher;
  /** Package limits; the size limit is 100 MiB unless set (the whole package is held in memory while checked). */
  readonly limits?: Partial<ReadLimits>;
  /** Worker threads that read and verify packages; one per core unless set. */
  readonly examinerThreads?: number;
  readonly requestTimeoutMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly leaseMs?: number;
  /**
   * Keep the bytes of packages every recipient acknowledged this many days, then purge them
   * (retention.ts); without it they are kept for good.
   */
  readonly purgeAfterDays?: number;
  /** Structured logs (JSON lines); silent when not given. */
  readonly logger?: Logger;
}

export interface RunningHub {
  readonly app: FastifyInstance;
  readonly pool: pg.Pool;
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** One hub process: the HTTPS API, the pusher and the listener that wakes both, on one database. */
export async function startHub(config: HubConfig): Promise<RunningHub> {
  await migrateHub(config.databaseUrl);
  const database = connect(config.databaseUrl, { max: 20 });
  const { pool } = database;
  const logger = config.logger ?? pino({ level: 'silent' });
  const blobs = new BlobStore(config.blobsDir);
  // What is open so far, closed last first should a later step fail (a TLS key that is not one, a
  // port in use): the examiner's threads and the pool would otherwise keep the process alive.
  const opened: (() => unknown)[] = [() => database.close()];
  /** Closes each, last opened first; `quietly` goes on past a failure, else the first one is thrown. */
  const closeOpened = async (quietly = false) => {
    for (const close of [...opened].reverse()) {
      try {
        await close();
      } catch (error) {
        if (!quietly) throw error;
      }
    }
  };
  try {
    const examiner = await PackageExaminer.start({
      trust: config.trust,
      revocation: config.revocation ?? httpRevocationFetcher(),
      limits: { ...DEFAULT_LIMITS, maxBytes: 100 * 1024 * 1024, ...config.limits },
      logger: logger.child({ part: 'examiner' }),
      ...(config.examinerThreads ? { threads: config.examinerThreads } : {}),
    });
    opened.push(() => examiner.close());
    const signal = await DeliverySignal.listen(pool);
    opened.push(() => signal.close());
    const metrics = new HubMetrics(pool);
    // One writer per process: requests and pushes commit their journal entries together.
    const writer = new JournalWriter(pool, JOURNAL, CHAIN);
    const app = await buildHubServer({
      pool,
      writer,
      blobs,
      examiner,
      hubCode: config.hubCode,
      tls: config.tls,
      logger,
      signal,
      metrics,
      ...(config.requestTimeoutMs ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
    });
    opened.push(() => app.close());
    await app.listen({ host: config.host, port: config.port });
    const pusher = new Pusher({
      pool,
      writer,
      blobs,
      tls: { ...config.tls.client, ca: config.tls.ca },
      metrics,
      logger: logger.child({ part: 'pusher' }),
      ...(config.backoff ? { backoff: config.backoff } : {}),
      ...(config.leaseMs ? { leaseMs: config.leaseMs } : {}),
    });
    pusher.start(signal);
    opened.push(() => pusher.stop());
    if (config.purgeAfterDays) {
      const purging = schedulePurge({ pool, blobs, writer, logger: logger.child({ part: 'retention' }) }, config.purgeAfterDays);
      opened.push(() => purging.stop());
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
      app,
      pool,
      port,
      url: `https://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      stop: () => closeOpened(),
    };
  } catch (error) {
    // The failure to report is the one that stopped the start.
    await closeOpened(true);
    throw error;
  }
}
