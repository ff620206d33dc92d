import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { Page } from 'playwright-core';
import { PEER_AGENCY, paperPdf, startTestExchangeSystem, type TestExchangeSystem } from '@vanban/office/testing';
import { chooseOption, confirm, launchBrowser, logIn, screenshot, waitShown, type TestBrowser } from './browser.js';

const PASSWORD = 'VanBan@2026';
const UBND = '000.00.00.H99';
const ROOT = join(import.meta.dirname, '..', '..', '..');

/** `vanban verify`, as a person would run it on a file they were given. */
function vanbanVerify(file: string, caDir: string) {
  return new Promise<{ code: number; out: string }>((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'apps', 'cli', 'src', 'main.ts'), 'verify', file, '--ca', caDir],
      { cwd: ROOT, encoding: 'utf8' },
      (error, out, err) => resolve({ code: error ? Number(error.code) : 0, out: out + err }),
    ),
  );
}

async function enter(page: Page, username: string): Promise<void> {
  await logIn(page, username, PASSWORD);
  await page.getByRole('button', { name: 'Tài khoản' }).waitFor();
}

/** Opens the outgoing list's tab "waiting for me" and the document there. */
async function openWaiting(page: Page, subject: string): Promise<void> {
  await page.getByRole('navigation').getByText('Văn bản đi').click();
  await page.getByRole('tab', { name: 'Chờ tôi xử lý' }).click();
  const row = page.getByTestId('outgoing-row').filter({ hasText: subject });
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

/** Opens a document of the whole agency's list (a clerk sees every one). */
async function openWaitingOrAll(page: Page, subject: string): Promise<void> {
  await page.getByRole('tab', { name: 'Toàn cơ quan' }).click();
  const row = page.getByTestId('outgoing-row').filter({ hasText: subject });
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

async function stateIs(page: Page, label: string): Promise<void> {
  await waitShown(page, page.locator('.ant-tag').filter({ hasText: label }).first(), 30_000);
}

describe('an outgoing document, drafted, reviewed, signed, numbered and issued to another installation through the hub', () => {
  let system: TestExchangeSystem;
  let browser: TestBrowser;
  const work = mkdtempSync(join(tmpdir(), 'vanban-outgoing-'));
  before(async () => {
    await Promise.all([
      startTestExchangeSystem({ credentialsFor: [UBND], peer: true, serveCa: true }).then((s) => (system = s)),
      launchBrowser().then((b) => (browser = b)),
    ]);
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('walks the whole path in the browser; the received PDF verifies with both signatures, and not once a byte changes', async () => {
    const subject = 'V/v triển khai gửi nhận văn bản điện tử với Bộ Tài chính';
    const db = system.office.database.db;
    const chairman = await db.selectFrom('users').select('full_name').where('username', '=', 'ld.ubnd').executeTakeFirstOrThrow();

    // The officer drafts: type, subject, signer, a recipient outside the installation, the PDF.
    const officer = await browser.newPage(system.url);
    await enter(officer, 'cv.ubnd');
    await officer.getByRole('navigation').getByText('Văn bản đi').click();
    await officer.getByRole('button', { name: 'Soạn văn bản' }).click();
    const drawer = officer.locator('.ant-drawer');
    // Types are many: typing narrows the list to the one wanted, as a clerk would.
    await drawer.getByLabel('Loại văn bản').fill('Công văn');
    await officer.locator('.ant-select-item-option[title="Công văn"]').click();
    await drawer.getByLabel('Trích yếu').fill(subject);
    await chooseOption(officer, drawer.getByLabel('Người ký'), `${chairman.full_name} – Chủ tịch`);
    await drawer.getByLabel('Mã định danh (ngoài hệ thống)').fill(PEER_AGENCY.code);
    await drawer.getByLabel('Tên cơ quan').fill(PEER_AGENCY.name);
    await drawer.getByRole('button', { name: 'Thêm' }).click();
    await drawer.getByTestId('recipient').filter({ hasText: PEER_AGENCY.name }).waitFor();
    const pdf = await paperPdf({
      agency: ['ỦY BAN NHÂN DÂN', 'TỈNH BÌNH AN'],
      code: '      /UBND-KGVX',
      placeAndDate: 'Bình An, ngày      tháng      năm 2026',
      subjectUnderNumber: ['V/v triển khai gửi nhận', 'văn bản điện tử'],
      body: ['Kính gửi: Bộ Tài chính.', '', 'Ủy ban nhân dân tỉnh Bình An đề nghị Bộ phối hợp triển khai.'],
    });
    await drawer.locator('input[type=file]').first().setInputFiles({ name: 'du-thao.pdf', mimeType: 'application/pdf', buffer: pdf });
    await screenshot(officer, 'outgoing-1-draft');
    await drawer.getByRole('button', { name: 'Tạo dự thảo' }).click();
    await stateIs(officer, 'Dự thảo');

    // A second version, and the comparison of the two.
    await officer.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    const editor = officer.locator('.ant-drawer');
    await editor.getByLabel('Trích yếu').fill(`${subject} (sửa)`);
    await editor.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    await editor.waitFor({ state: 'detached' });
    // Version 2 added the PDF; version 3 changed the subject.
    await officer.getByRole('button', { name: 'So sánh v2' }).click();
    await officer.getByTestId('version-diff').getByText(`${subject} (sửa)`).waitFor();
    await screenshot(officer, 'outgoing-2-versions');
    await officer.getByRole('button', { name: 'Trình lãnh đạo phòng' }).click();
    await stateIs(officer, 'Chờ lãnh đạo phòng duyệt');

    // The department leader approves; the officer submits for signature.
    const head = await browser.newPage(system.url);
    await enter(head, 'tp.ubnd');
    await openWaiting(head, `${subject} (sửa)`);
    await head.getByRole('button', { name: 'Duyệt dự thảo' }).click();
    await head.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await stateIs(head, 'Đã duyệt, chờ trình ký');
    await officer.reload();
    await officer.getByRole('button', { name: 'Trình ký' }).click();
    await stateIs(officer, 'Đang trình ký');

    // The head of the Văn phòng checks it, as the demo's approval chain asks, before the Chairman.
    const office = await browser.newPage(system.url);
    await enter(office, 'cvp.ubnd');
    await openWaiting(office, `${subject} (sửa)`);
    await office.getByRole('button', { name: 'Đồng ý, trình tiếp' }).click();
    await office.getByRole('dialog').getByLabel('Ý kiến, lý do').fill('Đúng thể thức.');
    await confirm(office, 'Xác nhận');

    // The Chairman sees exactly what he signs: the PDF and its digest.
    const signer = await browser.newPage(system.url);
    await enter(signer, 'ld.ubnd');
    await openWaiting(signer, `${subject} (sửa)`);
    await signer.getByRole('button', { name: 'Ký số' }).click();
    const digest = await signer.getByTestId('sign-digest').textContent();
    assert.match(digest ?? '', /[0-9a-f]{64}/);
    await signer.getByRole('dialog').locator('canvas[data-pdf-page="1"]').waitFor();
    await screenshot(signer, 'outgoing-3-signing');
    await signer.getByTestId('confirm-sign').click();
    await stateIs(signer, 'Đã ký, chờ cấp số');

    // The clerk numbers (number, date and the agency's signature) and issues the same day.
    const clerk = await browser.newPage(system.url);
    await enter(clerk, 'vt.ubnd');
    await openWaiting(clerk, `${subject} (sửa)`);
    await clerk.getByTestId('same-day').waitFor();
    await clerk.getByRole('button', { name: 'Cấp số và đóng dấu' }).click();
    await stateIs(clerk, 'Đã cấp số, chờ phát hành');
    const title = await clerk.getByTestId('outgoing-title').textContent();
    assert.match(title ?? '', /^\d{2,}\/UBND-KGVX$/);
    const number = title!.split('/')[0]!;
    await clerk.getByRole('button', { name: 'Phát hành' }).click();
    await stateIs(clerk, 'Đã phát hành');
    await clerk.getByTestId('same-day').filter({ hasText: 'Phát hành trong ngày' }).waitFor();
    await screenshot(clerk, 'outgoing-4-issued');

    // The other installation's clerk receives it through the hub, signatures checked, and registers it.
    const peer = system.peer!;
    const theirs = await browser.newPage(peer.url);
    await enter(theirs, 'vt.peer');
    await theirs.getByRole('navigation').getByText('Văn bản đến').click();
    const row = theirs.getByTestId('incoming-row').filter({ hasText: `${number}/UBND-KGVX` });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await theirs.getByTestId('verdict').getByText('Chữ ký số hợp lệ').waitFor();
    await theirs.getByRole('button', { name: 'Vào sổ' }).click();
    await confirm(theirs, 'Vào sổ');
    await screenshot(theirs, 'outgoing-5-received');

    // The statuses come back to the issuer's tracking: arrived (01), then registered (03).
    await clerk.goto('/outgoing/sent');
    await clerk.getByText('03 · Đã tiếp nhận').first().waitFor({ timeout: 30_000 });
    await screenshot(clerk, 'outgoing-6-tracking');

    // The clerk asks for it back; the other side refuses, saying why, and the answer shows per recipient.
    await clerk.goto('/outgoing');
    await openWaitingOrAll(clerk, `${subject} (sửa)`);
    await clerk.getByRole('button', { name: 'Thu hồi' }).click();
    await clerk.getByRole('dialog').getByLabel('Ý kiến, lý do').fill('Bổ sung phụ lục kèm theo');
    await clerk.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await clerk.getByText(/Đã đề nghị thu hồi lúc/).waitFor();
    await theirs.reload();
    await theirs.getByRole('button', { name: 'Không đồng ý' }).click({ timeout: 30_000 });
    await theirs.getByRole('dialog').getByLabel('Lý do').fill('Đã triển khai thực hiện');
    await confirm(theirs, 'Không đồng ý');
    await clerk
      .getByTestId('recipient-status')
      .getByText(/16 · .*Đã triển khai thực hiện/)
      .waitFor({ timeout: 30_000 });
    await screenshot(clerk, 'outgoing-7-recall-answered');

    // vanban verify on the PDF as the other side received it: both signatures valid; one byte changed, not.
    const received = await peer.office.database.db
      .selectFrom('incoming_documents as d')
      .innerJoin('incoming_files as f', 'f.incoming_id', 'd.id')
      .select('f.sha256')
      .where('d.number', '=', number)
      .orderBy('f.position')
      .executeTakeFirstOrThrow();
    const bytes = await buffer(await peer.files.read(received.sha256));
    const file = join(work, 'issued.pdf');
    writeFileSync(file, bytes);
    const good = await vanbanVerify(file, system.ca.dir);
    assert.equal(good.code, 0, good.out);
    assert.equal(good.out.match(/^ {2}#\d+ .*: HỢP LỆ \/ VALID$/gm)?.length, 2, good.out);
    assert.match(good.out, /Chữ ký cơ quan 2: HỢP LỆ/);
    const changed = Buffer.from(bytes);
    const at = changed.indexOf('/MediaBox');
    changed[at + 2] = changed[at + 2]! ^ 1;
    const tampered = join(work, 'tampered.pdf');
    writeFileSync(tampered, changed);
    const bad = await vanbanVerify(tampered, system.ca.dir);
    assert.notEqual(bad.code, 0, bad.out);
    assert.doesNotMatch(bad.out, /^ {2}#\d+ .*: HỢP LỆ \/ VALID$/m);
  });
});
