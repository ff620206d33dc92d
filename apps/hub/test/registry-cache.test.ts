import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { signEdxml } from '@vanban/pki';
import { HubHarness, until, type Caller } from './harness.js';
import type { RunningHub } from '../src/hub.js';
import { migrateHub } from '../src/migrate.js';
import { RegistryCache, type RegistryChanges } from '../src/registry-cache.js';
import { assignAgencies, clientByFingerprint, registerPeer, registerSystem, setRoute } from '../src/registry.js';
import type { RoutingTable } from '../src/routing.js';

const UBND = '000.00.00.H99';

describe('the registry a hub keeps in memory', () => {
  let h: HubHarness;
  let hub: RunningHub;
  let asOffice: Caller;
  let signed: Buffer;

  before(async () => {
    h = await HubHarness.create();
    ({ hub } = await h.hub('hub', '000.00.00.G99'));
    const office = await h.client('office');
    asOffice = h.caller(office);
    await registerSystem(hub.pool, { id: 'office', name: 'Office', certSha256: HubHarness.fingerprint(office) });
    await assignAgencies(hub.pool, 'office', [{ code: UBND, name: 'UBND tỉnh' }]);
    await h.ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
    const xml = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    signed = Buffer.from(await signEdxml(xml, await h.ca.signingKey('ubnd')));
  });
  after(() => h?.close());

  const directoryStatus = async () => (await asOffice('GET', `${hub.url}/directory`)).status;

  it('follows changes made behind its back, in plain SQL, without a restart', async () => {
    // Both recipients are unknown yet: refused, and the routing table is now held in memory.
    const refused = await asOffice('POST', `${hub.url}/packages`, signed);
    assert.equal(refused.status, 422);
    assert.equal(refused.json<{ check: string }>().check, 'recipients');
    await hub.pool.query(
      `INSERT INTO system_agencies (agency_code, system_id, agency_name)
       VALUES ('000.00.04.H99', 'office', 'Sở Tài chính'), ('000.00.09.H99', 'office', 'Sở Y tế')`,
    );
    // At once: the hub looks again before refusing, whether or not it has heard of the change yet.
    const sent = await asOffice('POST', `${hub.url}/packages`, signed);
    assert.equal(sent.status, 201, sent.body.toString());

    assert.equal(await directoryStatus(), 200);
    await hub.pool.query(`UPDATE systems SET active = false WHERE id = 'office'`);
    await until('the disabled system is refused', async () => ((await directoryStatus()) === 401 ? true : undefined));
    await hub.pool.query(`UPDATE systems SET active = true WHERE id = 'office'`);
    await until('the system is served again', async () => ((await directoryStatus()) === 200 ? true : undefined));
  });
});

