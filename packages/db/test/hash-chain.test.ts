import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  appendEntries,
  appendEntry,
  canonicalJson,
  connect,
  createTestDatabase,
  verifyJournal,
  type Database,
  type TestDatabase,
  withTransaction,
} from '../src/index.js';

let testDb: TestDatabase;
let database: Database<unknown>;
before(async () => {
  testDb = await createTestDatabase();
  database = connect(testDb.url, { max: 8 });
  await database.pool.query(`CREATE TABLE journal (
    chain text NOT NULL, seq bigint NOT NULL, at timestamptz NOT NULL, body jsonb NOT NULL,
    prev_hash text NOT NULL, hash text NOT NULL, PRIMARY KEY (chain, seq))`);
});
after(async () => {
  await database.close();
  await testDb.drop();
});

const append = (chain: string, body: Parameters<typeof appendEntry>[3]) =>
  withTransaction(database.pool, (client) => appendEntry(client, 'journal', chain, body));

describe('hash-chained journal', () => {
  it('writes the same bytes for the same value whatever the key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 'đ', c: null }] }), canonicalJson({ a: [{ c: null, d: 'đ' }], b: 1 }));
  });

  it('numbers the entries of each chain without gaps, even when appended concurrently', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(i % 2 ? 'agency-a' : 'agency-b', { event: 'registered', n: i })));
    const { rows } = await database.pool.query(
      'SELECT chain, max(seq)::int AS last, count(*)::int AS n FROM journal GROUP BY chain ORDER BY chain',
    );
    assert.deepEqual(rows, [
      { chain: 'agency-a', last: 20, n: 20 },
      { chain: 'agency-b', last: 20, n: 20 },
    ]);
    assert.deepEqual(await verifyJournal(database.pool, 'journal', 7), { entries: 40, breaks: [] });
  });

  it('finds an edited entry', async () => {
    await database.pool.query(`UPDATE journal SET body = jsonb_set(body, '{event}', '"deleted"') WHERE chain = 'agency-a' AND seq = 5`);
    const { breaks } = await verifyJournal(database.pool, 'journal', 7);
    assert.deepEqual(breaks, [{ chain: 'agency-a', seq: 5, problem: 'edited' }]);
  });

  it('finds a deleted entry, even with the hashes after it recomputed', async () => {
    await database.pool.query(`DELETE FROM journal WHERE chain = 'agency-b' AND seq = 3`);
    const { breaks } = await verifyJournal(database.pool, 'journal', 7);
    assert.deepEqual(breaks, [
      { chain: 'agency-a', seq: 5, problem: 'edited' },
      { chain: 'agency-b', seq: 3, problem: 'missing' },
    ]);
  });

  it('rolls the entry back with the transaction that wrote it', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await appendEntry(client, 'journal', 'agency-c', { event: 'never' });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const { rowCount } = await database.pool.query("SELECT 1 FROM journal WHERE chain = 'agency-c'");
    assert.equal(rowCount, 0);
  });

  it('appends a batch in order, continuing the chain, with the times given', async () => {
    await append('agency-d', { event: 'first' });
    const at = new Date('2026-12-01T08:00:00.123Z');
    const entries = await withTransaction(database.pool, (client) =>
      appendEntries(client, 'journal', 'agency-d', [
        { body: { event: 'second', text: 'văn bản' } },
        { body: { event: 'third', n: [1, 2] }, at },
      ]),
    );
    assert.deepEqual(
      entries.map((e) => e.seq),
      [2, 3],
    );
    assert.equal(entries[1]!.prevHash, entries[0]!.hash);
    const { rows } = await database.pool.query<{ seq: number; event: string; at: Date }>(
      `SELECT seq::int, body ->> 'event' AS event, at FROM journal WHERE chain = 'agency-d' ORDER BY seq`,
    );
    assert.deepEqual(
      rows.map((r) => [r.seq, r.event]),
      [
        [1, 'first'],
        [2, 'second'],
        [3, 'third'],
      ],
    );
    assert.equal(rows[2]!.at.toISOString(), at.toISOString());
    const { breaks } = await verifyJournal(database.pool, 'journal', 7);
    assert.ok(!breaks.some((b) => b.chain === 'agency-d'));
  });
});
