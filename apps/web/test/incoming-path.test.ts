import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestExchangeSystem, type TestExchangeSystem } from '@vanban/office/testing';
import { chooseOption, confirm, launchBrowser, logIn, screenshot, type TestBrowser } from './browser.js';

const PASSWORD = 'VanBan@2026';
const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';

interface Assignable {
  people: { id: string; name: string; position: string | null; departmentId: string | null; leader: boolean }[];
  departments: { id: string; name: string }[];
}

/** Fetches the API as the logged-in page (its session cookie). */
function fetchJson<T>(page: Page, path: string): Promise<T> {
  return page.evaluate((p) => fetch(p).then((r) => r.json()), path) as Promise<T>;
}

/** Logs in and waits for the shell, so that a page opened next already has the session. */
async function enter(page: Page, username: string): Promise<void> {
  await logIn(page, username, PASSWORD);
  await page.getByRole('button', { name: 'Tài khoản' }).waitFor();
}

describe('an incoming document, from agency A through the hub to agency B and back', () => {
  let system: TestExchangeSystem;
  let browser: TestBrowser;
  before(async () => {
    await Promise.all([
      startTestExchangeSystem({ credentialsFor: [UBND, STC] }).then((s) => (system = s)),
      launchBrowser().then((b) => (browser = b)),
    ]);
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('is received, registered, directed on a phone, assigned, handled and completed; the sender’s timeline shows every status', async () => {
    const subject = 'Về việc báo cáo tình hình thực hiện dự toán ngân sách năm 2026';
    // The clerk of B watches the incoming list; the document arrives while it is open, and shows
    // without a reload, its signature checked.
    const clerk = await browser.newPage(system.url);
    await enter(clerk, 'vt.sotc');
    await clerk.getByRole('navigation').getByText('Văn bản đến').click();
    await clerk.getByText('Không có văn bản nào.').waitFor();
    const documentId = await system.send(UBND, [STC], { subject, number: '431', notation: 'UBND-KT' });
    const row = clerk.getByTestId('incoming-row').filter({ hasText: '431/UBND-KT' });
    await row.waitFor({ timeout: 30_000 });
    await screenshot(clerk, 'incoming-1-awaiting');
    await row.click();
    await clerk.getByTestId('verdict').getByText('Chữ ký số hợp lệ').waitFor();
    await clerk.locator('canvas[data-pdf-page="1"]').waitFor();
    await screenshot(clerk, 'incoming-2-received');

    await clerk.getByRole('button', { name: 'Vào sổ' }).click();
    await confirm(clerk, 'Vào sổ');
    await clerk.getByTestId('register-number').waitFor();
    const number = await clerk.getByTestId('register-number').textContent();
    assert.match(number ?? '', /^\d{2,}$/);
    await screenshot(clerk, 'incoming-3-registered');

    const stcId = (await fetchJson<{ currentAgencyId: string }>(clerk, '/api/auth/me')).currentAgencyId;
    const people = await fetchJson<Assignable>(clerk, `/api/agencies/${stcId}/assignable`);
    const user = async (username: string) => {
      const found = await system.office.database.db
        .selectFrom('users')
        .select(['id', 'full_name'])
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      return people.people.find((p) => p.id === found.id)!;
    };
    const leader = await user('ld.sotc');
    const officer = await user('cv.sotc');
    await clerk.getByRole('button', { name: 'Trình lãnh đạo' }).click();
    await chooseOption(clerk, clerk.getByRole('dialog').getByLabel('Lãnh đạo'), `${leader.name} (${leader.position})`);
    await confirm(clerk, 'Trình lãnh đạo');
    await clerk.getByTestId('handling').getByText(leader.name).waitFor();
    await screenshot(clerk, 'incoming-4-submitted');
    await clerk.context().close();

    // The leader directs and assigns it on a phone.
    const phone = await browser.browser.newContext({
      baseURL: system.url,
      locale: 'vi-VN',
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const lead = await phone.newPage();
    await enter(lead, 'ld.sotc');
    await lead.goto('/incoming');
    await lead.getByRole('tab', { name: 'Chờ chỉ đạo' }).click();
    await lead.getByTestId('incoming-row').filter({ hasText: '431/UBND-KT' }).click();
    await lead.getByRole('button', { name: 'Chỉ đạo, giao xử lý' }).click();
    const dialog = lead.getByRole('dialog');
    await dialog.getByLabel('Ý kiến chỉ đạo').fill('Giao chuyên viên chủ trì, tham mưu báo cáo trước hạn.');
    const departmentName = people.departments.find((d) => d.id === officer.departmentId)?.name;
    await chooseOption(
      lead,
      dialog.getByLabel('Xử lý chính'),
      [officer.name, officer.position, departmentName].filter(Boolean).join(' · '),
    );
    await dialog.getByLabel('Hạn (ngày làm việc)').fill('5');
    await screenshot(lead, 'incoming-5-assign-on-phone');
    const overflow = await lead.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the assignment screen is ${overflow} px wider than the phone`);
    await confirm(lead, 'Chỉ đạo, giao xử lý');
    await lead.getByTestId('handling').getByText(officer.name).waitFor();
    await screenshot(lead, 'incoming-6-assigned-on-phone');
    await phone.close();

    // The officer handles and completes it.
    const handler = await browser.newPage(system.url);
    await enter(handler, 'cv.sotc');
    await handler.goto('/incoming');
    await handler.getByTestId('incoming-row').filter({ hasText: '431/UBND-KT' }).click();
    await handler.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
    await handler.getByRole('dialog').getByLabel('Nội dung').fill('Đã tổng hợp số liệu của các phòng.');
    await confirm(handler, 'Cập nhật tiến độ');
    await handler.getByRole('button', { name: 'Hoàn thành' }).click();
    await handler.getByRole('dialog').getByLabel('Kết quả xử lý').fill('Đã gửi báo cáo cho UBND tỉnh.');
    await confirm(handler, 'Hoàn thành');
    await handler.locator('[data-testid="timeline-entry"][data-action="complete"]').waitFor();
    await screenshot(handler, 'incoming-7-completed');
    await handler.context().close();

    // Agency A follows it: every status, each with its time.
    const sender = await browser.newPage(system.url);
    await enter(sender, 'vt.ubnd');
    await sender.goto(`/outgoing/sent/${encodeURIComponent(documentId)}`);
    const entries = sender.getByTestId('sent-timeline-entry');
    for (const status of ['01', '03', '04', '05', '06']) {
      await sender.locator(`[data-testid="sent-timeline-entry"][data-status="${status}"]`).waitFor({ timeout: 30_000 });
    }
    const texts = await entries.allTextContents();
    assert.ok(
      texts.every((t) => /\d{1,2}:\d{2}:\d{2}/.test(t)),
      'every entry shows its time',
    );
    await screenshot(sender, 'incoming-8-sender-timeline');
    await sender.context().close();
  });

  test('a notice about the other agency of someone working in two opens its document there', async () => {
    const db = system.office.database.db;
    const page = await browser.newPage(system.url);
    await enter(page, 'kiemnhiem');
    const me = await fetchJson<{ currentAgencyId: string; memberships: { agencyId: string; roles: string[] }[] }>(page, '/api/auth/me');
    const other = me.memberships.find((m) => m.agencyId !== me.currentAgencyId)!;
    const user = await db.selectFrom('users').select('id').where('username', '=', 'kiemnhiem').executeTakeFirstOrThrow();
    const doc = await db
      .insertInto('incoming_documents')
      .values({
        agency_id: other.agencyId,
        channel: 'paper',
        sender_name: 'Nơi gửi',
        number: '77',
        subject: 'Về việc họp giao ban tháng 12',
        state: 'assigned',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('incoming_assignments')
      .values({
        incoming_id: doc.id,
        part: 'info',
        user_id: user.id,
        department_id: null,
        assigned_by: user.id,
        assigned_at: new Date(),
        input: null,
        input_at: null,
      })
      .execute();
    await db
      .insertInto('notifications')
      .values({
        user_id: user.id,
        agency_id: other.agencyId,
        incoming_id: doc.id,
        kind: 'assigned_info',
        text_vi: 'Bạn được giao để biết văn bản 77.',
        text_en: 'For information: document 77.',
        once_key: null,
        read_at: null,
        emailed_at: null,
      })
      .execute();
    await page.reload();
    await page.getByRole('button', { name: /Thông báo \(1 chưa đọc\)/ }).click({ timeout: 40_000 });
    await page.getByText('Bạn được giao để biết văn bản 77.').click();
    await page.getByText('Về việc họp giao ban tháng 12').waitFor();
    assert.equal((await fetchJson<{ currentAgencyId: string }>(page, '/api/auth/me')).currentAgencyId, other.agencyId);
    await page.context().close();
  });
});
