import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { migrateOffice, type OfficeSchema } from '@vanban/office';
import { generateProvinceData, type ProvinceDataResult } from './lib/province-data.js';

/** The generated province must look like real traffic, or what the benchmark measures means nothing. */
describe('the generated province', () => {
  let database: TestDatabase;
  let office: Database<OfficeSchema>;
  let result: ProvinceDataResult;
  const until = new Date('2026-11-20T10:00:00+07:00');
  const one = async (query: string) => Number((await office.pool.query(query)).rows[0].n);

  before(async () => {
    database = await createTestDatabase();
    await migrateOffice(database.url);
    office = connect<OfficeSchema>(database.url);
    result = await generateProvinceData(office, { documents: 3000, until, districts: 3, communesPerDistrict: 4 });
  });
  after(async () => {
    await office?.close();
    await database?.drop();
  });

  it('has the agencies asked for and about the number of documents asked for', () => {
    assert.equal(result.agencies, 1 + 20 + 3 + 3 * 4);
    const total = result.outgoing + result.incoming;
    assert.ok(total >= 2900 && total <= 3100, `${total} documents`);
    assert.ok(result.outgoing >= 850 && result.outgoing <= 950, `${result.outgoing} outgoing`);
  });

  it('numbers outgoing documents without gaps per register and year, and the counters follow', async () => {
    assert.equal(
      await one(`SELECT count(*) AS n FROM (SELECT register_id, register_year, max(number) AS m, count(*) AS c
                   FROM outgoing_documents GROUP BY 1, 2) x WHERE m <> c`),
      0,
    );
    assert.equal(
      await one(`SELECT count(*) AS n FROM register_counters c
                  WHERE c.last_number < (SELECT max(number) FROM outgoing_documents o WHERE o.register_id = c.register_id AND o.register_year = c.year)`),
      0,
    );
  });

  it('delivers every recipient inside the installation one incoming copy once issued, and none outside', async () => {
    const inside = await one(`SELECT count(*) AS n FROM outgoing_recipients r JOIN agencies a ON a.code = r.agency_code
                                JOIN outgoing_documents o ON o.id = r.outgoing_id WHERE o.state = 'issued'`);
    assert.equal(await one(`SELECT count(*) AS n FROM incoming_documents WHERE channel = 'internal'`), inside);
    assert.ok(inside < result.recipients, 'some recipients are outside');
    assert.equal(
      await one(`SELECT count(*) AS n FROM incoming_documents i JOIN outgoing_documents o ON o.document_id = i.document_id
                  WHERE i.channel = 'internal' AND i.agency_id = o.agency_id`),
      0,
      'nobody sends to itself',
    );
  });

  it('has incoming documents from every channel, in states that fit their age', async () => {
    for (const channel of ['hub', 'internal', 'paper']) {
      assert.ok((await one(`SELECT count(*) AS n FROM incoming_documents WHERE channel = '${channel}'`)) > 0, channel);
    }
    assert.equal(await one(`SELECT count(*) AS n FROM incoming_documents WHERE received_at > '${until.toISOString()}'`), 0);
    assert.equal(await one(`SELECT count(*) AS n FROM incoming_documents WHERE state = 'completed' AND completed_at IS NULL`), 0);
    assert.equal(await one(`SELECT count(*) AS n FROM incoming_documents WHERE completed_at > '${until.toISOString()}'`), 0);
    const late = await one(
      `SELECT count(*) AS n FROM incoming_documents WHERE (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > due_date`,
    );
    const overdue = await one(
      `SELECT count(*) AS n FROM incoming_documents WHERE state IN ('assigned', 'in_progress') AND due_date < '2026-11-20'`,
    );
    assert.ok(late > 0 && overdue > 0, `late ${late}, overdue ${overdue}`);
    assert.equal(
      await one(`SELECT count(*) AS n FROM incoming_documents i WHERE state IN ('assigned', 'in_progress', 'completed')
                  AND NOT EXISTS (SELECT 1 FROM incoming_assignments a WHERE a.incoming_id = i.id AND a.part = 'lead')`),
      0,
      'every handled document has a lead handler',
    );
  });

  it('issues most outgoing documents the day they are signed, some later, and numbers only those issued', async () => {
    assert.equal(await one(`SELECT count(*) AS n FROM outgoing_documents WHERE (state = 'issued') <> (number IS NOT NULL)`), 0);
    const sameDay = await one(
      `SELECT count(*) AS n FROM outgoing_documents WHERE (issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (signed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`,
    );
    assert.ok(sameDay > result.outgoing * 0.8 && sameDay < result.outgoing, `${sameDay} of ${result.outgoing}`);
  });
});
