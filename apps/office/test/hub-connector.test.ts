import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { HubClient } from '@vanban/exchange';
import { assignAgencies, registerSystem, type RunningHub } from '@vanban/hub';
import { HubHarness, until } from '@vanban/hub/testing';
import { CertificateVerifier, RevocationChecker, signEdxml, type Issued } from '@vanban/pki';
import { ClassifiedThroughHubError, HubConnector, queueForHub, type ConnectorOptions } from '../src/hub-connector/connector.js';
import { seedDemoProvince } from '../src/demo/seed.js';
import { takeArrivals } from '../src/incoming/intake.js';
import { migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const SYT = '000.00.09.H99';

describe('the office’s hub connector', () => {
  let h: HubHarness;
  let hub: RunningHub;
  let hubDb: TestDatabase;
  let hubBlobs: string;
  let hubPort: number;
  let officeDb: TestDatabase;
  let office: Database<OfficeSchema>;
  let officeCert: Issued;
  let connector: HubConnector;
  let signed: Buffer;

  const files = new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-office-files-')));
  const newConnector = (extra: Partial<ConnectorOptions> = {}) =>
    new HubConnector({
      db: office.db,
      files,
      hub: new HubClient({
        url: hub.url,
        tls: { key: readFileSync(officeCert.keyFile, 'utf8'), cert: readFileSync(officeCert.certificateFile, 'utf8'), ca: h.caPem },
      }),
      backoff: { baseMs: 50, capMs: 300 },
      pollWaitSeconds: 2,
      intake: async () => {
        const { taken, unplaced } = await takeArrivals({
          db: office.db,
          files,
          verifier: new CertificateVerifier(h.ca.trustList(), new RevocationChecker(h.ca.fetcher())),
        });
        return taken + unplaced.length;
      },
      ...extra,
    });
  const outbox = (id: string) => office.db.selectFrom('hub_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  before(async () => {
    h = await HubHarness.create();
    const started = await h.hub('hub', '000.00.00.G99');
    ({ hub, database: hubDb, blobsDir: hubBlobs } = started);
    hubPort = hub.port;
    officeCert = await h.client('office');
    await registerSystem(hub.pool, { id: 'office', name: 'Văn phòng điện tử tỉnh', certSha256: HubHarness.fingerprint(officeCert) });
    await assignAgencies(hub.pool, 'office', [
      { code: UBND, name: 'UBND tỉnh' },
      { code: STC, name: 'Sở Tài chính' },
      { code: SYT, name: 'Sở Y tế' },
    ]);
    await h.ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
    signed = Buffer.from(
      await signEdxml((await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8'), await h.ca.signingKey('ubnd')),
    );
    officeDb = await createTestDatabase();
    await migrateOffice(officeDb.url);
    office = connect<OfficeSchema>(officeDb.url, { max: 5 });
    await seedDemoProvince(office.db);
    connector = newConnector();
  });
  after(async () => {
    await connector?.stop().catch(() => undefined);
    await office?.close();
    await officeDb?.drop();
    await h?.close();
  });

  const message = {
    kind: 'document' as const,
    documentId: samplePackage().documentId!,
    from: UBND,
    to: [STC, SYT],
    classification: 'none' as const,
  };
  /** Signs the sample package under `documentId`, queues it and sends it: its outbox row and its bytes. */
  const sendSample = async (documentId: string) => {
    const bytes = Buffer.from(
      await signEdxml(
        (await buildPackageBytes({ ...samplePackage(), documentId }, SAMPLE_FILES, 'none')).toString('utf8'),
        await h.ca.signingKey('ubnd'),
      ),
    );
    const id = await connector.enqueue(office.db, { ...message, documentId, bytes });
    assert.equal(await connector.sendDue(), 1);
    return { sent: await outbox(id), bytes };
  };

  it('never queues a classified document for the hub', async () => {
    await assert.rejects(connector.enqueue(office.db, { ...message, bytes: signed, classification: 'secret' }), ClassifiedThroughHubError);
    assert.equal((await office.db.selectFrom('hub_outbox').select('id').execute()).length, 0);
  });

  it('sends what is queued while the hub is down once it is back, and takes in each recipient’s copy once', async () => {
    await hub.stop();
    const id = await connector.enqueue(office.db, { ...message, bytes: signed });
    assert.equal(await connector.sendDue(), 1);
    const waiting = await outbox(id);
    assert.equal(waiting.state, 'queued');
    assert.match(waiting.last_error ?? '', /ECONNREFUSED|connect/i, 'the failure is on the record');

    ({ hub } = await h.hub('hub', '000.00.00.G99', { port: hubPort, database: hubDb, blobsDir: hubBlobs }));
    connector.start();
    const sent = await until('the hub to accept the queued package', async () => {
      const row = await outbox(id);
      return row.state === 'sent' ? row : undefined;
    });
    assert.match(sent.hub_package_id ?? '', /^[0-9a-f]{64}$/);
    const inbox = await until('both recipients’ copies', async () => {
      const rows = await office.db.selectFrom('hub_inbox').selectAll().orderBy('recipient_code').execute();
      return rows.length === 2 ? rows : undefined;
    });
    assert.deepEqual(
      inbox.map((r) => [r.recipient_code, r.package_id, r.kind]),
      [
        [STC, sent.hub_package_id, 'document'],
        [SYT, sent.hub_package_id, 'document'],
      ],
    );
    const statuses = await until('status 01 from both recipients back at the sender', async () => {
      const rows = await office.db.selectFrom('hub_inbox').selectAll().where('kind', '=', 'status').orderBy('received_at').execute();
      return rows.length === 2 ? rows : undefined;
    });
    assert.deepEqual(statuses.map((r) => [r.recipient_code, r.document_id]).sort(), [
      [UBND, message.documentId],
      [UBND, message.documentId],
    ]);
    assert.deepEqual(statuses.map((r) => r.from_code).sort(), [STC, SYT]);
    const awaiting = await until('both copies in the receiving agencies’ awaiting lists', async () => {
      const rows = await office.db
        .selectFrom('incoming_documents as d')
        .innerJoin('agencies as a', 'a.id', 'd.agency_id')
        .select(['a.code', 'd.state', 'd.verdict'])
        .orderBy('a.code')
        .execute();
      return rows.length === 2 ? rows : undefined;
    });
    assert.deepEqual(
      awaiting.map((r) => [r.code, r.state, r.verdict]),
      [
        [STC, 'awaiting', 'valid'],
        [SYT, 'awaiting', 'valid'],
      ],
    );
    const reported = await office.db.selectFrom('hub_inbox').select('arrival_reported_at').where('kind', '=', 'document').execute();
    assert.ok(reported.every((r) => r.arrival_reported_at !== null));
    assert.equal(await connector.reportArrivals(), 0, 'each arrival is reported once');
    // Stored, then acknowledged: the last acknowledgement may still be on its way when the rows are seen.
    await until('every delivery acknowledged', async () => {
      const pending = await hub.pool.query(`SELECT 1 FROM deliveries WHERE state = 'pending'`);
      return pending.rowCount === 0 ? true : undefined;
    });
  });

  it('takes a package offered again (its acknowledgement lost) without a second copy', async () => {
    await connector.stop();
    await hub.pool.query(
      `UPDATE deliveries SET state = 'pending', acknowledged_at = NULL WHERE package_id IN (SELECT id FROM packages WHERE kind = 'document')`,
    );
    connector = newConnector();
    assert.equal(await connector.receiveOnce(), 2, 'offered again');
    assert.equal(
      (await office.db.selectFrom('hub_inbox').select('package_id').where('kind', '=', 'document').execute()).length,
      2,
      'still one copy per recipient',
    );
    assert.equal((await hub.pool.query(`SELECT 1 FROM deliveries WHERE state = 'pending'`)).rowCount, 0);
  });

  it('records the hub’s refusal, naming the check, and does not retry it', async () => {
    const tampered = Buffer.from(signed.toString('utf8').replace('<edXML:Subject>', '<edXML:Subject>Sửa '));
    const id = await connector.enqueue(office.db, { ...message, bytes: tampered });
    assert.equal(await connector.sendDue(), 1);
    const refused = await outbox(id);
    assert.equal(refused.state, 'refused');
    assert.equal((refused.refusal as { check: string }).check, 'signature');
    assert.equal(await connector.sendDue(), 0);
  });

  it('wakes at once for a message another process queued, instead of at its next idle round', async () => {
    await connector.stop();
    connector = newConnector({ idleMs: 600_000, listen: office.pool });
    connector.start();
    // Let the first round find nothing and rest; only the database's signal can end that rest.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const id = await office.db.transaction().execute((tx) => queueForHub(tx, files, { ...message, bytes: signed }));
    const sent = await until('the queued package to be sent', async () => {
      const row = await outbox(id);
      return row.state === 'sent' ? row : undefined;
    });
    assert.match(sent.hub_package_id ?? '', /^[0-9a-f]{64}$/);
  });

  it('fetches several packages of a page at once, and records them in the hub’s order whichever comes first', async () => {
    const ids: string[] = [];
    const tls = { key: readFileSync(officeCert.keyFile, 'utf8'), cert: readFileSync(officeCert.certificateFile, 'utf8'), ca: h.caPem };
    /** The hub’s client, its fetch of the first package slow to come back. */
    class SlowFirst extends HubClient {
      readonly events: string[] = [];
      override async fetch(packageId: string): Promise<Buffer> {
        this.events.push(`start ${packageId}`);
        if (packageId === ids[0]) await new Promise((resolve) => setTimeout(resolve, 300));
        const bytes = await super.fetch(packageId);
        this.events.push(`end ${packageId}`);
        return bytes;
      }
    }
    const client = new SlowFirst({ url: hub.url, tls });
    await connector.stop();
    connector = newConnector({ hub: client, carriedBytes: 0 });
    for (const n of [1, 2, 3]) {
      const { sent } = await sendSample(`ordered-${n}`);
      assert.equal(sent.state, 'sent');
      ids.push(sent.hub_package_id!);
    }
    assert.ok((await connector.receiveOnce()) >= 3);
    assert.ok(
      client.events.indexOf(`start ${ids[1]}`) < client.events.indexOf(`end ${ids[0]}`),
      'the second fetch did not wait for the first',
    );
    const inbox = await office.db
      .selectFrom('hub_inbox')
      .select('package_id')
      .where('package_id', 'in', ids)
      .where('recipient_code', '=', STC)
      .orderBy('received_at')
      .execute();
    assert.deepEqual(
      inbox.map((r) => r.package_id),
      ids,
    );
  });

  it('takes the bytes the listing carries, each package once, and fetches only what did not fit', async () => {
    const tls = { key: readFileSync(officeCert.keyFile, 'utf8'), cert: readFileSync(officeCert.certificateFile, 'utf8'), ca: h.caPem };
    /** The hub’s client, counting its fetches. */
    class Counting extends HubClient {
      readonly fetched: string[] = [];
      override async fetch(packageId: string): Promise<Buffer> {
        this.fetched.push(packageId);
        return super.fetch(packageId);
      }
    }
    const client = new Counting({ url: hub.url, tls });
    await connector.stop();
    connector = newConnector();
    while ((await connector.receiveOnce()) > 0);
    const ids: string[] = [];
    const sizes: number[] = [];
    for (const n of [1, 2]) {
      const { sent, bytes } = await sendSample(`carried-${n}`);
      ids.push(sent.hub_package_id!);
      sizes.push(bytes.length);
    }
    // Room for the first package alone; each is owed to two agencies of this office.
    connector = newConnector({ hub: client, carriedBytes: sizes[0]! + sizes[1]! - 1 });
    assert.equal(await connector.receiveOnce(), 4);
    assert.deepEqual(client.fetched, [ids[1]], 'the first came with the listing, the second was fetched once');
    const inbox = await office.db
      .selectFrom('hub_inbox')
      .select(['package_id', 'sha256'])
      .where('package_id', 'in', ids)
      .orderBy('received_at')
      .execute();
    assert.equal(inbox.length, 4);
    for (const row of inbox) {
      const held = await client.fetch(row.package_id);
      assert.equal(row.sha256, createHash('sha256').update(held).digest('hex'), 'the bytes held are those the hub hands on');
    }
  });
});
