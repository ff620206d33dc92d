import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's Chromium; no test tool downloads a browser of its own. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

export interface TestBrowser {
  readonly browser: Browser;
  newPage(baseUrl: string): Promise<Page>;
  close(): Promise<void>;
}

/** Playwright gives every launch a fresh temporary profile of its own. */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    async newPage(baseUrl) {
      const context = await browser.newContext({ baseURL: baseUrl, locale: 'vi-VN', viewport: { width: 1366, height: 850 } });
      const page = await context.newPage();
      // A server error is never what a test expects; told in the test's output, it explains a
      // failure seen only in CI, where the page itself is gone.
      page.on('response', (res) => {
        if (res.status() < 500) return;
        void res
          .text()
          .catch(() => '')
          .then((body) => console.log(`server error: ${res.request().method()} ${res.url()} ${res.status()} ${body.slice(0, 500)}`));
      });
      return page;
    },
    close: () => browser.close(),
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/**
 * Picks an option of an Ant Design select and waits until the select shows it. A modal moves the
 * focus into itself when its opening animation ends, which closes a select opened just before: the
 * list then vanishes under the click, or the pick is lost. So each try is short, and the select is
 * opened again, as a user would.
 */
export async function chooseOption(page: Page, select: Locator, title: string): Promise<void> {
  const field = select.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const chosen = field.locator(`[title="${title}"]`);
  const option = page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${title}"]`);
  for (let attempt = 1; ; attempt++) {
    try {
      await select.click({ timeout: 5000 });
      await option.click({ timeout: 5000 });
      await chosen.waitFor({ timeout: 5000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
