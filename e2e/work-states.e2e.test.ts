import type { Page } from 'playwright-core';
import type { SeedPerson } from '../server/test/factories';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, fill, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * docs/screens.md, dead ends and wrong states, in the H5 build against the real server: 调度中心 reachable from home
 * (coordinator on the desk, leader on the phone); the 待销号 queue with its home badge; 查找诉求 with filters (desk and
 * phone); a department that 退回s a ticket leaves its detail with a message and sees its list refreshed; a
 * "已答复，请确认" notice says what happened once the enterprise confirmed; 督办单 follow their ticket.
 */

let e: E2E;
let w: TicketWorld;
const CONFIRMED = '厂区道路破损影响货车通行';
const TO_RETURN = '申请稳岗补贴，不清楚流程';
const SIGNED = '急需招聘电工10名';
let confirmedId = '';
let returnedId = '';

async function screen(page: Page, name: string) {
  await page.waitForFunction(() => {
    const t = document.querySelector<HTMLElement>('.taro__toast');
    return !t || t.style.display === 'none' || t.style.opacity === '0';
  }, undefined, { timeout: 5000 });
  await page.waitForTimeout(400);
  await shot(page, name);
  expect(await horizontalOverflow(page)).toEqual([]);
}

async function confirmModal(page: Page, text: string) {
  const button = page.locator('.taro-model__confirm', { hasText: text });
  await button.waitFor();
  await button.click();
}

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211313');
  const api = apiAs(e.t);
  const act = async (id: string, segment: string, who: SeedPerson, body: object = {}) => {
    const cur = (await api('GET', `/tickets/${id}`, who)).json();
    const r = await api('POST', `/tickets/${id}/${segment}`, who, { version: cur.version, ...body });
    if (r.statusCode !== 200) throw new Error(`${segment}: ${r.statusCode} ${r.body}`);
  };
  // Confirmed by the enterprise: waits for 销号.
  const a = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: CONFIRMED, description: '厂区门前道路破损严重，货车进出困难。' });
  confirmedId = a.id;
  await act(a.id, 'accept', w.staff1);
  await act(a.id, 'reply', w.staff1, { outcome: 'solved', text: '已协调交通局修复路面' });
  await act(a.id, 'confirm', w.contact1, { verdict: 'basically_satisfied' });
  // Assigned to 人社局 with a 督办单: the department will send it back from its detail page.
  const b = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: TO_RETURN, description: '想申请稳岗补贴，不清楚申报流程和材料。' });
  returnedId = b.id;
  await act(b.id, 'supervise', w.coordinator, { note: '请尽快签收' });
  // Supervised, then signed for: its 督办单 is signed with it.
  const c = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: SIGNED, description: '新生产线投产，急需持证电工。' });
  await act(c.id, 'supervise', w.coordinator, { note: '请于今日签收' });
  await act(c.id, 'accept', w.staff1);
}, 120000);
afterAll(async () => {
  await e?.close();
});

describe('coordinator at the desk', () => {
  let desk: Page;
  beforeAll(async () => {
    desk = await signIn(e, w.coordinator.username, DESK);
  }, 60000);

  it('reaches 调度中心 from home', async () => {
    const hub = desk.locator('.nut-cell', { hasText: '调度中心' });
    await hub.waitFor();
    await hub.click();
    await desk.waitForURL(/coordinator\/pages\/index/);
    await desk.locator('.co-hub').getByText('本月与本年累计').waitFor();
    await desk.locator('.co-hub .nut-cell', { hasText: '人员与邀请码' }).waitFor();
    await desk.locator('.co-hub .nut-cell', { hasText: '交办规则' }).waitFor();
    await screen(desk, 'work-hub-from-home-desk');
  });

  it('finds the confirmed ticket in 待销号 (home badge 1) and closes it', async () => {
    await desk.goto(`${e.baseUrl}/pages/home/index`);
    const cell = desk.locator('.nut-cell', { hasText: '待销号' });
    await cell.locator('.count-badge', { hasText: '1' }).waitFor();
    await screen(desk, 'work-home-coordinator-desk');
    await cell.click();
    await desk.waitForURL(/kind=closing/);
    const item = desk.locator('.co-item', { hasText: CONFIRMED });
    await item.waitFor();
    await item.getByText('可以销号').waitFor();
    await screen(desk, 'work-closing-queue-desk');
    await item.locator('taro-button-core, button', { hasText: '销号' }).click();
    await confirmModal(desk, '确认销号');
    await desk.getByText('没有待销号的诉求').waitFor();
    const [row] = await e.t.db.query(`SELECT state FROM ticket WHERE id = $1`, [confirmedId]);
    expect(row.state).toBe('closed');
  });

  it('searches tickets by text, state and 超期', async () => {
    await desk.goto(`${e.baseUrl}/pages/home/index`);
    await desk.locator('.nut-cell', { hasText: '查找诉求' }).first().click();
    await desk.waitForURL(/ticket\/pages\/search/);
    const page = desk.locator('.search');
    await page.locator('.ticket-card').first().waitFor();
    expect(await page.locator('.ticket-card').count()).toBe(3);
    await fill(desk, '编号、企业名称或标题关键字', '电工');
    await tapButton(desk, '查找');
    await page.locator('.ticket-card', { hasText: SIGNED }).waitFor();
    await desk.waitForFunction(() => document.querySelectorAll('.search .ticket-card').length === 1);
    await screen(desk, 'work-search-desk');
    await page.locator('.search__clear').click();
    await page.locator('.choice-chips__chip', { hasText: '已销号' }).click();
    await page.locator('.ticket-card', { hasText: CONFIRMED }).waitFor();
    await desk.waitForFunction(() => document.querySelectorAll('.search .ticket-card').length === 1);
    await page.locator('.search__pick', { hasText: '只看超期' }).click();
    await page.getByText('没有符合条件的诉求').waitFor();
  });
});

