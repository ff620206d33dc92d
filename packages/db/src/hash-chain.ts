import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Tamper-evident journals: each entry carries the SHA-256 of the previous
 * entry of its chain and of its own content, so editing or deleting an entry
 * breaks every hash after it. One table can hold many chains (one per agency,
 * say); entries of one chain are numbered 1, 2, 3… without gaps.
 *
 * The table (any name) has the columns chain text, seq bigint, at timestamptz,
 * body jsonb, prev_hash text, hash text, with primary key (chain, seq).
 */
export const GENESIS = '0'.repeat(64);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ChainEntry {
  readonly chain: string;
  readonly seq: number;
  readonly at: Date;
  readonly body: Json;
  readonly prevHash: string;
  readonly hash: string;
}

/** JSON with object keys sorted at every depth: the same value always gives the same bytes. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
}

/**
 * Anything that runs one SQL statement: a pg client, or a Kysely transaction wrapped by the caller.
 * A pg client prepares a named statement once per connection; a wrapper may ignore the name.
 */
export interface Queryable {
  query<R>(query: { name?: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

export function entryHash(entry: Omit<ChainEntry, 'hash'>): string {
  return createHash('sha256')
    .update(entry.prevHash)
    .update('\n')
    .update(canonicalJson([entry.chain, entry.seq, entry.at.toISOString(), entry.body]))
    .digest('hex');
}

/**
 * Appends one entry to a chain inside the caller's transaction (so the entry
 * and the state change it records commit together). Appends to one chain are
 * serialised by a transaction-scoped advisory lock; other chains go on in parallel.
 */
export async function appendEntry(client: Queryable, table: string, chain: string, body: Json, at = new Date()): Promise<ChainEntry> {
  const [entry] = await appendEntries(client, table, chain, [{ body, at }]);
  return entry!;
}

/**
 * Takes the chain's append lock until the caller's transaction ends: taken before the caller's
 * other work, it puts that work in commit order too. Append then with appendLockedEntries.
 */
export async function lockChain(client: Queryable, table: string, chain: string): Promise<void> {
  assertIdentifier(table);
  await client.query({ name: 'chain.lock', text: 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', values: [table, chain] });
}

/**
 * Appends entries to a chain in the order given, in three statements whatever their number:
 * a batch of work committed together takes the chain's lock once.
 */
export async function appendEntries(
  client: Queryable,
  table: string,
  chain: string,
  items: readonly { readonly body: Json; readonly at?: Date }[],
): Promise<ChainEntry[]> {
  if (items.length === 0) return [];
  await lockChain(client, table, chain);
  return appendLockedEntries(client, table, chain, items);
}

/** appendEntries for a caller whose transaction already holds the chain's lock (lockChain), in two statements. */
export async function appendLockedEntries(
  client: Queryable,
  table: string,
  chain: string,
  items: readonly { readonly body: Json; readonly at?: Date }[],
): Promise<ChainEntry[]> {
  assertIdentifier(table);
  if (items.length === 0) return [];
  // The bigint travels as text (exact), under another name: ORDER BY seq must sort the number.
  const { rows } = await client.query<{ seq: string; hash: string }>({
    name: `chain.tail:${table}`,
    text: `SELECT seq::text AS seq, hash FROM ${table} WHERE chain = $1 ORDER BY ${table}.seq DESC LIMIT 1`,
    values: [chain],
  });
  let seq = rows[0] ? Number(rows[0].seq) : 0;
  let prevHash = rows[0]?.hash ?? GENESIS;
  const entries: ChainEntry[] = [];
  for (const item of items) {
    // Whole milliseconds: what timestamptz gives back must hash the same.
    const at = new Date(Math.floor((item.at ?? new Date()).getTime()));
    const draft = { chain, seq: ++seq, at, body: item.body, prevHash };
    const entry = { ...draft, hash: entryHash(draft) };
    entries.push(entry);
    prevHash = entry.hash;
  }
  await client.query({
    name: `chain.append:${table}`,
    text: `INSERT INTO ${table} (chain, seq, at, body, prev_hash, hash)
     SELECT $1, * FROM unnest($2::bigint[], $3::timestamptz[], $4::jsonb[], $5::text[], $6::text[])`,
    values: [
      chain,
      entries.map((e) => e.seq),
      entries.map((e) => e.at),
      entries.map((e) => JSON.stringify(e.body)),
      entries.map((e) => e.prevHash),
      entries.map((e) => e.hash),
    ],
  });
  return entries;
}

export interface ChainBreak {
  readonly chain: string;
  readonly seq: number;
  readonly problem: 'missing' | 'edited' | 'relinked';
}

/**
 * Follows the entries of one or more chains, each chain's entries in order,
 * and tells the first break of each chain: after a break, nothing later in
 * that chain can be trusted, so it is reported once.
 */
export class ChainChecker {
  private chain: string | null = null;
  private expectedSeq = 1;
  private prevHash = GENESIS;
  private broken = false;

  check(e: ChainEntry): ChainBreak | null {
    if (e.chain !== this.chain) {
      this.chain = e.chain;
      this.expectedSeq = 1;
      this.prevHash = GENESIS;
      this.broken = false;
    }
    const found: ChainBreak | null = this.broken
      ? null
      : e.seq !== this.expectedSeq
        ? { chain: e.chain, seq: this.expectedSeq, problem: 'missing' }
        : e.prevHash !== this.prevHash
          ? { chain: e.chain, seq: e.seq, problem: 'relinked' }
          : entryHash(e) !== e.hash
            ? { chain: e.chain, seq: e.seq, problem: 'edited' }
            : null;
    if (found) this.broken = true;
    this.expectedSeq = e.seq + 1;
    this.prevHash = e.hash;
    return found;
  }
}

interface JournalRow {
  chain: string;
  seq: string;
  at: Date;
  body: Json;
  prev_hash: string;
  hash: string;
}

/**
 * Verifies every chain of a journal table, reading it in pages so that a
 * journal of millions of entries needs little memory.
 */
export async function verifyJournal(pool: pg.Pool, table: string, pageSize = 5000): Promise<{ entries: number; breaks: ChainBreak[] }> {
  assertIdentifier(table);
  const checker = new ChainChecker();
  const breaks: ChainBreak[] = [];
  let entries = 0;
  let after: [string, string] | null = null;
  for (;;) {
    const result: pg.QueryResult<JournalRow> = await pool.query<JournalRow>(
      `SELECT chain, seq::text AS seq, at, body, prev_hash, hash FROM ${table} AS j
       ${after ? 'WHERE (j.chain, j.seq) > ($2, $3::bigint)' : ''} ORDER BY j.chain, j.seq LIMIT $1`,
      after ? [pageSize, ...after] : [pageSize],
    );
    const rows: JournalRow[] = result.rows;
    for (const r of rows) {
      entries++;
      const found = checker.check({ chain: r.chain, seq: Number(r.seq), at: r.at, body: r.body, prevHash: r.prev_hash, hash: r.hash });
      if (found) breaks.push(found);
    }
    const last: JournalRow | undefined = rows[rows.length - 1];
    if (!last || rows.length < pageSize) break;
    after = [last.chain, last.seq];
  }
  return { entries, breaks };
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a table name: ${name}`);
}
