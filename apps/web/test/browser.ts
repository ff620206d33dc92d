import { chromium, type Browser, type Locator, type Page, type Request } from 'playwright-core';
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
      tellTrouble(page);
      return page;
    },
    close: () => browser.close(),
  };
}

/** The requests of each page not yet answered, told when a wait fails. */
const unanswered = new WeakMap<Page, Set<Request>>();

/** A request this slow is worth a line in the output: an action that hangs looks like a lost click. */
const SLOW_MS = 5000;

/**
 * Tells in the test's output what a failure seen only in CI needs explained, where the page itself
 * is gone: server errors, refused changes (a test that expects a refusal gets one extra line),
 * requests that failed (other than those the page itself dropped) or were slow.
 */
function tellTrouble(page: Page): void {
  const pending = new Set<Request>();
  unanswered.set(page, pending);
  page.on('request', (request) => pending.add(request));
  page.on('response', (res) => {
    const request = res.request();
    if (res.status() < 500 && (res.status() < 400 || request.method() === 'GET')) return;
    const kind = res.status() < 500 ? 'refused' : 'server error';
    void res
      .text()
      .catch(() => '')
      .then((body) => console.log(`${kind}: ${request.method()} ${res.url()} ${res.status()} ${body.slice(0, 500)}`));
  });
  page.on('requestfailed', (request) => {
    pending.delete(request);
    const why = request.failure()?.errorText ?? '';
    // The page dropped it (it moved on to another view): routine, not trouble.
    if (why === 'net::ERR_ABORTED') return;
    console.log(`request failed: ${request.method()} ${request.url()} ${why}`);
  });
  page.on('requestfinished', (request) => {
    pending.delete(request);
    const { startTime, responseEnd } = request.timing();
    if (responseEnd <= SLOW_MS) return;
    console.log(
      `slow request: ${request.method()} ${request.url()} took ${Math.round(responseEnd)} ms from ${new Date(startTime).toISOString()}`,
    );
  });
}

/**
 * Waits for `locator`; if it never comes, the error also tells what the page showed: its alerts,
 * open dialogs and tags, which a CI log otherwise lacks.
 */
export function waitShown(page: Page, locator: Locator, timeout: number): Promise<void> {
  return explainedWait(page, locator, { timeout, state: 'visible' });
}

/**
 * Waits until `locator` is gone, as a dialog once its request is answered; if it stays, the error
 * tells what the page showed and which requests were still unanswered.
 */
export function waitGone(page: Page, locator: Locator, timeout: number): Promise<void> {
  return explainedWait(page, locator, { timeout, state: 'detached' });
}

async function explainedWait(page: Page, locator: Locator, options: { timeout: number; state: 'visible' | 'detached' }): Promise<void> {
  try {
    await locator.waitFor(options);
  } catch (error) {
    const shown = await page
      .locator('.ant-alert, .ant-modal, .ant-message, .ant-tag, .ant-form-item-explain-error')
      .filter({ visible: true })
      .allInnerTexts()
      .catch(() => []);
    const waiting = [...(unanswered.get(page) ?? [])].map((r) => `${r.method()} ${r.url()}`);
    if (error instanceof Error) {
      error.message += `\nThe page at ${page.url()} showed: ${JSON.stringify(shown)}; requests unanswered: ${JSON.stringify(waiting)}`;
    }
    throw error;
  }
}

/** Presses a modal's OK button and waits for the modal to close, the sign that the action was accepted. */
export async function confirm(page: Page, okName: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: okName }).click();
  await waitGone(page, dialog, 30_000);
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
 * opened again, as a user would. A browser starved of CPU (CI runs another test file beside it) gets
 * longer each try, and a pick that lands after a try gave up counts.
 */
export async function chooseOption(page: Page, select: Locator, title: string): Promise<void> {
  const field = select.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const chosen = field.locator(`[title="${title}"]`);
  const option = page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${title}"]`);
  for (let attempt = 1; ; attempt++) {
    const timeout = 5000 * 2 ** (attempt - 1);
    try {
      // A click on a select whose list is still open would close it.
      if (!(await option.isVisible())) await select.click({ timeout });
      await option.click({ timeout });
      await chosen.waitFor({ timeout });
      return;
    } catch (error) {
      if (await chosen.isVisible()) return;
      if (attempt < 3) continue;
      if (error instanceof Error) {
        const shows = await field.innerText().catch(() => '?');
        error.message += `\nAfter ${attempt} tries the select shows ${JSON.stringify(shows)}; its list is ${(await option.isVisible()) ? 'open' : 'closed'}`;
      }
      throw error;
    }
  }
}
