import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { until } from '@vanban/hub/testing';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { DEMO_TRAFFIC_SENDERS, seedDemoTraffic } from '../src/demo/traffic.js';
import { startTestExchangeSystem, type TestExchangeSystem } from '../src/testing/system.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const SYT = '000.00.09.H99';

interface Incoming {
  senderCode: string | null;
  subject: string;
  verdict: string | null;
  urgency: string;
}

describe('demo traffic', () => {
  let system: TestExchangeSystem;

  /** The awaiting list of `code` as its clerk sees it. */
  async function awaiting(code: string, clerk: string): Promise<Incoming[]> {
    const login = await fetch(`${system.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: clerk, password: DEMO_PASSWORD }),
    });
    assert.equal(login.status, 200, await login.text());
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const agency = await system.office.database.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    const res = await fetch(`${system.url}/api/agencies/${agency.id}/incoming?state=awaiting`, { headers: { cookie } });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { items: Incoming[] }).items;
  }

  before(async () => {
    system = await startTestExchangeSystem({ credentialsFor: DEMO_TRAFFIC_SENDERS });
  });
  after(async () => {
    await system?.stop();
  });

  it('sends signed documents between the demo agencies once, and they arrive valid in the clerks’ awaiting lists', async () => {
    const db = system.office.database.db;
    const { sent } = await seedDemoTraffic(db, system.files, system.keys);
    assert.ok(sent >= 5, `sent ${sent}`);

    const outbox = await db.selectFrom('hub_outbox').select(['from_code', 'to_codes']).where('kind', '=', 'document').execute();
    assert.equal(outbox.length, sent);
    const deliveries = outbox.flatMap((o) => o.to_codes.map((to) => ({ from: o.from_code, to })));
    const expected = (code: string) => deliveries.filter((d) => d.to === code).length;
    assert.ok(expected(UBND) >= 1, 'something for vt.ubnd');
    assert.ok(expected(STC) >= 1, 'something for vt.sotc');

    // Every recipient of the three clerks checked finds all its documents, each signature valid.
    for (const [code, clerk] of [
      [UBND, 'vt.ubnd'],
      [STC, 'vt.sotc'],
      [SYT, 'vt.soyt'],
    ] as const) {
      const items = await until(`${expected(code)} documents in ${clerk}’s awaiting list`, async () => {
        const list = await awaiting(code, clerk);
        return list.length >= expected(code) ? list : undefined;
      });
      assert.equal(items.length, expected(code), clerk);
      for (const d of items) {
        assert.equal(d.verdict, 'valid', `${clerk}: ${d.subject}`);
        assert.ok(DEMO_TRAFFIC_SENDERS.includes(d.senderCode!), d.senderCode ?? 'no sender');
      }
    }
    const urgencies = new Set((await awaiting(STC, 'vt.sotc')).map((d) => d.urgency));
    assert.ok(urgencies.size > 1, 'varied urgencies');

    const again = await seedDemoTraffic(db, system.files, system.keys);
    assert.equal(again.sent, 0);
    assert.equal((await db.selectFrom('hub_outbox').select('id').where('kind', '=', 'document').execute()).length, sent);
  });
});
