import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { buildPackageBytes, buildStatus } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage, sampleStatus } from '@vanban/edxml/testing';
import { CertificateVerifier, RevocationChecker, signEdxml, verifyFile, type Issued } from '@vanban/pki';
import type { RunningHub } from '../src/hub.js';
import { assignAgencies, registerAdministrator, registerPeer, registerSystem, setRoute } from '../src/registry.js';
import { HubHarness, until, type Caller } from './harness.js';

const PROVINCE = '000.00.00.G99';
const NATIONAL = '000.00.00.G01';
const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const FAR = '000.00.01.H44';
/** How long a hop across both hubs may take. */
const WITHIN = 15_000;

interface Pushed {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe('two federated hubs: a provincial hub and the national hub', () => {
  let h: HubHarness;
  let province: RunningHub;
  let national: RunningHub;
  let officeP: Issued;
  let officeFar: Issued;
  let asOfficeP: Caller;
  let asOfficeFar: Caller;
  let asAdmin: Caller;
  let receiver: Server;
  const pushed: Pushed[] = [];
  let refuseNext = 1;
  let documentId: string;

  before(async () => {
    h = await HubHarness.create();
    const p = await h.hub('province', PROVINCE);
    const n = await h.hub('national', NATIONAL);
    province = p.hub;
    national = n.hub;
    officeP = await h.client('office-p');
    officeFar = await h.client('office-far');
    const admin = await h.client('admin');
    asOfficeP = h.caller(officeP);
    asOfficeFar = h.caller(officeFar);
    asAdmin = h.caller(admin);

    // A system that takes deliveries by push, answering 503 to the first one, as a system restarting would.
    receiver = createServer(await h.endpointTls('receiver'), (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refuseNext > 0) {
          refuseNext--;
          res.writeHead(503).end('restarting');
          return;
        }
        pushed.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `https://127.0.0.1:${(receiver.address() as { port: number }).port}/inbox`;

    // The province is set up over the administrator API, the national hub with the registry functions.
    await registerAdministrator(province.pool, { name: 'ops', certSha256: HubHarness.fingerprint(admin) });
    const admin204 = async (method: 'PUT', path: string, body: unknown) => {
      const r = await asAdmin(method, `${province.url}${path}`, JSON.stringify(body));
      assert.equal(r.status, 204, r.body.toString());
    };
    await admin204('PUT', '/admin/systems/office-p', { name: 'Văn phòng điện tử tỉnh', certSha256: HubHarness.fingerprint(officeP) });
    await admin204('PUT', '/admin/systems/office-p/agencies', {
      agencies: [
        { code: UBND, name: 'UBND tỉnh Bình An' },
        { code: STC, name: 'Sở Tài chính' },
      ],
    });
    await admin204('PUT', '/admin/peers/national', {
      name: 'Trục quốc gia',
      hubCode: NATIONAL,
      baseUrl: national.url,
      certSha256: HubHarness.fingerprint(n.clientCert),
    });
    await admin204('PUT', '/admin/routes', { pattern: '*', peerId: 'national' });

    await registerPeer(national.pool, {
      id: 'province-h99',
      name: 'Trục tỉnh Bình An',
      hubCode: PROVINCE,
      baseUrl: province.url,
      certSha256: HubHarness.fingerprint(p.clientCert),
    });
    await setRoute(national.pool, '*.H99', 'province-h99');
    await registerSystem(national.pool, {
      id: 'office-far',
      name: 'Hệ thống tỉnh H44',
      certSha256: HubHarness.fingerprint(officeFar),
      pushUrl: receiverUrl,
    });
    await assignAgencies(national.pool, 'office-far', [{ code: FAR, name: 'Sở Tài chính tỉnh H44' }]);
    await h.ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
  });
  after(async () => {
    receiver?.close();
    await h?.close();
  });

  it('the administrator API is for administrators only and names a wrong route pattern', async () => {
    const byOffice = await asOfficeP('GET', `${province.url}/admin/systems`);
    assert.equal(byOffice.status, 403);
    assert.equal(byOffice.json().check, 'not-allowed');
    const wrong = await asAdmin('PUT', `${province.url}/admin/routes`, JSON.stringify({ pattern: 'H44', peerId: 'national' }));
    assert.equal(wrong.status, 422);
    assert.match(JSON.stringify(wrong.json()), /\*\.H44/);
    const systems = (await asAdmin('GET', `${province.url}/admin/systems`)).json<{ systems: { id: string; agencies: number }[] }>();
    assert.deepEqual(
      systems.systems.map((s) => [s.id, s.agencies]),
      [['office-p', 2]],
    );
    assert.equal((await asOfficeP('POST', `${province.url}/packages`, Buffer.from('<x/>'), {})).status, 422, 'offices still send');
    // An agency merged away is taken off, here put back at once for what follows.
    assert.equal((await asAdmin('DELETE', `${province.url}/admin/agencies/${STC}`)).status, 204);
    assert.equal((await asAdmin('DELETE', `${province.url}/admin/agencies/${STC}`)).status, 404, 'no longer there');
    const left = (await asAdmin('GET', `${province.url}/admin/systems`)).json<{ systems: { id: string; agencies: number }[] }>();
    assert.deepEqual(
      left.systems.map((s) => [s.id, s.agencies]),
      [['office-p', 1]],
    );
    const back = JSON.stringify({ agencies: [{ code: STC, name: 'Sở Tài chính' }] });
    assert.equal((await asAdmin('PUT', `${province.url}/admin/systems/office-p/agencies`, back)).status, 204);
  });

  it('delivers a local recipient by pull and forwards a remote one to the national hub, which pushes it on with both traces', async () => {
    const pkg = samplePackage();
    pkg.to = [
      { agencyCode: STC, name: 'Sở Tài chính' },
      { agencyCode: FAR, name: 'Sở Tài chính tỉnh H44' },
    ];
    documentId = pkg.documentId!;
    const signed = await signEdxml((await buildPackageBytes(pkg, SAMPLE_FILES, 'none')).toString('utf8'), await h.ca.signingKey('ubnd'));
    const sent = await asOfficeP('POST', `${province.url}/packages`, Buffer.from(signed));
    assert.equal(sent.status, 201, sent.body.toString());

    const local = (await asOfficeP('GET', `${province.url}/deliveries?wait=5`)).json<{
      items: { packageId: string; recipient: string }[];
    }>();
    assert.deepEqual(
      local.items.map((d) => d.recipient),
      [STC],
    );
    assert.equal(
      (await asOfficeP('POST', `${province.url}/deliveries/ack`, JSON.stringify({ packageId: local.items[0]!.packageId, recipient: STC })))
        .status,
      204,
    );

    const arrived = await until('the push to the far system', async () => pushed[0], WITHIN);
    assert.equal(refuseNext, 0, 'the first push was refused with 503 and retried');
    assert.equal(arrived.headers['x-vanban-recipients'], FAR);
    assert.equal(arrived.headers['x-vanban-hops'], `${PROVINCE},${NATIONAL}`);
    const traces = [...arrived.body.toString('utf8').matchAll(/<edXML:OrganId>([^<]+)<\/edXML:OrganId><edXML:Timestamp>/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(traces.slice(-2), [PROVINCE, NATIONAL], 'each hub appended its trace, in order');
    const verdict = await verifyFile(arrived.body, new CertificateVerifier(h.ca.trustList(), new RevocationChecker(h.ca.fetcher())));
    assert.equal(verdict.verdict, 'valid', 'the sender’s signature survives two hubs');

    const forwarded = await until(
      'the province to record the forward',
      async () => {
        const { rows } = await province.pool.query<{ remote_id: string | null }>(
          `SELECT remote_id FROM deliveries WHERE recipient_code = $1 AND state = 'acknowledged'`,
          [FAR],
        );
        return rows[0]?.remote_id ?? undefined;
      },
      WITHIN,
    );
    const { rows: atNational } = await national.pool.query<{ id: string }>(`SELECT id FROM packages WHERE document_id = $1`, [documentId]);
    assert.deepEqual(
      atNational.map((r) => r.id),
      [forwarded],
      'the province knows the id the national hub gave the package',
    );
    assert.equal(pushed.length, 1, 'exactly one copy reached the far system');
  });

  it('carries a status message back across both hubs to the sender, waking its long poll', async () => {
    const cursor = (await asOfficeP('GET', `${province.url}/deliveries`)).json<{ items: unknown[] }>().items.length;
    assert.equal(cursor, 0);
    const waiting = asOfficeP('GET', `${province.url}/deliveries?wait=20`);
    const status = buildStatus({
      ...sampleStatus(),
      status: '01',
      from: { agencyCode: FAR, name: 'Sở Tài chính tỉnh H44', organizationInCharge: 'UBND tỉnh H44' },
      responseFor: { agencyCode: UBND, code: '125/UBND-VP', issueDate: '2026-11-20', documentId },
    });
    const started = Date.now();
    assert.equal((await asOfficeFar('POST', `${national.url}/packages`, status)).status, 201);
    const woke = (await waiting).json<{ items: { kind: string; recipient: string; documentId: string }[] }>();
    assert.ok(Date.now() - started < 15_000, 'answered when the status arrived, not at the end of the wait');
    assert.deepEqual(
      woke.items.map((d) => [d.kind, d.recipient, d.documentId]),
      [['status', UBND, documentId]],
    );
  });

  it('tells the whole path of the document across both hubs to the sender', async () => {
    type Path = { entries: { hub: string; body: { event: string; kind?: string; status?: string } }[]; unreachable: unknown[] };
    const steps = (path: Path) =>
      path.entries.map((e) => `${e.hub === PROVINCE ? 'province' : 'national'} ${e.body.event}${e.body.kind ? ` ${e.body.kind}` : ''}`);
    const expected = [
      'province accepted document',
      'province acknowledged',
      'province forwarded',
      'national accepted document',
      'national delivered',
      'national accepted status',
      'national forwarded',
      'province accepted status',
    ];
    // The national hub records its forward of the status only once the provincial hub has answered
    // that push, so the path may lag the status's arrival by a moment.
    let path: Path | undefined;
    try {
      await until(
        'the national hub to record its forward',
        async () => {
          path = (await asOfficeP('GET', `${province.url}/document-path?documentId=${encodeURIComponent(documentId)}`)).json<Path>();
          return steps(path).includes('national forwarded') ? true : undefined;
        },
        WITHIN,
      );
    } catch {
      // The assertions below name what is missing.
    }
    assert.ok(path);
    assert.deepEqual(path.unreachable, []);
    const seen = steps(path);
    for (const step of expected) assert.ok(seen.includes(step), `${step} in ${seen.join('; ')}`);
    const arrived = path.entries.find((e) => e.hub === PROVINCE && e.body.kind === 'status');
    assert.equal(arrived?.body.status, '01', 'the status code is on the record');
    const stranger = h.caller(await h.client('nobody'));
    assert.equal((await stranger('GET', `${province.url}/document-path?documentId=x`)).status, 401);
  });

  it('stops a status message going round between hubs (hops), fails that delivery for good and keeps the journals whole', async () => {
    await setRoute(national.pool, '*.H98', 'province-h99');
    const lost = buildStatus({
      ...sampleStatus(),
      from: { agencyCode: FAR, name: 'Sở Tài chính tỉnh H44', organizationInCharge: 'UBND tỉnh H44' },
      responseFor: { agencyCode: '000.00.02.H98', code: '1/X', issueDate: '2026-11-20', documentId: 'going-round' },
    });
    assert.equal((await asOfficeFar('POST', `${national.url}/packages`, lost)).status, 201);
    const failed = await until(
      'the province to give up on the looping status',
      async () => {
        const { rows } = await province.pool.query<{ last_error: string }>(`SELECT last_error FROM deliveries WHERE state = 'failed'`);
        return rows[0]?.last_error;
      },
      WITHIN,
    );
    assert.match(failed, /^HTTP 508/);
    const refusedLoop = await national.pool.query(
      `SELECT 1 FROM hub_journal WHERE body ->> 'event' = 'refused' AND body ->> 'check' = 'loop'`,
    );
    assert.equal(refusedLoop.rowCount, 1);

    const metrics = (await h.caller(null)('GET', `${province.url}/metrics`)).body.toString();
    assert.match(metrics, /vanban_hub_deliveries_total\{outcome="forwarded"\} 1/);
    assert.match(metrics, /vanban_hub_deliveries_total\{outcome="failed"\} 1/);
    assert.match(metrics, /vanban_hub_failed_deliveries 1/);
    assert.match(metrics, /vanban_hub_oldest_undelivered_seconds \d/);
    assert.match(metrics, /vanban_hub_accepted_total\{kind="document"\} 1/);

    const failedList = (await asAdmin('GET', `${province.url}/admin/deliveries/failed`)).json<{ failed: { recipient: string }[] }>();
    assert.deepEqual(
      failedList.failed.map((f) => f.recipient),
      ['000.00.02.H98'],
    );
    const verified = (await asAdmin('GET', `${province.url}/admin/journal/verify`)).json<{ entries: number; breaks: unknown[] }>();
    assert.deepEqual(verified.breaks, []);
    assert.ok(verified.entries >= 6);

    // Two days on, the province's administrator purges what every recipient took.
    await province.pool.query(`UPDATE packages SET received_at = received_at - interval '2 days'`);
    const { rows: done } = await province.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM packages p WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.package_id = p.id AND d.state <> 'acknowledged')`,
    );
    assert.ok(done[0]!.n >= 1);
    assert.equal((await asAdmin('POST', `${province.url}/admin/purge`, JSON.stringify({ olderThanDays: 0 }))).status, 400);
    const purge = await asAdmin('POST', `${province.url}/admin/purge`, JSON.stringify({ olderThanDays: 1 }));
    assert.deepEqual(purge.json(), { purged: done[0]!.n });
    assert.deepEqual((await asAdmin('GET', `${province.url}/admin/journal/verify`)).json<{ breaks: unknown[] }>().breaks, []);
    assert.equal((await h.caller(null)('GET', `${national.url}/ready`)).status, 200);
  });
});
