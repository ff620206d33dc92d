import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { connect, createTestDatabase, migrate, type Database, type TestDatabase } from '../src/index.js';

let testDb: TestDatabase;
let database: Database<unknown>;
before(async () => {
  testDb = await createTestDatabase();
  database = connect(testDb.url);
});
after(async () => {
  await database.close();
  await testDb.drop();
});

describe('migrations', () => {
  const first = [
    { name: '0001_create_a.sql', sql: 'CREATE TABLE a (id int PRIMARY KEY);' },
    { name: '0002_create_b.sql', sql: 'CREATE TABLE b (id int PRIMARY KEY);' },
  ];

  it('applies each migration once, in order, even when processes race', async () => {
    const results = await Promise.all([migrate(database.pool, 'demo', first), migrate(database.pool, 'demo', first)]);
    assert.deepEqual(results.flat().sort(), ['0001_create_a.sql', '0002_create_b.sql']);
    assert.deepEqual(await migrate(database.pool, 'demo', first), []);
  });

  it('refuses a migration whose text changed after it was applied', async () => {
    const edited = [{ name: '0001_create_a.sql', sql: 'CREATE TABLE a (id bigint PRIMARY KEY);' }];
    await assert.rejects(migrate(database.pool, 'demo', edited), /was changed after it was applied/);
  });

  it('rolls back a failing migration whole and names it', async () => {
    const bad = [...first, { name: '0003_half.sql', sql: 'CREATE TABLE c (id int); SELECT * FROM missing_table;' }];
    await assert.rejects(migrate(database.pool, 'demo', bad), /0003_half.sql failed/);
    const { rows } = await database.pool.query("SELECT to_regclass('c') AS c");
    assert.equal(rows[0].c, null);
  });

  it('has unaccent and pg_trgm available', async () => {
    await database.pool.query('CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;');
    const { rows } = await database.pool.query("SELECT unaccent('văn bản đến') AS t");
    assert.equal(rows[0].t, 'van ban den');
  });
});