describe('leader on the phone', () => {
  it('reaches 调度中心 from home', async () => {
    const p = await signIn(e, w.leader.username, PHONE);
    await p.locator('.nut-cell', { hasText: '调度中心' }).click();
    await p.waitForURL(/coordinator\/pages\/index/);
    await p.locator('.co-hub').getByText('本月与本年累计').waitFor();
    await screen(p, 'work-hub-leader-phone');
  });
});

describe('department on the phone', () => {
  let staff: Page;
  beforeAll(async () => {
    staff = await signIn(e, w.staff1.username, PHONE);
  }, 60000);

  it('searches by ticket text from home', async () => {
    await staff.locator('.nut-cell', { hasText: '查找诉求' }).click();
    await staff.waitForURL(/ticket\/pages\/search/);
    await fill(staff, '编号、企业名称或标题关键字', '稳岗');
    await tapButton(staff, '查找');
    await staff.locator('.search .ticket-card', { hasText: TO_RETURN }).waitFor();
    await staff.waitForFunction(() => document.querySelectorAll('.search .ticket-card').length === 1);
    await screen(staff, 'work-search-phone');
  });

  it('退回 from the detail: leaves the page with a message, and the inbox no longer lists it', async () => {
    await staff.goto(`${e.baseUrl}/pages/home/index`);
    await staff.locator('.nut-cell', { hasText: '待签收' }).click();
    await staff.waitForURL(/department\/pages\/index/);
    await staff.locator('.inbox .ticket-card', { hasText: TO_RETURN }).click();
    await staff.waitForURL(/ticket\/pages\/detail/);
    await tapButton(staff, '退回');
    await staff.waitForURL(/ticket\/pages\/action/);
    await fill(staff, '该事项属于', '稳岗补贴由就业服务中心办理');
    await tapButton(staff, '确认退回');
    await staff.locator('.taro-modal__content, .taro-model__content', { hasText: '已退回、改派或结束' }).first().waitFor();
    await screen(staff, 'work-detail-lost-access-phone');
    await confirmModal(staff, '返回列表');
    await staff.waitForURL(/department\/pages\/index/);
    await staff.locator('.inbox').getByText('没有待签收的诉求').waitFor();
    const [row] = await e.t.db.query(`SELECT state FROM ticket WHERE id = $1`, [returnedId]);
    expect(row.state).toBe('pending_dispatch');
  });

  it('督办单 follow their ticket: signed with it, closed with a reason when returned', async () => {
    await staff.goto(`${e.baseUrl}/packages/department/pages/supervisions/index`);
    await staff.locator('.sups').getByText('没有待签收的督办单').waitFor();
    await staff.locator('.segment-tabs__tab, .segment-tabs *', { hasText: '办理中' }).first().click();
    await staff.locator('.sup', { hasText: SIGNED }).waitFor();
    await staff.locator('.segment-tabs__tab, .segment-tabs *', { hasText: '已关闭' }).first().click();
    const closed = staff.locator('.sup', { hasText: TO_RETURN });
    await closed.getByText('诉求已被部门退回，督办单随之关闭').waitFor();
    expect(await closed.locator('taro-button-core, button').count()).toBe(0);
    await screen(staff, 'work-supervisions-closed-phone');
  });
});

describe('enterprise on the phone', () => {
  it('the 已答复，请确认 notice says it was confirmed instead of asking', async () => {
    const p = await signIn(e, w.contact1.username, PHONE);
    await p.goto(`${e.baseUrl}/packages/ticket/pages/notifications/index`);
    const item = p.locator('.notices__item', { hasText: '已答复，请确认' }).first();
    await item.waitFor();
    await item.locator('.notices__done', { hasText: '确认办理结果' }).waitFor();
    expect(await item.evaluate((el) => el.classList.contains('notices__item--unread'))).toBe(false);
    await screen(p, 'work-notice-settled-phone');
  });
});
