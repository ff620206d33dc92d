import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { connect, createTestDatabase, verifyJournal, type Database, type TestDatabase } from '@vanban/db';
import { JournalWriter } from '../src/journal-writer.js';

describe('the journal writer: many requests, one commit', () => {
  let testDb: TestDatabase;
  let database: Database<unknown>;

  before(async () => {
    testDb = await createTestDatabase();
    database = connect(testDb.url, { max: 6 });
    await database.pool.query(`CREATE TABLE journal (
      chain text NOT NULL, seq bigint NOT NULL, at timestamptz NOT NULL, body jsonb NOT NULL,
      prev_hash text NOT NULL, hash text NOT NULL, PRIMARY KEY (chain, seq))`);
    await database.pool.query(`CREATE TABLE notes (n int PRIMARY KEY, tx bigint NOT NULL DEFAULT txid_current())`);
  });
  after(async () => {
    await database?.close();
    await testDb?.drop();
  });

  const note = (writer: JournalWriter, n: number) =>
    writer.run(async (client, journal) => {
      await client.query('INSERT INTO notes (n) VALUES ($1)', [n]);
      journal({ event: 'noted', n });
      return n * 10;
    });

  it('answers each piece with its own result, commits what arrives together in fewer transactions, and keeps the chain whole', async () => {
    const writer = new JournalWriter(database.pool, 'journal', 'a');
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => note(writer, n)));
    assert.deepEqual(
      results,
      Array.from({ length: 30 }, (_, n) => n * 10),
    );
    const { rows } = await database.pool.query<{ transactions: number }>(`SELECT count(DISTINCT tx)::int AS transactions FROM notes`);
    assert.ok(rows[0]!.transactions < 30, `${rows[0]!.transactions} transactions for 30 pieces`);
    const journal = await database.pool.query<{ n: number }>(`SELECT (body ->> 'n')::int AS n FROM journal WHERE chain = 'a' ORDER BY seq`);
    assert.deepEqual(
      journal.rows.map((r) => r.n),
      Array.from({ length: 30 }, (_, n) => n),
      'entries in the order the pieces were asked for',
    );
    assert.deepEqual(await verifyJournal(database.pool, 'journal', 7), { entries: 30, breaks: [] });
  });

  it('fails only the bad piece of a batch: the others are recorded with their entries', async () => {
    const writer = new JournalWriter(database.pool, 'journal', 'b');
    const outcomes = await Promise.allSettled([note(writer, 100), note(writer, 101), note(writer, 5), note(writer, 102)]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      'n = 5 exists already',
    );
    const journal = await database.pool.query<{ n: number }>(`SELECT (body ->> 'n')::int AS n FROM journal WHERE chain = 'b' ORDER BY seq`);
    assert.deepEqual(
      journal.rows.map((r) => r.n),
      [100, 101, 102],
    );
    assert.equal((await database.pool.query(`SELECT 1 FROM notes WHERE n BETWEEN 100 AND 102`)).rowCount, 3);
  });

  it('keeps one chain whole when two processes write to it at once', async () => {
    const first = new JournalWriter(database.pool, 'journal', 'c');
    const second = new JournalWriter(database.pool, 'journal', 'c');
    await Promise.all(Array.from({ length: 40 }, (_, n) => note(n % 2 ? first : second, 200 + n)));
    const { entries, breaks } = await verifyJournal(database.pool, 'journal', 7);
    assert.deepEqual(breaks, []);
    assert.equal(entries, 30 + 3 + 40);
  });
});
