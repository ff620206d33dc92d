import type pg from 'pg';

export interface ListenerHandlers {
  /** A notification on one of the channels. */
  notified(channel: string, payload: string | undefined): void;
  /** The connection listens again after it was lost: what was sent meanwhile went unheard. */
  resumed?(): void;
  /** The connection was lost; it is opened again after a while. */
  lost?(): void;
}

export interface ListenerOptions {
  /** How long to wait before opening a lost connection again, and between tries. */
  readonly retryMs?: number;
}

/**
 * LISTENs on some channels over one connection of a pool. A lost connection (the server restarted,
 * the backend was ended) is opened again, try after try, until the listener is closed: notifications
 * sent meanwhile are missed, so callers keep a fallback (a timeout, an idle round) and hear when
 * listening resumes.
 */
export class Listener {
  #client: pg.PoolClient | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly channels: readonly string[],
    private readonly handlers: ListenerHandlers,
    private readonly retryMs: number,
  ) {}

  /** Listens, or fails as the first connection does. */
  static async open(pool: pg.Pool, channels: readonly string[], handlers: ListenerHandlers, options: ListenerOptions = {}) {
    for (const channel of channels) if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    const listener = new Listener(pool, channels, handlers, options.retryMs ?? 1_000);
    await listener.#connect();
    return listener;
  }

  /** Whether notifications are being heard now. */
  get listening(): boolean {
    return this.#client !== null;
  }

  async #connect(): Promise<void> {
    const client = await this.pool.connect();
    // Ending a connection takes a while: what it receives meanwhile is not heard once closed.
    client.on('notification', (message) => {
      if (!this.#closed) this.handlers.notified(message.channel, message.payload);
    });
    client.on('error', () => this.#lose(client));
    try {
      await client.query(this.channels.map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (error) {
      client.release(true);
      throw error;
    }
    // Closed while the connection was being opened: nobody will release it later.
    if (this.#closed) return client.release(true);
    this.#client = client;
  }

  #lose(client: pg.PoolClient): void {
    if (this.#client !== client) return;
    this.#client = null;
    client.release(true);
    this.handlers.lost?.();
    this.#reconnectLater();
  }

  #reconnectLater(): void {
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect().then(
        () => this.#client && this.handlers.resumed?.(),
        () => this.#reconnectLater(),
      );
    }, this.retryMs);
  }

  /** Stops listening. The connection is ended rather than given back, so no one else hears on it. */
  close(): void {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    const client = this.#client;
    this.#client = null;
    client?.release(true);
  }
}
