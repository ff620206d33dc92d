import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { seedDemoProvince } from '../src/demo/seed.js';
import { migrateOffice } from '../src/office.js';
import { formatRegisterNumber, takeNextNumber } from '../src/registers/numbering.js';
import type { OfficeSchema } from '../src/schema.js';

let testDb: TestDatabase;
let database: Database<OfficeSchema>;
let registerId: string;

before(async () => {
  testDb = await createTestDatabase();
  await migrateOffice(testDb.url);
  database = connect<OfficeSchema>(testDb.url, { max: 12 });
  await seedDemoProvince(database.db);
  const agency = await database.db.selectFrom('agencies').select('id').where('code', '=', '000.00.00.H99').executeTakeFirstOrThrow();
  registerId = (
    await database.db
      .insertInto('registers')
      .values({ agency_id: agency.id, kind: 'incoming', name: 'Sổ đánh số thử' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
after(async () => {
  await database.close();
  await testDb.drop();
});

describe('register numbering', () => {
  it('gives concurrent registrations distinct numbers with no gap, even when some roll back', async () => {
    const attempts = Array.from({ length: 60 }, (_, i) =>
      database.db
        .transaction()
        .execute(async (tx) => {
          const n = await takeNextNumber(tx, registerId, 2026);
          if (i % 7 === 3) throw new Error('registration failed after taking a number');
          return n;
        })
        .then(
          (n) => n,
          () => null,
        ),
    );
    const numbers = (await Promise.all(attempts)).filter((n): n is number => n !== null).sort((a, b) => a - b);
    assert.equal(numbers.length, 60 - 9);
    assert.deepEqual(
      numbers,
      Array.from({ length: numbers.length }, (_, i) => i + 1),
    );
  });

  it('restarts at 1 in a new year and keeps years apart', async () => {
    assert.equal(await takeNextNumber(database.db, registerId, 2027), 1);
    assert.equal(await takeNextNumber(database.db, registerId, 2027), 2);
    assert.equal(await takeNextNumber(database.db, registerId, 2026), 52);
  });

  it('writes numbers with at least two digits', () => {
    assert.equal(formatRegisterNumber(1), '01');
    assert.equal(formatRegisterNumber(125), '125');
  });
});
