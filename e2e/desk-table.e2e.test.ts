import type { Page } from 'playwright-core';
import { fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, horizontalOverflow, shot, signIn, startE2E, type E2E } from './support/harness';

/**
 * Issue 13, the desk at 1280 px: the coordinator's queues and the department's inbox are tables, not the phone's
 * cards stretched — sortable columns (through the server's `sort`), keyset pages, filters above, row selection
 * with batch 交办 / 督办 / 签收, each one action (one transaction, one event) per ticket.
 */
let e: E2E;
let w: TicketWorld;
const pending: Record<string, string> = {};
const inbox: Record<string, string> = {};

async function screen(page: Page, name: string) {
  await page.waitForTimeout(300);
  await shot(page, name);
  expect(await horizontalOverflow(page)).toEqual([]);
}

/** The titles of the table's rows, top to bottom (the visible page only). */
async function rowTitles(page: Page, scope: string): Promise<string[]> {
  return page.locator(`${scope} .desk-table__row--body .desk-table__title`).evaluateAll((els) => els.map((el) => (el.textContent ?? '').replace('紧急', '').trim()));
}

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211351');
  // No routing rule for 项目建设: these wait in 待交办 (oldest first filed, so newest-first puts 桌面三 on top).
  for (const [i, title] of ['桌面一：施工许可办理', '桌面二：竣工验收排期', '桌面三：前期手续咨询'].entries()) {
    const t = await fileTicket(e.t, w.contact1, { categoryId: w.cat('项目建设'), title });
    expect(t.state).toBe('pending_dispatch');
    await e.t.db.query(`UPDATE ticket SET created_at = now() - make_interval(hours => $2) WHERE id = $1`, [t.id, 30 - i]);
    pending[title] = t.id;
  }
  // 人才用工 goes to 人社局 (staff1): three to sign for; the oldest filed has the nearest 签收 deadline.
  for (const [i, title] of ['收件一：招聘焊工', '收件二：招聘司机', '收件三：招聘质检员'].entries()) {
    const t = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title });
    expect(t.state).toBe('assigned');
    await e.t.db.query(`UPDATE ticket SET created_at = now() - make_interval(hours => $2), accept_due_at = now() + make_interval(hours => $3) WHERE id = $1`, [t.id, 30 - i, 10 + 10 * i]);
    inbox[title] = t.id;
  }
}, 90000);
afterAll(async () => {
  await e?.close();
});

describe('coordinator desk', () => {
  let desk: Page;
  beforeAll(async () => {
    desk = await signIn(e, w.coordinator.username, DESK);
  });

  it('shows 待交办 as a table, newest first, and dispatches two picked rows to one department', async () => {
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=dispatch`);
    const table = desk.locator('.co-desk .desk-table');
    await table.waitFor();
    await table.locator('.desk-table__row--body', { hasText: '桌面一' }).waitFor();
    expect(await table.locator('[role=columnheader]').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('编号'), expect.stringContaining('期限'), expect.stringContaining('提交时间')]));
    expect(await rowTitles(desk, '.co-desk')).toEqual(['桌面三：前期手续咨询', '桌面二：竣工验收排期', '桌面一：施工许可办理']);
    // No phone cards at the desk.
    expect(await desk.locator('.co-desk .ticket-card').count()).toBe(0);

    await table.locator('.desk-table__row--body', { hasText: '桌面一' }).locator('.desk-table__cell--check').click();
    await table.locator('.desk-table__row--body', { hasText: '桌面二' }).locator('.desk-table__cell--check').click();
    await desk.locator('.desk-batch__count', { hasText: '已选 2 件' }).waitFor();
    await desk.locator('.desk-batch taro-button-core, .desk-batch button', { hasText: '批量交办 2 件' }).click();
    await desk.locator('.desk-batch .choice-chips__chip', { hasText: /^金融办$/ }).click();
    await screen(desk, 'desk-coordinator-batch-dispatch');
    await desk.locator('.desk-batch taro-button-core, .desk-batch button', { hasText: '确认交办 2 件' }).click();
    await desk.locator('.desk-batch__note', { hasText: '已交办 2 件' }).waitFor();
    // The rows update: only 桌面三 still waits.
    await desk.waitForFunction(() => document.querySelectorAll('.co-desk .desk-table__row--body').length === 1);
    expect(await rowTitles(desk, '.co-desk')).toEqual(['桌面三：前期手续咨询']);
    await screen(desk, 'desk-coordinator-dispatched');

    const rows: { title: string; state: string; lead_department_id: string | null }[] = await e.t.db.query(`SELECT title, state, lead_department_id FROM ticket WHERE id = ANY($1::uuid[])`, [Object.values(pending)]);
    expect(Object.fromEntries(rows.map((r) => [r.title, r.state]))).toEqual({ '桌面一：施工许可办理': 'assigned', '桌面二：竣工验收排期': 'assigned', '桌面三：前期手续咨询': 'pending_dispatch' });
    expect(rows.filter((r) => r.lead_department_id === w.departments[1])).toHaveLength(2);
    const [ev] = await e.t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE ticket_id = ANY($1::uuid[]) AND action = 'dispatch'`, [Object.values(pending)]);
    expect(ev.n).toBe(2);
  });

  it('issues a 督办单 for every overdue row picked with the header check box', async () => {
    await e.t.db.query(`UPDATE ticket SET accept_due_at = now() - interval '1 day' WHERE id = ANY($1::uuid[])`, [[pending['桌面一：施工许可办理'], pending['桌面二：竣工验收排期']]]);
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=overdue`);
    const table = desk.locator('.co-desk .desk-table');
    await table.locator('.desk-table__row--body', { hasText: '桌面二' }).waitFor();
    await table.locator('.desk-table__row--body', { hasText: '桌面一' }).waitFor();
    expect(await table.locator('.desk-table__row--body').count()).toBe(2);
    // The overdue queue opens sorted by deadline (the server's `sort=deadline`).
    await table.locator('.desk-table__th--sorted', { hasText: '期限' }).waitFor();
    await table.locator('.desk-table__row--head .desk-table__cell--check').click();
    await desk.locator('.desk-batch__count', { hasText: '已选 2 件' }).waitFor();
    await desk.locator('.desk-batch taro-button-core, .desk-batch button', { hasText: '批量督办 2 件' }).click();
    await desk.locator('.desk-batch textarea').fill('请于两日内答复企业');
    await desk.locator('.desk-batch taro-button-core, .desk-batch button', { hasText: '下发督办单 2 件' }).click();
    await desk.locator('.desk-batch__note', { hasText: '已督办 2 件' }).waitFor();
    await desk.locator('.desk-batch__count').waitFor({ state: 'detached' });
    await screen(desk, 'desk-coordinator-supervised');
    const [s] = await e.t.db.query(`SELECT count(*)::int AS n FROM supervision WHERE ticket_id = ANY($1::uuid[])`, [Object.values(pending)]);
    expect(s.n).toBe(2);
    const [ev] = await e.t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE ticket_id = ANY($1::uuid[]) AND action = 'supervise' AND note = '请于两日内答复企业'`, [Object.values(pending)]);
    expect(ev.n).toBe(2);
  });
});

