import { Listener, type BlobStore, type StoredBlob } from '@vanban/db';
import type { Classification } from '@vanban/edxml';
import {
  DEFAULT_BACKOFF,
  Doorbell,
  retryDelayMs,
  type BackoffPolicy,
  type HubClient,
  type ListedDelivery,
  type PendingItem,
} from '@vanban/exchange';
import { sql, type Kysely } from 'kysely';
import pMap from 'p-map';
import type { FastifyBaseLogger } from 'fastify';
import type { OfficeSchema } from '../schema.js';
import type pg from 'pg';
import { reportArrivals } from './arrivals.js';

/** The channel migration 0013's trigger notifies when a message is queued in the hub outbox. */
const OUTBOX_CHANNEL = 'hub_outbox';

/** What the office hands to the hub: a signed edXML package or a status message, with who it is from and to. */
export interface OutgoingMessage {
  readonly kind: 'document' | 'status';
  readonly bytes: Buffer;
  readonly documentId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly classification: Classification;
}

/** How many packages the connector fetches from the hub at once. */
const FETCHES = 8;
/**
 * The bytes of packages a listing brings along unless told otherwise: what does not fit is fetched.
 * Small packages gain most (a request each saved); large ones are better fetched several at once
 * than carried one after another in one answer (with 8 MiB, 2 MB packages went 0.84x as fast).
 */
const CARRIED_BYTES = 1024 * 1024;

export class ClassifiedThroughHubError extends Error {
  readonly vi = 'Văn bản mật không được gửi qua trục liên thông.';
  constructor(readonly classification: Classification) {
    super(`A ${classification} document may not leave the agency through the hub`);
  }
}

/** Classified documents never leave the agency through the hub, whatever screen or code asks. */
export function mayGoThroughHub(classification: Classification): boolean {
  return classification === 'none';
}

/**
 * Writes a message into the hub outbox in the caller's transaction: it leaves if and only if the
 * change that caused it commits. The bytes are stored first (a stray file is harmless). Whatever
 * process sends the outbox picks it up within its next round.
 */
