import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { connect, createTestDatabase, type TestDatabase } from '../src/index.js';

let testDb: TestDatabase;
before(async () => {
  testDb = await createTestDatabase();
});
after(() => testDb.drop());

describe('a database connection', () => {
  it('closes every pooled connection when only the pool was used, so the process can exit', async () => {
    const database = connect(testDb.url, { max: 3 });
    await Promise.all([1, 2, 3].map(() => database.pool.query('SELECT pg_sleep(0.05)')));
    assert.equal(database.pool.totalCount, 3);
    await database.close();
    assert.equal(database.pool.totalCount, 0);
    assert.equal(database.pool.ended, true);
  });

  it('closes as well when queries went through the query builder too', async () => {
    const database = connect(testDb.url);
    await sql`SELECT 1`.execute(database.db);
    await database.pool.query('SELECT 1');
    await database.close();
    assert.equal(database.pool.totalCount, 0);
  });
});
