import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore, connect, createTestDatabase, verifyJournal, type Database, type TestDatabase } from '@vanban/db';
import { migrateHub } from '../src/migrate.js';
import { DeliverySignal } from '../src/delivery-signal.js';
import { JournalWriter } from '../src/journal-writer.js';
import { purgeDelivered } from '../src/retention.js';
import { CHAIN, JOURNAL, acknowledgeMany, documentPath, pendingFor, recordPackage, type AcceptedPackage } from '../src/store.js';

let testDb: TestDatabase;
let database: Database<unknown>;
let writer: JournalWriter;

before(async () => {
  testDb = await createTestDatabase();
  await migrateHub(testDb.url);
  database = connect(testDb.url, { max: 10 });
  writer = new JournalWriter(database.pool, JOURNAL, CHAIN);
  await database.pool.query(
    `INSERT INTO systems (id, name, cert_sha256) VALUES ('office-a', 'Office A', $1), ('office-b', 'Office B', $2)`,
    ['a'.repeat(64), 'b'.repeat(64)],
  );
});
after(async () => {
  await database.close();
  await testDb.drop();
});

const system = (id: string) => ({ kind: 'system' as const, systemId: id });
function pkg(n: number, recipients: AcceptedPackage['recipients']): AcceptedPackage {
  return {
    id: createHash('sha256').update(`package ${n}`).digest('hex'),
    kind: 'document',
    documentId: `doc-${n}`,
    from: '000.00.00.H99',
    receivedFrom: 'office-a',
    size: 1000 + n,
    blobSha256: createHash('sha256').update(`forwarded ${n}`).digest('hex'),
    via: ['000.00.00.G22'],
    recipients,
  };
}

