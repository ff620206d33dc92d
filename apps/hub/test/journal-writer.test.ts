import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { connect, createTestDatabase, verifyJournal, type Database, type TestDatabase } from '@vanban/db';
import { JournalWriter, type SharedJournalWork } from '../src/journal-writer.js';

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

  it('does the pieces of a shared work with one call per batch, each answered its own result, journalled in the order asked', async () => {
    const writer = new JournalWriter(database.pool, 'journal', 'd');
    const calls: number[][] = [];
    const noteAll: SharedJournalWork<number, number> = async (client, journal, items) => {
      calls.push([...items]);
      await client.query('INSERT INTO notes (n) SELECT unnest($1::int[])', [items]);
      for (const n of items) journal({ event: 'noted', n });
      return items.map((n) => n * 10);
    };
    const results = await Promise.all([
      writer.share(noteAll, 300),
      note(writer, 301),
      writer.share(noteAll, 302),
      writer.share(noteAll, 303),
    ]);
    assert.deepEqual(results, [3000, 3010, 3020, 3030]);
    assert.deepEqual(calls, [[300, 302, 303]], 'one call for the three shared pieces of the batch');
    const journal = await database.pool.query<{ n: number }>(`SELECT (body ->> 'n')::int AS n FROM journal WHERE chain = 'd' ORDER BY seq`);
    assert.deepEqual(
      journal.rows.map((r) => r.n),
      [300, 302, 303, 301],
      'the shared pieces where the first of them stood',
    );
  });

  it('fails only the bad item of a shared work: the batch is done again piece by piece', async () => {
    const writer = new JournalWriter(database.pool, 'journal', 'e');
    const noteAll: SharedJournalWork<number, number> = async (client, journal, items) => {
      await client.query('INSERT INTO notes (n) SELECT unnest($1::int[])', [items]);
      for (const n of items) journal({ event: 'noted', n });
      return [...items];
    };
    const outcomes = await Promise.allSettled([writer.share(noteAll, 400), writer.share(noteAll, 5), writer.share(noteAll, 401)]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled'],
      'n = 5 exists already',
    );
    assert.equal((await database.pool.query(`SELECT 1 FROM notes WHERE n IN (400, 401)`)).rowCount, 2);
  });

  it('keeps one chain whole when two processes write to it at once', async () => {
    const first = new JournalWriter(database.pool, 'journal', 'c');
    const second = new JournalWriter(database.pool, 'journal', 'c');
    await Promise.all(Array.from({ length: 40 }, (_, n) => note(n % 2 ? first : second, 200 + n)));
    const { entries, breaks } = await verifyJournal(database.pool, 'journal', 7);
    assert.deepEqual(breaks, []);
    assert.equal(entries, 30 + 3 + 4 + 2 + 40);
  });
});
