import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { buildPackageBytes, readEdxml } from '@vanban/edxml';
import { APPENDIX, SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { CertificateAuthority, CertificateVerifier, RevocationChecker, signEdxml } from '@vanban/pki';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { takeArrivals, type ArrivalVerdict } from '../src/incoming/intake.js';
import { registerIncoming } from '../src/incoming/registration.js';
import { vietnamDay } from '../src/calendar/working-days.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const SYT = '000.00.09.H99';

describe('taking documents that arrived from the hub into the awaiting list', () => {
  let testDb: TestDatabase;
  let office: Database<OfficeSchema>;
  let files: BlobStore;
  let verifier: CertificateVerifier;
  let signed: Buffer;
  let arrivals = 0;

  /** What the hub connector does when a package arrives: the bytes in the file store, a row in the inbox. */
  const arrive = async (bytes: Buffer, recipient: string, id = `${String(++arrivals).padStart(2, '0')}`.padEnd(64, 'a')) => {
    const blob = await files.put(bytes);
    await office.db
      .insertInto('hub_inbox')
      .values({
        package_id: id,
        recipient_code: recipient,
        kind: 'document',
        document_id: 'd',
        from_code: UBND,
        sha256: blob.sha256,
        size: blob.size,
      })
      .execute();
    return id;
  };
  const incoming = (packageId: string) =>
    office.db
      .selectFrom('incoming_documents as d')
      .innerJoin('agencies as a', 'a.id', 'd.agency_id')
      .select([
        'd.id',
        'a.code',
        'd.state',
        'd.channel',
        'd.subject',
        'd.sender_name',
        'd.number',
        'd.notation',
        'd.verdict',
        'd.verification',
      ])
      .where('d.hub_package_id', '=', packageId)
      .orderBy('a.code')
      .execute();

  before(async () => {
    testDb = await createTestDatabase();
    await migrateOffice(testDb.url);
    office = connect<OfficeSchema>(testDb.url, { max: 4 });
    await seedDemoProvince(office.db);
    files = new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-intake-files-')));
    const ca = await CertificateAuthority.create(mkdtempSync(join(tmpdir(), 'vanban-intake-ca-')), {
      name: 'vanban Intake',
      baseUrl: 'http://ca.test',
    });
    await ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
    verifier = new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher()));
    const xml = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    signed = Buffer.from(await signEdxml(xml, await ca.signingKey('ubnd')));
  });
  after(async () => {
    await office?.close();
    await testDb?.drop();
  });

  it('puts a signed package in each receiving agency’s awaiting list, with a valid verdict and its files', async () => {
    const id = await arrive(signed, STC);
    await arrive(signed, SYT, id);
    assert.deepEqual(await takeArrivals({ db: office.db, files, verifier }), { taken: 2, unplaced: [] });

    const rows = await incoming(id);
    assert.deepEqual(
      rows.map((r) => [r.code, r.state, r.channel, r.verdict]),
      [
        [STC, 'awaiting', 'hub', 'valid'],
        [SYT, 'awaiting', 'hub', 'valid'],
      ],
    );
    const pkg = samplePackage();
    assert.equal(rows[0]!.subject, pkg.subject);
    assert.equal(rows[0]!.number, pkg.number);
    assert.equal(rows[0]!.notation, pkg.notation);
    assert.equal(rows[0]!.sender_name, pkg.from.name);

    const stored = await office.db
      .selectFrom('incoming_files')
      .selectAll()
      .where('incoming_id', '=', rows[0]!.id)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      stored.map((f) => [f.position, f.name, f.content_type]),
      [
        [1, '125-UBND-VP.pdf', 'application/pdf'],
        [2, 'Phụ lục I.txt', 'text/plain'],
      ],
    );
    assert.deepEqual(await buffer(await files.read(stored[1]!.sha256)), Buffer.from(APPENDIX));

    const inbox = await office.db.selectFrom('hub_inbox').select(['taken_at']).where('package_id', '=', id).execute();
    assert.ok(inbox.every((r) => r.taken_at !== null));
    // Taken once: a second round finds nothing more to take.
    assert.deepEqual(await takeArrivals({ db: office.db, files, verifier }), { taken: 0, unplaced: [] });
    assert.equal((await incoming(id)).length, 2);
  });

  it('shows plainly why a package whose bytes were changed is not valid', async () => {
    const tampered = Buffer.from(signed.toString('utf8').replace('Sở Y tế', 'Sở Y tề'));
    const id = await arrive(tampered, STC);
    await takeArrivals({ db: office.db, files, verifier });
    const [row] = await incoming(id);
    assert.equal(row!.verdict, 'invalid');
    const verification = row!.verification as ArrivalVerdict;
    assert.ok(
      verification.reasons.some((r) => r.code === 'integrity'),
      JSON.stringify(verification),
    );
    assert.ok(verification.reasons.every((r) => r.vi.length > 0));
  });

  it('keeps an arrival it cannot place, with the reason, and goes on with the others', async () => {
    const nowhere = await arrive(signed, '000.00.99.H99');
    const unreadable = await arrive(Buffer.from('<edXML>cut off'), STC);
    const fine = await arrive(signed, SYT);
    const result = await takeArrivals({ db: office.db, files, verifier });
    assert.equal(result.taken, 1);
    assert.deepEqual(
      result.unplaced.map((u) => u.packageId),
      [nowhere, unreadable],
    );
    assert.equal((await incoming(fine)).length, 1);
    const kept = await office.db
      .selectFrom('hub_inbox')
      .select(['package_id', 'unplaced', 'taken_at'])
      .where('package_id', 'in', [nowhere, unreadable])
      .orderBy('package_id')
      .execute();
    assert.match(kept[0]!.unplaced ?? '', /no agency 000\.00\.99\.H99/);
    assert.match(kept[1]!.unplaced ?? '', /cannot be read/);
    assert.ok(kept.every((r) => r.taken_at === null));
    // Out of the way: the next round does not trip over them again.
    assert.deepEqual(await takeArrivals({ db: office.db, files, verifier }), { taken: 0, unplaced: [] });
  });

  it('sets aside an arrival whose signature check fails outright, so that it holds up no other', async () => {
    class FailingVerifier extends CertificateVerifier {
      override check(): never {
        throw new Error('the trust store cannot be read');
      }
    }
    const failing = new FailingVerifier({ anchors: [] }, null);
    const stuck = await arrive(signed, STC);
    const result = await takeArrivals({ db: office.db, files, verifier: failing });
    assert.deepEqual(
      result.unplaced.map((u) => [u.packageId, u.why]),
      [[stuck, 'the signatures could not be checked: the trust store cannot be read']],
    );
    const next = await arrive(signed, SYT);
    assert.deepEqual(await takeArrivals({ db: office.db, files, verifier }), { taken: 1, unplaced: [] });
    assert.equal((await incoming(next)).length, 1);
    assert.equal((await incoming(stuck)).length, 0);
  });

  describe('the lists the clerk and the leaders see', () => {
    let app: FastifyInstance;
    let stc: string;
    const login = async (username: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      assert.equal(res.statusCode, 200, res.body);
      return `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
    };
    const get = async (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

    before(async () => {
      app = await buildApp({ db: office.db, files, verifier, keys: null, settings: defaultSettings });
      stc = (await office.db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    });
    after(() => app?.close());

    it('lists the awaiting documents newest first, page by page, with the verdict; the detail says why and lists the files', async () => {
      const clerk = await login('vt.sotc');
      const all = (await get(clerk, `/api/agencies/${stc}/incoming?state=awaiting&limit=200`)).json<{
        items: { id: string; verdict: string }[];
      }>();
      const ids = all.items.map((i) => i.id);
      assert.equal(ids.length, 2, JSON.stringify(all));
      const first = (await get(clerk, `/api/agencies/${stc}/incoming?state=awaiting&limit=1`)).json<{
        items: { id: string }[];
        nextCursor: string;
      }>();
      const secondReply = await get(clerk, `/api/agencies/${stc}/incoming?state=awaiting&limit=1&cursor=${first.nextCursor}`);
      assert.equal(secondReply.statusCode, 200, secondReply.body);
      const second = secondReply.json<{
        items: { id: string }[];
      }>();
      assert.deepEqual(
        [...first.items, ...second.items].map((i) => i.id),
        ids,
      );

      const invalid = all.items.find((i) => i.verdict === 'invalid')!;
      const detail = (await get(clerk, `/api/agencies/${stc}/incoming/${invalid.id}`)).json<{
        verification: { reasons: { code: string }[] };
        files: { name: string }[];
      }>();
      assert.ok(detail.verification.reasons.some((r) => r.code === 'integrity'));
      assert.deepEqual(
        detail.files.map((f) => f.name),
        ['125-UBND-VP.pdf', 'Phụ lục I.txt'],
      );

      const bySender = (await get(clerk, `/api/agencies/${stc}/incoming?sender=${encodeURIComponent('Văn phòng Ủy')}&limit=200`)).json<{
        items: unknown[];
      }>();
      assert.equal(bySender.items.length, ids.length);
      const byNobody = (await get(clerk, `/api/agencies/${stc}/incoming?sender=Nobody`)).json<{ items: unknown[] }>();
      assert.equal(byNobody.items.length, 0);
      // Tomorrow as counted in Vietnam: from 17:00 UTC on, the UTC date is already Vietnam's today.
      const tomorrow = vietnamDay(new Date(Date.now() + 86_400_000));
      assert.equal(
        (await get(clerk, `/api/agencies/${stc}/incoming?receivedFrom=${tomorrow}`)).json<{ items: unknown[] }>().items.length,
        0,
      );
    });

    it('registers with the next number of the register, flags a likely duplicate, and sends status 03 back', async () => {
      const clerk = await login('vt.sotc');
      // The demo gives every agency its incoming register; the clerk picks it from the list.
      const registers = (await get(clerk, `/api/agencies/${stc}/registers?kind=incoming`)).json<{
        items: { id: string; name: string }[];
      }>();
      assert.deepEqual(
        registers.items.map((r) => r.name),
        ['Sổ văn bản đến'],
      );
      const registerId = registers.items[0]!.id;
      const awaiting = (await get(clerk, `/api/agencies/${stc}/incoming?state=awaiting`)).json<{ items: { id: string }[] }>().items;
      const [older, newer] = [awaiting[1]!.id, awaiting[0]!.id];
      const post = (id: string, action: string, payload: object) =>
        app.inject({ method: 'POST', url: `/api/agencies/${stc}/incoming/${id}/${action}`, headers: { cookie: clerk }, payload });

      const first = await post(older, 'register', { registerId });
      assert.equal(first.statusCode, 200, first.body);
      const year = Number(new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 4));
      assert.deepEqual(first.json(), { registerNumber: '01', registerYear: year, possibleDuplicateOf: null });
      const second = await post(newer, 'register', { registerId });
      // Same sender, number, notation and date as the first: registered, and flagged.
      assert.deepEqual(second.json(), { registerNumber: '02', registerYear: year, possibleDuplicateOf: older });
      const again = await post(older, 'register', { registerId });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json<{ error: { code: string } }>().error.code, 'wrong_state');

      const sent = await office.db.selectFrom('hub_outbox').selectAll().where('kind', '=', 'status').orderBy('created_at').execute();
      assert.equal(sent.length, 2);
      const status = await readEdxml(await buffer(await files.read(sent[0]!.sha256)));
      assert.ok(status.ok && status.kind === 'status', JSON.stringify(status));
      assert.equal(status.ok && status.kind === 'status' && status.status.status, '03');
      assert.deepEqual(sent[0]!.to_codes, [UBND]);
      assert.equal(sent[0]!.from_code, STC);
    });

    it('refuses only with a reason, which goes back to the sender with status 02', async () => {
      const clerk = await login('vt.sotc');
      const id = await arrive(signed, STC);
      await takeArrivals({ db: office.db, files, verifier });
      const [doc] = await incoming(id);
      const refuse = (reason: string) =>
        app.inject({
          method: 'POST',
          url: `/api/agencies/${stc}/incoming/${doc!.id}/refuse`,
          headers: { cookie: clerk },
          payload: { reason },
        });
      const bare = await refuse('   ');
      assert.equal(bare.statusCode, 400);
      assert.equal(bare.json<{ error: { code: string } }>().error.code, 'reason_required');
      assert.equal((await refuse('Gửi nhầm cơ quan, đề nghị gửi Sở Y tế.')).statusCode, 204);
      assert.equal((await incoming(id))[0]!.state, 'refused');
      const [last] = await office.db.selectFrom('hub_outbox').selectAll().orderBy('created_at', 'desc').limit(1).execute();
      const status = await readEdxml(await buffer(await files.read(last!.sha256)));
      assert.ok(status.ok && status.kind === 'status');
      assert.equal(status.ok && status.kind === 'status' && status.status.status, '02');
      assert.equal(status.ok && status.kind === 'status' && status.status.description, 'Gửi nhầm cơ quan, đề nghị gửi Sở Y tế.');
    });

    it('gives documents registered at the same moment every number once, none skipped', async () => {
      const registerId = (
        await office.db
          .insertInto('registers')
          .values({ agency_id: stc, kind: 'incoming', name: 'Sổ văn bản đến (song song)' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const clerk = await office.db.selectFrom('users').select('id').where('username', '=', 'vt.sotc').executeTakeFirstOrThrow();
      const ids = [];
      for (let i = 0; i < 12; i++) ids.push(await arrive(signed, STC));
      while ((await takeArrivals({ db: office.db, files, verifier })).taken > 0);
      const docs = await office.db.selectFrom('incoming_documents').select('id').where('hub_package_id', 'in', ids).execute();
      assert.equal(docs.length, 12);
      await Promise.all(
        docs.map((d) =>
          registerIncoming(office.db, files, {
            agencyId: stc,
            incomingId: d.id,
            registerId,
            actor: { userId: clerk.id, roles: ['clerk'], departmentId: null },
          }),
        ),
      );
      const numbers = (
        await office.db.selectFrom('incoming_documents').select('register_number').where('register_id', '=', registerId).execute()
      )
        .map((r) => r.register_number)
        .sort((a, b) => a! - b!);
      assert.deepEqual(
        numbers,
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
    });

    it('lets the clerk open a register of its own agency, once per name', async () => {
      const clerk = await login('vt.sotc');
      const open = (cookie: string, name: string) =>
        app.inject({
          method: 'POST',
          url: `/api/agencies/${stc}/registers`,
          headers: { cookie },
          payload: { kind: 'incoming', name, classified: true },
        });
      const created = await open(clerk, 'Sổ văn bản mật đến');
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json<{ classified: boolean }>().classified, true);
      assert.equal((await open(clerk, 'sổ văn bản MẬT đến')).statusCode, 409);
      assert.equal((await open(await login('vt.ubnd'), 'Sổ lạ')).statusCode, 403);
    });

    it('refuses another agency’s clerk and a bad filter, clearly', async () => {
      const other = await login('vt.ubnd');
      assert.equal((await get(other, `/api/agencies/${stc}/incoming`)).statusCode, 403);
      const clerk = await login('vt.sotc');
      const bad = await get(clerk, `/api/agencies/${stc}/incoming?state=lost`);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /state/);
    });
  });
});
