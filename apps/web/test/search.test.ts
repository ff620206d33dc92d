import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '@vanban/office/testing';
import { launchBrowser, logIn, screenshot, type TestBrowser } from './browser.js';

const PASSWORD = 'VanBan@2026';
const STC = '000.00.04.H99';

/** Searches from the shell's box and gives the titles listed, in order. */
async function searchFor(page: Page, words: string): Promise<string[]> {
  const box = page.getByLabel('Tìm kiếm văn bản');
  await box.fill(words);
  await box.press('Enter');
  await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === words);
  await page.locator(`[data-testid="search-results"][data-query="${words}"]`).waitFor();
  return page.getByTestId('search-hit-title').allTextContents();
}

describe('searching documents from the shell', () => {
  let system: TestSystem;
  let browser: TestBrowser;
  before(async () => {
    await Promise.all([startTestSystem().then((s) => (system = s)), launchBrowser().then((b) => (browser = b))]);
    const db = system.office.database.db;
    const agency = await db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow();
    const base = { agency_id: agency.id, state: 'registered' as const, document_type: 'Công văn' };
    await db
      .insertInto('incoming_documents')
      .values([
        {
          ...base,
          channel: 'hub',
          sender_name: 'Ủy ban nhân dân tỉnh Bình An',
          number: '12',
          notation: 'UBND-VP',
          subject: 'Về việc số hóa văn bản đến và hồ sơ lưu trữ',
          issue_date: '2026-03-02',
        },
        {
          ...base,
          channel: 'paper',
          sender_name: 'Sở Y tế',
          number: '30',
          notation: 'SYT-VP',
          subject: 'Về việc tiếp nhận văn bản đến qua trục liên thông',
          urgency: 'urgent',
          issue_date: '2026-04-10',
        },
        {
          ...base,
          channel: 'hub',
          sender_name: 'Sở Nội vụ',
          number: '7',
          notation: 'SNV-TCCB',
          subject: 'Về việc tuyển dụng công chức năm 2026',
          issue_date: '2026-02-01',
        },
      ])
      .execute();
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('with and without Vietnamese marks, the same documents are listed, the words marked; on a desktop and a phone', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'vt.sotc', PASSWORD);
    await page.getByRole('button', { name: 'Tài khoản' }).waitFor();

    const marked = await searchFor(page, 'văn bản đến');
    assert.deepEqual([...marked].sort(), [
      'Về việc số hóa văn bản đến và hồ sơ lưu trữ',
      'Về việc tiếp nhận văn bản đến qua trục liên thông',
    ]);
    assert.deepEqual(await page.locator('[data-testid="search-hit-title"] mark').first().textContent(), 'văn');
    await screenshot(page, 'search-1-desktop-marked');

    const plain = await searchFor(page, 'van ban den');
    assert.deepEqual(plain, marked);
    await page.getByText('2 văn bản').waitFor();
    await screenshot(page, 'search-2-desktop-plain');

    // A facet narrows the list to what it counts.
    await page.getByTestId('facet-urgency').click();
    await page.locator('.ant-select-item-option[title="Khẩn (1)"]').click();
    await page.getByText('1 văn bản').waitFor();
    assert.deepEqual(await page.getByTestId('search-hit-title').allTextContents(), ['Về việc tiếp nhận văn bản đến qua trục liên thông']);

    await page.setViewportSize({ width: 375, height: 800 });
    assert.deepEqual(await searchFor(page, 'VAN BAN DEN'), marked);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(width <= 375, `the page is ${width} px wide on a 375 px phone`);
    await screenshot(page, 'search-3-phone');

    await page.getByTestId('search-hit-title').first().click();
    await page.waitForURL(/\/incoming\/[0-9a-f-]{36}$/);
  });
});
