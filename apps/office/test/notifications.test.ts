import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { buildApp } from '../src/app.js';
import { statutoryHolidays } from '../src/calendar/holidays.js';
import { vietnamDay, WorkingCalendar } from '../src/calendar/working-days.js';
import { DEMO_PASSWORD, seedDemoProvince } from '../src/demo/seed.js';
import { Mailer } from '../src/notifications/mailer.js';
import { notify } from '../src/notifications/notify.js';
import {
  formatDay,
  handlersOf,
  reminderFor,
  reminderNotice,
  remindDueDates,
  shorten,
  type ReminderKind,
} from '../src/notifications/reminders.js';
import { NotificationWorker } from '../src/notifications/worker.js';
import { defaultSettings, migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';

const calendar = new WorkingCalendar([2025, 2026].flatMap((year) => statutoryHolidays(year).map((h) => ({ day: h.day, working: false }))));

describe('which reminder a due date calls for on a given day', () => {
  const cases: [today: string, due: string, expected: ReminderKind | null, why: string][] = [
    ['2026-11-23', '2026-11-24', 'due_soon', 'Monday, due Tuesday: the next working day'],
    ['2026-11-23', '2026-11-23', 'due_soon', 'due today'],
    ['2026-11-23', '2026-11-25', null, 'two working days ahead'],
    ['2026-11-24', '2026-11-23', 'overdue', 'the day after the due date'],
    ['2026-12-31', '2025-06-30', 'overdue', 'long past'],
    ['2026-11-20', '2026-11-23', 'due_soon', 'Friday, due Monday: the weekend in between'],
    ['2026-11-20', '2026-11-22', 'due_soon', 'Friday, due on the Sunday (a date given outright)'],
    ['2026-11-20', '2026-11-24', null, 'Friday, due Tuesday'],
    ['2026-11-21', '2026-11-23', 'due_soon', 'a Saturday run, due Monday'],
    ['2026-11-21', '2026-11-20', 'overdue', 'a Saturday run, due the Friday before'],
    ['2026-09-01', '2026-09-04', 'due_soon', 'Tuesday before National Day: 2 and 3 September are off, Friday is next'],
    ['2026-09-01', '2026-09-03', 'due_soon', 'due on the holiday itself'],
    ['2026-09-01', '2026-09-07', null, 'the Monday after National Day is two working days ahead'],
    ['2026-08-31', '2026-09-04', null, 'Monday 31 August: Tuesday 1 September is still a working day'],
    ['2026-09-04', '2026-09-03', 'overdue', 'due on the holiday, now past'],
    ['2026-02-13', '2026-02-23', 'due_soon', 'Friday before Tết 2026: nine days off, Monday 23 February is next'],
    ['2026-02-13', '2026-02-24', null, 'the Tuesday after Tết'],
    ['2026-02-18', '2026-02-23', 'due_soon', 'during Tết'],
    ['2026-02-23', '2026-02-20', 'overdue', 'back after Tết, due during it'],
  ];
  for (const [today, due, expected, why] of cases) {
    it(`${why}: on ${today}, due ${due} → ${expected ?? 'nothing'}`, () => {
      assert.equal(reminderFor(due, today, calendar), expected);
    });
  }
});

describe('reminder texts and recipients', () => {
  it('names the document, its shortened subject and the due date as dd/mm/yyyy', () => {
    assert.equal(formatDay('2026-09-04'), '04/09/2026');
    const doc = {
      id: '11111111-1111-1111-1111-111111111111',
      agencyId: '22222222-2222-2222-2222-222222222222',
      number: '125',
      notation: 'UBND-VP',
      subject: 'Về việc triển khai kế hoạch chuyển đổi số năm 2026 trên địa bàn tỉnh Bình An và các huyện, thị xã, thành phố trực thuộc',
      dueDate: '2026-09-04',
    };
    const soon = reminderNotice('due_soon', doc);
    assert.equal(
      soon.vi,
      'Sắp đến hạn xử lý ngày 04/09/2026: văn bản số 125/UBND-VP “Về việc triển khai kế hoạch chuyển đổi số năm 2026 trên địa bàn tỉnh Bình An và…”.',
    );
    assert.match(soon.en, /^Due on 04\/09\/2026: document 125\/UBND-VP “Về việc/);
    assert.equal(soon.once, `due_soon:${doc.id}:2026-09-04`);
    const late = reminderNotice('overdue', { ...doc, notation: '', subject: 'Báo cáo quý' });
    assert.equal(late.vi, 'Quá hạn xử lý (hạn ngày 04/09/2026): văn bản số 125 “Báo cáo quý”.');
    assert.equal(late.en, 'Overdue (due 04/09/2026): document 125 “Báo cáo quý”.');
    assert.equal(late.once, `overdue:${doc.id}:2026-09-04`);
    assert.equal(reminderNotice('overdue', { ...doc, number: '', notation: '' }).vi.includes('văn bản “Về việc'), true);
  });

  it('shortens at a word, never inside a character', () => {
    assert.equal(shorten('  Ngắn   gọn  '), 'Ngắn gọn');
    assert.equal(shorten('Tờ trình '.repeat(20), 28), 'Tờ trình Tờ trình Tờ trình…');
    assert.equal(shorten('Tờ trình '.repeat(20), 30), 'Tờ trình Tờ trình Tờ trình Tờ…', 'a whole word before the cut stays');
    assert.equal(Array.from(shorten('Đ'.repeat(100), 10)).length, 10, 'no space near: cut at the limit');
    // Decomposed input is composed first, so a cut never leaves a bare mark.
    assert.equal(shorten('Quyết định'.normalize('NFD'), 80), 'Quyết định');
  });

  it('takes an assigned person, a department’s leaders, or all its members when it has none', () => {
    const agencyOf = new Map([
      ['doc1', 'A'],
      ['doc2', 'A'],
    ]);
    const members = [
      { agencyId: 'A', departmentId: 'D1', userId: 'leader', roles: ['department_leader'] },
      { agencyId: 'A', departmentId: 'D1', userId: 'officer', roles: ['officer'] },
      { agencyId: 'A', departmentId: 'D2', userId: 'clerk', roles: ['clerk'] },
      { agencyId: 'A', departmentId: 'D2', userId: 'admin', roles: ['administrator'] },
      { agencyId: 'B', departmentId: 'D2', userId: 'elsewhere', roles: ['department_leader'] },
    ];
    const handlers = handlersOf(
      [
        { incomingId: 'doc1', userId: 'person', departmentId: null },
        { incomingId: 'doc1', userId: null, departmentId: 'D1' },
        { incomingId: 'doc2', userId: null, departmentId: 'D2' },
      ],
      members,
      agencyOf,
    );
    assert.deepEqual([...handlers.get('doc1')!].sort(), ['leader', 'person']);
    assert.deepEqual([...handlers.get('doc2')!].sort(), ['admin', 'clerk']);
  });
});

describe('notifications on a database', () => {
  let testDb: TestDatabase;
  let office: Database<OfficeSchema>;
  let app: FastifyInstance;
  const STC = '000.00.04.H99';
  let stc: string;
  const users = new Map<string, string>();
  const names = new Map<string, string>();
  let docs = 0;

  const department = async (code: string) =>
    (await office.db.selectFrom('departments').select('id').where('agency_id', '=', stc).where('code', '=', code).executeTakeFirstOrThrow())
      .id;

  /** A document being handled, as the leader's assignment leaves it: lead cv.sotc, co the given department, vt.sotc informed. */
  const addDocument = async (dueDate: string, coDepartment = 'NV', state: 'assigned' | 'in_progress' | 'completed' = 'assigned') => {
    const { id } = await office.db
      .insertInto('incoming_documents')
      .values({
        agency_id: stc,
        channel: 'paper',
        state,
        sender_name: 'Ủy ban nhân dân tỉnh Bình An',
        number: String(++docs),
        notation: 'UBND-KT',
        subject: `Về việc báo cáo tình hình thực hiện dự toán ngân sách số ${docs}`,
        due_date: dueDate,
        directed_by: users.get('ld.sotc')!,
        directed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const by = { assigned_by: users.get('ld.sotc')!, assigned_at: new Date(), incoming_id: id };
    await office.db
      .insertInto('incoming_assignments')
      .values([
        { ...by, part: 'lead', user_id: users.get('cv.sotc')! },
        { ...by, part: 'co', department_id: await department(coDepartment) },
        { ...by, part: 'info', user_id: users.get('vt.sotc')! },
      ])
      .execute();
    return id;
  };

  /** Done: later tests' reminders leave it alone. */
  const finish = async (...ids: string[]) => {
    await office.db
      .updateTable('incoming_documents')
      .set({ state: 'completed', completed_at: new Date() })
      .where('id', 'in', ids)
      .execute();
  };

  /** Who has which notice about a document, as `username kind due-date`. */
  const noticesOf = async (incomingId: string) =>
    (
      await office.db
        .selectFrom('notifications')
        .select(['user_id', 'kind', 'once_key', 'text_vi'])
        .where('incoming_id', '=', incomingId)
        .execute()
    )
      .map((n) => `${names.get(n.user_id)} ${n.kind} ${n.once_key?.split(':')[2]}`)
      .sort();

  // 09:00 in Vietnam on a given day.
  const at = (day: string) => new Date(`${day}T02:00:00Z`);

  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    assert.equal(res.statusCode, 200, res.body);
    return `vanban_session=${res.cookies.find((c) => c.name === 'vanban_session')!.value}`;
  };

  before(async () => {
    testDb = await createTestDatabase();
    await migrateOffice(testDb.url);
    office = connect<OfficeSchema>(testDb.url, { max: 4 });
    await seedDemoProvince(office.db);
    stc = (await office.db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    for (const u of await office.db.selectFrom('users').select(['id', 'username']).execute()) {
      users.set(u.username, u.id);
      names.set(u.id, u.username);
    }
    const files = new BlobStore(mkdtempSync(join(tmpdir(), 'vanban-notifications-files-')));
    app = await buildApp({ db: office.db, files, verifier: null, keys: null, settings: defaultSettings });
  });
  after(async () => {
    await app?.close();
    await office?.close();
    await testDb?.drop();
  });

  describe('due-date reminders', () => {
    it('reminds the lead and the co-handling department’s leaders once, and again when the due date changes', async () => {
      const id = await addDocument('2026-09-04');
      // Tuesday 1 September 2026: the 2nd and 3rd are holidays in the database, so Friday the 4th is next.
      assert.deepEqual(await remindDueDates(office.db, at('2026-09-01')), { dueSoon: 3, overdue: 0 });
      assert.deepEqual(await noticesOf(id), [
        'cv.sotc due_soon 2026-09-04',
        'kiemnhiem due_soon 2026-09-04',
        'tp.sotc due_soon 2026-09-04',
      ]);
      const [text] = await office.db.selectFrom('notifications').select(['text_vi', 'text_en']).where('incoming_id', '=', id).execute();
      assert.match(text!.text_vi, /^Sắp đến hạn xử lý ngày 04\/09\/2026: văn bản số \d+\/UBND-KT “Về việc báo cáo/);
      assert.match(text!.text_en, /^Due on 04\/09\/2026: document/);

      // Run twice (or by two processes): nothing more.
      assert.deepEqual(await remindDueDates(office.db, at('2026-09-01')), { dueSoon: 0, overdue: 0 });
      assert.equal((await noticesOf(id)).length, 3);

      // The leader gives more time: nothing on the same day, a new reminder when the new date nears.
      await office.db.updateTable('incoming_documents').set({ due_date: '2026-09-08' }).where('id', '=', id).execute();
      assert.deepEqual(await remindDueDates(office.db, at('2026-09-01')), { dueSoon: 0, overdue: 0 });
      assert.deepEqual(await remindDueDates(office.db, at('2026-09-07')), { dueSoon: 3, overdue: 0 });
      assert.deepEqual(await remindDueDates(office.db, at('2026-09-07')), { dueSoon: 0, overdue: 0 });
      assert.deepEqual(
        (await noticesOf(id)).filter((n) => n.endsWith('2026-09-08')),
        ['cv.sotc due_soon 2026-09-08', 'kiemnhiem due_soon 2026-09-08', 'tp.sotc due_soon 2026-09-08'],
      );
      await finish(id);
    });

    it('flags an overdue document to its handlers and to the leader who directed it, once', async () => {
      const id = await addDocument('2026-10-02', 'NV', 'in_progress');
      // Late in the evening of Monday 5 October in Vietnam (still the 5th in UTC too).
      assert.deepEqual(await remindDueDates(office.db, new Date('2026-10-05T16:59:00Z')), { dueSoon: 0, overdue: 4 });
      assert.deepEqual(await noticesOf(id), [
        'cv.sotc overdue 2026-10-02',
        'kiemnhiem overdue 2026-10-02',
        'ld.sotc overdue 2026-10-02',
        'tp.sotc overdue 2026-10-02',
      ]);
      const [text] = await office.db.selectFrom('notifications').select('text_vi').where('incoming_id', '=', id).execute();
      assert.match(text!.text_vi, /^Quá hạn xử lý \(hạn ngày 02\/10\/2026\): văn bản số/);
      assert.deepEqual(await remindDueDates(office.db, new Date('2026-10-06T02:00:00Z')), { dueSoon: 0, overdue: 0 });
      await finish(id);
    });

    it('tells every member of a department without a leader, and nobody about finished documents', async () => {
      // The demo's Văn phòng has a head; here it has none for a while.
      const head = users.get('cvp.sotc')!;
      await office.db
        .updateTable('memberships')
        .set({ roles: ['officer'] })
        .where('user_id', '=', head)
        .execute();
      const done = await addDocument('2026-10-01', 'NV', 'completed');
      const id = await addDocument('2026-10-20', 'VP');
      const counts = await remindDueDates(office.db, at('2026-10-19'));
      assert.equal(counts.dueSoon, 4);
      assert.deepEqual(await noticesOf(id), [
        'cv.sotc due_soon 2026-10-20',
        'cvp.sotc due_soon 2026-10-20',
        'qt.sotc due_soon 2026-10-20',
        'vt.sotc due_soon 2026-10-20',
      ]);
      assert.deepEqual(await noticesOf(done), []);
      await finish(id);
      await office.db
        .updateTable('memberships')
        .set({ roles: ['department_leader'] })
        .where('user_id', '=', head)
        .execute();
    });

    it('goes through the documents page by page', async () => {
      const ids = [await addDocument('2026-11-23'), await addDocument('2026-11-23'), await addDocument('2026-11-20')];
      // Friday 20 November: one is due today, two on Monday; pages of one document each.
      const counts = await remindDueDates(office.db, at('2026-11-20'), 1);
      assert.equal(counts.dueSoon, 9);
      for (const id of ids) assert.equal((await noticesOf(id)).length, 3);
      await finish(...ids);
    });
  });

  describe('the notifications API', () => {
    it('lists the caller’s own notices, newest first, page by page, counts and marks them read', async () => {
      const cv = await login('cv.sotc');
      const tp = await login('tp.sotc');
      // Notices given in one transaction share their time to the microsecond: the cursor must not skip any.
      await office.db.transaction().execute(async (tx) => {
        for (let i = 1; i <= 3; i++) {
          await notify(tx, [users.get('cv.sotc')!, users.get('tp.sotc')!], {
            agencyId: stc,
            incomingId: null,
            kind: 'assigned',
            vi: `Thông báo ${i}`,
            en: `Notice ${i}`,
          });
        }
      });
      const get = (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
      const post = (cookie: string, url: string) => app.inject({ method: 'POST', url, headers: { cookie } });

      const all: { id: string; text: { vi: string }; readAt: string | null; agencyId: string }[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(cv, `/api/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json<{ items: typeof all; nextCursor: string | null }>();
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const mine = await office.db.selectFrom('notifications').select('id').where('user_id', '=', users.get('cv.sotc')!).execute();
      assert.equal(all.length, mine.length);
      assert.equal(new Set(all.map((n) => n.id)).size, all.length);
      assert.ok(all.some((n) => n.text.vi === 'Thông báo 3'));
      assert.ok(all.every((n) => n.agencyId === stc && n.readAt === null));

      const count = async (cookie: string) => (await get(cookie, '/api/notifications/unread-count')).json<{ count: number }>().count;
      assert.equal(await count(cv), mine.length);

      const first = all[0]!;
      assert.equal((await post(cv, `/api/notifications/${first.id}/read`)).statusCode, 204);
      assert.equal((await post(cv, `/api/notifications/${first.id}/read`)).statusCode, 204, 'again: no change');
      assert.equal(await count(cv), mine.length - 1);
      const unread = (await get(cv, '/api/notifications?unread=true&limit=200')).json<{ items: typeof all }>().items;
      assert.equal(unread.length, mine.length - 1);
      assert.ok(!unread.some((n) => n.id === first.id));
      const read = (await get(cv, '/api/notifications?limit=200')).json<{ items: typeof all }>().items.find((n) => n.id === first.id);
      assert.ok(read?.readAt);

      // Another person's notices are neither listed nor touched.
      const tpCount = await count(tp);
      assert.equal((await post(tp, `/api/notifications/${first.id}/read`)).statusCode, 404);
      const tpItems = (await get(tp, '/api/notifications?limit=200')).json<{ items: typeof all }>().items;
      assert.ok(!tpItems.some((n) => mine.some((m) => m.id === n.id)));

      const marked = await post(cv, '/api/notifications/read-all');
      assert.deepEqual(marked.json(), { marked: mine.length - 1 });
      assert.equal(await count(cv), 0);
      assert.equal(await count(tp), tpCount, 'read-all marks only the caller’s');
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await app.inject({ url: '/docs/json' })).json<{ paths: Record<string, unknown> }>();
      for (const path of [
        '/api/notifications',
        '/api/notifications/unread-count',
        '/api/notifications/{notificationId}/read',
        '/api/notifications/read-all',
      ]) {
        assert.ok(path in doc.paths, path);
      }
    });

    it('refuses callers who are not logged in, and bad cursors', async () => {
      assert.equal((await app.inject({ url: '/api/notifications' })).statusCode, 401);
      assert.equal((await app.inject({ url: '/api/notifications/unread-count' })).statusCode, 401);
      const cv = await login('cv.sotc');
      assert.equal((await app.inject({ url: '/api/notifications?cursor=nonsense', headers: { cookie: cv } })).statusCode, 400);
      const missing = '00000000-0000-4000-8000-000000000000';
      assert.equal(
        (await app.inject({ method: 'POST', url: `/api/notifications/${missing}/read`, headers: { cookie: cv } })).statusCode,
        404,
      );
    });
  });

  describe('mail', () => {
    interface Received {
      readonly to: string[];
      readonly subject: string;
      readonly body: string;
    }
    let server: SMTPServer;
    let port: number;
    const received: Received[] = [];
    let refuse = false;

    before(async () => {
      server = new SMTPServer({
        disabledCommands: ['STARTTLS'],
        allowInsecureAuth: true,
        logger: false,
        onAuth(auth, _session, callback) {
          if (auth.username === 'office' && auth.password === 's3cret') callback(null, { user: 'office' });
          else callback(new Error('Invalid username or password'));
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            if (refuse) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), ...decodeMail(Buffer.concat(chunks).toString('utf8')) });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.server.address() as AddressInfo).port;
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const smtp = () => ({ url: `smtp://office:s3cret@127.0.0.1:${port}`, from: 'Văn bản Bình An <vanban@binhan.gov.vn>' });

    it('mails new notices with their Vietnamese text, once, and only to people with an address', async () => {
      // Whatever earlier tests left is older than a day for the mailer.
      await office.db
        .updateTable('notifications')
        .set({ created_at: sql<Date>`now() - interval '2 days'` })
        .execute();
      await office.db.updateTable('users').set({ email: null }).where('username', '=', 'tp.sotc').execute();
      const id = await addDocument('2026-12-01');
      const fresh = await remindDueDates(office.db, at('2026-11-30'));
      assert.equal(fresh.dueSoon, 3);

      const mailer = new Mailer({ db: office.db, smtp: smtp() });
      try {
        const round = await mailer.sendDue();
        assert.deepEqual({ sent: round.sent, failed: round.failed }, { sent: 2, failed: 0 });
        assert.deepEqual(received.map((m) => m.to.join()).sort(), ['cv.sotc@binhan.gov.vn', 'kiemnhiem@binhan.gov.vn']);
        const mail = received[0]!;
        assert.match(mail.subject, /^Sắp đến hạn xử lý ngày 01\/12\/2026: văn bản số/);
        assert.match(mail.body, /Kính gửi .+,/);
        assert.match(mail.body, /Sắp đến hạn xử lý ngày 01\/12\/2026: văn bản số \d+\/UBND-KT “Về việc báo cáo tình hình/);
        assert.match(mail.body, /Due on 01\/12\/2026/);

        const rows = await office.db.selectFrom('notifications').select(['user_id', 'emailed_at']).where('incoming_id', '=', id).execute();
        assert.deepEqual(rows.map((r) => [names.get(r.user_id), r.emailed_at !== null]).sort(), [
          ['cv.sotc', true],
          ['kiemnhiem', true],
          ['tp.sotc', false],
        ]);
        // Nothing more to send: not the marked ones, not the old ones, not the one without an address.
        assert.deepEqual((await mailer.sendDue()).sent, 0);
        assert.equal(received.length, 2);
      } finally {
        mailer.close();
      }
      await finish(id);
    });

    it('leaves a notice the server refuses for the next round, with a log line', async () => {
      received.length = 0;
      await notify(office.db, [users.get('cv.sotc')!], {
        agencyId: stc,
        incomingId: null,
        kind: 'assigned',
        vi: 'Được giao xử lý',
        en: 'Assigned',
      });
      const lines: string[] = [];
      const logger = pino(
        { level: 'warn' },
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            lines.push(chunk.toString('utf8'));
            callback();
          },
        }),
      );
      const mailer = new Mailer({ db: office.db, smtp: smtp(), logger });
      try {
        refuse = true;
        assert.deepEqual((await mailer.sendDue()).failed, 1);
        const row = await office.db
          .selectFrom('notifications')
          .select('emailed_at')
          .where('text_vi', '=', 'Được giao xử lý')
          .executeTakeFirstOrThrow();
        assert.equal(row.emailed_at, null);
        assert.ok(
          lines.some((l) => l.includes('could not be mailed')),
          lines.join(''),
        );
        refuse = false;
        assert.deepEqual((await mailer.sendDue()).sent, 1);
        assert.equal(received[0]!.body.includes('Được giao xử lý'), true);
      } finally {
        mailer.close();
      }
      // A server that refuses the login: every notice stays for later, none is lost.
      const wrong = new Mailer({ db: office.db, smtp: { ...smtp(), url: `smtp://office:wrong@127.0.0.1:${port}` }, logger });
      try {
        await notify(office.db, [users.get('cv.sotc')!], { agencyId: stc, incomingId: null, kind: 'assigned', vi: 'Lần hai', en: 'Twice' });
        assert.deepEqual((await wrong.sendDue()).failed, 1);
      } finally {
        wrong.close();
      }
    });

    it('runs in the background worker: reminders shortly after start, then mail, and stops cleanly', async () => {
      received.length = 0;
      await office.db
        .updateTable('notifications')
        .set({ created_at: sql<Date>`now() - interval '2 days'` })
        .execute();
      const id = await addDocument(vietnamDay(new Date()));
      const worker = new NotificationWorker({ db: office.db, smtp: smtp(), firstReminderMs: 10, mailEveryMs: 50 });
      worker.start();
      try {
        const deadline = Date.now() + 10_000;
        while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await worker.stop();
      }
      assert.deepEqual(await noticesOf(id), [
        `cv.sotc due_soon ${vietnamDay(new Date())}`,
        `kiemnhiem due_soon ${vietnamDay(new Date())}`,
        `tp.sotc due_soon ${vietnamDay(new Date())}`,
      ]);
      assert.deepEqual(received.map((m) => m.to.join()).sort(), ['cv.sotc@binhan.gov.vn', 'kiemnhiem@binhan.gov.vn']);
      await finish(id);
    });
  });
});

/** The subject and text of a single-part mail, decoded (base64 or quoted-printable, UTF-8). */
function decodeMail(raw: string): { subject: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? '';
  const encodedWord = /=\?utf-8\?([bq])\?([^?]*)\?=/gi;
  const subject = header('Subject')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(encodedWord, (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body.replace(/=\r\n/g, ''))
        : body;
  return { subject, body: text.replace(/\r\n/g, '\n') };
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
