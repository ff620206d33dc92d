import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, verifyJournal, type Database, type TestDatabase } from '@vanban/db';
import { DEFAULT_LIMITS, buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { HubClient } from '@vanban/exchange';
import { CertificateAuthority, CertificateVerifier, RevocationChecker, signEdxml, verifyFile, type Issued } from '@vanban/pki';
import type { FastifyInstance } from 'fastify';
import { PackageExaminer } from '../src/examiner.js';
import { migrateHub } from '../src/migrate.js';
import { assignAgencies, certificateFingerprint, listSystems, registerSystem, removeAgencies } from '../src/registry.js';
import { purgeDelivered } from '../src/retention.js';
import { buildHubServer } from '../src/server.js';

const HUB = '000.00.00.G22';
const UBND = '000.00.00.H99';

interface Reply {
  status: number;
  body: Buffer;
  json: () => Record<string, unknown>;
}

describe('the hub over mutual TLS', () => {
  let testDb: TestDatabase;
  let database: Database<unknown>;
  let ca: CertificateAuthority;
  let hub: FastifyInstance;
  let examiner: PackageExaminer | undefined;
  let port: number;
  let officeA: Issued;
  let officeB: Issued;
  let stranger: Issued;
  let caPem: string;
  let signed: string;

  const fingerprint = (issued: Issued) => certificateFingerprint(issued.certificate.rawData);

  /** One HTTPS call as a connected system (or with no client certificate). */
  function call(
    as: Issued | null,
    method: string,
    path: string,
    body?: Buffer | string,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          servername: 'localhost',
          ca: caPem,
          ...(as ? { key: readFileSync(as.keyFile), cert: readFileSync(as.certificateFile) } : {}),
          headers: {
            ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'application/json' : 'application/xml' }),
            ...headers,
          },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const all = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, body: all, json: () => JSON.parse(all.toString('utf8')) as Record<string, unknown> });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  /** The sample package, changed, signed by the UBND. */
  const fresh = async (change: (p: ReturnType<typeof samplePackage>) => void) => {
    const p = samplePackage();
    change(p);
    return signEdxml((await buildPackageBytes(p, SAMPLE_FILES, 'none')).toString('utf8'), await ca.signingKey('ubnd'));
  };
  const packagesStored = async () => Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM packages')).rows[0]!.n);

  const folder = mkdtempSync(join(tmpdir(), 'vanban-hub-server-'));
  before(async () => {
    testDb = await createTestDatabase();
    await migrateHub(testDb.url);
    database = connect(testDb.url, { max: 5 });
    ca = await CertificateAuthority.create(join(folder, 'ca'), {
      name: 'vanban Hub Test',
      baseUrl: 'http://ca.test',
    });
    caPem = ca.caPem();
    const server = await ca.issue({ name: 'hub', profile: 'tls-server', subject: { commonName: 'hub.test' }, dnsNames: ['localhost'] });
    officeA = await ca.issue({ name: 'office-a', profile: 'tls-client', subject: { commonName: 'office-a' } });
    officeB = await ca.issue({ name: 'office-b', profile: 'tls-client', subject: { commonName: 'office-b' } });
    stranger = await ca.issue({ name: 'stranger', profile: 'tls-client', subject: { commonName: 'stranger' } });
    await ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
    await registerSystem(database.pool, { id: 'office-a', name: 'Office A', certSha256: fingerprint(officeA) });
    await registerSystem(database.pool, { id: 'office-b', name: 'Office B', certSha256: fingerprint(officeB) });
    await assignAgencies(database.pool, 'office-a', [{ code: UBND, name: 'UBND tỉnh Bình An' }]);
    await assignAgencies(database.pool, 'office-b', [
      { code: '000.00.04.H99', name: 'Sở Tài chính' },
      { code: '000.00.09.H99', name: 'Sở Y tế' },
    ]);
    hub = await buildHubServer({
      pool: database.pool,
      blobs: new BlobStore(join(folder, 'blobs')),
      examiner: (examiner = await PackageExaminer.start({ trust: ca.trustList(), revocation: ca.fetcher(), limits: DEFAULT_LIMITS })),
      hubCode: HUB,
      tls: { key: readFileSync(server.keyFile, 'utf8'), cert: readFileSync(server.certificateFile, 'utf8'), ca: caPem },
    });
    await hub.listen({ host: '127.0.0.1', port: 0 });
    port = (hub.server.address() as { port: number }).port;
    const xml = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    signed = await signEdxml(xml, await ca.signingKey('ubnd'));
  });
  after(async () => {
    await hub?.close();
    await examiner?.close();
    await database?.close();
    await testDb?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('takes a signed package, delivers one copy per recipient with its trace appended, and forgets nothing on resend', async () => {
    const sent = await call(officeA, 'POST', '/packages', Buffer.from(signed));
    assert.equal(sent.status, 201, sent.body.toString());
    const id = sent.json().id as string;
    assert.equal(id, createHash('sha256').update(signed).digest('hex'));

    const again = await call(officeA, 'POST', '/packages', Buffer.from(signed));
    assert.equal(again.status, 200);
    assert.deepEqual(again.json(), { id, duplicate: true });

    const pending = (await call(officeB, 'GET', '/deliveries')).json() as {
      items: { packageId: string; recipient: string; size: number }[];
    };
    assert.deepEqual(pending.items.map((d) => [d.packageId, d.recipient]).sort(), [
      [id, '000.00.04.H99'],
      [id, '000.00.09.H99'],
    ]);
    assert.deepEqual(
      ((await call(officeA, 'GET', '/deliveries')).json() as { items: unknown[] }).items,
      [],
      'nothing is owed to the sender',
    );

    const fetched = await call(officeB, 'GET', `/packages/${id}`);
    assert.equal(fetched.status, 200);
    const text = fetched.body.toString('utf8');
    assert.match(
      text,
      new RegExp(
        `<edXML:TraceHeader><edXML:OrganId>${HUB}</edXML:OrganId><edXML:Timestamp>\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}</edXML:Timestamp></edXML:TraceHeader><edXML:Bussiness>`,
      ),
    );
    const verdict = await verifyFile(fetched.body, new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher())));
    assert.equal(verdict.verdict, 'valid', 'the sender’s signature survives the hub’s trace');
    assert.equal((await call(officeA, 'GET', `/packages/${id}`)).status, 404, 'a package is fetched only by a system it is owed to');

    // The listing can bring the bytes along: the same as fetched, the package once though owed
    // twice. The budget counts the sizes listed, as received: the bytes carried hold the hub's trace too.
    const size = pending.items[0]!.size;
    assert.equal(size, Buffer.byteLength(signed));
    const client = new HubClient({
      url: `https://localhost:${port}`,
      tls: { key: readFileSync(officeB.keyFile, 'utf8'), cert: readFileSync(officeB.certificateFile, 'utf8'), ca: caPem },
    });
    try {
      const carried = await client.pending({ content: size });
      assert.deepEqual(
        carried.items.map((d) => [d.carried, d.content?.equals(fetched.body)]),
        [
          [true, true],
          [undefined, undefined],
        ],
      );
      assert.deepEqual(
        (await client.pending({ content: size - 1 })).items.map((d) => d.content),
        [undefined, undefined],
        'a package larger than the budget is listed without its bytes',
      );
      const plain = await call(officeB, 'GET', `/deliveries?content=0`);
      assert.deepEqual(plain.json().items, pending.items, 'without a budget the answer is the page as JSON');
    } finally {
      await client.close();
    }
    assert.equal((await call(officeB, 'GET', `/deliveries?content=${64 * 1024 * 1024}`)).status, 400, 'a page carries at most 32 MiB');

    const ack = (body: unknown) => call(officeB, 'POST', '/deliveries/ack', JSON.stringify(body));
    const first = { packageId: id, recipient: '000.00.04.H99' };
    assert.equal((await ack(first)).status, 204);
    assert.equal((await ack(first)).status, 204, 'twice is fine');
    assert.equal((await ack({ items: [] })).status, 400, 'a list names at least one delivery');
    // A page at once: one outcome per delivery, in order.
    const page = await ack({
      items: [first, { packageId: id, recipient: '000.00.09.H99' }, { packageId: id, recipient: '000.00.99.H99' }],
    });
    assert.equal(page.status, 200);
    assert.deepEqual(page.json(), { outcomes: ['already', 'acknowledged', 'unknown'] });
    assert.deepEqual(((await call(officeB, 'GET', '/deliveries')).json() as { items: unknown[] }).items, []);
    const journal = await verifyJournal(database.pool, 'hub_journal');
    assert.deepEqual(journal.breaks, []);
  });

  it('refuses, naming the check, and stores nothing: no or unknown client certificate, wrong sender, bad signature, classified, unknown recipient, malformed, loop', async () => {
    const before = await packagesStored();
    const refused = async (reply: Promise<Reply>, status: number, check: string) => {
      const r = await reply;
      assert.equal(r.status, status, r.body.toString());
      const body = r.json() as { check: string; message: { vi: string; en: string } };
      assert.equal(body.check, check);
      assert.ok(body.message.vi && body.message.en);
      return body;
    };
    await refused(call(null, 'POST', '/packages', Buffer.from(signed)), 401, 'client-certificate');
    await refused(call(stranger, 'POST', '/packages', Buffer.from(signed)), 401, 'client-certificate');
    await refused(call(officeB, 'POST', '/packages', Buffer.from(await fresh((p) => (p.subject = 'Khác')))), 403, 'sender');
    const tampered = (await fresh((p) => (p.subject = 'Một'))).replace('<edXML:Subject>Một', '<edXML:Subject>Hai');
    const signature = await refused(call(officeA, 'POST', '/packages', Buffer.from(tampered)), 422, 'signature');
    assert.ok(JSON.stringify(signature).includes('integrity'));
    await refused(
      call(officeA, 'POST', '/packages', Buffer.from(await fresh((p) => (p.subject = 'Mật'))), { 'x-classification': 'secret' }),
      422,
      'classified',
    );
    const unknown = await refused(
      call(officeA, 'POST', '/packages', Buffer.from(await fresh((p) => p.to.push({ agencyCode: '000.00.01.H98', name: 'Nơi khác' })))),
      422,
      'recipients',
    );
    assert.match(JSON.stringify(unknown), /000\.00\.01\.H98/);
    await refused(call(officeA, 'POST', '/packages', Buffer.from('<edXML>not really</edXML>')), 422, 'format');
    await refused(call(officeA, 'POST', '/packages', Buffer.from(signed.slice(0, 2000))), 422, 'format');
    await refused(
      call(officeA, 'POST', '/packages', Buffer.from(await fresh((p) => p.traces.push({ agencyCode: HUB, at: '2026-11-25T09:00:00' })))),
      508,
      'loop',
    );
    assert.equal(await packagesStored(), before);
    const { rows } = await database.pool.query<{ check: string }>(
      `SELECT body ->> 'check' AS check FROM hub_journal WHERE body ->> 'event' = 'refused'`,
    );
    assert.ok(rows.length >= 9, 'every refusal is on the record');
    assert.deepEqual((await verifyJournal(database.pool, 'hub_journal')).breaks, []);
    assert.equal((await call(null, 'GET', '/health')).status, 200, 'the hub keeps serving');
  });

  it('lists the reachable agencies to connected systems only', async () => {
    const listed = (await call(officeA, 'GET', '/directory')).json() as { hubCode: string; agencies: { code: string }[] };
    assert.equal(listed.hubCode, HUB);
    assert.deepEqual(
      listed.agencies.map((a) => a.code),
      ['000.00.00.H99', '000.00.04.H99', '000.00.09.H99'],
    );
    assert.equal((await call(null, 'GET', '/directory')).status, 401);
  });

  it('answers a fetch of purged bytes 410, and stores the bytes again for a recipient named later', async () => {
    const bytes = Buffer.from(await fresh((p) => (p.subject = 'Lưu trữ')));
    const toFinance = { 'x-vanban-recipients': '000.00.04.H99' };
    const sent = await call(officeA, 'POST', '/packages', bytes, toFinance);
    assert.equal(sent.status, 201, sent.body.toString());
    const id = sent.json().id as string;
    assert.equal((await call(officeB, 'GET', `/packages/${id}`)).status, 200);
    const ack = await call(officeB, 'POST', '/deliveries/ack', JSON.stringify({ packageId: id, recipient: '000.00.04.H99' }));
    assert.equal(ack.status, 204);
    await purgeDelivered(database.pool, new BlobStore(join(folder, 'blobs')), new Date(Date.now() + 60_000));

    const gone = await call(officeB, 'GET', `/packages/${id}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.json().check, 'purged');
    const resent = await call(officeA, 'POST', '/packages', bytes, toFinance);
    assert.deepEqual(resent.json(), { id, duplicate: true }, 'a resend to the recipients served changes nothing');
    const toHealth = await call(officeA, 'POST', '/packages', bytes, { 'x-vanban-recipients': '000.00.09.H99' });
    assert.deepEqual([toHealth.status, toHealth.json()], [200, { id, duplicate: false }]);
    const fetched = await call(officeB, 'GET', `/packages/${id}`);
    assert.equal(fetched.status, 200);
    const verdict = await verifyFile(fetched.body, new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher())));
    assert.equal(verdict.verdict, 'valid');
    assert.deepEqual((await verifyJournal(database.pool, 'hub_journal')).breaks, []);
  });

  it('refuses a package to an agency taken off the registry (merged or dissolved) and leaves it out of the directory', async () => {
    const toHealth = await fresh((p) => (p.to = [{ agencyCode: '000.00.09.H99', name: 'Sở Y tế' }]));
    assert.deepEqual(await removeAgencies(database.pool, ['000.00.09.H99', '000.00.77.H99']), {
      removed: ['000.00.09.H99'],
      unknown: ['000.00.77.H99'],
    });
    const stored = await packagesStored();
    const refused = await call(officeA, 'POST', '/packages', Buffer.from(toHealth));
    assert.equal(refused.status, 422, refused.body.toString());
    assert.deepEqual(refused.json().details, { unknown: ['000.00.09.H99'] });
    assert.equal(await packagesStored(), stored);
    const listed = (await call(officeA, 'GET', '/directory')).json() as { agencies: { code: string }[] };
    assert.deepEqual(
      listed.agencies.map((a) => a.code),
      ['000.00.00.H99', '000.00.04.H99'],
    );
  });

  it('lets a system move to a new certificate: the old one is still taken for the days asked, and refused after', async () => {
    const renewed = await ca.issue({ name: 'office-a-renewed', profile: 'tls-client', subject: { commonName: 'office-a' } });
    const directoryStatus = async (as: Issued) => (await call(as, 'GET', '/directory')).status;
    await registerSystem(database.pool, { id: 'office-a', name: 'Office A', certSha256: fingerprint(renewed), keepPreviousDays: 7 });
    assert.equal(await directoryStatus(officeA), 200, 'the old certificate, kept');
    assert.equal(await directoryStatus(renewed), 200, 'the new one');
    const listed = (await listSystems(database.pool)).find((s) => s.id === 'office-a')!;
    assert.equal(listed.previousCertSha256, fingerprint(officeA));
    const days = (listed.previousCertUntil!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `kept ${days} days`);

    await database.pool.query(`UPDATE systems SET previous_cert_until = now() - interval '1 second' WHERE id = 'office-a'`);
    assert.equal(await directoryStatus(officeA), 401, 'the old certificate, after its day');
    // Back to the first certificate, at once: the other is not kept.
    await registerSystem(database.pool, { id: 'office-a', name: 'Office A', certSha256: fingerprint(officeA) });
    assert.equal(await directoryStatus(renewed), 401);
    assert.equal(await directoryStatus(officeA), 200);
    await assert.rejects(
      registerSystem(database.pool, { id: 'office-a', name: 'Office A', certSha256: fingerprint(renewed), keepPreviousDays: 91 }),
      /1 to 90/,
    );
    await assert.rejects(
      registerSystem(database.pool, { id: 'office-b', name: 'Office B', certSha256: fingerprint(officeA) }),
      /registered to another system or hub already/,
    );
    assert.equal(await directoryStatus(officeA), 200, 'a refused change changes nothing');
    assert.equal(await directoryStatus(officeB), 200);
  });
});
