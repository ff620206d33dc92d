import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
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
});