export async function queueForHub(db: Kysely<OfficeSchema>, files: BlobStore, message: OutgoingMessage): Promise<string> {
  if (!mayGoThroughHub(message.classification)) throw new ClassifiedThroughHubError(message.classification);
  const blob = await files.put(message.bytes);
  const row = await db
    .insertInto('hub_outbox')
    .values({
      kind: message.kind,
      document_id: message.documentId,
      from_code: message.from,
      to_codes: [...message.to],
      sha256: blob.sha256,
      size: blob.size,
      last_error: null,
      hub_package_id: null,
      refusal: null,
      sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ConnectorOptions {
  readonly db: Kysely<OfficeSchema>;
  readonly files: BlobStore;
  readonly hub: HubClient;
  readonly backoff?: BackoffPolicy;
  /** How long a claimed outbox row is left to this process before another may send it. */
  readonly leaseMs?: number;
  /** Seconds each long poll waits at the hub for something to arrive. */
  readonly pollWaitSeconds?: number;
  /**
   * Bytes of packages each listing may bring along (1 MiB unless set), which saves a request per
   * package; the rest are fetched one by one. 0 fetches them all.
   */
  readonly carriedBytes?: number;
  /**
   * Takes what arrived into the agencies' work (the incoming lists); called after every round of
   * receiving until it reports nothing left. Returns how many arrivals it dealt with.
   */
  readonly intake?: () => Promise<number>;
  /**
   * The database pool to LISTEN on for messages queued by any process (migration 0013): the sender
   * wakes at once instead of at its next idle round.
   */
  readonly listen?: pg.Pool;
  /** How long the sender rests when the outbox has nothing due and no one rings. */
  readonly idleMs?: number;
  readonly logger?: FastifyBaseLogger;
}

/**
 * The office's link to the exchange hub: an outbox the rest of the office writes to (in its own
 * transaction), sent with retries until the hub accepts or refuses; and an inbox filled by long
 * polling the hub, each package stored and recorded before it is acknowledged, so a crash at any
 * point leads to a resend that the inbox's key turns into nothing.
 */
export class HubConnector {
  readonly #o: Required<Omit<ConnectorOptions, 'logger' | 'intake' | 'listen'>> & Pick<ConnectorOptions, 'logger' | 'intake' | 'listen'>;
  #signal: Promise<Listener | null> = Promise.resolve(null);
  #running = false;
  #loops: Promise<void>[] = [];
  readonly #senderBell = new Doorbell();
  readonly #stop = new AbortController();

  constructor(options: ConnectorOptions) {
    this.#o = { backoff: DEFAULT_BACKOFF, leaseMs: 60_000, pollWaitSeconds: 25, idleMs: 1_000, carriedBytes: CARRIED_BYTES, ...options };
  }

  /**
   * Queues a message for the hub, with `db` the caller's transaction so the message leaves if and
   * only if the change that caused it commits; the sender is woken at once.
   */
  async enqueue(db: Kysely<OfficeSchema>, message: OutgoingMessage): Promise<string> {
    const id = await queueForHub(db, this.#o.files, message);
    this.#senderBell.ring();
    return id;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const pool = this.#o.listen;
    if (pool) {
      this.#signal = Listener.open(pool, [OUTBOX_CHANNEL], { notified: () => this.#senderBell.ring() }).catch((error: unknown) => {
        this.#o.logger?.warn({ err: error }, 'cannot listen for queued messages; the outbox is sent on idle rounds');
        return null;
      });
    }
    this.#loops = [this.#sendLoop(), this.#receiveLoop()];
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stop.abort();
    this.#senderBell.ring();
    (await this.#signal)?.close();
    await Promise.all(this.#loops);
    await this.#o.hub.close();
  }

  async #sendLoop(): Promise<void> {
    while (this.#running) {
      let sent = 0;
      try {
        sent = await this.sendDue();
      } catch (error) {
        this.#o.logger?.error({ err: error }, 'hub outbox round failed');
      }
      if (sent === 0 && this.#running) await this.#senderBell.wait(this.#o.idleMs);
    }
  }

  /** Sends what is due in the outbox; returns how many it tried. */
  async sendDue(limit = 20): Promise<number> {
    const { db, files, hub, backoff, leaseMs, logger } = this.#o;
    const claimed = await sql<{ id: string; sha256: string; attempts: number }>`
      WITH due AS (
        SELECT id FROM hub_outbox WHERE state = 'queued' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      UPDATE hub_outbox o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
        FROM due WHERE o.id = due.id
      RETURNING o.id, o.sha256, o.attempts`.execute(db);
    await Promise.all(
      claimed.rows.map(async (row) => {
        const result = await hub.send(await files.read(row.sha256));
        if (result.kind === 'accepted') {
          await db
            .updateTable('hub_outbox')
            .set({ state: 'sent', hub_package_id: result.id, sent_at: new Date(), last_error: null })
            .where('id', '=', row.id)
            .execute();
        } else if (result.kind === 'refused') {
          await db
            .updateTable('hub_outbox')
            .set({ state: 'refused', refusal: JSON.stringify(result.refusal), last_error: `HTTP ${result.status}` })
            .where('id', '=', row.id)
            .execute();
          logger?.warn({ outboxId: row.id, refusal: result.refusal }, 'the hub refused a package');
        } else {
          const delayMs = retryDelayMs(row.attempts, backoff);
          await db
            .updateTable('hub_outbox')
            .set({ next_attempt_at: new Date(Date.now() + delayMs), last_error: result.error })
            .where('id', '=', row.id)
            .execute();
        }
      }),
    );
    return claimed.rows.length;
  }

  async #receiveLoop(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      try {
        // First, so that arrivals taken in just before a crash are reported after the restart.
        while ((await this.reportArrivals()) > 0);
        if (this.#o.intake) while ((await this.#o.intake()) > 0);
        await this.receiveOnce(this.#o.pollWaitSeconds);
        failures = 0;
      } catch (error) {
        if (!this.#running) break;
        failures++;
        this.#o.logger?.warn({ err: error, failures }, 'taking deliveries from the hub failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(failures, this.#o.backoff)));
      }
    }
  }

  /** Queues status 01 (arrived) to the senders of documents taken in; returns how many. */
  reportArrivals(): Promise<number> {
    return reportArrivals(this.#o.db, this.#o.files, (tx, message) => this.enqueue(tx, message));
  }

  /** Takes in what the hub holds for this office (waiting up to `wait` seconds); returns how many it took. */
  async receiveOnce(wait = 0): Promise<number> {
    let after = 0;
    let taken = 0;
    for (;;) {
      const page = await this.#o.hub.pending({
        after,
        wait: taken === 0 ? wait : 0,
        content: this.#o.carriedBytes,
        signal: this.#stop.signal,
      });
      // Each package once (one owed to two agencies here is listed twice, its bytes carried with
      // the first); those the page did not carry are fetched several at once, as most of the time
      // is the transfer. All are recorded in the hub's order: the inbox is taken in by arrival, so
      // a recall never comes in before the document it recalls.
      const seen = new Set<string>();
      const firsts = page.items.filter((item) => !seen.has(item.packageId) && seen.add(item.packageId));
      const held = new Map(
        await pMap(firsts, async (item) => [item.packageId, await this.#store(item)] as const, { concurrency: FETCHES }),
      );
      for (const item of page.items) await this.#record(item, held.get(item.packageId)!);
      // Acknowledged once the page is held: a crash before then only brings the page again, which
      // the inbox takes once.
      if (page.items.length > 0) await this.#o.hub.ackMany(page.items);
      taken += page.items.length;
      if (page.nextCursor === null) return taken;
      after = page.nextCursor;
    }
  }

  async #store(item: ListedDelivery): Promise<StoredBlob> {
    return this.#o.files.put(await this.#o.hub.contentOf(item));
  }

  async #record(item: PendingItem, blob: StoredBlob): Promise<void> {
    await this.#o.db
      .insertInto('hub_inbox')
      .values({
        package_id: item.packageId,
        recipient_code: item.recipient,
        kind: item.kind,
        document_id: item.documentId,
        from_code: item.from,
        sha256: blob.sha256,
        size: blob.size,
        taken_at: null,
      })
      .onConflict((c) => c.columns(['package_id', 'recipient_code']).doNothing())
      .execute();
  }
}
