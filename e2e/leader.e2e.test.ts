import type { Page } from 'playwright-core';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, fill, horizontalOverflow, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * Issue 13, the leader at the desk (1280×800): 升级事项 opens on the levels that need a leader (3 县级帮扶责任人,
 * 4 协调会), with all levels one tap away; people management is neither offered nor reachable by URL.
 */
let e: E2E;
let w: TicketWorld;
let desk: Page;
const ids: Record<string, string> = {};
const titles = { two: '二级升级：部门协调用地指标', three: '三级升级：跨部门协调电力增容' };

async function screen(page: Page, name: string) {
  await page.waitForTimeout(300);
  await shot(page, name);
  expect(await horizontalOverflow(page)).toEqual([]);
}

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211331');
  const api = apiAs(e.t);
  for (const [level, title] of [[2, titles.two], [3, titles.three]] as const) {
    const t = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title });
    ids[level] = t.id;
    const r = await api('POST', `/tickets/${t.id}/escalate`, w.coordinator, { version: t.version, level, reason: '部门协调未果，需上级协调' });
    expect(r.statusCode).toBe(200);
  }
  desk = await signIn(e, w.leader.username, DESK);
}, 90000);
afterAll(async () => {
  await e?.close();
});

describe('leader', () => {
  it('sees the escalations that need a leader (levels 3–4) by default, all levels on request', async () => {
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=escalations`);
    await desk.getByText(titles.three).waitFor();
    await desk.locator('.co-queue__levels .choice-chips__chip', { hasText: '需领导协调' }).waitFor();
    expect(await desk.locator('body').innerText()).not.toContain(titles.two);
    await screen(desk, 'leader-escalations-desk');
    await desk.locator('.co-queue__levels .choice-chips__chip', { hasText: '全部升级事项' }).click();
    await desk.getByText(titles.two).waitFor();
    await desk.getByText(titles.three).waitFor();
  });

  it('writes a 批示 on a ticket; the department sees it highlighted, the enterprise does not', async () => {
    const detail = `${e.baseUrl}/packages/ticket/pages/detail/index?id=${ids[3]}`;
    await desk.goto(detail);
    await desk.getByText(titles.three).first().waitFor();
    await tapButton(desk, '批示');
    await desk.waitForURL(/ticket\/pages\/action.*kind=leader_instruction/);
    await desk.getByText('批示仅内部可见').waitFor();
    await fill(desk, '如：请供电公司', '请人社局三日内组织专场招聘，区就业中心配合');
    await screen(desk, 'leader-instruction-form-desk');
    await tapButton(desk, '提交批示');
    await desk.waitForURL(/ticket\/pages\/detail/);
    await desk.locator('.detail__instruction', { hasText: '请人社局三日内组织专场招聘' }).waitFor();

    const staff = await signIn(e, w.staff1.username, DESK);
    await staff.goto(detail);
    await staff.locator('.detail__instruction', { hasText: '请人社局三日内组织专场招聘' }).waitFor();
    await staff.locator('.timeline__item--instruction', { hasText: '领导批示' }).waitFor();
    await screen(staff, 'department-sees-instruction-desk');
    const [ev] = await e.t.db.query(`SELECT visibility, data ->> 'kind' AS kind FROM ticket_event WHERE ticket_id = $1 AND action = 'add_note'`, [ids[3]]);
    expect(ev).toEqual({ visibility: 'internal', kind: 'leader_instruction' });
    const mine = await apiAs(e.t)('GET', `/tickets/${ids[3]}`, w.contact1);
    expect(JSON.stringify(mine.json().timeline)).not.toContain('专场招聘');
  });

  it('is offered no people management, and the page refuses it', async () => {
    await desk.goto(`${e.baseUrl}/pages/home/index`);
    await desk.getByText('调度中心').first().waitFor();
    expect(await desk.locator('body').innerText()).not.toContain('人员与邀请码');
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/index/index`);
    await desk.getByText('走访督查').first().waitFor();
    expect(await desk.locator('body').innerText()).not.toContain('人员与邀请码');
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/people/index`);
    await desk.getByText('当前账号不能查看').waitFor();
    await screen(desk, 'leader-people-refused-desk');
    const r = await apiAs(e.t)('GET', '/people', w.leader);
    expect(r.statusCode).toBe(403);
  });
});
