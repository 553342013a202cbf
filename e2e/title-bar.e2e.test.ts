import type { Page } from 'playwright-core';
import { fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { horizontalOverflow, PHONE, shot, signIn, startE2E, type E2E } from './support/harness';

/**
 * Issue 13 at 375 px: an H5 title bar with a back button on subpages (the mini-program has its native bar), and
 * tap targets at least 44 px high on the main screens — the buttons and list actions measured in the browser.
 */
let e: E2E;
let w: TicketWorld;

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211352');
  for (const title of ['标题栏一：招聘焊工', '标题栏二：招聘司机']) {
    const t = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title });
    expect(t.state).toBe('assigned');
  }
  // One waits for dispatch (no rule for 项目建设), so the coordinator's queue has an action bar.
  await fileTicket(e.t, w.contact1, { categoryId: w.cat('项目建设'), title: '标题栏三：施工许可' });
}, 90000);
afterAll(async () => {
  await e?.close();
});

/** Heights (CSS px) of the visible elements matching `selector`, with their text. */
async function heights(page: Page, selector: string): Promise<{ text: string; h: number }[]> {
  return page.locator(selector).evaluateAll((els) => els
    .filter((el) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed')
    .map((el) => ({ text: (el.textContent ?? '').trim().slice(0, 12), h: Math.round(el.getBoundingClientRect().height * 10) / 10 })));
}

function expectTall(list: { text: string; h: number }[], what: string) {
  expect(list.length).toBeGreaterThan(0);
  const small = list.filter((x) => x.h < 44);
  if (small.length) throw new Error(`${what} under 44 px: ${small.map((x) => `${x.text}=${x.h}`).join(', ')}`);
}

const bar = (page: Page) => page.locator('#taro-navigation-bar');

it('shows a title bar with a back button on a subpage, and going back returns home', async () => {
  const page = await signIn(e, w.staff1.username, PHONE);
  // Home (a tab page): the bar shows the title, with no back button.
  await page.locator('.work-cell', { hasText: '待签收' }).waitFor();
  await expect(bar(page).isVisible()).resolves.toBe(true);
  await expect(bar(page).locator('.taro-navigation-bar-back').isVisible()).resolves.toBe(false);

  await page.locator('.work-cell', { hasText: '待签收' }).click();
  await page.waitForURL(/department\/pages\/index/);
  await page.getByText('标题栏二：招聘司机').waitFor();
  const back = bar(page).locator('.taro-navigation-bar-back');
  await back.waitFor();
  const box = (await back.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(44);
  expect(box.width).toBeGreaterThanOrEqual(44);
  expect(box.y).toBeLessThan(10); // at the top of the screen
  await page.waitForTimeout(300);
  await shot(page, 'title-bar-department-inbox-phone');
  expect(await horizontalOverflow(page)).toEqual([]);

  // The ticket detail: a deeper subpage, same bar; back twice is home.
  await page.locator('.ticket-card', { hasText: '标题栏二' }).click();
  await page.waitForURL(/ticket\/pages\/detail/);
  await page.locator('.taro_page_show').last().getByText('标题栏二：招聘司机').first().waitFor();
  await back.waitFor();
  await page.waitForTimeout(400);
  await shot(page, 'title-bar-ticket-detail-phone');
  await back.click();
  await page.waitForURL(/department\/pages\/index/);
  await back.click();
  await page.waitForURL(/pages\/home/);
  await page.locator('.work-cell', { hasText: '待签收' }).waitFor();
  await expect(bar(page).locator('.taro-navigation-bar-back').isVisible()).resolves.toBe(false);
});

it('a subpage opened by its address offers the way home instead', async () => {
  const page = await signIn(e, w.staff1.username, PHONE);
  await page.goto(`${e.baseUrl}/packages/department/pages/supervisions/index`);
  const home = bar(page).locator('.taro-navigation-bar-home');
  await home.waitFor();
  expect((await home.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await home.click();
  await page.waitForURL(/pages\/home/);
});

it('keeps the tap targets of the main screens at least 44 px high', async () => {
  const staff = await signIn(e, w.staff1.username, PHONE);
  await staff.locator('.work-cell', { hasText: '待签收' }).waitFor();
  expectTall(await heights(staff, '.work-cell'), 'home work items');

  await staff.goto(`${e.baseUrl}/packages/department/pages/index/index?item=assigned`);
  await staff.getByText('标题栏二：招聘司机').waitFor();
  expectTall(await heights(staff, '.inbox__chip'), 'inbox filters');
  expectTall(await heights(staff, '.segment-tabs__tab'), 'inbox tabs');
  await staff.locator('.inbox__batch').click();
  await staff.locator('.inbox__batch-bar').waitFor();
  expectTall(await heights(staff, '.inbox__batch-bar .nut-button'), 'batch buttons');
  await staff.waitForTimeout(300);
  await shot(staff, 'tap-targets-department-inbox-phone');
  expect(await horizontalOverflow(staff)).toEqual([]);

  const co = await signIn(e, w.coordinator.username, PHONE);
  await co.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=dispatch`);
  await co.locator('.co-item', { hasText: '标题栏三' }).waitFor();
  expectTall(await heights(co, '.co-nav .choice-chips__chip'), 'queue switcher');
  expectTall(await heights(co, '.co-item .co-bar .nut-button'), 'queue actions');
  await co.waitForTimeout(300);
  await shot(co, 'tap-targets-coordinator-queue-phone');
  expect(await horizontalOverflow(co)).toEqual([]);
});