describe('department desk', () => {
  it('sorts by deadline or by submission through the server, and signs for two picked rows', async () => {
    const page = await signIn(e, w.staff1.username, DESK);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/tickets?')) asked.push(r.url());
    });
    await page.goto(`${e.baseUrl}/packages/department/pages/index/index?item=assigned`);
    const table = page.locator('.inbox--desk .desk-table');
    await table.locator('.desk-table__row--body', { hasText: '收件一' }).waitFor();
    // Nearest 签收 deadline first: 收件一 (10 h), 收件二 (20 h), 收件三 (30 h).
    expect(await rowTitles(page, '.inbox--desk')).toEqual(['收件一：招聘焊工', '收件二：招聘司机', '收件三：招聘质检员']);
    expect(asked.at(-1)).toContain('sort=deadline');
    await screen(page, 'desk-department-inbox');

    await table.locator('.desk-table__th', { hasText: '提交时间' }).click();
    await page.waitForFunction(() => document.querySelector('.inbox--desk .desk-table__th--sorted')?.textContent?.includes('提交时间'));
    await page.waitForFunction(() => (document.querySelector('.inbox--desk .desk-table__row--body .desk-table__title')?.textContent ?? '').includes('收件三'));
    expect(asked.at(-1)).toContain('sort=created');
    expect(await rowTitles(page, '.inbox--desk')).toEqual(['收件三：招聘质检员', '收件二：招聘司机', '收件一：招聘焊工']);
    await table.locator('.desk-table__th', { hasText: '期限' }).click();
    await page.waitForFunction(() => document.querySelector('.inbox--desk .desk-table__th--sorted')?.textContent?.includes('期限'));
    await page.waitForFunction(() => (document.querySelector('.inbox--desk .desk-table__row--body .desk-table__title')?.textContent ?? '').includes('收件一'));
    expect(asked.at(-1)).toContain('sort=deadline');

    await table.locator('.desk-table__row--body', { hasText: '收件一' }).locator('.desk-table__cell--check').click();
    await table.locator('.desk-table__row--body', { hasText: '收件二' }).locator('.desk-table__cell--check').click();
    await page.locator('.desk-batch__count', { hasText: '已选 2 件' }).waitFor();
    await screen(page, 'desk-department-picked');
    await page.locator('.desk-batch taro-button-core, .desk-batch button', { hasText: '签收选中的 2 件' }).click();
    await page.locator('.taro-model__confirm', { hasText: '签收' }).click();
    await page.locator('.desk-batch__note', { hasText: '已签收 2 件' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.inbox--desk .desk-table__row--body').length === 1);
    expect(await rowTitles(page, '.inbox--desk')).toEqual(['收件三：招聘质检员']);
    await screen(page, 'desk-department-accepted');
    const rows: { title: string; state: string }[] = await e.t.db.query(`SELECT title, state FROM ticket WHERE id = ANY($1::uuid[])`, [Object.values(inbox)]);
    expect(Object.fromEntries(rows.map((r) => [r.title, r.state]))).toEqual({ '收件一：招聘焊工': 'accepted', '收件二：招聘司机': 'accepted', '收件三：招聘质检员': 'assigned' });
    const [ev] = await e.t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE ticket_id = ANY($1::uuid[]) AND action = 'accept'`, [Object.values(inbox)]);
    expect(ev.n).toBe(2);
  });
});
