import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { until } from '@vanban/hub/testing';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { startTestExchangeSystem, type TestExchangeSystem } from '../src/testing/system.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const SYT = '000.00.09.H99';

interface Incoming {
  id: string;
  state: string;
  senderCode: string | null;
  number: string;
  notation: string;
  subject: string;
  verdict: string | null;
}
interface Status {
  status: string;
  recipientCode: string;
}
interface Sent {
  documentId: string;
  hubState: string;
  recipients: { code: string; latest: { status: string } | null }[];
}
interface Tracked {
  hubState: string;
  statuses: Status[];
  timeline: { action: string }[];
}

describe('a test installation with a real exchange hub', () => {
  let system: TestExchangeSystem;
  const cookies = new Map<string, string>();
  const ids = new Map<string, string>();

  /** A call of the office API as `username` (logged in once), failing unless it answers 200. */
  async function api<T>(username: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let cookie = cookies.get(username);
    if (!cookie) {
      const login = await fetch(`${system.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      assert.equal(login.status, 200, await login.text());
      cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      cookies.set(username, cookie);
    }
    const res = await fetch(`${system.url}/api${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, `${method} ${path}: ${text}`);
    return JSON.parse(text) as T;
  }
  const agency = (code: string) => ids.get(code)!;

  before(async () => {
    system = await startTestExchangeSystem({ credentialsFor: [UBND] });
    for (const a of await system.office.database.db
      .selectFrom('agencies')
      .select(['id', 'code'])
      .where('code', 'in', [UBND, STC, SYT])
      .execute()) {
      ids.set(a.code, a.id);
    }
  });
  after(async () => {
    await system?.stop();
  });

  it('carries a document from one agency to two others through the hub, and their statuses back', async () => {
    const subject = 'Về việc báo cáo tình hình giải ngân vốn đầu tư công';
    const documentId = await system.send(UBND, [STC, SYT], { subject, number: '42' });

    // Both recipients' clerks find it waiting, its signature checked against the trusted CA.
    const arrived = async (code: string, clerk: string) =>
      until(`the document in ${clerk}’s awaiting list`, async () => {
        const list = await api<{ items: Incoming[] }>(clerk, 'GET', `/agencies/${agency(code)}/incoming?state=awaiting`);
        return list.items.find((d) => d.senderCode === UBND && d.number === '42' && d.subject === subject);
      });
    const [atStc, atSyt] = await Promise.all([arrived(STC, 'vt.sotc'), arrived(SYT, 'vt.soyt')]);
    for (const d of [atStc, atSyt]) {
      assert.equal(d.state, 'awaiting');
      assert.equal(d.verdict, 'valid');
      assert.equal(d.notation, 'UBND-VP');
    }

    // The sender's tracking: status 01 (arrived) from each, sent by the connector on arrival.
    const sent = await until('status 01 from both recipients in UBND’s tracking list', async () => {
      const list = await api<{ items: Sent[] }>('vt.ubnd', 'GET', `/agencies/${agency(UBND)}/sent`);
      const doc = list.items.find((d) => d.documentId === documentId);
      return doc?.recipients.every((r) => r.latest?.status === '01') ? doc : undefined;
    });
    assert.equal(sent.hubState, 'sent');
    assert.deepEqual(sent.recipients.map((r) => r.code).sort(), [STC, SYT]);
    const tracked = await api<Tracked>('vt.ubnd', 'GET', `/agencies/${agency(UBND)}/sent/${encodeURIComponent(documentId)}`);
    assert.deepEqual(tracked.statuses.map((s) => [s.recipientCode, s.status]).sort(), [
      [STC, '01'],
      [SYT, '01'],
    ]);
    assert.equal(tracked.timeline[0]?.action, 'send');

    // STC registers it: status 03 comes back to UBND through the hub.
    const registers = await api<{ items: { id: string; classified: boolean }[] }>(
      'vt.sotc',
      'GET',
      `/agencies/${agency(STC)}/registers?kind=incoming`,
    );
    const register = registers.items.find((r) => !r.classified)!;
    await api('vt.sotc', 'POST', `/agencies/${agency(STC)}/incoming/${atStc.id}/register`, { registerId: register.id });
    const after03 = await until('status 03 from STC in UBND’s tracking', async () => {
      const t = await api<Tracked>('vt.ubnd', 'GET', `/agencies/${agency(UBND)}/sent/${encodeURIComponent(documentId)}`);
      return t.statuses.some((s) => s.recipientCode === STC && s.status === '03') ? t : undefined;
    });
    assert.deepEqual(
      after03.statuses.filter((s) => s.recipientCode === SYT).map((s) => s.status),
      ['01'],
      'SYT has not registered it',
    );
    const list = await api<{ items: Sent[] }>('vt.ubnd', 'GET', `/agencies/${agency(UBND)}/sent`);
    const latest = list.items.find((d) => d.documentId === documentId)!.recipients.map((r) => [r.code, r.latest?.status]);
    assert.deepEqual(latest.sort(), [
      [STC, '03'],
      [SYT, '01'],
    ]);
  });
});
