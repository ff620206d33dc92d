import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { until } from '@vanban/hub/testing';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { loadCalendar } from '../src/calendar/store.js';
import { vietnamDay } from '../src/calendar/working-days.js';
import { paperPdf } from '../src/demo/letter-pdf.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { takeArrivals } from '../src/incoming/intake.js';
import { issueTiming } from '../src/outgoing/same-day.js';
import type { AgencyReport, Figures, ProvinceReport } from '../src/reports/report.js';
import { compliancePercent, exchangeScope, handlingOutcome, isReceived, sameDayOutcome } from '../src/reports/rules.js';
import { startTestExchangeSystem, type TestExchangeSystem } from '../src/testing/system.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts');
const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
/** An agency outside this installation's directory: what comes from it through the hub is the national axis. */
const MINISTRY = { code: '000.00.00.G12', name: 'Bộ Tài chính' };
const DAY_MS = 86_400_000;

/**
 * The figures a report gives, each counted again here by its own plain SQL over the same rows:
 * documents made through the real paths (hub, paper, register, assign, complete, sign, number,
 * issue), with some timestamps moved to past days in SQL where the real path cannot wait for them.
 */
describe('reports of an agency and of the province', () => {
  let system: TestExchangeSystem;
  const cookies = new Map<string, string>();
  let ubnd: string;
  let stc: string;
  let from: string;
  let to: string;
  const ids: Record<string, string> = {};

  async function login(username: string) {
    let cookie = cookies.get(username);
    if (!cookie) {
      const res = await fetch(`${system.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      assert.equal(res.status, 200, await res.text());
      cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
      cookies.set(username, cookie);
    }
    return cookie;
  }
  async function raw(username: string, method: string, path: string, body?: unknown) {
    const form = body instanceof FormData;
    return fetch(`${system.url}/api${path}`, {
      method,
      headers: { cookie: await login(username), ...(body === undefined || form ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
    });
  }
  async function ok<T = Record<string, unknown>>(username: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await raw(username, method, path, body);
    const text = await res.text();
    assert.ok(res.status < 300, `${username} ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
  const db = () => system.office.database.db;
  const userId = async (username: string) =>
    (await db().selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const incomingRegister = async (agencyId: string) =>
    (
      await db()
        .selectFrom('registers')
        .select('id')
        .where('agency_id', '=', agencyId)
        .where('kind', '=', 'incoming')
        .executeTakeFirstOrThrow()
    ).id;

  /** A document from the Bộ, outside the installation, arriving through the hub unsigned, taken in as the connector does. */
  async function fromMinistry(n: number): Promise<string> {
    const pkg = samplePackage();
    pkg.from = { ...pkg.from, agencyCode: MINISTRY.code, name: MINISTRY.name, organizationInCharge: MINISTRY.name };
    pkg.to = [{ agencyCode: UBND, name: 'Ủy ban nhân dân tỉnh' }];
    pkg.documentId = `${MINISTRY.code},2026/11/01,${n}/BTC-VP`;
    pkg.number = String(n);
    const blob = await system.files.put(await buildPackageBytes(pkg, SAMPLE_FILES, 'none'));
    const packageId = String(n).padStart(64, 'c');
    await db()
      .insertInto('hub_inbox')
      .values({
        package_id: packageId,
        recipient_code: UBND,
        kind: 'document',
        document_id: pkg.documentId,
        from_code: MINISTRY.code,
        sha256: blob.sha256,
        size: blob.size,
      })
      .execute();
    await takeArrivals({ db: db(), files: system.files, verifier: null });
    return (
      await until(
        'the Bộ’s document taken in',
        () => db().selectFrom('incoming_documents').select('id').where('hub_package_id', '=', packageId).executeTakeFirst(),
        10_000,
      )
    ).id;
  }

  async function throughSignature(subject: string, recipients: { code: string; name?: string }[]): Promise<string> {
    const congVan = (await db().selectFrom('document_types').select('id').where('name', '=', 'Công văn').executeTakeFirstOrThrow()).id;
    const created = await ok<{ id: string }>('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing`, {
      fields: { documentTypeId: congVan, subject, signerId: await userId('ld.ubnd') },
      recipients,
    });
    const form = new FormData();
    const pdf = await paperPdf({
      agency: ['ỦY BAN NHÂN DÂN', 'TỈNH BÌNH AN'],
      code: '      /UBND-KGVX',
      placeAndDate: 'Bình An, ngày      tháng      năm 2026',
      subjectUnderNumber: [subject],
      body: ['Kính gửi: các cơ quan.', '', 'Đề nghị phối hợp thực hiện.'],
    });
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'du-thao.pdf');
    await ok('cv.ubnd', 'POST', `/agencies/${ubnd}/outgoing/${created.id}/files?role=main`, form);
    const act = (who: string, body: object) => ok(who, 'POST', `/agencies/${ubnd}/outgoing/${created.id}/actions`, body);
    await act('cv.ubnd', { action: 'submit_review' });
    await act('tp.ubnd', { action: 'approve_review' });
    await act('cv.ubnd', { action: 'submit_signature' });
    await act('cvp.ubnd', { action: 'approve' });
    const detail = await ok<{ toSign: { sha256: string } }>('ld.ubnd', 'GET', `/agencies/${ubnd}/outgoing/${created.id}`);
    await act('ld.ubnd', { action: 'sign', sha256: detail.toSign.sha256 });
    return created.id;
  }
  const issue = async (id: string) => {
    await ok('vt.ubnd', 'POST', `/agencies/${ubnd}/outgoing/${id}/actions`, { action: 'number' });
    await ok('vt.ubnd', 'POST', `/agencies/${ubnd}/outgoing/${id}/actions`, { action: 'issue' });
  };

  before(async () => {
    system = await startTestExchangeSystem({ credentialsFor: [UBND, STC] });
    const agency = async (code: string) =>
      (await db().selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    ubnd = await agency(UBND);
    stc = await agency(STC);
    const now = new Date();
    to = vietnamDay(now);
    from = vietnamDay(new Date(now.getTime() - 30 * DAY_MS));
    const days = (n: number) => vietnamDay(new Date(now.getTime() + n * DAY_MS));

    // Received: from the Sở through the hub, signed; two from the Bộ through the hub, one refused; one on paper.
    const documentId = await system.send(STC, [UBND], { subject: 'Báo cáo tình hình thu ngân sách' });
    ids.fromStc = (
      await until(
        'the Sở’s document at the UBND',
        () =>
          db()
            .selectFrom('incoming_documents')
            .select('id')
            .where('document_id', '=', documentId)
            .where('agency_id', '=', ubnd)
            .executeTakeFirst(),
        30_000,
      )
    ).id;
    ids.fromMinistry = await fromMinistry(901);
    ids.refused = await fromMinistry(902);
    await ok('vt.ubnd', 'POST', `/agencies/${ubnd}/incoming/${ids.refused}/refuse`, { reason: 'Gửi nhầm cơ quan.' });
    const scan = new FormData();
    for (const [k, v] of Object.entries({
      registerId: await incomingRegister(ubnd),
      senderName: 'Công ty TNHH Bình An',
      number: '15',
      notation: 'CV-BA',
      issueDate: days(-2),
      documentType: 'Công văn',
      subject: 'Đề nghị hỗ trợ thủ tục',
    }))
      scan.append(k, v);
    scan.append(
      'file',
      new Blob(
        [await paperPdf({ agency: ['CÔNG TY TNHH BÌNH AN'], code: '15/CV-BA', placeAndDate: 'Bình An', body: ['Kính gửi UBND tỉnh.'] })],
        { type: 'application/pdf' },
      ),
      'scan.pdf',
    );
    ids.paper = (await ok<{ id: string }>('vt.ubnd', 'POST', `/agencies/${ubnd}/incoming/paper`, scan)).id;

    // Handling: registered, submitted, assigned; the Sở's one completed on time, the paper one late, the Bộ's overdue.
    const register = await incomingRegister(ubnd);
    for (const id of [ids.fromStc, ids.fromMinistry])
      await ok('vt.ubnd', 'POST', `/agencies/${ubnd}/incoming/${id}/register`, { registerId: register });
    const leader = await userId('ld.ubnd');
    const kt = (
      await db().selectFrom('departments').select('id').where('agency_id', '=', ubnd).where('code', '=', 'KT').executeTakeFirstOrThrow()
    ).id;
    const cv = await userId('cv.ubnd');
    for (const [id, lead] of [
      [ids.fromStc, { userId: cv }],
      [ids.paper, { userId: cv }],
      [ids.fromMinistry, { departmentId: kt }],
    ] as const) {
      await ok('vt.ubnd', 'POST', `/agencies/${ubnd}/incoming/${id}/submit`, { leaderId: leader });
      await ok('ld.ubnd', 'POST', `/agencies/${ubnd}/incoming/${id}/assign`, { lead, dueDate: days(5) });
    }
    for (const id of [ids.fromStc, ids.paper])
      await ok('cv.ubnd', 'POST', `/agencies/${ubnd}/incoming/${id}/complete`, { result: 'Đã xử lý.' });
    // Past due dates cannot be given through the API (they must be today or later): set here.
    await db()
      .updateTable('incoming_documents')
      .set({ due_date: days(-3) })
      .where('id', '=', ids.paper!)
      .execute();
    await db()
      .updateTable('incoming_documents')
      .set({ due_date: days(-1) })
      .where('id', '=', ids.fromMinistry!)
      .execute();

    // Sent: one issued the day it is signed; one signed a week ago and issued now (late); one signed a week ago, never issued.
    const recipients = [{ code: STC }, { code: MINISTRY.code, name: MINISTRY.name }];
    ids.sameDay = await throughSignature('Về việc triển khai văn bản điện tử', recipients);
    await issue(ids.sameDay);
    ids.issuedLate = await throughSignature('Về việc báo cáo quý', [{ code: STC }]);
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    await db().updateTable('outgoing_documents').set({ signed_at: weekAgo }).where('id', '=', ids.issuedLate).execute();
    await issue(ids.issuedLate);
    ids.unissued = await throughSignature('Về việc kiểm tra', [{ code: MINISTRY.code, name: MINISTRY.name }]);
    await db().updateTable('outgoing_documents').set({ signed_at: weekAgo }).where('id', '=', ids.unissued).execute();
  });
  after(async () => {
    await system?.stop();
  });

  /** One figure counted directly: documents of the period matching `where`, for one agency or all. */
  async function counted(table: 'incoming' | 'issued' | 'signed', where: string, agencyId: string | null): Promise<number> {
    const column = { incoming: 'received_at', issued: 'issued_at', signed: 'signed_at' }[table];
    const relation = table === 'incoming' ? 'incoming_documents' : 'outgoing_documents';
    const agency = agencyId ? sql`AND d.agency_id = ${agencyId}::uuid` : sql``;
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM ${sql.table(relation)} d
       WHERE (d.${sql.ref(column)} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN ${from}::date AND ${to}::date
         ${agency} AND (${sql.raw(where)})`.execute(db());
    return Number(rows[0]!.n);
  }

  /** Every counted figure of a report, from the SQL above. */
  async function expectedFigures(agencyId: string | null): Promise<Partial<Figures>> {
    const taken = `d.state NOT IN ('refused', 'withdrawn')`;
    const inDirectory = `EXISTS (SELECT 1 FROM agencies a WHERE a.code = d.sender_code)`;
    const completedOn = `(d.completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    const today = `(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    const local = `EXISTS (SELECT 1 FROM outgoing_recipients r WHERE r.outgoing_id = d.id AND r.agency_code IN (SELECT code FROM agencies))`;
    const outside = `EXISTS (SELECT 1 FROM outgoing_recipients r WHERE r.outgoing_id = d.id AND r.agency_code NOT IN (SELECT code FROM agencies))`;
    const issuedDay = `(d.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    const signedDay = `(d.signed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    return {
      received: await counted('incoming', taken, agencyId),
      receivedHub: await counted('incoming', `${taken} AND d.channel = 'hub'`, agencyId),
      receivedInternal: await counted('incoming', `${taken} AND d.channel = 'internal'`, agencyId),
      receivedPaper: await counted('incoming', `${taken} AND d.channel = 'paper'`, agencyId),
      receivedNational: await counted('incoming', `${taken} AND d.channel = 'hub' AND NOT ${inDirectory}`, agencyId),
      receivedProvince: await counted(
        'incoming',
        `${taken} AND (d.channel = 'internal' OR (d.channel = 'hub' AND ${inDirectory}))`,
        agencyId,
      ),
      receivedSigned: await counted('incoming', `${taken} AND d.verdict = 'valid'`, agencyId),
      refused: await counted('incoming', `d.state = 'refused'`, agencyId),
      withdrawn: await counted('incoming', `d.state = 'withdrawn'`, agencyId),
      onTime: await counted('incoming', `d.state = 'completed' AND NOT COALESCE(${completedOn} > d.due_date, false)`, agencyId),
      late: await counted('incoming', `d.state = 'completed' AND ${completedOn} > d.due_date`, agencyId),
      overdue: await counted('incoming', `d.state IN ('assigned', 'in_progress') AND d.due_date < ${today}`, agencyId),
      issued: await counted('issued', 'true', agencyId),
      sentProvince: await counted('issued', local, agencyId),
      sentNational: await counted('issued', outside, agencyId),
      // The scenario issues the same day or a week later: on either side of any next working morning, holidays or not.
      sameDayCompliant: await counted(
        'signed',
        `d.state <> 'cancelled' AND d.issued_at IS NOT NULL AND ${issuedDay} = ${signedDay}`,
        agencyId,
      ),
      sameDayLate: await counted(
        'signed',
        `d.state <> 'cancelled' AND (d.issued_at IS NULL OR ${issuedDay} > ${signedDay} + 4) AND now() > d.signed_at + interval '4 days'`,
        agencyId,
      ),
    };
  }
  const pick = (figures: Figures, keys: Partial<Figures>) =>
    Object.fromEntries(Object.keys(keys).map((k) => [k, figures[k as keyof Figures]]));
  const period = () => `kind=range&from=${from}&to=${to}`;

  it('counts every document as the written rules judge it, one by one', async () => {
    const report = await ok<AgencyReport>('ld.ubnd', 'GET', `/agencies/${ubnd}/reports?${period()}`);
    const today = vietnamDay(new Date());
    const { rows: incoming } = await sql<{
      state: string;
      due: string | null;
      completed: string | null;
      channel: 'hub' | 'internal' | 'paper';
      known: boolean;
    }>`
      SELECT d.state, d.due_date::text AS due, (d.completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS completed, d.channel,
             EXISTS (SELECT 1 FROM agencies a WHERE a.code = d.sender_code) AS known
        FROM incoming_documents d
       WHERE d.agency_id = ${ubnd}::uuid AND (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN ${from}::date AND ${to}::date`.execute(
      db(),
    );
    const received = incoming.filter((d) => isReceived(d.state));
    const outcomes = received.map((d) => handlingOutcome({ state: d.state, dueDate: d.due, completedOn: d.completed }, today));
    const scopes = received.map((d) => exchangeScope(d.channel, d.known));
    const { rows: signed } = await sql<{ signedAt: Date; issuedAt: Date | null }>`
      SELECT d.signed_at AS "signedAt", d.issued_at AS "issuedAt" FROM outgoing_documents d
       WHERE d.agency_id = ${ubnd}::uuid AND d.state <> 'cancelled' AND d.signed_at IS NOT NULL
         AND (d.signed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN ${from}::date AND ${to}::date`.execute(db());
    const calendar = await loadCalendar(db(), from, vietnamDay(new Date(Date.now() + 30 * DAY_MS)));
    const judged = signed.map((d) => sameDayOutcome(issueTiming(d.signedAt, d.issuedAt, new Date(), calendar)));
    const howMany = <T>(list: readonly T[], value: T) => list.filter((v) => v === value).length;
    const byRules = {
      received: received.length,
      receivedNational: howMany(scopes, 'national'),
      receivedProvince: howMany(scopes, 'province'),
      receivedPaper: howMany(scopes, 'paper'),
      onTime: howMany(outcomes, 'on_time'),
      late: howMany(outcomes, 'late'),
      overdue: howMany(outcomes, 'overdue'),
      sameDayCompliant: howMany(judged, 'compliant'),
      sameDayLate: howMany(judged, 'late'),
      sameDayPercent: compliancePercent(howMany(judged, 'compliant'), howMany(judged, 'late')),
    };
    assert.deepEqual(pick(report.totals, byRules), byRules);
    assert.ok(byRules.onTime > 0 && byRules.late > 0 && byRules.overdue > 0 && byRules.sameDayLate > 0, 'the scenario has every outcome');
  });

  it('an agency’s figures equal the counts made directly in SQL, and the scenario’s own numbers', async () => {
    const report = await ok<AgencyReport>('ld.ubnd', 'GET', `/agencies/${ubnd}/reports?${period()}`);
    const expected = await expectedFigures(ubnd);
    assert.deepEqual(pick(report.totals, expected), expected);
    assert.deepEqual(
      pick(report.totals, expected),
      {
        received: 3,
        receivedHub: 2,
        receivedInternal: 0,
        receivedPaper: 1,
        receivedNational: 1,
        receivedProvince: 1,
        receivedSigned: 1,
        refused: 1,
        withdrawn: 0,
        onTime: 1,
        late: 1,
        overdue: 1,
        issued: 2,
        sentProvince: 2,
        sentNational: 1,
        sameDayCompliant: 1,
        sameDayLate: 2,
      },
      'three received (the refused one apart), one of each outcome; two issued, one the same day',
    );
    assert.equal(report.totals.sameDayPercent, 33.3);
    assert.ok(report.totals.averageHandlingDays !== null && report.totals.averageHandlingDays < 1, 'completed within the hour of receipt');
    assert.equal(report.series.length, 31, 'one point a day of the period');
    assert.equal(
      report.series.reduce((s, p) => s + p.received, 0),
      3,
    );
  });

  it('by department and by person: the lead handler’s, the drafter’s and the signer’s', async () => {
    const report = await ok<AgencyReport>('ld.ubnd', 'GET', `/agencies/${ubnd}/reports?${period()}`);
    const cvId = await userId('cv.ubnd');
    const cv = report.byPerson.find((p) => p.id === cvId)!;
    const { rows } = await sql<{ lead: string; n: string; late: string }>`
      SELECT l.user_id::text AS lead, count(*) AS n, count(*) FILTER (WHERE (d.completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > d.due_date) AS late
        FROM incoming_documents d JOIN incoming_assignments l ON l.incoming_id = d.id AND l.part = 'lead'
       WHERE d.agency_id = ${ubnd}::uuid AND l.user_id IS NOT NULL GROUP BY 1`.execute(db());
    assert.equal(rows.length, 1);
    assert.equal(cv.id, rows[0]!.lead);
    assert.deepEqual(
      [cv.received, cv.late, cv.issued],
      [Number(rows[0]!.n), Number(rows[0]!.late), 2],
      'cv.ubnd led two, one late, and drafted both issued',
    );
    const signer = report.byPerson.find((p) => p.sameDayLate > 0)!;
    assert.equal(signer.id, await userId('ld.ubnd'));
    assert.deepEqual([signer.sameDayCompliant, signer.sameDayLate], [1, 2]);
    const kt = report.byDepartment.find((d) => d.overdue > 0)!;
    const ktDept = await db()
      .selectFrom('departments')
      .select(['id'])
      .where('agency_id', '=', ubnd)
      .where('code', '=', 'KT')
      .executeTakeFirstOrThrow();
    assert.deepEqual([kt.id, kt.received, kt.overdue], [ktDept.id, 1, 1], 'led by the Phòng Kinh tế itself');
  });

  it('the province’s figures equal the counts over every agency, by agency and by level', async () => {
    const report = await ok<ProvinceReport>('qt.ubnd', 'GET', `/reports/province?${period()}`);
    const expected = await expectedFigures(null);
    assert.deepEqual(pick(report.totals, expected), expected);
    const stcRow = report.byAgency.find((a) => a.id === stc)!;
    const stcExpected = await expectedFigures(stc);
    assert.deepEqual(pick(stcRow, stcExpected), stcExpected);
    assert.equal(stcRow.receivedInternal, 2, 'both UBND documents reached the Sở inside the installation');
    assert.equal(
      report.byLevel.reduce((s, l) => s + l.received, 0),
      report.totals.received,
    );
    const agencies = await db()
      .selectFrom('agencies')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(report.byAgency.length, Number(agencies.n));
    assert.equal((await ok<ProvinceReport>('ld.ubnd', 'GET', `/reports/province?${period()}`)).totals.received, report.totals.received);
  });

  it('only those who see the whole agency read its report; only the top agency’s leaders and administrators the province’s', async () => {
    const status = async (who: string, path: string) => (await raw(who, 'GET', path)).status;
    assert.equal(await status('cv.ubnd', `/agencies/${ubnd}/reports`), 403, 'an officer sees only their own work');
    assert.equal(await status('cv.ubnd', `/agencies/${ubnd}/reports/file?format=xlsx`), 403);
    assert.equal(await status('vt.ubnd', `/agencies/${ubnd}/reports`), 200);
    assert.equal(await status('tp.ubnd', `/agencies/${ubnd}/reports`), 200);
    assert.equal(await status('vt.sotc', `/agencies/${ubnd}/reports`), 403, 'another agency’s clerk');
    for (const who of ['cv.ubnd', 'vt.ubnd', 'tp.ubnd', 'ld.sotc'])
      assert.equal(await status(who, `/reports/province`), 403, `${who} may not read the province`);
    type Mine = { person: { id: string }; figures: Figures };
    const mine = await ok<Mine>('cv.ubnd', 'GET', `/agencies/${ubnd}/reports/mine?${period()}`);
    const leaders = await ok<AgencyReport>('ld.ubnd', 'GET', `/agencies/${ubnd}/reports?${period()}`);
    const own = leaders.byPerson.find((p) => p.id === mine.person.id)!;
    assert.deepEqual(mine.figures, (({ id: _id, name: _name, ...figures }) => figures)(own), 'an officer reads their own row, no other');
    assert.deepEqual([mine.figures.received, mine.figures.late, mine.figures.issued], [2, 1, 2]);
    assert.deepEqual(await ok('ld.ubnd', 'GET', '/reports/access'), { province: true });
    assert.deepEqual(await ok('ld.sotc', 'GET', '/reports/access'), { province: false });
    const wrong = await raw('ld.ubnd', 'GET', `/agencies/${ubnd}/reports?kind=range&from=2026-11-10&to=2026-11-01`);
    assert.equal(wrong.status, 400);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'invalid_period');
  });

  it('exports the agency’s report as XLSX, whose cells hold the same figures', async () => {
    const report = await ok<AgencyReport>('ld.ubnd', 'GET', `/agencies/${ubnd}/reports?${period()}`);
    const res = await raw('ld.ubnd', 'GET', `/agencies/${ubnd}/reports/file?format=xlsx&${period()}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition')!, /filename\*=UTF-8''B%C3%A1o%20c%C3%A1o/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    assert.deepEqual(
      book.worksheets.map((s) => s.name),
      ['Tổng hợp', 'Theo đơn vị', 'Theo cá nhân'],
    );
    const summary = book.getWorksheet('Tổng hợp')!;
    const value = (label: string) => {
      let found: unknown;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label) found = row.getCell(2).value;
      });
      return found;
    };
    assert.equal(value('Văn bản đến'), report.totals.received);
    assert.equal(value('Đến bản giấy'), report.totals.receivedPaper);
    assert.equal(value('Đang quá hạn'), report.totals.overdue);
    assert.equal(value('Phát hành chậm'), report.totals.sameDayLate);
    assert.equal(value('Tỷ lệ phát hành trong ngày (%)'), report.totals.sameDayPercent);
    assert.match(String(summary.getCell('A1').value), /Ủy ban nhân dân tỉnh/i);
    const people = book.getWorksheet('Theo cá nhân')!;
    assert.equal(people.rowCount, 5 + report.byPerson.length);
  });

  it('exports the province’s report as XLSX (summary, by level, by agency) and PDF with the figures in its text', async () => {
    const report = await ok<ProvinceReport>('qt.ubnd', 'GET', `/reports/province?${period()}`);
    const xlsx = await raw('qt.ubnd', 'GET', `/reports/province/file?format=xlsx&${period()}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    assert.deepEqual(
      book.worksheets.map((s) => s.name),
      ['Tổng hợp', 'Theo cấp', 'Theo cơ quan'],
    );
    assert.equal(book.getWorksheet('Theo cơ quan')!.rowCount, 5 + report.byAgency.length);

    const pdf = await raw('ld.ubnd', 'GET', `/agencies/${ubnd}/reports/file?format=pdf&${period()}`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'vanban-report-'));
    const file = join(dir, 'report.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(
      join(ARTIFACTS, 'report-agency.pdf'),
      Buffer.from(await (await raw('ld.ubnd', 'GET', `/agencies/${ubnd}/reports/file?format=pdf&${period()}`)).arrayBuffer()),
    );
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, /Báo cáo văn bản – Ủy ban nhân dân tỉnh/i);
    assert.match(text, new RegExp(`Kỳ báo cáo: ${from.split('-').reverse().join('/')}`));
    assert.match(text, /Văn bản đến\s+3\s/);
    assert.match(text, /Đến bản giấy\s+1\s/);
    assert.match(text, /Phát hành chậm\s+2\s/);
    assert.match(text, /Theo cá nhân/);
  });
});
