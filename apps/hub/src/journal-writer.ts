import { appendLockedEntries, lockChain, withTransaction, type Json } from '@vanban/db';
import type pg from 'pg';

/** Writes inside the shared transaction; `journal` adds an entry, appended after the batch's work in the order asked. */
export type JournalWork<T> = (client: pg.PoolClient, journal: (body: Json) => void) => Promise<T>;

/**
 * Work that the pieces of one batch do together: called once with all their items, in the order
 * they were asked for, it answers one result per item. Each statement of a batch waits for a
 * round trip to the database, so one statement for many packages is what lets a batch grow
 * without growing slower in step.
 */
export type SharedJournalWork<I, O> = (client: pg.PoolClient, journal: (body: Json) => void, items: readonly I[]) => Promise<O[]>;

type Piece = { readonly work: JournalWork<unknown> } | { readonly shared: SharedJournalWork<unknown, unknown>; readonly item: unknown };

type Queued = Piece & {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
};

/**
 * Records state changes with their journal entries, the work of every request that arrives
 * while a batch commits going into the next batch: one transaction, one turn of the chain's lock
 * and one commit for many packages or acknowledgements. Nobody is answered before the commit.
 * When a batch fails, its pieces are tried one by one, so one bad piece fails alone.
 *
 * The batch takes the chain's lock before its work, not just before its entries: what the work
 * numbers from a sequence (deliveries) is then numbered in commit order across processes, so a
 * system paging with a cursor never passes a number that commits later.
 */
export class JournalWriter {
  readonly #queue: Queued[] = [];
  #draining = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
    private readonly chain: string,
    private readonly maxBatch = 64,
  ) {}

  run<T>(work: JournalWork<T>): Promise<T> {
    return this.#enqueue({ work: work as JournalWork<unknown> });
  }

  /** Does `item`'s part of `work` in the next batch, together with every other piece of the same work there. */
  share<I, O>(work: SharedJournalWork<I, O>, item: I): Promise<O> {
    return this.#enqueue({ shared: work as SharedJournalWork<unknown, unknown>, item });
  }

  #enqueue<T>(piece: Piece): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ ...piece, resolve: resolve as (value: unknown) => void, reject });
      if (this.#draining) return;
      this.#draining = true;
      // After the current turn: what is asked for together goes into one batch.
      queueMicrotask(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.maxBatch));
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: Queued[]): Promise<void> {
    let results: unknown[];
    try {
      results = await withTransaction(this.pool, async (client) => {
        await lockChain(client, this.table, this.chain);
        const entries: { body: Json; at: Date }[] = [];
        const journal = (body: Json) => void entries.push({ body, at: new Date() });
        const done = await doPieces(batch, client, journal);
        await appendLockedEntries(client, this.table, this.chain, entries);
        return done;
      });
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const queued of batch) await this.#commit([queued]);
      return;
    }
    batch.forEach((queued, i) => queued.resolve(results[i]));
  }
}

/** The batch's pieces in order; the pieces of one shared work together, where the first of them stands. */
async function doPieces(batch: readonly Piece[], client: pg.PoolClient, journal: (body: Json) => void): Promise<unknown[]> {
  const together = new Map<SharedJournalWork<unknown, unknown>, { at: number[]; items: unknown[] }>();
  batch.forEach((piece, i) => {
    if (!('shared' in piece)) return;
    const members = together.get(piece.shared) ?? { at: [], items: [] };
    together.set(piece.shared, members);
    members.at.push(i);
    members.items.push(piece.item);
  });
  const done: unknown[] = [];
  for (const [i, piece] of batch.entries()) {
    if ('work' in piece) {
      done[i] = await piece.work(client, journal);
      continue;
    }
    const { at, items } = together.get(piece.shared)!;
    if (at[0] !== i) continue;
    const results = await piece.shared(client, journal, items);
    if (results.length !== at.length) throw new Error(`Shared journal work answered ${results.length} results for ${at.length} items`);
    at.forEach((m, k) => (done[m] = results[k]));
  }
  return done;
}
