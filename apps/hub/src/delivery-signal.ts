import { EventEmitter, once } from 'node:events';
import { Listener } from '@vanban/db';
import type pg from 'pg';
import { DELIVERY_CHANNEL } from './store.js';

/** How a delivery reaches its target: the hub pushes it, or the target pulls it. */
export type DeliveryMode = 'push' | 'pull';

/** Sent by the registry tables' triggers (migration 0004) on any change. */
export const REGISTRY_CHANNEL = 'hub_registry';

/**
 * Hears, over one LISTEN connection per hub process, that a delivery became owed to a target
 * (`system:office-a`, `peer:national`), whichever process accepted the package: pushers start at
 * once and long-polling systems are answered at once. A lost connection is re-opened, try after
 * try; meanwhile waiters fall back on their timeouts, so nothing is missed, only later. It also
 * hears that the registry changed; while it is not listening, nothing may be kept on the strength
 * of it.
 */
export class DeliverySignal {
  readonly #events = new EventEmitter().setMaxListeners(0);
  #listener: Listener | null = null;

  private constructor() {}

  static async listen(pool: pg.Pool): Promise<DeliverySignal> {
    const signal = new DeliverySignal();
    // Changes made while no one listens go unheard: what was kept must go when listening stops,
    // and again when it resumes.
    const registryMayHaveChanged = () => signal.#events.emit('registry');
    signal.#listener = await Listener.open(pool, [DELIVERY_CHANNEL, REGISTRY_CHANNEL], {
      notified: (channel, payload) => {
        if (channel === DELIVERY_CHANNEL && payload) {
          // "system:office-a push"; a hub process not yet migrated sends the target alone, which is taken as push.
          const [target, mode] = payload.split(' ');
          signal.#events.emit('owed', target, mode === 'pull' ? 'pull' : 'push');
        }
        if (channel === REGISTRY_CHANNEL) registryMayHaveChanged();
      },
      lost: registryMayHaveChanged,
      resumed: registryMayHaveChanged,
    });
    return signal;
  }

  /** Whether changes are being heard now. */
  get listening(): boolean {
    return this.#listener?.listening ?? false;
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

  close(): void {
    this.#listener?.close();
  }
}