describe('the hub store', () => {
  it('records a package once however often it is sent, with one delivery per recipient', async () => {
    const p = pkg(1, [
      { code: '000.00.04.H99', target: system('office-b') },
      { code: '000.00.05.H99', target: system('office-b') },
    ]);
    // Twice in one batch of this process, and once from another process (its own writer).
    const other = new JournalWriter(database.pool, JOURNAL, CHAIN);
    const results = await Promise.all([recordPackage(writer, p), recordPackage(writer, p), recordPackage(other, p)]);
    assert.deepEqual(results.map((r) => r.created).sort(), [false, false, true]);
    const pending = await pendingFor(database.pool, { kind: 'system', id: 'office-b' }, 0, 10);
    assert.deepEqual(
      pending.map((d) => d.recipient),
      ['000.00.04.H99', '000.00.05.H99'],
    );
    assert.deepEqual(await pendingFor(database.pool, { kind: 'system', id: 'office-a' }, 0, 10), []);
  });

  it('pages pending deliveries by cursor and drops them once acknowledged, even when acknowledged twice', async () => {
    for (let n = 2; n <= 6; n++) await recordPackage(writer, pkg(n, [{ code: '000.00.04.H99', target: system('office-b') }]));
    const target = { kind: 'system' as const, id: 'office-b' };
    const first = await pendingFor(database.pool, target, 0, 3);
    const second = await pendingFor(database.pool, target, first[first.length - 1]!.seq, 10);
    assert.equal(first.length + second.length, 7);
    const [one, two, three] = first;
    assert.deepEqual(await acknowledgeMany(writer, target, [one!]), ['acknowledged']);
    // A page at once: one closed before, one named twice, one new; each gets its outcome, in order.
    assert.deepEqual(await acknowledgeMany(writer, target, [one!, two!, two!, three!]), [
      'already',
      'acknowledged',
      'already',
      'acknowledged',
    ]);
    assert.equal((await pendingFor(database.pool, target, 0, 10)).length, 4);
  });

  it('journals only the first acknowledgement of a delivery, however often and however many at once it comes', async () => {
    const target = { kind: 'system' as const, id: 'office-b' };
    const page = await pendingFor(database.pool, target, 0, 2);
    const before = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hub_journal WHERE body ->> 'event' = 'acknowledged'`,
    );
    const other = new JournalWriter(database.pool, JOURNAL, CHAIN);
    const answers = await Promise.all([acknowledgeMany(writer, target, page), acknowledgeMany(other, target, page)]);
    // Both answers say held; each delivery is closed by one of them.
    for (const i of [0, 1]) assert.deepEqual(answers.map((a) => a[i]).sort(), ['acknowledged', 'already']);
    const after = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hub_journal WHERE body ->> 'event' = 'acknowledged'`,
    );
    assert.equal(after.rows[0]!.n - before.rows[0]!.n, 2);
  });

  it('refuses an acknowledgement from a system the delivery is not owed to', async () => {
    const [d] = await pendingFor(database.pool, { kind: 'system', id: 'office-b' }, 0, 1);
    assert.deepEqual(await acknowledgeMany(writer, { kind: 'system', id: 'office-a' }, [d!]), ['unknown']);
    assert.deepEqual(
      await acknowledgeMany(writer, { kind: 'system', id: 'office-b' }, [{ packageId: 'f'.repeat(64), recipient: d!.recipient }]),
      ['unknown'],
    );
  });

  it('journals every accept and first acknowledgement in one verifiable chain, and tells a document’s path', async () => {
    const { entries, breaks } = await verifyJournal(database.pool, 'hub_journal');
    assert.deepEqual(breaks, []);
    assert.equal(entries, 6 + 5);
    const path = await documentPath(database.pool, 'doc-1');
    assert.deepEqual(
      path.map((e) => (e.body as { event: string }).event),
      ['accepted', 'acknowledged', 'acknowledged'],
    );
  });

  it('adds the deliveries a resend names that were not yet owed, and only those, journaled once', async () => {
    const first = await recordPackage(writer, pkg(7, [{ code: '000.00.00.H99', target: system('office-a') }]));
    assert.deepEqual(first, { created: true, added: ['000.00.00.H99'], purged: false });
    const more = await recordPackage(
      writer,
      pkg(7, [
        { code: '000.00.00.H99', target: system('office-a') },
        { code: '000.00.08.H99', target: system('office-a') },
      ]),
    );
    assert.deepEqual(more, { created: false, added: ['000.00.08.H99'], purged: false });
    assert.deepEqual(await recordPackage(writer, pkg(7, [{ code: '000.00.08.H99', target: system('office-a') }])), {
      created: false,
      added: [],
      purged: false,
    });
    assert.deepEqual(
      (await pendingFor(database.pool, { kind: 'system', id: 'office-a' }, 0, 10)).map((d) => d.recipient),
      ['000.00.00.H99', '000.00.08.H99'],
    );
    assert.deepEqual(
      (await documentPath(database.pool, 'doc-7')).map((e) => (e.body as { recipients: string[] }).recipients),
      [['000.00.00.H99'], ['000.00.08.H99']],
    );
  });

  it('shows an amendment or recall of a document in that document’s path', async () => {
    await recordPackage(writer, {
      ...pkg(8, [{ code: '000.00.00.H99', target: system('office-a') }]),
      business: 'amend',
      relatedDocumentId: 'doc-7',
    });
    const path = await documentPath(database.pool, 'doc-7');
    assert.deepEqual(path.at(-1)!.body, {
      event: 'accepted',
      packageId: pkg(8, []).id,
      kind: 'document',
      documentId: 'doc-8',
      business: 'amend',
      relatedDocumentId: 'doc-7',
      from: '000.00.00.H99',
      receivedFrom: 'office-a',
      recipients: ['000.00.00.H99'],
    });
  });
  it('tells every listener the target and the mode of each delivery owed, so that pushers wake only for theirs', async () => {
    const signal = await DeliverySignal.listen(database.pool);
    const heard: string[] = [];
    const stop = signal.onOwed((target, mode) => heard.push(`${target} ${mode}`));
    try {
      await database.pool.query(`UPDATE systems SET push_url = 'https://office-a.example/inbox' WHERE id = 'office-a'`);
      await recordPackage(
        writer,
        pkg(20, [
          { code: '000.00.00.H99', target: system('office-a') },
          { code: '000.00.04.H99', target: system('office-b') },
        ]),
      );
      for (let i = 0; i < 100 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(heard.sort(), ['system:office-a push', 'system:office-b pull']);
    } finally {
      stop();
      await signal.close();
      await database.pool.query(`UPDATE systems SET push_url = NULL WHERE id = 'office-a'`);
    }
  });

  it('numbers deliveries in the order they commit, so a cursor kept from listing to listing passes none, with two processes too', async () => {
    await database.pool.query(`INSERT INTO systems (id, name, cert_sha256) VALUES ('office-c', 'Office C', $1)`, ['c'.repeat(64)]);
    const target = { kind: 'system' as const, id: 'office-c' };
    const to = (n: number) => pkg(n, [{ code: '000.00.06.H99', target: system('office-c') }]);
    // Process one records package 30 in a batch that is slow to commit (another piece is still at work).
    let started!: () => void;
    let finish!: () => void;
    const working = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const slow = recordPackage(writer, to(30));
    const piece = writer.run(async () => {
      started();
      await gate;
    });
    await working;
    // Process two records package 31 meanwhile; a system lists and keeps its cursor.
    const other = new JournalWriter(database.pool, JOURNAL, CHAIN);
    const quick = recordPackage(other, to(31));
    await Promise.race([quick, new Promise((r) => setTimeout(r, 500))]);
    const first = await pendingFor(database.pool, target, 0, 10);
    finish();
    await Promise.all([slow, piece, quick]);
    const second = await pendingFor(database.pool, target, first.at(-1)?.seq ?? 0, 10);
    assert.deepEqual(
      [...first, ...second].map((d) => d.documentId),
      ['doc-30', 'doc-31'],
    );
  });

  // Last: it purges what the tests before left acknowledged.
  it('purges the bytes of packages every recipient acknowledged once old enough, and takes a new recipient only with the bytes again', async () => {
    const blobs = new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-purge-')));
    const office = { kind: 'system' as const, id: 'office-a' };
    const to = (...codes: string[]) => codes.map((code) => ({ code, target: system('office-a') }));
    const done = pkg(40, to('000.00.40.H99'));
    const halfDone = pkg(41, to('000.00.40.H99', '000.00.41.H99'));
    for (const n of [40, 41]) await blobs.put(`forwarded ${n}`);
    await recordPackage(writer, done);
    await recordPackage(writer, halfDone);
    await acknowledgeMany(writer, office, [
      { packageId: done.id, recipient: '000.00.40.H99' },
      { packageId: halfDone.id, recipient: '000.00.40.H99' },
    ]);
    const purged = async (id: string) =>
      (await database.pool.query<{ purged: boolean }>('SELECT purged_at IS NOT NULL AS purged FROM packages WHERE id = $1', [id])).rows[0]!
        .purged;

    assert.equal(await purgeDelivered(database.pool, blobs, new Date(Date.now() - 60_000), writer), 0, 'nothing is old enough yet');
    assert.ok((await purgeDelivered(database.pool, blobs, new Date(Date.now() + 60_000), writer)) >= 1);
    assert.equal(await purged(done.id), true);
    assert.equal(await blobs.has(done.blobSha256), false);
    assert.equal(await purged(halfDone.id), false, 'a delivery still pending keeps the bytes');
    assert.equal(await blobs.has(halfDone.blobSha256), true);
    assert.deepEqual(
      (await documentPath(database.pool, 'doc-40')).map((e) => (e.body as { event: string }).event),
      ['accepted', 'acknowledged', 'purged'],
    );

    // A resend naming one more recipient, with the bytes held when it looked (before the purge): nothing is owed to it.
    const more = pkg(40, to('000.00.40.H99', '000.00.42.H99'));
    assert.deepEqual(await recordPackage(writer, more), { created: false, added: [], purged: true });
    // With the bytes stored again (the same ones, as within one second of the first receipt), it owes them to the new recipient.
    const again = { ...more, blobSha256: (await blobs.put('forwarded 40')).sha256, storedNow: true };
    assert.deepEqual(await recordPackage(writer, again), { created: false, added: ['000.00.42.H99'], purged: false });
    assert.equal(await purged(done.id), false);
    assert.deepEqual(
      (await pendingFor(database.pool, office, 0, 100)).filter((d) => d.packageId === done.id).map((d) => d.recipient),
      ['000.00.42.H99'],
    );
    assert.deepEqual((await verifyJournal(database.pool, JOURNAL)).breaks, []);
  });
});
