import { EventEmitter, once } from 'node:events';
import type pg from 'pg';
import { DELIVERY_CHANNEL } from './store.js';

/** How a delivery reaches its target: the hub pushes it, or the target pulls it. */
export type DeliveryMode = 'push' | 'pull';

/** Sent by the registry tables' triggers (migration 0004) on any change. */
export const REGISTRY_CHANNEL = 'hub_registry';

/**
 * Hears, over one LISTEN connection per hub process, that a delivery became owed to a target
 * (`system:office-a`, `peer:national`), whichever process accepted the package: pushers start at
 * once and long-polling systems are answered at once. A lost connection is re-opened; meanwhile
 * waiters fall back on their timeouts, so nothing is missed, only later. It also hears that the
 * registry changed; while it is not listening, nothing may be kept on the strength of it.
 */
export class DeliverySignal {
  readonly #events = new EventEmitter().setMaxListeners(0);
  #client: pg.PoolClient | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;

  private constructor(private readonly pool: pg.Pool) {}

  static async listen(pool: pg.Pool): Promise<DeliverySignal> {
    const signal = new DeliverySignal(pool);
    await signal.#connect();
    return signal;
  }

  async #connect(): Promise<void> {
    const client = await this.pool.connect();
    client.on('notification', (message) => {
      if (message.channel === DELIVERY_CHANNEL && message.payload) {
        // "system:office-a push"; a hub process not yet migrated sends the target alone, which is taken as push.
        const [target, mode] = message.payload.split(' ');
        this.#events.emit('owed', target, mode === 'pull' ? 'pull' : 'push');
      }
      if (message.channel === REGISTRY_CHANNEL) this.#events.emit('registry');
    });
    client.on('error', () => {
      client.release(true);
      if (this.#client === client) this.#client = null;
      // Changes made while no one listens go unheard: what was kept must go now.
      this.#events.emit('registry');
      if (!this.#closed) this.#retry = setTimeout(() => void this.#connect().catch(() => undefined), 1_000);
    });
    await client.query(`LISTEN ${DELIVERY_CHANNEL}; LISTEN ${REGISTRY_CHANNEL}`);
    this.#client = client;
    this.#events.emit('registry');
  }

  /** Whether changes are being heard now. */
  get listening(): boolean {
    return this.#client !== null;
  }

  /** Calls `listener` whenever the registry may have changed; returns how to stop. */
  onRegistryChanged(listener: () => void): () => void {
    this.#events.on('registry', listener);
    return () => this.#events.off('registry', listener);
  }

  /** Calls `listener` with the target and mode of every delivery owed from now on; returns how to stop. */
  onOwed(listener: (target: string, mode: DeliveryMode) => void): () => void {
    this.#events.on('owed', listener);
    return () => this.#events.off('owed', listener);
  }

  /** Resolves when a delivery is owed to `target`, or after `ms`, whichever comes first. */
  async waitFor(target: string, ms: number, abort?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(ms);
    const signal = abort ? AbortSignal.any([abort, timeout]) : timeout;
    const wanted = new EventEmitter();
    const stop = this.onOwed((owed) => owed === target && wanted.emit('owed'));
    try {
      await once(wanted, 'owed', { signal });
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    } finally {
      stop();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    if (client) {
      await client.query('UNLISTEN *').catch(() => undefined);
      client.release();
    }
  }
}
