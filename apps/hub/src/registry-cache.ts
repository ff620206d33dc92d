import { LRUCache } from 'lru-cache';
import type pg from 'pg';
import { clientByFingerprint, loadRoutingTable, type Client } from './registry.js';
import type { RoutingTable } from './routing.js';

/** What tells the cache that the registry changed (the hub's DeliverySignal). */
export interface RegistryChanges {
  /** Whether changes are being heard now; while not, nothing may be kept. */
  readonly listening: boolean;
  onRegistryChanged(listener: () => void): () => void;
}

/**
 * The registry as every request needs it (who a client certificate is, where each agency is reached),
 * read once and kept until the database says it changed. Without a listening signal nothing is kept.
 *
 * The news of a change arrives a moment after its commit. A refusal is final for the sender, so it
 * must not rest on what was kept: strangers are looked up every time, and callers about to refuse an
 * unknown recipient or sender read afresh (`{ fresh: true }`).
 */
export class RegistryCache {
  #table: Promise<RoutingTable> | null = null;
  readonly #clients = new LRUCache<string, Client>({ max: 10_000 });
  /** Counts the changes heard, so that a read begun before one is not kept after it. */
  #generation = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly changes: RegistryChanges | undefined,
  ) {
    changes?.onRegistryChanged(() => {
      this.#generation++;
      this.#table = null;
      this.#clients.clear();
    });
  }

  routingTable(options: { fresh?: boolean } = {}): Promise<RoutingTable> {
    if (!this.changes?.listening) return loadRoutingTable(this.pool);
    if (!this.#table || options.fresh) {
      // A change heard while this read runs drops it (#table = null), so nothing older is kept.
      const loading = loadRoutingTable(this.pool);
      this.#table = loading;
      loading.catch(() => {
        if (this.#table === loading) this.#table = null;
      });
      return loading;
    }
    return this.#table;
  }

  async client(fingerprint: string, options: { fresh?: boolean } = {}): Promise<Client | null> {
    const kept = this.changes?.listening && !options.fresh ? this.#clients.get(fingerprint) : undefined;
    // A certificate a system or peer is moving away from ends with no change to hear of: looked up again then.
    if (kept && !('until' in kept && kept.until && kept.until.getTime() <= Date.now())) return kept;
    const generation = this.#generation;
    const found = await clientByFingerprint(this.pool, fingerprint);
    if (!found) this.#clients.delete(fingerprint);
    else if (this.changes?.listening && this.#generation === generation) this.#clients.set(fingerprint, found);
    return found;
  }
}
