import type { BlobStore } from '@vanban/db';
import type pg from 'pg';
import type { Logger } from 'pino';
import { DEFAULT_BACKOFF, Doorbell, classifyAnswer, retryDelayMs, type BackoffPolicy } from '@vanban/exchange';
import { Agent, request } from 'undici';
import type { DeliverySignal } from './delivery-signal.js';
import type { JournalWriter } from './journal-writer.js';
import type { HubMetrics } from './metrics.js';
import { completeDelivery } from './store.js';

export interface PusherOptions {
  readonly pool: pg.Pool;
  /** Records what pushes came to, with their journal entries. */
  readonly writer: JournalWriter;
  readonly blobs: BlobStore;
  /** The hub's client certificate for pushing, and the CAs whose server certificates it trusts. */
  readonly tls: { key: string; cert: string; ca: string };
  readonly backoff?: BackoffPolicy;
  /** How long a claimed delivery is left to this process before another may try it (it may have died). */
  readonly leaseMs?: number;
  /** How long to wait for a target's answer. */
  readonly timeoutMs?: number;
  /** How many pushes run at once. */
  readonly concurrency?: number;
  /** How often to look for due retries when nothing wakes the pusher. */
  readonly pollMs?: number;
  readonly metrics?: HubMetrics;
  readonly logger?: Logger;
  readonly random?: () => number;
}

/** One push: a package to one target, for one or more of its recipients there. */
interface Push {
  readonly packageId: string;
  readonly recipients: string[];
  readonly target: { kind: 'system' | 'peer'; id: string };
  readonly url: string;
  readonly blobSha256: string;
  readonly via: string[];
  /** The highest attempt number among the claimed deliveries: the next retry waits by it. */
  attempts: number;
  /** When this process claimed it (Date.now()). */
  readonly claimedAt: number;
}

type Outcome = { kind: 'done'; remoteId?: string } | { kind: 'retry'; error: string } | { kind: 'failed'; error: string };

/**
 * Delivers what is owed by push: POSTs each package to its system's push URL, or to the next hub's
 * `/packages`, and records the answer. The deliveries table is the queue: a process claims due
 * deliveries with SKIP LOCKED and a lease, so several hub processes share the work and a process
 * that dies mid-push leaves its deliveries to be retried after the lease. Targets dedupe by package
 * id, so a retry after a lost answer never makes a second copy.
 *
 * Claiming runs ahead of pushing: whenever fewer than `concurrency` claimed pushes wait, it claims
 * more, so a push slow to answer (a target timing out) holds up one worker, not everyone else's
 * deliveries, and what arrives under load waits behind a few pushes, not a whole round.
 */
export class Pusher {
  readonly #options: Required<Omit<PusherOptions, 'metrics' | 'logger'>> & Pick<PusherOptions, 'metrics' | 'logger'>;
  readonly #agent: Agent;
  #running = false;
  #loop: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;
  readonly #doorbell = new Doorbell();
  #stopSignal: (() => void) | null = null;
  /** Claimed and not yet taken by a worker. */
  readonly #waiting: Push[] = [];
  readonly #workers = new Set<Promise<void>>();
  /** Answers being recorded. */
  readonly #recording = new Set<Promise<void>>();

