import type pg from 'pg';

/** The channel migration 0013's trigger notifies when a message is queued in the hub outbox. */
export const OUTBOX_CHANNEL = 'hub_outbox';

/**
 * Hears, over one LISTEN connection, that something was queued for the hub by any process, and
 * calls `onQueued`. A lost connection is opened again after a second; meanwhile the sender falls
 * back on its idle round, so a message is only later, never lost.
 */
export class OutboxSignal {
  #client: pg.PoolClient | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly onQueued: () => void,
  ) {}

  static async listen(pool: pg.Pool, onQueued: () => void): Promise<OutboxSignal> {
    const signal = new OutboxSignal(pool, onQueued);
    await signal.#connect();
    return signal;
  }

  async #connect(): Promise<void> {
    const client = await this.pool.connect();
    client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL) this.onQueued();
    });
    client.on('error', () => {
      client.release(true);
      if (this.#client === client) this.#client = null;
      if (!this.#closed) this.#retry = setTimeout(() => void this.#connect().catch(() => undefined), 1_000);
    });
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    if (this.#closed) client.release();
    else this.#client = client;
  }

  close(): void {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#client?.release();
    this.#client = null;
  }
}
