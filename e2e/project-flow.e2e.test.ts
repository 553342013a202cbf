import type { BrowserContext, Page } from 'playwright-core';
import { shanghaiDate } from '@guanjia/shared';
import { auth, PASSWORD, seedDistrict, type SeedPerson, type World } from '../server/test/factories';
import { fill, horizontalOverflow, phone, shot, startE2E, tapButton, type E2E } from './support/harness';

/**
 * Key projects in the H5 build, against the real server and database: a steward opens 我的项目 from the work
 * bench (375 px), reads a project's detail and files the monthly 调度 in 万元 — stored as exact integer 元; the
 * coordinator's desk (1280 px) filters the project ledger by light and searches it.
 */

let e: E2E;
let w: World;
const TODAY = shanghaiDate(new Date());
const Y = Number(TODAY.slice(0, 4));
const LAST_MONTH = (() => {
  const [y, m] = TODAY.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
})();

async function createProject(who: SeedPerson, body: Record<string, unknown>) {
  const res = await e.t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth(e.t.app, who), payload: body });
  if (res.statusCode !== 201) throw new Error(`create project: ${res.statusCode} ${res.body}`);
  return res.json();
}

const base = () => ({
  enterpriseId: w.enterprises[0].id, areaId: w.areas[0], nature: '产业', levels: ['市重点'], kind: 'new', startYear: Y - 1, endYear: Y + 1,
  totalInvestment: '350000000', funding: [{ source: 'self_raised', amount: '250000000' }, { source: 'bank_loan', amount: '100000000' }],
  leaderId: w.leader.id, leadDepartmentId: w.departments[0], stewardIds: [w.steward.id], stageOn: `${Y - 1}-01-05`,
});

let green: { id: string; name: string };
let red: { id: string; name: string };

beforeAll(async () => {
  e = await startE2E();
  w = await seedDistrict(e.t.db, '211197');
  green = await createProject(w.coordinator, { ...base(), name: '年产10万吨新型环保建材项目', stage: 'started', plannedStartOn: `${Y - 1}-03-01` });
  red = await createProject(w.coordinator, { ...base(), name: '高端石油装备制造基地项目', stage: 'signed', plannedStartOn: `${Y - 1}-02-01` });
  // no annual plan for the green one: the schedule rule does not apply, whatever today's date
}, 90000);
afterAll(async () => {
  await e?.close();
});

async function login(page: Page, who: SeedPerson) {
  await page.goto(`${e.baseUrl}/pages/login/index`);
  await fill(page, '用户名', who.username);
  await fill(page, '密码', PASSWORD);
  await tapButton(page, '登录');
  await page.waitForURL(/pages\/home/);
}

describe('steward: 我的项目 and the monthly 调度 (375 px)', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ({ context, page } = await phone(e));
    await login(page, w.steward);
  }, 60000);
  afterAll(async () => context?.close().catch(() => undefined));

  it('opens 我的项目 from the work bench and sees lights, stages and money', async () => {
    await page.locator('.nut-cell', { hasText: '我的项目' }).click();
    await page.waitForURL(/project\/pages\/list/);
    await page.locator('.project-card', { hasText: green.name }).waitFor();
    await page.locator('.project-card', { hasText: red.name }).locator('.project-card__light--red').waitFor();
    expect(await page.locator('.project-card', { hasText: green.name }).innerText()).toContain('总投资3.5亿元');
    await page.waitForTimeout(300);
    await shot(page, 'project-mine');
    expect(await horizontalOverflow(page)).toEqual([]);
  });

  it('reads the detail and files the month in 万元, stored as exact 元', async () => {
    await page.locator('.project-card', { hasText: green.name }).click();
    await page.waitForURL(/project\/pages\/detail/);
    await page.getByText('项目节点').waitFor();
    await page.locator('.project__stage--current', { hasText: '开工' }).waitFor();
    await shot(page, 'project-detail');
    expect(await horizontalOverflow(page)).toEqual([]);
    await tapButton(page, '填报月度调度');
    await page.waitForURL(/project\/pages\/report/);
    await fill(page, '本月完成投资', '1234.5678');
    await fill(page, '主体结构', '主体结构施工至第5层');
    await shot(page, 'project-report-form');
    await tapButton(page, '提交调度信息');
    await page.waitForURL(/project\/pages\/detail/);
    const rows = await e.t.db.query(`SELECT year, month, amount::text AS amount, progress, reported_by FROM project_report WHERE project_id = $1`, [green.id]);
    expect(rows).toEqual([{ year: Number(LAST_MONTH.slice(0, 4)), month: Number(LAST_MONTH.slice(5)), amount: '12345678', progress: '主体结构施工至第5层', reported_by: w.steward.id }]);
  });

  it('shows the server’s refusal next to the field: the month is already reported', async () => {
    await page.goto(`${e.baseUrl}/packages/project/pages/report/index?id=${green.id}`);
    await fill(page, '本月完成投资', '1');
    await fill(page, '主体结构', '重复填报');
    await tapButton(page, '提交调度信息');
    await page.getByText(`${LAST_MONTH}的调度信息已填报`).waitFor();
  });
});

describe('coordinator desk: the project ledger (1280 px)', () => {
  it('filters by light and searches', async () => {
    const context = await e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    try {
      await login(page, w.coordinator);
      await page.locator('.nut-cell', { hasText: '项目台账' }).click();
      await page.waitForURL(/project\/pages\/list/);
      await page.locator('.project-card', { hasText: green.name }).waitFor();
      await page.locator('.segment-tabs__tab', { hasText: '红灯' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.project-card').length === 1);
      expect(await page.locator('.project-card').innerText()).toContain(red.name);
      await shot(page, 'project-ledger-desk-red');
      await page.locator('.segment-tabs__tab', { hasText: '全部' }).click();
      await fill(page, '搜索项目名称或编号', '建材');
      await page.locator('input[placeholder*="搜索项目名称"]').press('Enter');
      await page.locator('.project-card', { hasText: green.name }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('.project-card').length === 1);
      await shot(page, 'project-ledger-desk');
    } finally {
      await context.close();
    }
  });
});
