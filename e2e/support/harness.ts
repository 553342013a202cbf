import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/test/helper';
import { PASSWORD } from '../../server/test/factories';
import { repoRoot } from '../../server/src/lib/paths';
import { rawTextOn } from './raw-text';

// A browser test's steps each wait up to 15-20 s (page.setDefaultTimeout); a test of many steps and screenshots
// took over jest's 30 s on a loaded 2-core machine with three test files at a time. A file may set its own.
jest.setTimeout(90_000);

export const ARTIFACTS = path.join(repoRoot(), 'test-artifacts', 'screenshots');
const H5 = path.join(repoRoot(), 'miniapp', 'dist', 'h5');

/** Phone viewport the mini-app is designed for (iPhone 8-sized CSS pixels). */
export const PHONE = { width: 375, height: 812 };
/** The office's desk (the H5 build as the desk web app). */
export const DESK = { width: 1280, height: 800 };

export type E2E = { t: TestApp; baseUrl: string; browser: Browser; contexts: BrowserContext[]; close: () => Promise<void> };

/**
 * The real thing end to end: the H5 build served by the real server (own database), driven by Debian's Chromium.
 * `npm test` builds the H5 bundle first; a missing build fails loudly rather than skipping.
 */
export async function startE2E(): Promise<E2E> {
  if (!fs.existsSync(path.join(H5, 'index.html'))) throw new Error(`H5 build missing at ${H5}: run \`npm run build:h5\``);
  const t = await createTestApp({ env: { H5_DIR: H5 } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = t.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    t, browser, baseUrl: `http://127.0.0.1:${port}`, contexts,
    // Each step bounded: on a loaded machine a hung browser close held project-desk's afterAll past its 90 s (CI);
    // the step that overruns is named in the log, and the server drops its sockets rather than wait for them.
    close: async () => {
      await bounded('closing the browser contexts', Promise.all(contexts.map((c) => c.close())), 15_000);
      await bounded('closing Chromium', browser.close(), 20_000);
      t.app.server.closeAllConnections();
      await bounded('closing the server and its database pool', t.close(), 20_000);
    },
  };
}

/** Waits for `work` up to `ms`; a failure or an overrun is logged, not thrown (teardown goes on with the next step). */
async function bounded(what: string, work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    work.then(() => true, (err: unknown) => (console.warn(`e2e teardown: ${what} failed: ${String(err)}`), true)),
    new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); }),
  ]);
  clearTimeout(timer);
  if (!done) console.warn(`e2e teardown: ${what} took over ${ms} ms; going on`);
}

/** A fresh phone-sized browser context (own storage = own login), optionally at a given position. */
export async function phone(e: E2E, opts: { geolocation?: { latitude: number; longitude: number; accuracy?: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e.browser.newContext({
    viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    ...(opts.geolocation ? { geolocation: opts.geolocation, permissions: ['geolocation'] } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page };
}

/**
 * Saves a screenshot as a test artifact (test-artifacts/screenshots/<name>.png), and holds every screen a test
 * photographs to showing no code and no English word (docs/screens.md; see raw-text.ts).
 */
export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  const raw = await rawTextOn(page);
  if (raw.length) throw new Error(`screen ${name} shows raw text: ${raw.join(', ')}`);
  return file;
}

/** Elements whose boxes overlap another visible element's text at this viewport — a layout smell at 375 px. */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  // A page still sliding in from the right measures as overflow: wait until the shown page sits at x = 0.
  await page
    .waitForFunction(() => Array.from(document.querySelectorAll('.taro_page_show')).every((el) => Math.abs(el.getBoundingClientRect().left) < 1), undefined, { timeout: 5000 })
    .catch(() => undefined);
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const bad: string[] = [];
    document.querySelectorAll('body *').forEach((el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || r.width === 0) return;
      if (r.right > w + 1 && el.textContent?.trim()) bad.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
    });
    return bad.slice(0, 10);
  });
}

/** Taro renders <taro-input-core> around a native <input>: fill the native one, found by its placeholder. */
export async function fill(page: Page, placeholder: string, value: string): Promise<void> {
  const input = page.locator(`input[placeholder*="${placeholder}"], textarea[placeholder*="${placeholder}"]`).first();
  await input.fill(value);
}

/** Taps the NutUI button whose label is `text` (the button element, not the label inside it). */
export async function tapButton(page: Page, text: string): Promise<void> {
  await page.locator('taro-button-core, button', { hasText: text }).last().click();
}

/** Signs `username` in with the test password in a fresh context at `viewport`, and waits for home. Closed with `e`. */
export async function signIn(e: E2E, username: string, viewport: { width: number; height: number }): Promise<Page> {
  const mobile = viewport === PHONE;
  const context = await e.browser.newContext({ viewport, deviceScaleFactor: mobile ? 2 : 1, isMobile: mobile, hasTouch: mobile, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  e.contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(`${e.baseUrl}/pages/login/index`);
  await fill(page, '用户名', username);
  await fill(page, '密码', PASSWORD);
  await tapButton(page, '登录');
  await page.waitForURL(/pages\/home/);
  return page;
}
