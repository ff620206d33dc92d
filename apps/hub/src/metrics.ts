import type pg from 'pg';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Check } from './acceptance.js';

export type DeliveryOutcome = 'acknowledged' | 'delivered' | 'forwarded' | 'retry' | 'failed';

/**
 * What a hub tells Prometheus: counters of this process, and the queue as the database has it
 * (read at scrape time, so every hub process on one database reports the same queue).
 */
export class HubMetrics {
  readonly registry = new Registry();
  readonly #accepted = new Counter({
    name: 'vanban_hub_accepted_total',
    help: 'Packages and status messages accepted',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly #refusals = new Counter({
    name: 'vanban_hub_refusals_total',
    help: 'Packages refused, by the check that failed',
    labelNames: ['check'],
    registers: [this.registry],
  });
  readonly #deliveries = new Counter({
    name: 'vanban_hub_deliveries_total',
    help: 'Delivery attempts by outcome: acknowledged (pulled), delivered (pushed), forwarded (to a peer hub), retry, failed',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor(pool: pg.Pool) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vanban_hub_' });
    new Gauge({
      name: 'vanban_hub_queue_depth',
      help: 'Deliveries not yet acknowledged, per recipient agency',
      labelNames: ['recipient'],
      registers: [this.registry],
      async collect() {
        const { rows } = await pool.query<{ recipient_code: string; n: string }>(
          `SELECT recipient_code, count(*) AS n FROM deliveries WHERE state = 'pending' GROUP BY recipient_code`,
        );
        this.reset();
        for (const r of rows) this.set({ recipient: r.recipient_code }, Number(r.n));
      },
    });
    new Gauge({
      name: 'vanban_hub_oldest_undelivered_seconds',
      help: 'Age of the oldest delivery not yet acknowledged (0 when none)',
      registers: [this.registry],
      async collect() {
        const { rows } = await pool.query<{ age: number | null }>(
          `SELECT extract(epoch FROM now() - min(created_at))::float8 AS age FROM deliveries WHERE state = 'pending'`,
        );
        this.set(rows[0]?.age ?? 0);
      },
    });
    new Gauge({
      name: 'vanban_hub_oldest_bytes_seconds',
      help: 'Age of the oldest package whose bytes the hub still keeps (0 when none): with retention on, about the days kept, more while a delivery is owed',
      registers: [this.registry],
      async collect() {
        // The partial index of migration 0007 answers this with one row.
        const { rows } = await pool.query<{ age: number | null }>(
          `SELECT extract(epoch FROM now() - min(received_at))::float8 AS age FROM packages WHERE purged_at IS NULL`,
        );
        this.set(rows[0]?.age ?? 0);
      },
    });
    new Gauge({
      name: 'vanban_hub_failed_deliveries',
      help: 'Deliveries the target refused outright, waiting for an administrator',
      registers: [this.registry],
      async collect() {
        const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE state = 'failed'`);
        this.set(Number(rows[0]?.n ?? 0));
      },
    });
  }

  accepted(kind: 'document' | 'status'): void {
    this.#accepted.inc({ kind });
  }

  refused(check: Check): void {
    this.#refusals.inc({ check });
  }

  delivery(outcome: DeliveryOutcome, count = 1): void {
    this.#deliveries.inc({ outcome }, count);
  }
}
