import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSystem, type TestSystem } from '@vanban/office/testing';
import { sealPng } from '@vanban/pki/testing';
import { chooseOption, launchBrowser, logIn, screenshot, type TestBrowser } from './browser.js';

const PASSWORD = 'VanBan@2026';

describe('web shell', () => {
  let system: TestSystem;
  let browser: TestBrowser;
  before(async () => {
    // Each is kept as soon as it is up, so that `after` stops it even when the other fails to start.
    await Promise.all([
      startTestSystem({ credentialsFor: ['000.00.00.H99'] }).then((s) => (system = s)),
      launchBrowser().then((b) => (browser = b)),
    ]);
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('a wrong password is refused in Vietnamese and the login page stays', async () => {
    const page = await browser.newPage(system.url);
    await page.goto('/');
    await screenshot(page, 'login');
    await logIn(page, 'vt.ubnd', 'not-the-password-1');
    await page.getByText('Tên đăng nhập hoặc mật khẩu không đúng').waitFor();
    await screenshot(page, 'login-refused');
    await page.context().close();
  });

  test('a clerk logs in and sees the Vietnamese shell without administration', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'vt.ubnd', PASSWORD);
    const nav = page.getByRole('navigation');
    for (const item of ['Văn bản đến', 'Văn bản đi', 'Hồ sơ', 'Báo cáo']) await nav.getByText(item, { exact: true }).waitFor();
    assert.equal(await nav.getByText('Quản trị').count(), 0);
    await page.getByRole('row').filter({ hasText: '000.00.00.H99' }).getByText('Văn thư', { exact: true }).last().waitFor();
    await screenshot(page, 'shell-clerk');

    await page.getByRole('combobox', { name: 'Ngôn ngữ' }).click();
    await page.getByTitle('English').click();
    await nav.getByText('Incoming documents').waitFor();
    await page.context().close();
  });

  test('a user of two agencies switches the agency they act for', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'kiemnhiem', PASSWORD);
    const switcher = page.getByRole('combobox', { name: 'Đang làm việc tại' });
    await switcher.waitFor();
    await chooseOption(page, switcher, 'Sở Tài chính');
    await page.getByRole('cell', { name: 'Sở Tài chính' }).locator('strong').waitFor();
    const me = await page.evaluate(() =>
      fetch('/api/auth/me').then(
        (r) => r.json() as Promise<{ currentAgencyId: string; memberships: { agencyId: string; agencyName: string }[] }>,
      ),
    );
    assert.equal(me.memberships.find((m) => m.agencyId === me.currentAgencyId)?.agencyName, 'Sở Tài chính');
    await page.context().close();
  });

  test('an administrator adds a department and a user who can then log in', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'qt.ubnd', PASSWORD);
    await page.getByRole('navigation').getByText('Quản trị').click();
    await page.getByRole('tree').getByText('Ủy ban nhân dân tỉnh Bình An').waitFor();
    await page.getByRole('tree').getByText('Sở Tài chính').waitFor();

    await page.getByRole('tab', { name: 'Phòng ban' }).click();
    await page.getByRole('button', { name: 'Thêm phòng ban' }).click();
    const departmentDialog = page.getByRole('dialog');
    await departmentDialog.getByLabel('Mã phòng ban').fill('CDS');
    await departmentDialog.getByLabel('Tên phòng ban').fill('Phòng Chuyển đổi số');
    await departmentDialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('cell', { name: 'Phòng Chuyển đổi số' }).waitFor();

    await page.getByRole('tab', { name: 'Người dùng' }).click();
    await page.getByRole('button', { name: 'Thêm người dùng', exact: true }).click();
    const userDialog = page.getByRole('dialog');
    await userDialog.getByLabel('Tên đăng nhập').fill('cv.chuyendoiso');
    await userDialog.getByLabel('Họ và tên').fill('Lê Thị Thu Hà');
    await userDialog.getByLabel('Mật khẩu').fill('ChuyenDoiSo2026');
    await chooseOption(page, userDialog.getByLabel('Phòng ban'), 'Phòng Chuyển đổi số');
    await userDialog.getByRole('button', { name: 'Lưu' }).click();
    await page.getByRole('cell', { name: 'cv.chuyendoiso' }).waitFor();
    await screenshot(page, 'admin-users');
    await page.context().close();

    const newcomer = await browser.newPage(system.url);
    await logIn(newcomer, 'cv.chuyendoiso', 'ChuyenDoiSo2026');
    await newcomer.getByText('Xin chào, Lê Thị Thu Hà').waitFor();
    await newcomer.getByRole('cell', { name: 'Phòng Chuyển đổi số' }).waitFor();
    await newcomer.context().close();
  });

  test('an agency import with a bad row shows the row and imports nothing', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'qt.ubnd', PASSWORD);
    await page.getByRole('navigation').getByText('Quản trị').click();
    await page.getByRole('tab', { name: 'Nhập từ tệp CSV' }).click();
    const csv = [
      'code,name,short_name,level,parent_code',
      '000.00.31.H99,Sở Khoa học mới,SKHM,province,000.00.00.H99',
      'sai-ma,Cơ quan lỗi,CQL,province,000.00.00.H99',
    ].join('\n');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Chọn tệp CSV' }).first().click();
    await (await chooser).setFiles({ name: 'co-quan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByText('Các dòng bị từ chối').waitFor();
    await page.getByRole('cell', { name: '3', exact: true }).waitFor();
    await screenshot(page, 'admin-import-rejected');
    const found = await page.evaluate(() =>
      fetch('/api/agencies?q=Khoa%20h%E1%BB%8Dc%20m%E1%BB%9Bi').then((r) => r.json() as Promise<{ items: unknown[] }>),
    );
    assert.equal(found.items.length, 0);
    await page.context().close();
  });

  test('an administrator sets the agency seal and sees the certificates it and its leaders sign with', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'qt.ubnd', PASSWORD);
    await page.getByRole('navigation').getByText('Quản trị').click();
    await page.getByRole('tab', { name: 'Chữ ký số' }).click();
    await page.getByText('Chưa có ảnh con dấu').waitFor();
    const certificates = page.locator('.ant-table-row');
    await certificates.first().getByText('Cơ quan', { exact: true }).waitFor();
    assert.ok((await certificates.count()) >= 2, 'the agency and at least one leader');

    let chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Chọn ảnh con dấu' }).click();
    await (await chooser).setFiles({ name: 'dau.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
    await page.getByText('Ảnh con dấu phải là tệp PNG hoặc JPEG.').waitFor();

    chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Chọn ảnh con dấu' }).click();
    await (await chooser).setFiles({ name: 'dau.png', mimeType: 'image/png', buffer: sealPng(240) });
    await page.getByText('240×240').waitFor();
    // The picture itself is served and decodes (the test's tsconfig has no DOM types: a string to evaluate).
    await page.waitForFunction(`document.querySelector('img[alt="Ảnh con dấu"]')?.naturalWidth === 240`);
    await screenshot(page, 'admin-seal');
    await page.context().close();
  });

  test('an agency with a malformed code or an oversized import is refused in Vietnamese', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'qt.ubnd', PASSWORD);
    await page.getByRole('navigation').getByText('Quản trị').click();
    await page.getByRole('button', { name: 'Thêm cơ quan trực thuộc' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Mã định danh').fill('12.34');
    await dialog.getByLabel('Tên cơ quan').fill('Sở Thử nghiệm');
    await dialog.getByLabel('Tên viết tắt').fill('STN');
    await chooseOption(page, dialog.getByLabel('Cấp'), 'Tỉnh');
    await dialog.getByRole('button', { name: 'Thêm' }).click();
    await dialog.getByText('Mã định danh "12.34" không đúng định dạng xxx.xx.xx.L99 (cần bốn nhóm').waitFor();
    await screenshot(page, 'admin-add-agency-refused');
    await dialog.getByRole('button', { name: 'Hủy' }).click();

    await page.getByRole('tab', { name: 'Nhập từ tệp CSV' }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Chọn tệp CSV' }).last().click();
    const huge = 'username,full_name,email,password,department_code,roles,position\n' + 'x'.repeat(6 * 1024 * 1024);
    await (await chooser).setFiles({ name: 'nguoi-dung.csv', mimeType: 'text/csv', buffer: Buffer.from(huge) });
    await page.getByText('Tệp quá lớn.').waitFor();
    await page.context().close();
  });

  test('the account page changes the password and starts two-factor setup', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'cv.sotc', PASSWORD);
    await page.getByRole('button', { name: 'Tài khoản' }).hover();
    await page.getByRole('menuitem', { name: 'Tài khoản' }).click();
    await page.getByLabel('Mật khẩu hiện tại').fill(PASSWORD);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('DoiMatKhau2026');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('DoiMatKhau2026');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã đổi mật khẩu').waitFor();
    await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
    await page.getByTestId('totp-secret').waitFor();
    await screenshot(page, 'account');
    await page.context().close();

    const again = await browser.newPage(system.url);
    await logIn(again, 'cv.sotc', 'DoiMatKhau2026');
    await again.getByText('Xin chào').waitFor();
    await again.context().close();
  });

  test('a user of one agency cannot read the people of another', async () => {
    const page = await browser.newPage(system.url);
    await logIn(page, 'qt.sotc', PASSWORD);
    await page.getByRole('navigation').getByText('Quản trị').waitFor();
    const status = await page.evaluate(async () => {
      const roots = (await (await fetch('/api/agencies?parentId=root')).json()) as { items: { id: string }[] };
      return (await fetch(`/api/agencies/${roots.items[0]!.id}/users`)).status;
    });
    assert.equal(status, 403);
    await page.context().close();
  });
});