  constructor(options: PusherOptions) {
    this.#options = {
      backoff: DEFAULT_BACKOFF,
      leaseMs: 60_000,
      timeoutMs: 30_000,
      concurrency: 8,
      pollMs: 1_000,
      random: Math.random,
      ...options,
    };
    this.#agent = new Agent({
      connect: { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca },
      headersTimeout: this.#options.timeoutMs,
      bodyTimeout: this.#options.timeoutMs,
      connections: this.#options.concurrency * 2,
    });
  }

  /** Runs until stopped, woken by `signal` when a delivery by push is owed, by a worker wanting work, and by the clock for retries. */
  start(signal?: DeliverySignal): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopSignal = signal?.onOwed((_, mode) => mode === 'push' && this.#doorbell.ring()) ?? null;
    this.#loop = this.#claimLoop();
  }

  /**
   * Stops claiming and pushing: the pushes under way end and are recorded, and those claimed but
   * not begun are given back, for any process to push at once instead of after their lease.
   * Stopping twice waits for the same stop.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#running = false;
    this.#stopSignal?.();
    this.#doorbell.ring();
    await this.#loop;
    await Promise.all(this.#workers);
    await this.#release(this.#waiting.splice(0));
    await Promise.all(this.#recording);
    await this.#agent.close();
  }

  /**
   * A claim no more than half its lease old is surely still this process's: nobody else can have
   * claimed it again. An older one is left to run out rather than pushed or given back.
   */
  #surelyOurs(push: Push): boolean {
    return Date.now() - push.claimedAt <= this.#options.leaseMs / 2;
  }

  /** Gives claimed pushes back as due now, uncounted. */
  async #release(pushes: readonly Push[]): Promise<void> {
    const { pool, logger } = this.#options;
    const keys = pushes
      .filter((push) => this.#surelyOurs(push))
      .flatMap((push) => push.recipients.map((recipient) => ({ packageId: push.packageId, recipient })));
    if (keys.length === 0) return;
    try {
      await pool.query(
        `UPDATE deliveries d SET attempts = greatest(d.attempts - 1, 0), next_attempt_at = now()
           FROM unnest($1::text[], $2::text[]) AS k (package_id, recipient_code)
          WHERE d.package_id = k.package_id AND d.recipient_code = k.recipient_code AND d.state = 'pending'`,
        [keys.map((k) => k.packageId), keys.map((k) => k.recipient)],
      );
    } catch (error) {
      logger?.warn({ err: error }, 'giving back claimed pushes failed; they are pushed after their lease');
    }
  }

  async #claimLoop(): Promise<void> {
    const { concurrency, pollMs, logger } = this.#options;
    while (this.#running) {
      let claimed = 0;
      if (this.#waiting.length < concurrency) {
        try {
          const pushes = await this.#claim(concurrency * 2 - this.#waiting.length);
          claimed = pushes.length;
          this.#waiting.push(...pushes);
          // Every worker is busy with a push (one finding nothing waiting ends): each one started here takes one at once.
          while (this.#workers.size < concurrency && this.#waiting.length > 0) {
            const worker: Promise<void> = this.#work().finally(() => this.#workers.delete(worker));
            this.#workers.add(worker);
          }
        } catch (error) {
          logger?.error({ err: error }, 'claiming deliveries to push failed');
        }
      }
      if (this.#running && (claimed === 0 || this.#waiting.length >= concurrency)) await this.#doorbell.wait(pollMs);
    }
  }

  /**
   * One worker: pushes what is claimed until nothing waits. It does not wait for an answer to be
   * recorded (a turn of the journal writer, shared with every request) before the next push, only
   * when many recordings are still open.
   */
  async #work(): Promise<void> {
    const { concurrency, logger } = this.#options;
    // Once stopping, what waits is given back (stop) rather than pushed.
    while (this.#running) {
      const push = this.#waiting.shift();
      if (!push) break;
      if (this.#waiting.length < concurrency) this.#doorbell.ring();
      // Waited too long for a worker: left to whoever claims it when the lease ends, rather than pushed twice at once.
      if (!this.#surelyOurs(push)) continue;
      const outcome = await this.#send(push);
      const recording: Promise<void> = this.#record(push, outcome)
        .catch((error: unknown) =>
          logger?.error({ err: error, packageId: push.packageId }, 'recording a push failed; it is pushed again after its lease'),
        )
        .finally(() => this.#recording.delete(recording));
      this.#recording.add(recording);
      if (this.#recording.size >= concurrency * 4) await Promise.race(this.#recording);
    }
  }

  async #claim(limit: number): Promise<Push[]> {
    const { rows } = await this.#options.pool.query<{
      package_id: string;
      recipient_code: string;
      target_kind: 'system' | 'peer';
      target_id: string;
      attempts: number;
      blob_sha256: string;
      via: string[];
      url: string | null;
    }>(
      `WITH due AS (
         SELECT package_id, recipient_code FROM deliveries
          WHERE state = 'pending' AND mode = 'push' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
         FROM due, packages p
        WHERE d.package_id = due.package_id AND d.recipient_code = due.recipient_code AND p.id = d.package_id
       RETURNING d.package_id, d.recipient_code, d.target_kind, d.target_id, d.attempts, p.blob_sha256, p.via,
         CASE d.target_kind
           WHEN 'system' THEN (SELECT push_url FROM systems s WHERE s.id = d.target_id)
           ELSE (SELECT rtrim(base_url, '/') || '/packages' FROM peers x WHERE x.id = d.target_id) END AS url`,
      [limit, this.#options.leaseMs / 1000],
    );
    const claimedAt = Date.now();
    // The recipients of one package behind one target travel together, on one envelope.
    const pushes = new Map<string, Push>();
    for (const r of rows) {
      const key = `${r.package_id} ${r.target_kind}:${r.target_id}`;
      const push = pushes.get(key);
      if (push) {
        push.recipients.push(r.recipient_code);
        push.attempts = Math.max(push.attempts, r.attempts);
        continue;
      }
      pushes.set(key, {
        packageId: r.package_id,
        recipients: [r.recipient_code],
        target: { kind: r.target_kind, id: r.target_id },
        url: r.url ?? '',
        blobSha256: r.blob_sha256,
        via: r.via,
        attempts: r.attempts,
        claimedAt,
      });
    }
    return [...pushes.values()];
  }

  async #send(push: Push): Promise<Outcome> {
    if (!push.url) return { kind: 'retry', error: 'the target has no push address' };
    try {
      const answer = await request(push.url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: {
          'content-type': 'application/xml',
          'x-vanban-package-id': push.packageId,
          'x-vanban-recipients': push.recipients.join(','),
          'x-vanban-hops': push.via.join(','),
        },
        body: await this.#options.blobs.read(push.blobSha256),
      });
      const text = await answer.body.text();
      const verdict = classifyAnswer(answer.statusCode);
      if (verdict !== 'done') return { kind: verdict, error: `HTTP ${answer.statusCode}: ${text.slice(0, 500)}` };
      if (push.target.kind === 'peer') {
        const remoteId = (JSON.parse(text) as { id?: unknown }).id;
        return typeof remoteId === 'string' ? { kind: 'done', remoteId } : { kind: 'retry', error: 'the peer hub answered without an id' };
      }
      return { kind: 'done' };
    } catch (error) {
      return { kind: 'retry', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  async #record(push: Push, outcome: Outcome): Promise<void> {
    const { pool, writer, metrics, logger } = this.#options;
    const log = { packageId: push.packageId, recipients: push.recipients, target: `${push.target.kind}:${push.target.id}` };
    if (outcome.kind === 'done') {
      const event = push.target.kind === 'peer' ? 'forwarded' : 'delivered';
      await writer.run(async (client, journal) => {
        for (const recipient of push.recipients) {
          await completeDelivery(
            client,
            journal,
            { packageId: push.packageId, recipient },
            event,
            outcome.remoteId ? { remoteId: outcome.remoteId } : {},
          );
        }
      });
      metrics?.delivery(event, push.recipients.length);
      logger?.info({ ...log, event }, 'delivered');
      return;
    }
    if (outcome.kind === 'failed') {
      await writer.run(async (client, journal) => {
        for (const recipient of push.recipients) {
          const updated = await client.query(
            `UPDATE deliveries SET state = 'failed', last_error = $3 WHERE package_id = $1 AND recipient_code = $2 AND state = 'pending'`,
            [push.packageId, recipient, outcome.error],
          );
          if (updated.rowCount === 1) {
            journal({
              event: 'delivery-failed',
              packageId: push.packageId,
              recipient,
              to: log.target,
              error: outcome.error,
            });
          }
        }
      });
      metrics?.delivery('failed', push.recipients.length);
      logger?.warn({ ...log, error: outcome.error }, 'delivery refused by its target');
      return;
    }
    const delayMs = retryDelayMs(push.attempts, this.#options.backoff, this.#options.random);
    await pool.query(
      `UPDATE deliveries SET next_attempt_at = now() + make_interval(secs => $3), last_error = $4
        WHERE package_id = $1 AND recipient_code = ANY($2) AND state = 'pending'`,
      [push.packageId, push.recipients, delayMs / 1000, outcome.error],
    );
    metrics?.delivery('retry', push.recipients.length);
    logger?.info({ ...log, attempts: push.attempts, retryInMs: delayMs, error: outcome.error }, 'delivery will be retried');
  }
}
