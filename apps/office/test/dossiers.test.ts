import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { until } from '@vanban/hub/testing';
import { paperPdf } from '../src/demo/letter-pdf.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { remindTransfers } from '../src/dossiers/reminders.js';
import { startTestExchangeSystem, type TestExchangeSystem } from '../src/testing/system.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';

type Body = Record<string, unknown> & { error?: { code: string } };
interface Dossier {
  id: string;
  code: string;
  state: string;
  endDate: string | null;
  transferDeadline: string | null;
  keepUntilYear: number | null;
  actions: string[];
  items: { position: number; kind: string; documentId: string | null; label: string }[];
  transfer: { id: string; sha256: string } | null;
  appraisals: { decision: string; reason: string; legalBasis: string; by: string }[];
}

describe('file plan, dossiers and transfer to the agency archive', () => {
  let system: TestExchangeSystem;
  let stc: string;
  const cookies = new Map<string, string>();
  const ids = new Map<string, string>();
  const work = mkdtempSync(join(tmpdir(), 'vanban-dossiers-'));

  async function call(username: string, method: string, path: string, body?: unknown) {
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
    const form = body instanceof FormData;
    const res = await fetch(`${system.url}/api/agencies/${stc}${path}`, {
      method,
      headers: { cookie, ...(body === undefined || form ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const json = res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(bytes.toString()) as Body) : {};
    return { status: res.status, body: json, bytes, code: json.error?.code };
  }
  async function ok<T = Body>(username: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await call(username, method, path, body);
    assert.ok([200, 201, 204].includes(res.status), `${username} ${method} ${path}: ${res.status} ${res.bytes.toString().slice(0, 300)}`);
    return res.body as T;
  }
  const dossier = (username: string, id: string) => ok<Dossier>(username, 'GET', `/dossiers/${id}`);
  const upload = (name: string, text: string) => {
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'text/plain' }), name);
    return form;
  };
  const sh = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8' });

  before(async () => {
    system = await startTestExchangeSystem({ credentialsFor: [UBND] });
    const db = system.office.database.db;
    stc = (await db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    for (const u of await db.selectFrom('users').select(['id', 'username']).where('username', 'like', '%.sotc').execute())
      ids.set(u.username, u.id);
  });
  after(async () => {
    await system?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  let entry5: string;
  let entryPermanent: string;

  it('starts from the demo’s file plan of the current year', async () => {
    const year = new Date().getFullYear();
    const plan = await ok<{ items: { code: string; title: string; retentionYears: number | null }[] }>(
      'cv.sotc',
      'GET',
      `/file-plan?year=${year}`,
    );
    assert.equal(plan.items.length, 8);
    assert.deepEqual(plan.items[0], { ...plan.items[0], code: `01.VP.${year}`, title: 'Sổ đăng ký văn bản đến', retentionYears: null });
    assert.equal(plan.items.find((e) => e.code === `05.VP.${year}`)?.retentionYears, 10);
  });

  it('lets the clerk and the agency leader keep the yearly file plan, and copy it into the next year', async () => {
    const created = await ok<{ id: string }>('vt.sotc', 'POST', '/file-plan', {
      year: 2012,
      code: '05.TC.2012',
      title: 'Hồ sơ về công tác tài chính',
      heading: 'II. Tài chính',
      retentionYears: 5,
    });
    entry5 = created.id;
    entryPermanent = (
      await ok<{ id: string }>('ld.sotc', 'POST', '/file-plan', {
        year: 2012,
        code: '01.VP.2012',
        title: 'Sổ đăng ký văn bản đến',
        retentionYears: null,
      })
    ).id;
    assert.equal((await call('cv.sotc', 'POST', '/file-plan', { year: 2012, code: 'X', title: 'x', retentionYears: 1 })).status, 403);
    assert.equal(
      (await call('vt.sotc', 'POST', '/file-plan', { year: 2012, code: '05.TC.2012', title: 'x', retentionYears: 1 })).code,
      'duplicate_plan_entry',
    );
    assert.equal(
      (await call('vt.sotc', 'POST', '/file-plan', { year: 2012, code: 'Y', title: 'y', retentionYears: 0 })).code,
      'validation_failed',
    );

    assert.deepEqual(await ok('vt.sotc', 'POST', '/file-plan/copy', { fromYear: 2012, toYear: 2013 }), { copied: 2 });
    assert.deepEqual(await ok('vt.sotc', 'POST', '/file-plan/copy', { fromYear: 2012, toYear: 2013 }), { copied: 0 });
    const plan = await ok<{ items: { code: string; retentionYears: number | null; position: number }[] }>(
      'cv.sotc',
      'GET',
      '/file-plan?year=2013',
    );
    assert.deepEqual(
      plan.items.map((e) => [e.position, e.code, e.retentionYears]),
      [
        [1, '05.TC.2013', 5],
        [2, '01.VP.2013', null],
      ],
    );
  });

  let a: string;
  let b: string;
  let incomingId: string;

  it('lets an officer open a dossier from the plan and file what they may read into it, and nothing else', async () => {
    a = (
      await ok<{ id: string }>('cv.sotc', 'POST', '/dossiers', {
        entryId: entry5,
        title: 'Quyết toán ngân sách năm 2011',
        startDate: '2012-01-05',
      })
    ).id;
    b = (await ok<{ id: string }>('cv.sotc', 'POST', '/dossiers', { entryId: entryPermanent, startDate: '2012-01-02' })).id;
    assert.equal((await dossier('cv.sotc', a)).code, '05.TC.2012');
    assert.deepEqual((await dossier('cv.sotc', a)).actions, ['file', 'remove', 'close']);
    // The clerk sees the whole agency's dossiers but keeps none of this one.
    assert.deepEqual((await dossier('vt.sotc', a)).actions, []);
    // An officer of the agency who keeps it not is told it does not exist.
    const mine = await ok<{ items: { id: string }[] }>('cv.sotc', 'GET', '/dossiers?view=mine');
    assert.deepEqual(mine.items.map((d) => d.id).sort(), [a, b].sort());

    // A document comes from the People's Committee through the hub; it is not the officer's yet.
    const subject = 'Về việc quyết toán ngân sách năm 2011';
    await system.send(UBND, [STC], { subject, number: '77' });
    incomingId = (
      await until('the document in STC’s awaiting list', async () => {
        const list = await ok<{ items: { id: string; subject: string }[] }>('vt.sotc', 'GET', '/incoming?state=awaiting');
        return list.items.find((d) => d.subject === subject);
      })
    ).id;
    const refused = await call('cv.sotc', 'POST', `/dossiers/${a}/documents`, { kind: 'incoming', documentId: incomingId });
    assert.equal(refused.status, 404);
    assert.equal((await dossier('cv.sotc', a)).items.length, 0);

    // Registered, submitted and given to the officer: now they may file it.
    const registers = await ok<{ items: { id: string; classified: boolean }[] }>('vt.sotc', 'GET', '/registers?kind=incoming');
    await ok('vt.sotc', 'POST', `/incoming/${incomingId}/register`, { registerId: registers.items.find((r) => !r.classified)!.id });
    await ok('vt.sotc', 'POST', `/incoming/${incomingId}/submit`, { leaderId: ids.get('ld.sotc') });
    await ok('ld.sotc', 'POST', `/incoming/${incomingId}/assign`, { lead: { userId: ids.get('cv.sotc') } });
    await ok('cv.sotc', 'POST', `/dossiers/${a}/documents`, { kind: 'incoming', documentId: incomingId });
    assert.equal(
      (await call('cv.sotc', 'POST', `/dossiers/${a}/documents`, { kind: 'incoming', documentId: incomingId })).code,
      'already_filed',
    );

    // Their own draft answer, and a record of the meeting.
    const congVan = await system.office.database.db
      .selectFrom('document_types')
      .select('id')
      .where('name', '=', 'Công văn')
      .executeTakeFirstOrThrow();
    const draft = await ok<{ id: string }>('cv.sotc', 'POST', '/outgoing', {
      fields: { documentTypeId: congVan.id, subject: 'Báo cáo quyết toán ngân sách năm 2011' },
      recipients: [{ code: UBND }],
    });
    const pdf = new FormData();
    pdf.append(
      'file',
      new Blob(
        [
          await paperPdf({
            agency: ['SỞ TÀI CHÍNH'],
            code: '   /STC-NS',
            placeAndDate: 'Bình An',
            subjectUnderNumber: ['V/v quyết toán'],
            body: ['Kính gửi: UBND tỉnh.'],
          }),
        ],
        {
          type: 'application/pdf',
        },
      ),
      'bao-cao-quyet-toan.pdf',
    );
    await ok('cv.sotc', 'POST', `/outgoing/${draft.id}/files?role=main`, pdf);
    await ok('cv.sotc', 'POST', `/dossiers/${a}/documents`, { kind: 'outgoing', documentId: draft.id });
    await ok(
      'cv.sotc',
      'POST',
      `/dossiers/${a}/files`,
      upload('Biên bản họp ngày 10-3.txt', 'Biên bản họp: thống nhất số liệu quyết toán.'),
    );
    await ok('cv.sotc', 'POST', `/dossiers/${a}/files`, upload('nhầm.txt', 'Tệp tải nhầm'));
    await ok('cv.sotc', 'DELETE', `/dossiers/${a}/items/4`);
    await ok('cv.sotc', 'POST', `/dossiers/${b}/files`, upload('so-den.txt', 'Sổ đăng ký văn bản đến 2012'));
    // A department leader reads it (they see the whole agency's documents) but does not keep it.
    assert.equal((await call('tp.sotc', 'POST', `/dossiers/${a}/files`, upload('x.txt', 'x'))).status, 403);

    const held = await ok<{ items: { id: string }[] }>('vt.sotc', 'GET', `/document-dossiers?incomingId=${incomingId}`);
    assert.deepEqual(
      held.items.map((d) => d.id),
      [a],
    );
    const items = (await dossier('cv.sotc', a)).items;
    assert.deepEqual(
      items.map((i) => [i.position, i.kind]),
      [
        [1, 'incoming'],
        [2, 'outgoing'],
        [3, 'file'],
      ],
    );
  });

  it('closes the dossier, then reopens it only with a reason, and refuses to file into a closed one', async () => {
    assert.equal(
      (await call('cv.sotc', 'POST', `/dossiers/${a}/actions`, { action: 'close', endDate: '2011-12-31', pageCount: 12 })).code,
      'invalid_dossier_dates',
    );
    // The plan's entry changes later: the dossier keeps the code and retention it was opened with.
    const change = { code: '05.TC.2012', title: 'Hồ sơ về công tác tài chính', heading: 'II. Tài chính', retentionYears: 7 };
    assert.equal((await call('cv.sotc', 'PATCH', `/file-plan/${entry5}`, change)).status, 403);
    await ok('vt.sotc', 'PATCH', `/file-plan/${entry5}`, change);
    await ok('cv.sotc', 'POST', `/dossiers/${a}/actions`, { action: 'close', endDate: '2012-06-30', pageCount: 12 });
    const closed = await dossier('cv.sotc', a);
    assert.equal(closed.state, 'closed');
    assert.equal(closed.transferDeadline, '2013-06-30');
    assert.equal(closed.keepUntilYear, 2017);
    assert.equal((await call('cv.sotc', 'POST', `/dossiers/${a}/files`, upload('late.txt', 'late'))).code, 'dossier_wrong_state');
    assert.equal((await call('cv.sotc', 'POST', `/dossiers/${a}/actions`, { action: 'reopen', reason: ' ' })).code, 'validation_failed');
    await ok('cv.sotc', 'POST', `/dossiers/${a}/actions`, { action: 'reopen', reason: 'Thiếu biên bản đối chiếu' });
    await ok('cv.sotc', 'POST', `/dossiers/${a}/actions`, { action: 'close', endDate: '2012-06-30', pageCount: 14 });
    await ok('cv.sotc', 'POST', `/dossiers/${b}/actions`, { action: 'close', endDate: '2012-12-31', pageCount: 200 });

    const timeline = await ok<{ items: { action: string; from: string | null; to: string | null }[] }>(
      'cv.sotc',
      'GET',
      `/dossiers/${a}/timeline`,
    );
    assert.deepEqual(
      timeline.items.map((e) => [e.action, e.from, e.to]),
      [
        ['opened', null, 'open'],
        ['document_filed', 'open', 'open'],
        ['document_filed', 'open', 'open'],
        ['file_filed', 'open', 'open'],
        ['file_filed', 'open', 'open'],
        ['item_removed', 'open', 'open'],
        ['closed', 'open', 'closed'],
        ['reopened', 'closed', 'open'],
        ['closed', 'open', 'closed'],
      ],
    );
  });

  it('reminds the keeper and the clerks once that a closed dossier is past its transfer deadline', async () => {
    await remindTransfers(system.office.database.db);
    await remindTransfers(system.office.database.db);
    const notices = await system.office.database.db
      .selectFrom('notifications')
      .select(['user_id', 'kind'])
      .where('dossier_id', '=', a)
      .execute();
    assert.deepEqual(
      notices.map((n) => [n.user_id, n.kind]).sort(),
      [
        [ids.get('cv.sotc'), 'transfer_overdue'],
        [ids.get('vt.sotc'), 'transfer_overdue'],
      ].sort(),
    );
    // The reminder opens the dossier.
    const res = await fetch(`${system.url}/api/notifications`, { headers: { cookie: cookies.get('cv.sotc')! } });
    const list = (await res.json()) as { items: { kind: string; dossierId: string | null }[] };
    assert.deepEqual(
      list.items
        .filter((n) => n.kind === 'transfer_overdue')
        .map((n) => n.dossierId)
        .sort(),
      [a, b].sort(),
    );
  });

  let packageSha: string;
  let transferId: string;

  it('lets only the clerk transfer closed dossiers, as a package that verifies with sha256sum -c', async () => {
    assert.equal((await call('cv.sotc', 'POST', '/archive/transfers', { dossierIds: [a] })).status, 403);
    const open = (await ok<{ id: string }>('cv.sotc', 'POST', '/dossiers', { entryId: entry5, startDate: '2012-02-01' })).id;
    assert.equal((await call('vt.sotc', 'POST', '/archive/transfers', { dossierIds: [a, open] })).code, 'dossier_wrong_state');
    assert.equal((await dossier('vt.sotc', a)).state, 'closed');
    const waiting = await ok<{ items: { id: string; transferDeadline: string }[] }>('vt.sotc', 'GET', '/archive/to-transfer');
    assert.deepEqual(
      waiting.items.map((d) => [d.id, d.transferDeadline]),
      [
        [a, '2013-06-30'],
        [b, '2013-12-31'],
      ],
    );

    const done = await ok<{ id: string; sha256: string; fileName: string }>('vt.sotc', 'POST', '/archive/transfers', { dossierIds: [a] });
    transferId = done.id;
    packageSha = done.sha256;
    await ok('vt.sotc', 'POST', '/archive/transfers', { dossierIds: [b] });
    const transferred = await dossier('cv.sotc', a);
    assert.equal(transferred.state, 'transferred');
    assert.equal(transferred.transfer?.sha256, packageSha);

    const download = await call('vt.sotc', 'GET', `/archive/transfers/${transferId}/package`);
    assert.equal(download.status, 200);
    assert.equal(download.bytes.subarray(0, 2).toString(), 'PK');
    const zip = join(work, 'package.zip');
    writeFileSync(zip, download.bytes);
    assert.equal(sh('sha256sum', [zip], work).stdout.split(' ')[0], packageSha);
    const dir = join(work, 'unpacked');
    assert.equal(sh('unzip', ['-q', zip, '-d', dir], work).status, 0);
    const check = sh('sha256sum', ['-c', 'SHA256SUMS'], dir);
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    const paths = sums
      .trim()
      .split('\n')
      .map((l) => l.slice(66));
    assert.ok(paths.includes('index.html') && paths.includes('nop-luu.json'), sums);
    assert.ok(
      paths.some((p) => /^01-05\.TC\.2012\/01-den-77-UBND-VP\/goi-tin-edxml\.xml$/.test(p)),
      sums,
    );
    assert.ok(
      paths.some((p) => /^01-05\.TC\.2012\/02-di-du-thao\/bao-cao-quyet-toan\.pdf$/.test(p)),
      sums,
    );
    assert.ok(paths.includes('01-05.TC.2012/03-Bien-ban-hop-ngay-10-3.txt'), sums);
    const record = JSON.parse(readFileSync(join(dir, '01-05.TC.2012', 'ho-so.json'), 'utf8')) as {
      title: string;
      retention: string;
      journal: unknown[];
    };
    assert.equal(record.title, 'Quyết toán ngân sách năm 2011');
    assert.equal(record.retention, '5 years');
    assert.equal(record.journal.length, 9);
    const meta = JSON.parse(readFileSync(join(dir, '01-05.TC.2012', '01-den-77-UBND-VP', 'van-ban.json'), 'utf8')) as {
      subject: string;
      signatureCheck: { verdict: string };
      files: { path: string; role: string; size: number; sha256: string }[];
    };
    assert.equal(meta.subject, 'Về việc quyết toán ngân sách năm 2011');
    assert.equal(meta.signatureCheck.verdict, 'valid');
    const edxmlMeta = meta.files.find((f) => f.role === 'edxml')!;
    assert.equal(edxmlMeta.path, 'goi-tin-edxml.xml');
    assert.equal(edxmlMeta.size, readFileSync(join(dir, '01-05.TC.2012', '01-den-77-UBND-VP', 'goi-tin-edxml.xml')).length);
    assert.ok(sums.includes(`${edxmlMeta.sha256}  01-05.TC.2012/01-den-77-UBND-VP/goi-tin-edxml.xml`));

    // One byte changed in one file: the check fails and names it.
    const edxml = join(dir, '01-05.TC.2012', '01-den-77-UBND-VP', 'goi-tin-edxml.xml');
    const bytes = readFileSync(edxml);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(edxml, bytes);
    const broken = sh('sha256sum', ['-c', 'SHA256SUMS'], dir);
    assert.notEqual(broken.status, 0);
    assert.match(broken.stdout, /goi-tin-edxml\.xml: FAILED/);

    // A transferred dossier is still read, and no longer changed by its keeper.
    assert.deepEqual(transferred.actions, []);
    assert.equal((await call('cv.sotc', 'POST', `/dossiers/${a}/actions`, { action: 'reopen', reason: 'x' })).code, 'dossier_wrong_state');
  });

  it('lists transferred dossiers whose retention has run out, and destroys one only by a recorded decision', async () => {
    const due = await ok<{ items: { id: string }[] }>('vt.sotc', 'GET', '/archive/appraisal');
    // The permanent one never comes due.
    assert.deepEqual(
      due.items.map((d) => d.id),
      [a],
    );
    const files = system.files;
    const db = system.office.database.db;
    const own = await db
      .selectFrom('dossier_items')
      .select('sha256')
      .where('dossier_id', '=', a)
      .where('kind', '=', 'file')
      .executeTakeFirstOrThrow();
    const incomingFiles = await db.selectFrom('incoming_files').select('sha256').where('incoming_id', '=', incomingId).execute();
    assert.ok(await files.has(own.sha256!));
    assert.ok(await files.has(packageSha));

    // Only the agency leader decides, and always with a reason and its legal basis.
    const decision = {
      decision: 'destroy',
      reason: 'Hết giá trị',
      legalBasis: 'Quyết định số 15/QĐ-STC ngày 01/12/2026 về việc hủy tài liệu hết giá trị',
    };
    assert.equal((await call('vt.sotc', 'POST', `/dossiers/${a}/appraisal`, decision)).status, 403);
    assert.equal((await call('ld.sotc', 'POST', `/dossiers/${a}/appraisal`, { ...decision, legalBasis: '' })).code, 'validation_failed');
    assert.equal((await call('ld.sotc', 'POST', `/dossiers/${b}/appraisal`, decision)).code, 'appraisal_not_due');
    assert.ok(await files.has(own.sha256!), 'nothing is removed without a decision');

    await ok('ld.sotc', 'POST', `/dossiers/${a}/appraisal`, decision);
    const destroyed = await dossier('ld.sotc', a);
    assert.equal(destroyed.state, 'destroyed');
    assert.deepEqual(
      destroyed.appraisals.map((x) => [x.decision, x.reason, x.legalBasis]),
      [['destroy', 'Hết giá trị', decision.legalBasis]],
    );
    assert.equal(destroyed.items.length, 3, 'the record and its metadata stay');
    assert.equal(await files.has(own.sha256!), false);
    assert.equal(await files.has(packageSha), false);
    assert.equal((await call('vt.sotc', 'GET', `/archive/transfers/${transferId}/package`)).status, 404);
    // The incoming document filed in it is the register's record: its files stay.
    for (const f of incomingFiles) assert.ok(await files.has(f.sha256));
    assert.equal((await call('cv.sotc', 'GET', `/dossiers/${a}/items/3/file`)).status, 404);
    const timeline = await ok<{ items: { action: string; details: { legalBasis?: string } }[] }>(
      'vt.sotc',
      'GET',
      `/dossiers/${a}/timeline`,
    );
    assert.equal(timeline.items.at(-1)?.action, 'destroyed');
    assert.equal(timeline.items.at(-1)?.details.legalBasis, decision.legalBasis);
    assert.deepEqual((await ok<{ items: unknown[] }>('vt.sotc', 'GET', '/archive/appraisal')).items, []);
  });
});
