import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { until } from '@vanban/hub/testing';
import { startTestExchangeSystem, type TestExchangeSystem } from '@vanban/office/testing';
import { chooseOption, confirm, launchBrowser, logIn, screenshot, type TestBrowser } from './browser.js';

const PASSWORD = 'VanBan@2026';
const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';

async function enter(page: Page, username: string): Promise<void> {
  await logIn(page, username, PASSWORD);
  await page.getByRole('button', { name: 'Tài khoản' }).waitFor();
}

describe('a dossier, from the file plan to the agency archive', () => {
  let system: TestExchangeSystem;
  let browser: TestBrowser;
  const work = mkdtempSync(join(tmpdir(), 'vanban-dossier-browser-'));
  before(async () => {
    await Promise.all([
      startTestExchangeSystem({ credentialsFor: [UBND] }).then((s) => (system = s)),
      launchBrowser().then((b) => (browser = b)),
    ]);
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('is opened from the plan, gets a document, is closed, transferred by the clerk, and its package verifies with sha256sum -c', async () => {
    const year = new Date().getFullYear();
    const code = `05.VP.${year}`;
    const subject = 'Về việc quyết toán ngân sách năm trước';
    await system.send(UBND, [STC], { subject, number: '512', notation: 'UBND-KT' });
    const stc = await system.office.database.db.selectFrom('agencies').select('id').where('code', '=', STC).executeTakeFirstOrThrow();
    const incoming = await until('the document at STC', () =>
      system.office.database.db
        .selectFrom('incoming_documents')
        .select('id')
        .where('agency_id', '=', stc.id)
        .where('subject', '=', subject)
        .executeTakeFirst(),
    );

    // A department leader opens a dossier from this year's plan, on a phone.
    const leader = await browser.newPage(system.url);
    await leader.setViewportSize({ width: 375, height: 800 });
    await enter(leader, 'tp.sotc');
    await leader.goto('/dossiers');
    const entry = leader.getByTestId(`plan-entry-${code}`);
    await entry.waitFor();
    await screenshot(leader, 'dossiers-1-plan-375');
    await entry.getByRole('button', { name: 'Lập hồ sơ' }).click();
    await leader.getByRole('dialog').getByLabel('Tiêu đề hồ sơ').fill('Quyết toán ngân sách năm trước của Sở');
    await leader.getByRole('dialog').getByRole('button', { name: 'Lập hồ sơ' }).click();
    await leader.getByTestId('dossier-code').getByText(code).waitFor();
    assert.equal(await leader.getByTestId('dossier-state').textContent(), 'Đang lập');

    // Files the incoming document into it from the document's page.
    await leader.setViewportSize({ width: 1366, height: 850 });
    await leader.goto(`/incoming/${incoming.id}`);
    await leader.getByRole('button', { name: 'Đưa vào hồ sơ' }).click();
    await chooseOption(
      leader,
      leader.getByRole('dialog').getByLabel('Chọn hồ sơ đang mở'),
      `${code} — Quyết toán ngân sách năm trước của Sở`,
    );
    await confirm(leader, 'Đồng ý');
    await leader.getByTestId('holding-dossiers').getByText(code).click();
    await leader.getByTestId('dossier-items').getByText('512/UBND-KT').waitFor();

    // Closes it.
    await leader.getByRole('button', { name: 'Kết thúc hồ sơ' }).click();
    await leader.getByRole('dialog').getByLabel('Số tờ').fill('6');
    await confirm(leader, 'Đồng ý');
    await leader.getByTestId('dossier-state').getByText('Đã kết thúc').waitFor();
    await leader.getByText('Hạn nộp lưu').first().waitFor();
    await screenshot(leader, 'dossiers-2-closed');
    await leader.setViewportSize({ width: 375, height: 800 });
    await screenshot(leader, 'dossiers-3-closed-375');

    // The clerk transfers it to the agency archive and downloads the package.
    const clerk = await browser.newPage(system.url);
    await enter(clerk, 'vt.sotc');
    await clerk.goto('/dossiers');
    await clerk.getByRole('tab', { name: 'Nộp lưu' }).click();
    await clerk.getByRole('checkbox', { name: code }).check();
    await screenshot(clerk, 'dossiers-4-to-transfer');
    await clerk.getByRole('button', { name: 'Nộp lưu các hồ sơ đã chọn' }).click();
    const link = clerk.getByRole('link', { name: 'Tải gói nộp lưu' }).first();
    await link.waitFor();
    await screenshot(clerk, 'dossiers-5-transferred');
    const [download] = await Promise.all([clerk.waitForEvent('download'), link.click()]);
    const zip = join(work, download.suggestedFilename());
    await download.saveAs(zip);
    assert.match(download.suggestedFilename(), /^nop-luu-000\.00\.04\.H99-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.zip$/);

    const recorded = await system.office.database.db.selectFrom('archive_transfers').select('sha256').executeTakeFirstOrThrow();
    assert.equal(spawnSync('sha256sum', [zip], { encoding: 'utf8' }).stdout.split(' ')[0], recorded.sha256);
    const dir = join(work, 'unpacked');
    assert.equal(spawnSync('unzip', ['-q', zip, '-d', dir]).status, 0);
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /01-den-512-UBND-KT\/goi-tin-edxml\.xml: OK/);
    assert.match(readFileSync(join(dir, 'index.html'), 'utf8'), /Quyết toán ngân sách năm trước của Sở/);

    // The dossier now reads as transferred, for its keeper too.
    await leader.reload();
    await leader.getByTestId('dossier-state').getByText('Đã nộp lưu').waitFor();
    await screenshot(leader, 'dossiers-6-transferred-375');
  });
});