/** Tells of changes only when the test says so, as a signal whose news is still on its way. */
class HeldChanges implements RegistryChanges {
  listening = true;
  readonly #listeners: (() => void)[] = [];
  onRegistryChanged(listener: () => void): () => void {
    this.#listeners.push(listener);
    return () => undefined;
  }
  tell(): void {
    for (const listener of this.#listeners) listener();
  }
}

describe('what the registry cache keeps and when it looks again', () => {
  let testDb: TestDatabase;
  let database: Database<unknown>;
  const routes = (table: RoutingTable) => table.peerRoutes.map((r) => r.pattern).sort();

  before(async () => {
    testDb = await createTestDatabase();
    await migrateHub(testDb.url);
    database = connect(testDb.url, { max: 3 });
    await registerPeer(database.pool, {
      id: 'national',
      name: 'Trục quốc gia',
      hubCode: '000.00.00.G01',
      baseUrl: 'https://national.test',
      certSha256: 'aa'.repeat(32),
    });
  });
  after(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('keeps the routing table until told of a change, and reads it afresh when asked', async () => {
    const changes = new HeldChanges();
    const cache = new RegistryCache(database.pool, changes);
    assert.deepEqual(routes(await cache.routingTable()), []);
    await setRoute(database.pool, '*.H44', 'national');
    assert.deepEqual(routes(await cache.routingTable()), [], 'kept while the news is on its way');
    assert.deepEqual(routes(await cache.routingTable({ fresh: true })), ['*.H44']);
    assert.deepEqual(routes(await cache.routingTable()), ['*.H44'], 'the fresh read is kept');

    await setRoute(database.pool, '*.H98', 'national');
    changes.tell();
    assert.deepEqual(routes(await cache.routingTable()), ['*.H44', '*.H98']);
  });

  it('knows a system registered a moment ago at once, keeps known ones until told, and keeps nothing while deaf', async () => {
    const changes = new HeldChanges();
    const cache = new RegistryCache(database.pool, changes);
    const fingerprint = 'bb'.repeat(32);
    assert.equal(await cache.client(fingerprint), null);
    await registerSystem(database.pool, { id: 'late', name: 'Late office', certSha256: fingerprint });
    assert.equal((await cache.client(fingerprint))?.id, 'late', 'a stranger is not kept as one');

    await assignAgencies(database.pool, 'late', [{ code: UBND, name: 'UBND tỉnh' }]);
    const kept = await cache.client(fingerprint);
    assert.ok(kept?.kind === 'system' && kept.speaksFor.size === 0, 'kept while the news is on its way');
    const fresh = await cache.client(fingerprint, { fresh: true });
    assert.ok(fresh?.kind === 'system' && fresh.speaksFor.has(UBND));

    await database.pool.query(`UPDATE systems SET active = false WHERE id = 'late'`);
    changes.tell();
    assert.equal(await cache.client(fingerprint), null);

    changes.listening = false;
    await database.pool.query(`UPDATE systems SET active = true WHERE id = 'late'`);
    assert.equal((await cache.client(fingerprint))?.id, 'late');
    await setRoute(database.pool, '*.H01', 'national');
    assert.ok(routes(await cache.routingTable()).includes('*.H01'));
  });

  it('keeps a certificate a system is moving away from no longer than its day, though nothing is told', async () => {
    const changes = new HeldChanges();
    const cache = new RegistryCache(database.pool, changes);
    const [old, renewed] = ['cc'.repeat(32), 'dd'.repeat(32)];
    await registerSystem(database.pool, { id: 'moving', name: 'Moving office', certSha256: old });
    await registerSystem(database.pool, { id: 'moving', name: 'Moving office', certSha256: renewed, keepPreviousDays: 1 });
    // Its day ends in a moment, as every such day ends some time: no registry change marks it.
    await database.pool.query(`UPDATE systems SET previous_cert_until = now() + interval '2 seconds' WHERE id = 'moving'`);
    const kept = await cache.client(old);
    assert.ok(kept?.kind === 'system' && kept.id === 'moving' && kept.until, 'known by its old certificate, with its day');
    await until('the old certificate is refused once its day is over', async () => ((await cache.client(old)) === null ? true : undefined));
    assert.equal((await cache.client(renewed))?.id, 'moving');
  });

  it('knows a peer hub by its old certificate for the days asked, and only by the new one when none are', async () => {
    const peer = { id: 'province-h44', name: 'Trục tỉnh H44', hubCode: '000.00.00.G44', baseUrl: 'https://h44.test' };
    const [old, renewed, next] = ['e1'.repeat(32), 'e2'.repeat(32), 'e3'.repeat(32)];
    await registerPeer(database.pool, { ...peer, certSha256: old });
    await registerPeer(database.pool, { ...peer, certSha256: renewed, keepPreviousDays: 3 });
    const byOld = await clientByFingerprint(database.pool, old);
    assert.ok(byOld?.kind === 'peer' && byOld.id === 'province-h44' && byOld.until, 'by the old certificate, with its day');
    const byNew = await clientByFingerprint(database.pool, renewed);
    assert.ok(byNew?.kind === 'peer' && byNew.until === undefined);
    await registerPeer(database.pool, { ...peer, certSha256: next });
    assert.equal(await clientByFingerprint(database.pool, renewed), null, 'replaced at once');
    assert.equal(await clientByFingerprint(database.pool, old), null);
    await assert.rejects(registerPeer(database.pool, { ...peer, certSha256: old, keepPreviousDays: 0 }), /1 to 90/);
  });
});
