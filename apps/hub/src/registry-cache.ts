import { LRUCache } from 'lru-cache';
import type pg from 'pg';
import type { DeliverySignal } from './delivery-signal.js';
import { clientByFingerprint, loadRoutingTable, type Client } from './registry.js';
import type { RoutingTable } from './routing.js';

/**
 * The registry as every request needs it (who a client certificate is, where each agency is reached),
 * read once and kept until the database says it changed. Without a listening signal nothing is kept.
 */
export class RegistryCache {
  #table: Promise<RoutingTable> | null = null;
  // Strangers' fingerprints are kept too (as null), so the bound matters.
  readonly #clients = new LRUCache<string, Promise<Client | null>>({ max: 10_000 });

  constructor(
    private readonly pool: pg.Pool,
    private readonly signal: DeliverySignal | undefined,
  ) {
    signal?.onRegistryChanged(() => {
      this.#table = null;
      this.#clients.clear();
    });
  }

  routingTable(): Promise<RoutingTable> {
    if (!this.signal?.listening) return loadRoutingTable(this.pool);
    if (!this.#table) {
      const loading = loadRoutingTable(this.pool);
      this.#table = loading;
      loading.catch(() => {
        if (this.#table === loading) this.#table = null;
      });
    }
    return this.#table;
  }

  client(fingerprint: string): Promise<Client | null> {
    if (!this.signal?.listening) return clientByFingerprint(this.pool, fingerprint);
    let found = this.#clients.get(fingerprint);
    if (!found) {
      const loading = clientByFingerprint(this.pool, fingerprint);
      found = loading;
      this.#clients.set(fingerprint, loading);
      loading.catch(() => {
        if (this.#clients.get(fingerprint) === loading) this.#clients.delete(fingerprint);
      });
    }
    return found;
  }
}
