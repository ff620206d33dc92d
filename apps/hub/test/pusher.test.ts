import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { DeliverySignal } from '../src/delivery-signal.js';
import { JournalWriter } from '../src/journal-writer.js';
import { migrateHub } from '../src/migrate.js';
import { Pusher, type PusherOptions } from '../src/pusher.js';
import { CHAIN, JOURNAL, recordPackage } from '../src/store.js';
import { HubHarness, until } from './harness.js';

describe('the pusher', () => {
  let h: HubHarness;
  let testDb: TestDatabase;
  let database: Database<unknown>;
  let signal: DeliverySignal;
  let pusher: Pusher;
  let endpoint: Server;
  const blobsDir = mkdtempSync(join(tmpdir(), 'vanban-pusher-blobs-'));
  const blobs = new BlobStore(blobsDir);
  /** Package ids in the order their pushes reached the endpoint. */
  const reached: string[] = [];
  /** Pushes of these packages get no answer until released. */
  const held = new Map<string, () => void>();
  let writer: JournalWriter;

  before(async () => {
    h = await HubHarness.create();
    testDb = await createTestDatabase();
    await migrateHub(testDb.url);
    database = connect(testDb.url, { max: 6 });
    writer = new JournalWriter(database.pool, JOURNAL, CHAIN);
    endpoint = createServer(await h.endpointTls('endpoint'), (request, response) => {
      const id = String(request.headers['x-vanban-package-id']);
      request.resume();
      request.on('end', () => {
        reached.push(id);
        const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        if (held.has(id)) held.set(id, answer);
        else answer();
      });
    });
    await new Promise<void>((listening) => endpoint.listen(0, '127.0.0.1', listening));
    const address = endpoint.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await database.pool.query(`INSERT INTO systems (id, name, cert_sha256, push_url) VALUES ('office', 'Office', $1, $2)`, [
      'a'.repeat(64),
      `https://127.0.0.1:${port}/inbox`,
    ]);
    signal = await DeliverySignal.listen(database.pool);
    pusher = await makePusher();
    pusher.start(signal);
  });
  after(async () => {
    for (const answer of held.values()) answer();
    await pusher.stop();
    await signal.close();
    await new Promise((closed) => endpoint.close(closed));
    await database.close();
    await testDb.drop();
    await h.close();
    rmSync(blobsDir, { recursive: true, force: true });
  });

  async function makePusher(more: Partial<PusherOptions> = {}): Promise<Pusher> {
    const hubCert = await h.client('hub');
    return new Pusher({
      pool: database.pool,
      writer,
      blobs,
      tls: { key: readFileSync(hubCert.keyFile, 'utf8'), cert: readFileSync(hubCert.certificateFile, 'utf8'), ca: h.caPem },
      // Long enough that only a ring (a delivery owed, a worker free) can explain a prompt push.
      pollMs: 60_000,
      ...more,
    });
  }

  const bytesOf = (n: number) => Buffer.from(`<package n="${n}"/>`);
  const idOf = (n: number) => createHash('sha256').update(bytesOf(n)).digest('hex');

  /** Records package `n` owed by push to the office, as the hub does when it accepts one. */
  async function owe(n: number): Promise<string> {
    const bytes = bytesOf(n);
    const id = idOf(n);
    await recordPackage(writer, {
      id,
      kind: 'document',
      documentId: `doc-${n}`,
      from: '000.00.00.H99',
      receivedFrom: 'system:sender',
      size: bytes.length,
      blobSha256: (await blobs.put(bytes)).sha256,
      via: ['000.00.00.G99'],
      recipients: [{ code: '000.00.04.H99', target: { kind: 'system', systemId: 'office' } }],
    });
    return id;
  }

  const stateOf = async (id: string) =>
    (await database.pool.query<{ state: string }>(`SELECT state FROM deliveries WHERE package_id = $1`, [id])).rows[0]?.state;

  it('pushes what is owed while a push to a target slow to answer is still waiting, and records both', async () => {
    const slow = idOf(1);
    held.set(slow, () => undefined);
    await owe(1);
    await until('the slow push', async () => (reached.includes(slow) ? true : undefined), 10_000);
    const quick = await owe(2);
    await until('the second push, while the first waits for its answer', async () => (reached.includes(quick) ? true : undefined), 10_000);
    assert.equal(
      await until('the second delivery recorded', async () => ((await stateOf(quick)) === 'acknowledged' ? true : undefined)),
      true,
    );
    assert.equal(await stateOf(slow), 'pending', 'the slow one is not done before its answer');
    held.get(slow)!();
    held.delete(slow);
    assert.equal(
      await until('the slow delivery recorded', async () => ((await stateOf(slow)) === 'acknowledged' ? true : undefined)),
      true,
    );
    const { rows } = await database.pool.query<{ event: string }>(
      `SELECT body ->> 'event' AS event FROM hub_journal WHERE body ->> 'packageId' = ANY($1) ORDER BY seq`,
      [[slow, quick]],
    );
    assert.deepEqual(
      rows.map((r) => r.event),
      ['accepted', 'accepted', 'delivered', 'delivered'],
    );
    assert.deepEqual(reached.filter((id) => id === slow || id === quick).sort(), [slow, quick].sort(), 'each pushed once');
  });

  it('keeps up with deliveries owed one after another, each pushed once', async () => {
    const ids: string[] = [];
    for (let n = 10; n < 40; n++) ids.push(await owe(n));
    await until('every push recorded', async () => {
      const { rows } = await database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE package_id = ANY($1) AND state = 'acknowledged'`,
        [ids],
      );
      return rows[0]!.n === ids.length ? true : undefined;
    });
    assert.deepEqual(reached.filter((id) => ids.includes(id)).sort(), [...ids].sort());
  });

  it('when stopped, ends the pushes under way and gives back the ones claimed but not begun, uncounted and due at once', async () => {
    await pusher.stop();
    await pusher.stop();
    // One worker, so that a push held without an answer keeps the next one claimed and waiting.
    pusher = await makePusher({ concurrency: 1 });
    const busy = idOf(50);
    held.set(busy, () => undefined);
    await owe(50);
    pusher.start(signal);
    await until('the held push', async () => (reached.includes(busy) ? true : undefined), 10_000);
    // With one worker, the pusher claims one push ahead: this one waits behind the held one.
    const waiting = await owe(51);
    await until('the next one claimed', async () => {
      const { rows } = await database.pool.query<{ attempts: number }>(`SELECT attempts FROM deliveries WHERE package_id = $1`, [waiting]);
      return rows[0]!.attempts === 1 ? true : undefined;
    });
    const stopped = pusher.stop();
    held.get(busy)!();
    held.delete(busy);
    await stopped;
    assert.equal(await stateOf(busy), 'acknowledged', 'the push under way ended and was recorded');
    assert.ok(!reached.includes(waiting), 'the push claimed but not begun was not made');
    const { rows } = await database.pool.query<{ state: string; attempts: number; due: boolean }>(
      `SELECT state, attempts, next_attempt_at <= now() AS due FROM deliveries WHERE package_id = $1`,
      [waiting],
    );
    assert.deepEqual(rows, [{ state: 'pending', attempts: 0, due: true }]);
  });
});
