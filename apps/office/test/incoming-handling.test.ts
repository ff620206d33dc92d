import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { buildPackageBytes, buildStatus, readEdxml, vietnamLocal, type EdxmlPackage } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadCalendar } from '../src/calendar/store.js';
import { vietnamDay } from '../src/calendar/working-days.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { takeArrivals } from '../src/incoming/intake.js';
import { verifyOfficeJournal } from '../src/journal/journal.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';
import { sendThroughHub } from '../src/tracking/sending.js';
import { takeStatuses } from '../src/tracking/status-intake.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const SYT = '000.00.09.H99';

describe('directing, assigning and handling an incoming document', () => {
  let testDb: TestDatabase;
  let office: Database<OfficeSchema>;
  let files: BlobStore;
  let app: FastifyInstance;
  let stc: string;
  let ubnd: string;
  let packages = 0;
  const ids: Record<string, string> = {};
  const cookies: Record<string, string> = {};

  /** What the hub connector does when something arrives for `recipient`: the bytes stored, a row in the inbox. */
  const arrive = async (bytes: Buffer, recipient: string, kind: 'document' | 'status' = 'document') => {
    const id = String(++packages).padStart(64, 'b');
    const blob = await files.put(bytes);
    await office.db
      .insertInto('hub_inbox')
      .values({ package_id: id, recipient_code: recipient, kind, document_id: 'd', from_code: UBND, sha256: blob.sha256, size: blob.size })
      .execute();
    return id;
  };
  /** A new document from UBND to STC, taken into STC's awaiting list; returns its id there. */
  const newArrival = async (change: (p: EdxmlPackage) => void = () => {}) => {
    const pkg = samplePackage();
    pkg.documentId = `doc-${++packages}`;
    pkg.number = String(200 + packages);
    change(pkg);
    const packageId = await arrive(await buildPackageBytes(pkg, SAMPLE_FILES, 'none'), STC);
    await takeArrivals({ db: office.db, files, verifier: null });
    const row = await office.db
      .selectFrom('incoming_documents')
      .select('id')
      .where('hub_package_id', '=', packageId)
      .executeTakeFirstOrThrow();
    return { id: row.id, documentId: pkg.documentId };
  };
  const call = async (who: string, method: 'GET' | 'POST', path: string, payload?: object) => {
    const res = await app.inject({
      method,
      url: `/api/agencies/${stc}/incoming${path}`,
      headers: { cookie: cookies[who]! },
      ...(payload ? { payload } : {}),
    });
    const body = res.body ? (res.json() as Record<string, unknown>) : {};
    return { status: res.statusCode, body, code: (body.error as { code?: string } | undefined)?.code };
  };
  const ok = async (who: string, method: 'GET' | 'POST', path: string, payload?: object) => {
    const res = await call(who, method, path, payload);
    assert.ok(res.status < 300, `${who} ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const registerId = async () =>
    (
      await office.db
        .selectFrom('registers')
        .select('id')
        .where('agency_id', '=', stc)
        .where('kind', '=', 'incoming')
        .executeTakeFirstOrThrow()
    ).id;
  /** The status messages this office queued for the hub, in order, as codes. */
  const statusesSent = async (documentId: string) => {
    const rows = await office.db
      .selectFrom('hub_outbox')
      .select('sha256')
      .where('kind', '=', 'status')
      .where('document_id', '=', documentId)
      .orderBy('created_at')
      .execute();
    const codes: string[] = [];
    for (const r of rows) {
      const read = await readEdxml(await buffer(await files.read(r.sha256)));
      if (read.ok && read.kind === 'status') codes.push(read.status.status);
    }
    return codes;
  };
  const notices = (username: string) =>
    office.db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['n.kind', 'n.text_vi', 'n.incoming_id'])
      .where('u.username', '=', username)
      .orderBy('n.created_at')
      .execute();

  before(async () => {
    testDb = await createTestDatabase();
    await migrateOffice(testDb.url);
    office = connect<OfficeSchema>(testDb.url, { max: 4 });
    await seedDemoProvince(office.db);
    files = new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-handling-files-')));
    app = await buildApp({ db: office.db, files, verifier: null, keys: null, settings: defaultSettings });
    const agency = (code: string) => office.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    stc = (await agency(STC)).id;
    ubnd = (await agency(UBND)).id;
    for (const username of ['vt.sotc', 'ld.sotc', 'tp.sotc', 'cv.sotc', 'vt.soyt']) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      assert.equal(res.statusCode, 200, res.body);
      cookies[username] = `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
      ids[username] = (await office.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    }
  });
  after(async () => {
    await app?.close();
    await office?.close();
    await testDb?.drop();
  });

  it('walks the whole path: registered, submitted, directed and assigned, handled, completed, each step told to the sender', async () => {
    const { id, documentId } = await newArrival();
    await ok('vt.sotc', 'POST', `/${id}/register`, { registerId: await registerId() });
    await ok('vt.sotc', 'POST', `/${id}/submit`, { leaderId: ids['ld.sotc'] });
    assert.deepEqual(
      (await notices('ld.sotc')).map((n) => [n.kind, n.incoming_id]),
      [['submitted', id]],
    );
    const toDirect = (await ok('ld.sotc', 'GET', '?view=to_direct')) as { items: { id: string }[] };
    assert.deepEqual(
      toDirect.items.map((d) => d.id),
      [id],
    );

    const people = (await (
      await app.inject({ method: 'GET', url: `/api/agencies/${stc}/assignable`, headers: { cookie: cookies['ld.sotc']! } })
    ).json()) as { departments: { id: string; name: string }[]; people: { id: string; departmentId: string | null }[] };
    const officeDepartment = people.people.find((p) => p.id === ids['vt.sotc'])!.departmentId!;
    const assigned = await ok('ld.sotc', 'POST', `/${id}/assign`, {
      direction: 'Giao chuyên viên chủ trì tham mưu văn bản trả lời.',
      lead: { userId: ids['cv.sotc'] },
      co: [{ departmentId: officeDepartment }],
      info: [{ userId: ids['tp.sotc'] }],
      dueInWorkingDays: 5,
    });
    const today = vietnamDay(new Date());
    const calendar = await loadCalendar(office.db, today, vietnamDay(new Date(Date.now() + 60 * 86_400_000)));
    assert.equal(assigned.dueDate, calendar.addWorkingDays(today, 5));
    assert.deepEqual(
      (await notices('cv.sotc')).map((n) => n.kind),
      ['assigned_lead'],
    );
    assert.deepEqual(
      (await notices('tp.sotc')).map((n) => n.kind),
      ['assigned_info'],
    );

    // The officer finds it among their own, and may now do what a lead handler does.
    const mine = (await ok('cv.sotc', 'GET', '?view=mine&part=lead')) as { items: { id: string; dueDate: string }[] };
    assert.deepEqual(
      mine.items.map((d) => [d.id, d.dueDate]),
      [[id, assigned.dueDate]],
    );
    const detail = await ok('cv.sotc', 'GET', `/${id}`);
    assert.deepEqual(detail.actions, ['report_progress', 'attach_file', 'complete']);
    assert.deepEqual(
      (detail.assignments as { part: string; name: string }[]).map((a) => a.part),
      ['lead', 'co', 'info'],
    );
    await ok('cv.sotc', 'POST', `/${id}/progress`, { note: 'Đang tổng hợp số liệu.' });
    // The clerk belongs to the office department, the co-handler.
    await ok('vt.sotc', 'POST', `/${id}/input`, { input: 'Văn phòng thống nhất nội dung.' });
    const upload = await app.inject({
      method: 'POST',
      url: `/api/agencies/${stc}/incoming/${id}/files`,
      headers: { cookie: cookies['cv.sotc']!, 'content-type': 'multipart/form-data; boundary=X' },
      payload: Buffer.from(
        '--X\r\nContent-Disposition: form-data; name="file"; filename="Du thao tra loi.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 draft\r\n--X--\r\n',
      ),
    });
    assert.equal(upload.statusCode, 201, upload.body);
    assert.deepEqual(upload.json(), { position: 3 });
    const file = await app.inject({
      method: 'GET',
      url: `/api/agencies/${stc}/incoming/${id}/files/3`,
      headers: { cookie: cookies['tp.sotc']! },
    });
    assert.equal(file.body, '%PDF-1.4 draft');
    assert.equal(file.headers['content-type'], 'application/pdf');
    await ok('cv.sotc', 'POST', `/${id}/complete`, { result: 'Đã có văn bản trả lời.' });
    assert.equal((await ok('ld.sotc', 'GET', `/${id}`)).state, 'completed');
    assert.deepEqual(
      (await notices('ld.sotc')).map((n) => n.kind),
      ['submitted', 'progress', 'completed'],
    );

    assert.deepEqual(await statusesSent(documentId), ['03', '04', '05', '06']);
    const timeline = (await ok('vt.sotc', 'GET', `/${id}/timeline`)) as {
      items: { action: string; actor: { name: string } | null; from: string | null; to: string | null }[];
    };
    assert.deepEqual(
      timeline.items.map((e) => [e.action, e.from, e.to]),
      [
        ['receive', null, 'awaiting'],
        ['register', 'awaiting', 'registered'],
        ['submit', 'registered', 'submitted'],
        ['assign', 'submitted', 'assigned'],
        ['report_progress', 'assigned', 'in_progress'],
        ['give_input', 'in_progress', 'in_progress'],
        ['attach_file', 'in_progress', 'in_progress'],
        ['complete', 'in_progress', 'completed'],
      ],
    );
    assert.equal(timeline.items[0]!.actor, null);
    assert.ok(timeline.items.slice(1).every((e) => e.actor && e.actor.name.length > 0));
  });

  it('shows each person only what they may see and lets them do only what their part allows', async () => {
    const { id } = await newArrival();
    await ok('vt.sotc', 'POST', `/${id}/register`, { registerId: await registerId() });
    // Not yet given to the officer: it does not exist for them.
    assert.equal((await call('cv.sotc', 'GET', `/${id}`)).status, 404);
    assert.equal((await call('cv.sotc', 'GET', `?view=all`)).status, 403);
    assert.equal((await call('cv.sotc', 'POST', `/${id}/submit`, { leaderId: ids['ld.sotc'] })).status, 403);
    // Only a leader of the agency can be submitted to.
    assert.equal((await call('vt.sotc', 'POST', `/${id}/submit`, { leaderId: ids['cv.sotc'] })).code, 'invalid_leader');
    await ok('vt.sotc', 'POST', `/${id}/submit`, { leaderId: ids['ld.sotc'] });
    // A department leader it was not submitted to cannot direct it.
    const byDepartmentLeader = await call('tp.sotc', 'POST', `/${id}/assign`, { lead: { userId: ids['cv.sotc'] } });
    assert.equal(byDepartmentLeader.status, 403);
    // Someone of another agency cannot be assigned, nor a day already gone.
    const stranger = await call('ld.sotc', 'POST', `/${id}/assign`, { lead: { userId: ids['vt.soyt'] } });
    assert.equal(stranger.code, 'invalid_assignee');
    const twice = await call('ld.sotc', 'POST', `/${id}/assign`, { lead: { userId: ids['cv.sotc'] }, co: [{ userId: ids['cv.sotc'] }] });
    assert.equal(twice.code, 'invalid_assignee');
    const past = await call('ld.sotc', 'POST', `/${id}/assign`, { lead: { userId: ids['cv.sotc'] }, dueDate: '2020-01-01' });
    assert.equal(past.code, 'invalid_due_date');
    assert.equal((await ok('ld.sotc', 'GET', `/${id}`)).state, 'submitted');

    // The leader gives it to the specialist department; its department leader shares it out further.
    const department = (await office.db
      .selectFrom('memberships')
      .select('department_id')
      .where('user_id', '=', ids['tp.sotc']!)
      .executeTakeFirstOrThrow())!.department_id!;
    await ok('ld.sotc', 'POST', `/${id}/assign`, { lead: { departmentId: department }, dueDate: '2099-12-31' });
    assert.deepEqual((await ok('tp.sotc', 'GET', `/${id}`)).actions, ['assign', 'report_progress', 'attach_file', 'complete', 'forward']);
    await ok('tp.sotc', 'POST', `/${id}/assign`, { lead: { userId: ids['cv.sotc'] }, dueDate: '2099-12-31' });
    assert.deepEqual((await ok('cv.sotc', 'GET', `/${id}`)).actions, ['report_progress', 'attach_file', 'complete']);
    // Words are required where the sender or the leader will read them.
    assert.equal((await call('cv.sotc', 'POST', `/${id}/complete`, { result: '  ' })).code, 'reason_required');
  });

  it('goes back to the clerk when the leader returns it, with the reason', async () => {
    const { id } = await newArrival();
    await ok('vt.sotc', 'POST', `/${id}/register`, { registerId: await registerId() });
    await ok('vt.sotc', 'POST', `/${id}/submit`, { leaderId: ids['ld.sotc'] });
    assert.equal((await call('ld.sotc', 'POST', `/${id}/return`, { reason: '' })).code, 'reason_required');
    await ok('ld.sotc', 'POST', `/${id}/return`, { reason: 'Đề nghị trình Phó Giám đốc phụ trách.' });
    const detail = await ok('vt.sotc', 'GET', `/${id}`);
    assert.equal(detail.state, 'registered');
    assert.equal(detail.returnReason, 'Đề nghị trình Phó Giám đốc phụ trách.');
    assert.ok((await notices('vt.sotc')).some((n) => n.kind === 'returned' && n.incoming_id === id));
  });

  it('forwards a copy with its files to another agency of the installation, straight into its awaiting list', async () => {
    const { id } = await newArrival();
    await ok('vt.sotc', 'POST', `/${id}/register`, { registerId: await registerId() });
    const syt = (await office.db.selectFrom('agencies').select('id').where('code', '=', SYT).executeTakeFirstOrThrow()).id;
    assert.equal((await call('vt.sotc', 'POST', `/${id}/forward`, { agencyId: stc })).code, 'invalid_forward_target');
    const { forwardedId } = (await ok('vt.sotc', 'POST', `/${id}/forward`, {
      agencyId: syt,
      note: 'Chuyển Sở Y tế xử lý theo thẩm quyền.',
    })) as {
      forwardedId: string;
    };
    const copy = await office.db.selectFrom('incoming_documents').selectAll().where('id', '=', forwardedId).executeTakeFirstOrThrow();
    assert.deepEqual([copy.agency_id, copy.channel, copy.state, copy.forwarded_from], [syt, 'internal', 'awaiting', id]);
    const fileNames = async (incomingId: string) =>
      (
        await office.db.selectFrom('incoming_files').select('sha256').where('incoming_id', '=', incomingId).orderBy('position').execute()
      ).map((f) => f.sha256);
    assert.deepEqual(await fileNames(forwardedId), await fileNames(id));
    assert.ok((await notices('vt.soyt')).some((n) => n.kind === 'arrived' && n.incoming_id === forwardedId));
    // Here it stays where it was.
    assert.equal((await ok('vt.sotc', 'GET', `/${id}`)).state, 'registered');
  });

  it('shows the sender’s recall to the clerk, who agrees (withdrawn from every list, 15) or refuses (16)', async () => {
    const recall = async (documentId: string, number: string) => {
      await arrive(
        buildStatus({
          responseFor: { agencyCode: UBND, code: `${number}/UBND-VP`, issueDate: '2026-11-20', documentId },
          from: { agencyCode: UBND, name: 'Văn phòng UBND tỉnh' },
          status: '13',
          description: 'Văn bản ban hành nhầm.',
          at: vietnamLocal(new Date()),
        }),
        STC,
        'status',
      );
      await takeStatuses(office.db, files);
    };
    const first = await newArrival();
    const second = await newArrival();
    assert.equal((await call('vt.sotc', 'POST', `/${first.id}/sender-request/agree`)).code, 'no_recall_request');
    await ok('vt.sotc', 'POST', `/${first.id}/register`, { registerId: await registerId() });
    const number = (id: string) =>
      office.db.selectFrom('incoming_documents').select('number').where('id', '=', id).executeTakeFirstOrThrow();
    await recall(first.documentId, (await number(first.id)).number);
    await recall(second.documentId, (await number(second.id)).number);
    const listed = (await ok('vt.sotc', 'GET', '?limit=200')) as { items: { id: string; senderRequest: string | null }[] };
    assert.equal(listed.items.find((d) => d.id === first.id)!.senderRequest, 'recall');
    assert.ok((await ok('vt.sotc', 'GET', `/${first.id}`)).actions!.toString().includes('agree_recall'));

    await ok('vt.sotc', 'POST', `/${first.id}/sender-request/agree`);
    await ok('vt.sotc', 'POST', `/${second.id}/sender-request/refuse`, { reason: 'Văn bản đã được xử lý xong.' });
    const after = (await ok('vt.sotc', 'GET', '?limit=200')) as { items: { id: string; senderRequest: string | null }[] };
    assert.equal(
      after.items.find((d) => d.id === first.id),
      undefined,
    );
    assert.equal(after.items.find((d) => d.id === second.id)!.senderRequest, null);
    const withdrawn = (await ok('vt.sotc', 'GET', '?state=withdrawn')) as { items: { id: string }[] };
    assert.ok(withdrawn.items.some((d) => d.id === first.id));
    assert.deepEqual(await statusesSent(first.documentId), ['03', '15']);
    assert.deepEqual(await statusesSent(second.documentId), ['16']);
  });

  it('takes an amended version as a new document and asks the clerk about the old one', async () => {
    const old = await newArrival();
    const amended = await newArrival((p) => {
      p.business = { kind: 'replace', reason: 'Sai số liệu phụ lục.', documentId: old.documentId };
    });
    const detail = await ok('vt.sotc', 'GET', `/${old.id}`);
    assert.deepEqual(
      [detail.senderRequest, detail.senderRequestVersion, detail.senderRequestReason],
      ['replace', amended.id, 'Sai số liệu phụ lục.'],
    );
    await ok('vt.sotc', 'POST', `/${old.id}/sender-request/agree`);
    assert.equal((await ok('vt.sotc', 'GET', `/${old.id}`)).state, 'withdrawn');
    assert.equal((await ok('vt.sotc', 'GET', `/${amended.id}`)).state, 'awaiting');
  });

  it('gives the sender its tracking: every status each recipient sent back, in its timeline', async () => {
    // UBND sends a document through the hub; STC, here too, answers it as any recipient would.
    const pkg = samplePackage();
    pkg.documentId = 'tracked-document';
    const bytes = await buildPackageBytes(pkg, SAMPLE_FILES, 'none');
    const vtUbnd = (await office.db.selectFrom('users').select('id').where('username', '=', 'vt.ubnd').executeTakeFirstOrThrow()).id;
    await office.db
      .transaction()
      .execute((tx) =>
        sendThroughHub(
          tx,
          files,
          { agencyId: ubnd, userId: vtUbnd },
          { kind: 'document', bytes, documentId: 'tracked-document', from: UBND, to: [STC], classification: 'none' },
          { number: pkg.number, notation: pkg.notation, subject: pkg.subject },
        ),
      );
    await arrive(bytes, STC);
    await takeArrivals({ db: office.db, files, verifier: null });
    const id = (
      await office.db.selectFrom('incoming_documents').select('id').where('document_id', '=', 'tracked-document').executeTakeFirstOrThrow()
    ).id;
    await ok('vt.sotc', 'POST', `/${id}/register`, { registerId: await registerId() });
    await ok('vt.sotc', 'POST', `/${id}/submit`, { leaderId: ids['ld.sotc'] });
    await ok('ld.sotc', 'POST', `/${id}/assign`, { lead: { userId: ids['cv.sotc'] }, dueInWorkingDays: 3 });
    // The hub carries STC's status messages back to UBND.
    const queued = await office.db
      .selectFrom('hub_outbox')
      .select('sha256')
      .where('kind', '=', 'status')
      .where('document_id', '=', 'tracked-document')
      .orderBy('created_at')
      .execute();
    for (const q of queued) await arrive(await buffer(await files.read(q.sha256)), UBND, 'status');
    await takeStatuses(office.db, files);
    await takeStatuses(office.db, files);

    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vt.ubnd', password: DEMO_PASSWORD } });
    const cookie = `vanban_session=${login.cookies.find((c) => c.name === 'vanban_session')!.value}`;
    const list = (await app.inject({ method: 'GET', url: `/api/agencies/${ubnd}/sent`, headers: { cookie } })).json() as {
      items: { documentId: string; subject: string; recipients: { code: string; latest: { status: string } | null }[] }[];
    };
    const sent = list.items.find((d) => d.documentId === 'tracked-document')!;
    assert.equal(sent.subject, pkg.subject);
    assert.deepEqual(
      sent.recipients.map((r) => [r.code, r.latest?.status]),
      [[STC, '04']],
    );
    const tracked = (
      await app.inject({ method: 'GET', url: `/api/agencies/${ubnd}/sent/tracked-document`, headers: { cookie } })
    ).json() as {
      statuses: { status: string; recipientCode: string }[];
      timeline: { action: string; details: { status?: string } }[];
    };
    assert.deepEqual(
      tracked.statuses.map((s) => s.status),
      ['03', '04'],
    );
    assert.deepEqual(
      tracked.timeline.map((e) => [e.action, e.details.status ?? null]),
      [
        ['send', null],
        ['status_received', '03'],
        ['status_received', '04'],
      ],
    );
  });

  it('pages through documents received in the same millisecond without skipping one', async () => {
    const { id } = await newArrival();
    const copies: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const row = await office.db
        .insertInto('incoming_documents')
        .values({
          agency_id: stc,
          channel: 'paper',
          sender_name: 'Nơi gửi',
          number: `${i}`,
          subject: `Cùng mili giây ${i}`,
          received_at: sql`'2020-01-01 00:00:00.123'::timestamptz + ${`${i} microseconds`}::interval`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      copies.push(row.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await ok('vt.sotc', 'GET', `?receivedTo=2020-01-01&limit=1${cursor ? `&cursor=${cursor}` : ''}`)) as {
        items: { id: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.sort(), copies.sort());
    assert.ok(id);
  });

  it('tells a department through its active leaders, and its members when no leader is active', async () => {
    const department = (await office.db
      .selectFrom('memberships')
      .select('department_id')
      .where('user_id', '=', ids['tp.sotc']!)
      .executeTakeFirstOrThrow())!.department_id!;
    const assignTo = async () => {
      const { id } = await newArrival();
      await ok('vt.sotc', 'POST', `/${id}/register`, { registerId: await registerId() });
      await ok('vt.sotc', 'POST', `/${id}/submit`, { leaderId: ids['ld.sotc'] });
      await ok('ld.sotc', 'POST', `/${id}/assign`, { lead: { departmentId: department } });
      return id;
    };
    const told = async (id: string) =>
      (
        await office.db
          .selectFrom('notifications as n')
          .innerJoin('users as u', 'u.id', 'n.user_id')
          .select('u.username')
          .where('n.incoming_id', '=', id)
          .where('n.kind', '=', 'assigned_lead')
          .execute()
      ).map((r) => r.username);
    const leaders = ['kiemnhiem', 'tp.sotc'];
    assert.deepEqual((await told(await assignTo())).sort(), leaders);
    const setActive = (username: string, active: boolean) =>
      office.db.updateTable('users').set({ active }).where('username', '=', username).execute();
    try {
      await setActive('tp.sotc', false);
      assert.deepEqual(await told(await assignTo()), ['kiemnhiem']);
      await setActive('kiemnhiem', false);
      assert.deepEqual(await told(await assignTo()), ['cv.sotc']);
    } finally {
      for (const username of leaders) await setActive(username, true);
    }
  });

  it('shows a document being handled without a due date as not overdue, in the detail and the lists', async () => {
    const { id } = await newArrival();
    await ok('vt.sotc', 'POST', `/${id}/register`, { registerId: await registerId() });
    await ok('vt.sotc', 'POST', `/${id}/submit`, { leaderId: ids['ld.sotc'] });
    await ok('ld.sotc', 'POST', `/${id}/assign`, { lead: { userId: ids['cv.sotc'] } });
    const detail = await ok('cv.sotc', 'GET', `/${id}`);
    assert.deepEqual([detail.state, detail.dueDate, detail.overdue], ['assigned', null, false]);
    const notOverdue = (await ok('vt.sotc', 'GET', '?overdue=false&limit=200')) as { items: { id: string; overdue: boolean }[] };
    assert.equal(notOverdue.items.find((d) => d.id === id)?.overdue, false);
    const overdue = (await ok('vt.sotc', 'GET', '?overdue=true&limit=200')) as { items: { id: string }[] };
    assert.ok(!overdue.items.some((d) => d.id === id));
  });

  it('keeps every step in a journal whose hash chain shows any edit', async () => {
    const pool = new pg.Pool({ connectionString: testDb.url, max: 1 });
    try {
      const clean = await verifyOfficeJournal(pool);
      assert.ok(clean.entries > 20);
      assert.deepEqual(clean.breaks, []);
      await pool.query(`UPDATE office_journal SET body = jsonb_set(body, '{details,text}', '"sửa lén"') WHERE seq = 3 AND chain = $1`, [
        stc,
      ]);
      const broken = await verifyOfficeJournal(pool);
      assert.deepEqual(broken.breaks, [{ chain: stc, seq: 3, problem: 'edited' }]);
    } finally {
      await pool.end();
    }
  });
});
