import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { insertVisit, visitAt } from '../server/test/visit-helpers';
import { auth } from '../server/test/factories';
import { DESK, fill, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * The coordinator's desk in the H5 build, against the real server and database: a 诉求 routed to 人社局 is sent
 * back (退回) by that department; the coordinator finds it in 被退回 and 改派s it to 金融办, which then sees it.
 * Then people (a steward added with a WeChat invitation code) and assignments. Driven at a desk viewport
 * (1280×800); the same screens are also checked at the 375 px phone width.
 */

let e: E2E;
let w: TicketWorld;
let desk: Page;
let ticketId: string;
const TITLE = '招工难，急需电焊工';
const REASON = '企业诉求为贷款贴息，不属于本部门职能';



async function screen(page: Page, name: string) {
  await page.waitForTimeout(300);
  await shot(page, name);
  expect(await horizontalOverflow(page)).toEqual([]);
}

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211297');
  // An enterprise files a 人才用工 request: the rule sends it to 人社局 (departments[0]), whose staff returns it.
  const filed = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工') });
  ticketId = filed.id;
  expect(filed.state).toBe('assigned');
  expect(filed.leadDepartment.id).toBe(w.departments[0]);
  const returned = await apiAs(e.t)('POST', `/tickets/${ticketId}/return`, w.staff1, { version: filed.version, reason: REASON });
  expect(returned.statusCode).toBe(200);
  expect(returned.json().state).toBe('pending_dispatch');
  desk = await signIn(e, w.coordinator.username, DESK);
}, 90000);
afterAll(async () => {
  await e?.close();
});

describe('coordinator: returned ticket', () => {
  it('shows the queues with the returned ticket counted', async () => {
    // The home screen's work list already carries the badge.
    await desk.locator('.nut-cell', { hasText: '被退回' }).locator('.count-badge', { hasText: '1' }).waitFor();
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/index/index`);
    const tile = desk.locator('.co-hub__tile--returned');
    await tile.waitFor();
    await desk.waitForFunction(() => document.querySelector('.co-hub__tile--returned .co-hub__num')?.textContent === '1');
    await screen(desk, 'coordinator-hub-desk');
  });

  it('reassigns it from 被退回 to another department, which then sees it', async () => {
    await desk.locator('.co-hub__tile--returned').click();
    await desk.waitForURL(/coordinator\/pages\/queue/);
    const card = desk.locator('.co-item', { hasText: TITLE });
    await card.waitFor();
    await card.getByText(REASON).waitFor();
    await screen(desk, 'coordinator-returned-desk');

    await card.locator('taro-button-core, button', { hasText: '改派' }).click();
    await desk.waitForURL(/coordinator\/pages\/dispatch/);
    // H5 keeps the queue page hidden under this one: look inside the dispatch page only.
    const form = desk.locator('.co-dispatch');
    await form.locator('.co-dispatch__return', { hasText: REASON }).waitFor();
    await form.locator('.choice-chips__chip', { hasText: '人社局（已退回）' }).waitFor();
    await form.locator('.choice-chips__chip', { hasText: /^金融办$/ }).first().click();
    await fill(desk, '办理要求', '请金融办按贷款贴息政策办理');
    await screen(desk, 'coordinator-reassign-desk');
    await tapButton(desk, '确认改派');

    // Back in the queue, which no longer holds it.
    await desk.waitForURL(/coordinator\/pages\/queue/);
    await desk.getByText('没有被退回的诉求').waitFor();

    const [row] = await e.t.db.query(`SELECT state, lead_department_id, return_count FROM ticket WHERE id = $1`, [ticketId]);
    expect(row).toMatchObject({ state: 'assigned', lead_department_id: w.departments[1], return_count: 1 });
    const seenByNew = await apiAs(e.t)('GET', '/tickets', w.staff2);
    expect(seenByNew.json().items.map((t: { id: string }) => t.id)).toContain(ticketId);
    const detail = await apiAs(e.t)('GET', `/tickets/${ticketId}`, w.staff2);
    expect(detail.json().availableActions).toContain('accept');
  });
});

describe('coordinator: people and assignments', () => {
  it('adds a steward with a WeChat invitation code', async () => {
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/people/index`);
    await desk.locator('.co-people__person', { hasText: '调度员王' }).waitFor();
    await tapButton(desk, '新增人员');
    await fill(desk, '请输入姓名', '管家周');
    await desk.locator('.co-form .choice-chips__chip', { hasText: /^管家$/ }).click();
    await fill(desk, '如 项目管家', '项目管家');
    await tapButton(desk, '保存人员');
    await desk.locator('.co-people__created', { hasText: '管家周' }).waitFor();
    const shown = /邀请码 ([A-Z2-9]{8})/.exec(await desk.locator('.co-people__created').innerText())?.[1];
    expect(shown).toMatch(/^[A-Z2-9]{8}$/);
    // only its hash is stored; the code is shown this once, to the issuer
    const [p] = await e.t.db.query(`SELECT roles, title, invitation_hash FROM person WHERE name = '管家周' AND district_id = $1`, [w.districtId]);
    expect(p.roles).toEqual(['steward']);
    expect(p.invitation_hash).toBe(crypto.createHash('sha256').update(shown!).digest('hex'));
    await screen(desk, 'coordinator-people-desk');
    await desk.reload();
    await desk.locator('.co-people__person', { hasText: '管家周' }).waitFor();
    expect(await desk.locator('body').innerText()).not.toContain(shown!);
  });

  it('lists assignments', async () => {
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/assignments/index`);
    await desk.locator('.co-card', { hasText: w.enterprises[0].name }).waitFor();
    await screen(desk, 'coordinator-assignments-desk');
  });
});

describe('coordinator screens at 375 px', () => {
  it('keeps the queues, people and assignments inside a phone screen', async () => {
    const page = await signIn(e, w.coordinator.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/coordinator/pages/index/index`);
    await page.waitForFunction(() => document.querySelector('.co-hub__tile--dispatch .co-hub__num')?.textContent === '0');
    await screen(page, 'coordinator-hub');
    await page.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=overdue`);
    await page.getByText('没有超期的诉求').waitFor();
    await page.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=returned`);
    await page.getByText('没有被退回的诉求').waitFor();
    await screen(page, 'coordinator-queue');
    await page.goto(`${e.baseUrl}/packages/coordinator/pages/people/index`);
    await page.locator('.co-people__person', { hasText: '管家周' }).waitFor();
    await screen(page, 'coordinator-people');
    await page.goto(`${e.baseUrl}/packages/coordinator/pages/assignments/index`);
    await page.locator('.co-card', { hasText: w.enterprises[0].name }).waitFor();
    await screen(page, 'coordinator-assignments');
  });
});

