import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '@vanban/office/testing';
import { launchBrowser, logIn, screenshot, type TestBrowser } from './browser.js';

const PASSWORD = 'VanBan@2026';
const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';

/** Logs in and waits for the shell. */
async function enter(page: Page, username: string): Promise<void> {
  await logIn(page, username, PASSWORD);
  await page.getByRole('button', { name: 'Tài khoản' }).waitFor();
}

/** A figure as a card of the dashboard shows it (Vietnamese digits: 1.234,5). */
async function shown(page: Page, scope: string, figure: string): Promise<number> {
  const text = await page.getByTestId(scope).locator(`[data-figure="${figure}"]`).innerText();
  return Number(text.replace(/[^\d,]/g, '').replace(',', '.'));
}

describe('the leaders’ dashboard', () => {
  let system: TestSystem;
  let browser: TestBrowser;
  let ubnd: string;

  before(async () => {
    await Promise.all([startTestSystem().then((s) => (system = s)), launchBrowser().then((b) => (browser = b))]);
    const db = system.office.database.db;
    ubnd = (await db.selectFrom('agencies').select('id').where('code', '=', UBND).executeTakeFirstOrThrow()).id;
    const stc = (await db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow()).id;
    const drafter = (await db.selectFrom('users').select('id').where('username', '=', 'cv.ubnd').executeTakeFirstOrThrow()).id;
    // The documents are written straight into the tables, as the bench does: what is tested here is
    // that the page shows what the tables hold (the office test makes them through the real paths).
    const pool = system.office.database.pool;
    const today = `(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    await pool.query(
      `INSERT INTO incoming_documents (agency_id, channel, state, sender_code, sender_name, number, subject, verdict, received_at, due_date, completed_at)
       VALUES
         ($1, 'hub', 'completed', $3, 'Sở Tài chính', '1', 'Đúng hạn', 'valid', now() - interval '1 minute', ${today} + 3, now()),
         ($1, 'hub', 'completed', '000.00.00.G12', 'Bộ Tài chính', '2', 'Quá hạn', 'invalid', now() - interval '1 minute', ${today} - 1, now()),
         ($1, 'paper', 'assigned', null, 'Công ty A', '3', 'Đang quá hạn', null, now() - interval '1 minute', ${today} - 2, null),
         ($1, 'internal', 'registered', $3, 'Sở Tài chính', '4', 'Mới vào sổ', null, now() - interval '1 minute', null, null),
         ($1, 'hub', 'refused', '000.00.00.G12', 'Bộ Tài chính', '5', 'Từ chối', 'valid', now() - interval '1 minute', null, null),
         ($2, 'internal', 'awaiting', $4, 'UBND tỉnh', '6', 'Ở Sở', null, now() - interval '1 minute', null, null)`,
      [ubnd, stc, STC, UBND],
    );
    await pool.query(
      `INSERT INTO outgoing_documents (agency_id, state, document_type, subject, drafter_id, signed_at, issued_at)
       VALUES ($1, 'issued', 'Công văn', 'Phát hành trong ngày', $2, now() - interval '1 minute', now()),
              ($1, 'issued', 'Công văn', 'Phát hành', $2, now() - interval '1 minute', now())`,
      [ubnd, drafter],
    );
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  /** The current month's count in Vietnam, straight from the table. */
  async function count(table: 'incoming_documents' | 'outgoing_documents', column: string, where: string, agencyId: string | null) {
    const { rows } = await system.office.database.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${table}
        WHERE date_trunc('month', ${column} AT TIME ZONE 'Asia/Ho_Chi_Minh') = date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh')
          AND ($1::uuid IS NULL OR agency_id = $1::uuid) AND ${where}`,
      [agencyId],
    );
    return Number(rows[0]!.n);
  }
  const taken = `state NOT IN ('refused', 'withdrawn')`;
  const expected = async (agencyId: string | null) => ({
    received: await count('incoming_documents', 'received_at', taken, agencyId),
    receivedHub: await count('incoming_documents', 'received_at', `${taken} AND channel = 'hub'`, agencyId),
    receivedInternal: await count('incoming_documents', 'received_at', `${taken} AND channel = 'internal'`, agencyId),
    receivedPaper: await count('incoming_documents', 'received_at', `${taken} AND channel = 'paper'`, agencyId),
    receivedSigned: await count('incoming_documents', 'received_at', `${taken} AND verdict = 'valid'`, agencyId),
    onTime: await count(
      'incoming_documents',
      'received_at',
      `state = 'completed' AND (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= due_date`,
      agencyId,
    ),
    late: await count(
      'incoming_documents',
      'received_at',
      `state = 'completed' AND (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > due_date`,
      agencyId,
    ),
    overdue: await count(
      'incoming_documents',
      'received_at',
      `state IN ('assigned', 'in_progress') AND due_date < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`,
      agencyId,
    ),
    issued: await count('outgoing_documents', 'issued_at', 'true', agencyId),
  });

  test('a leader’s dashboard shows the numbers counted in SQL, fits a phone, and exports XLSX', async () => {
    const page = await browser.newPage(system.url);
    await enter(page, 'ld.ubnd');
    await page.getByRole('button', { name: 'Xem báo cáo, thống kê' }).click();
    const dashboard = page.getByTestId('agency-dashboard');
    await dashboard.waitFor();
    await page.locator('[aria-label="Văn bản đến, đi theo thời gian"] canvas').waitFor();
    const want = await expected(ubnd);
    assert.deepEqual(want, {
      received: 4,
      receivedHub: 2,
      receivedInternal: 1,
      receivedPaper: 1,
      receivedSigned: 1,
      onTime: 1,
      late: 1,
      overdue: 1,
      issued: 2,
    });
    for (const [figure, value] of Object.entries(want)) assert.equal(await shown(page, 'agency-dashboard', figure), value, figure);
    await screenshot(page, 'reports-1-agency-desktop');

    const download = page.waitForEvent('download');
    await page.getByTestId('export-xlsx').click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^Báo cáo văn bản - Ủy ban nhân dân tỉnh.*\.xlsx$/i);
    await page.context().close();

    const phone = await browser.browser.newContext({
      baseURL: system.url,
      locale: 'vi-VN',
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    await enter(small, 'ld.ubnd');
    await small.goto('/reports');
    await small.getByTestId('agency-dashboard').waitFor();
    await small.locator('[aria-label="Tình hình xử lý văn bản đến"] canvas').waitFor();
    assert.equal(await shown(small, 'agency-dashboard', 'received'), want.received);
    const width = await small.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(width <= 375, `the dashboard is ${width} px wide on a 375 px phone`);
    await screenshot(small, 'reports-2-agency-phone');
    await phone.close();
  });

  test('the administrator sees the province’s figures; an officer only their own work', async () => {
    const page = await browser.newPage(system.url);
    await enter(page, 'qt.ubnd');
    await page.goto('/reports');
    await page.getByTestId('province-dashboard').waitFor();
    const inDirectory = `sender_code IN (SELECT code FROM agencies)`;
    const { received, receivedPaper, onTime, late, overdue, issued } = await expected(null);
    const want = {
      received,
      receivedPaper,
      onTime,
      late,
      overdue,
      issued,
      receivedNational: await count('incoming_documents', 'received_at', `${taken} AND channel = 'hub' AND NOT ${inDirectory}`, null),
      receivedProvince: await count(
        'incoming_documents',
        'received_at',
        `${taken} AND (channel = 'internal' OR (channel = 'hub' AND ${inDirectory}))`,
        null,
      ),
    };
    assert.deepEqual(
      [want.received, want.receivedNational, want.receivedProvince],
      [5, 1, 3],
      'the Sở’s awaiting document counts for the province',
    );
    for (const [figure, value] of Object.entries(want)) assert.equal(await shown(page, 'province-dashboard', figure), value, figure);
    await page.getByTestId('by-agency').waitFor();
    await screenshot(page, 'reports-3-province');
    await page.context().close();

    const officer = await browser.newPage(system.url);
    await enter(officer, 'cv.ubnd');
    await officer.goto('/reports');
    await officer.getByTestId('my-dashboard').waitFor();
    assert.equal(await officer.getByRole('tab', { name: 'Cơ quan' }).count(), 0, 'no agency tab for an officer');
    assert.equal(await officer.getByRole('tab', { name: 'Toàn tỉnh' }).count(), 0);
    assert.equal(await shown(officer, 'my-dashboard', 'issued'), 2, 'the two issued documents cv.ubnd drafted');
    await screenshot(officer, 'reports-4-officer-own-work');
    await officer.context().close();
  });
});