describe('coordinator: every screen opens', () => {
  it('renders the other queues and the configuration screens without a script error', async () => {
    const errors: string[] = [];
    desk.on('pageerror', (err) => errors.push(err.message));
    const visit = async (path: string, text: string | RegExp, name?: string) => {
      await desk.goto(`${e.baseUrl}/packages/coordinator/pages/${path}`);
      await desk.getByText(text).first().waitFor();
      if (name) await screen(desk, name);
    };
    await visit('queue/index?kind=extensions', '没有待审批的延期申请');
    await visit('queue/index?kind=escalations', '没有升级的事项');
    await visit('supervisions/index', '没有这一类的督办单');
    await visit('followups/index', '没有待回访的任务');
    await visit('categories/index', '招工用工', 'coordinator-categories-desk');
    await visit('rules/index', '交给 人社局', 'coordinator-rules-desk');
    await visit('calendar/index', /放假 \d+ 天/, 'coordinator-calendar-desk');
    await visit('departments/index', '金融办');
    await visit('areas/index', `经济开发区211297`);
    await visit(`meeting/index?id=${ticketId}`, '记录协调会');
    expect(errors).toEqual([]);
  });
});

describe('coordinator: 走访督查', () => {
  it.each([['desk', DESK], ['phone', PHONE]] as const)('走访逾期: five pending enterprises per steward, the rest counted (等 N 家) (%s)', async (name, viewport) => {
    // A steward with seven enterprises and no contact this month: all seven due under the default monthly rule.
    const tag = name === 'desk' ? '甲' : '乙'; // no Latin on screen (the raw-text check)
    const [steward] = await e.t.db.query(
      `INSERT INTO person (district_id, username, name, roles, password_hash) VALUES ($1, $2, '管家逾期${tag}', '{steward}', 'x') RETURNING id`,
      [w.districtId, `overdue-${name}-${crypto.randomUUID().slice(0, 8)}`],
    );
    for (let i = 0; i < 7; i++) {
      const [ent] = await e.t.db.query(
        `INSERT INTO enterprise (district_id, area_id, name, credit_code) VALUES ($1, $2, $3, $4) RETURNING id`,
        [w.districtId, w.areas[0], `逾期企业${tag}${i}`, `ZZ${crypto.randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`],
      );
      await e.t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1, $2, $3, '2026-01-01')`, [w.districtId, steward.id, ent.id]);
    }
    const page = name === 'desk' ? desk : await signIn(e, w.coordinator.username, viewport);
    await page.goto(`${e.baseUrl}/packages/coordinator/pages/visits/index`);
    await page.locator('.choice-chips__chip', { hasText: '走访逾期' }).click();
    const card = page.locator('.co-card', { hasText: `管家逾期${tag}` });
    const pending = card.locator('.co-visits__pending');
    await pending.waitFor();
    const text = await pending.innerText();
    expect(text.match(new RegExp(`逾期企业${tag}\\d`, 'g'))?.length).toBe(5);
    expect(text).toContain('等 7 家');
    await card.scrollIntoViewIfNeeded();
    await screen(page, `coordinator-visits-overdue-${name}`);
    expect(await horizontalOverflow(page)).toEqual([]);
  });

  it('reviews an 外勤 check-in', async () => {
    const visitId = await insertVisit(e.t.db, {
      districtId: w.districtId, stewardId: w.steward.id, enterpriseId: w.enterprises[0].id, kind: 'onsite', at: new Date(), insideFence: false,
      point: { lat: 41.118, lng: 121.1 },
    });
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/visits/index`);
    const card = desk.locator('.co-card', { hasText: w.enterprises[0].name });
    await card.locator('.co-tag', { hasText: '外勤' }).waitFor();
    await screen(desk, 'coordinator-visits-desk');
    await card.locator('taro-button-core, button', { hasText: '处理' }).click();
    await fill(desk, '复核说明', '已电话核实，企业在城东新厂区');
    await card.locator('taro-button-core, button', { hasText: '复核通过' }).click();
    await desk.getByText('没有待复核的异常签到').waitFor();
    const [v] = await e.t.db.query(`SELECT reviewed_at, review_note FROM visit WHERE id = $1`, [visitId]);
    expect(v.reviewed_at).not.toBeNull();
    expect(v.review_note).toBe('已电话核实，企业在城东新厂区');
  });

  it('shows the check-in photo and rejects (驳回) with a reason (issue 13)', async () => {
    // A real JPEG drawn by the browser, so the reviewer's thumbnail actually decodes.
    const dataUrl = await desk.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 320;
      c.height = 240;
      const g = c.getContext('2d')!;
      g.fillStyle = '#6b8fb3';
      g.fillRect(0, 0, 320, 240);
      g.fillStyle = '#e8c070';
      g.fillRect(40, 90, 240, 120);
      return c.toDataURL('image/jpeg', 0.9);
    });
    const photo = Buffer.from(dataUrl.split(',')[1], 'base64');
    const checkIn = await visitAt(e.t.app, w.steward, w.enterprises[0].id, { lat: 41.2, lng: 121.1, datum: 'wgs84' }, { photo });
    expect(checkIn.statusCode).toBe(200);
    const visitId = checkIn.json().id as string;
    expect((await e.t.app.inject({ method: 'POST', url: `/api/v1/visits/${visitId}/check-out`, headers: auth(e.t.app, w.steward), payload: {} })).statusCode).toBe(200);

    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/visits/index`);
    const card = desk.locator('.co-card', { has: desk.locator('.co-visits__photo') });
    await card.locator('.co-visits__img .auth-image__img').waitFor();
    await card.locator('taro-button-core, button', { hasText: '处理' }).click();
    await card.locator('taro-button-core, button', { hasText: '驳回' }).waitFor();
    await screen(desk, 'coordinator-visit-review-desk');
    // Without a reason the server refuses, in Chinese, and nothing changes.
    await card.locator('taro-button-core, button', { hasText: '驳回' }).click();
    await card.getByText('驳回签到须填写理由').waitFor();
    await fill(desk, '复核说明', '照片为室外街景，位置与企业不符');
    await card.locator('taro-button-core, button', { hasText: '驳回' }).click();
    await desk.getByText('没有待复核的异常签到').waitFor();
    const [v] = await e.t.db.query(`SELECT status, review_note FROM visit WHERE id = $1`, [visitId]);
    expect(v).toEqual({ status: 'rejected', review_note: '照片为室外街景，位置与企业不符' });
  });
});
