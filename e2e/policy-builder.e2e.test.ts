import type { Page } from 'playwright-core';
import { auth } from '../server/test/factories';
import { seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, PHONE, horizontalOverflow, shot, signIn, startE2E, type E2E } from './support/harness';

/**
 * Issue 14, second round: 咨询政策 goes to the issuing department and shows on the policy's desk view; 申请更正 from
 * the enterprise's own profile opens the 诉求 form prefilled (375 px); the coordinator builds and publishes a
 * questionnaire on the desk (1280 px) and the builder works on a phone (375 px).
 */

let e: E2E;
let w: TicketWorld;
let policyId: string;
const title = '中小企业研发费用补助';

const api = async (who: TicketWorld['coordinator'], method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) => {
  const res = await e.t.app.inject({ method, url: `/api/v1${url}`, headers: auth(e.t.app, who), ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};
const settle = (page: Page) => page.waitForTimeout(600);

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211197');
  // the ordinary rule for 政策兑现 names the first department; the policy is the second's (金融办)
  await e.t.db.query(`INSERT INTO routing_rule (district_id, category_id, lead_department_id) VALUES ($1,$2,$3)`, [w.districtId, w.cat('政策兑现'), w.departments[0]]);
  const e1 = w.enterprises[0].id;
  const prof = await api(w.coordinator, 'GET', `/enterprises/${e1}/profile`);
  await api(w.coordinator, 'PATCH', `/enterprises/${e1}/profile`, { version: prof.version, aboveScale: true, sizeClass: 'small', employees: 86 });
  const p = await api(w.coordinator, 'POST', '/policies', {
    title, departmentId: w.departments[1], benefitType: 'subsidy', mode: 'fast_application', summary: '对规模以上中小企业的研发投入按比例给予补助。',
    eligibility: { match: 'all', conditions: [{ field: 'above_scale', equals: true }] },
  });
  await api(w.coordinator, 'POST', `/policies/${p.id}/publish`, { version: p.version });
  policyId = p.id;
}, 120000);
afterAll(async () => {
  await e?.close();
});

it('enterprise (375 px): 咨询政策 lands at the issuing department; 申请更正 opens the 诉求 form prefilled', async () => {
  const page = await signIn(e, w.contact1.username, PHONE);
  await page.goto(`${e.baseUrl}/packages/policy/pages/detail/index?id=${policyId}`);
  await page.getByText('咨询政策（提交诉求）').click();
  await page.waitForURL(/enterprise\/pages\/new/);
  await page.getByText('咨询政策：将直接交由政策发文部门答复').waitFor();
  await page.getByText('资金申报', { exact: true }).click(); // 政策兑现 is chosen; its sub-category is the enterprise's pick
  await page.locator('textarea').first().fill('请问我公司研发投入两百万元，能否申请该补助？需要哪些材料？');
  await settle(page);
  await shot(page, 'policy-question-form-phone');
  expect(await horizontalOverflow(page)).toEqual([]);
  await page.locator('.ticket-form__submit').last().click();
  await page.waitForURL(/ticket\/pages\/detail/);
  const [tk] = await e.t.db.query(`SELECT title, lead_department_id, policy_id, state FROM ticket WHERE enterprise_id = $1`, [w.enterprises[0].id]);
  expect(tk).toEqual({ title: `咨询：${title}`, lead_department_id: w.departments[1], policy_id: policyId, state: 'assigned' });

  await page.getByText(`咨询：${title}`).first().waitFor(); // the detail has settled before leaving it

  // 惠企政策 → 本企业档案 → 申请更正
  await page.goto(`${e.baseUrl}/packages/policy/pages/list/index`);
  await page.locator('.pol-card', { hasText: title }).first().waitFor({ timeout: 40_000 });
  await page.getByText('本企业档案（信息有误可申请更正）').click();
  await page.waitForURL(/policy\/pages\/profile/);
  await page.getByText('申请更正', { exact: true }).waitFor();
  await settle(page);
  await shot(page, 'profile-enterprise-phone');
  await page.getByText('申请更正', { exact: true }).click();
  await page.waitForURL(/enterprise\/pages\/new/);
  const form = page.locator('.ticket-form').last();
  await form.locator('textarea').first().waitFor();
  for (let i = 0; i < 40 && (await form.locator('input').first().inputValue()) !== '企业档案更正申请'; i++) await page.waitForTimeout(250);
  expect(await form.locator('input').first().inputValue()).toBe('企业档案更正申请');
  const text = await form.locator('textarea').first().inputValue();
  expect(text).toContain('从业人数：86');
  expect(text).toContain('企业规模：小型');
  await settle(page);
  await shot(page, 'profile-correction-form-phone');
  expect(await horizontalOverflow(page)).toEqual([]);
  await page.locator('.ticket-form__submit').last().click();
  await page.waitForURL(/ticket\/pages\/detail/);
  const [c] = await e.t.db.query(`SELECT c.name FROM ticket t JOIN ticket_category c ON c.id = t.category_id WHERE t.title = '企业档案更正申请'`);
  expect(c.name).toBe('其他');
}, 120000);

it('coordinator desk (1280 px): builds a policy-feedback questionnaire, saves a draft, publishes; the policy lists its questions', async () => {
  const page = await signIn(e, w.coordinator.username, DESK);
  await page.locator('.nut-cell', { hasText: '问卷调查' }).click();
  await page.waitForURL(/policy\/pages\/surveys/);
  await page.locator('.svb-new').click();
  await page.waitForURL(/survey-editor/);
  await page.locator('.svb-title input').fill('研发费用补助政策执行情况反馈');
  await page.locator('.svb-intro textarea').fill('请您对该政策的制定及执行提出宝贵的意见。');
  await page.getByText('政策匹配企业（政策反馈）').click();
  await page.locator('.svb__pick').getByText(title).click();
  await page.locator('.svb-add__single').click();
  await page.locator('.svb-q__title input').first().fill('您是否已享受该政策？');
  await page.locator('.svb-add-option').click();
  const opts = page.locator('.svb-opt__input input');
  await opts.nth(0).fill('已享受');
  await opts.nth(1).fill('正在申请');
  await opts.nth(2).fill('未享受');
  await page.locator('.svb-opt').nth(2).getByText('上移').click(); // reorder: 未享受 before 正在申请
  await page.locator('.svb-add__rating').click();
  await page.locator('.svb-q__title input').nth(1).fill('对政策兑现速度的满意度');
  await page.locator('.svb-add__text').click();
  await page.locator('.svb-q__title input').nth(2).fill('意见和建议');
  await page.locator('.svb-q').nth(2).locator('.svb-req').click(); // 选答
  await page.getByText('保存草稿').click();
  await page.getByText('草稿已保存').first().waitFor();
  await page.waitForTimeout(1800); // let the toast go
  await shot(page, 'survey-builder-desk');
  const [draft] = await e.t.db.query(`SELECT id, status, anonymous, target, questions FROM survey WHERE district_id = $1`, [w.districtId]);
  expect(draft).toMatchObject({
    status: 'draft', anonymous: false, target: { kind: 'policy', ids: [policyId] },
    questions: [
      { id: 'q1', kind: 'single', title: '您是否已享受该政策？', options: ['已享受', '未享受', '正在申请'], required: true },
      { id: 'q2', kind: 'rating', title: '对政策兑现速度的满意度', required: true },
      { id: 'q3', kind: 'text', title: '意见和建议', required: false },
    ],
  });
  // remove an option, then publish (the draft is PATCHed, not created again)
  await page.locator('.svb-opt').nth(2).getByText('删除').click();
  await page.getByText('保存并发布').click();
  await page.waitForURL(/policy\/pages\/survey\/index/);
  const rows = await e.t.db.query(`SELECT status, questions->0->'options' AS options FROM survey WHERE district_id = $1`, [w.districtId]);
  expect(rows).toEqual([{ status: 'open', options: ['已享受', '未享受'] }]);

  await page.goto(`${e.baseUrl}/packages/policy/pages/detail/index?id=${policyId}`);
  await page.getByText('企业咨询（1）').waitFor();
  await page.getByText(`咨询：${title}`, { exact: false }).first().waitFor();
  await settle(page);
  await shot(page, 'policy-questions-desk');
}, 120000);

it('coordinator (375 px): the builder is usable on a phone; refused input is explained in Chinese', async () => {
  const page = await signIn(e, w.coordinator.username, PHONE);
  await page.goto(`${e.baseUrl}/packages/policy/pages/survey-editor/index`);
  await page.locator('.svb-title input').fill('企业满意度调查');
  await page.locator('.svb-add__multi').click();
  await page.getByText('保存草稿').click();
  await page.getByText('第1题：请填写题目').waitFor();
  await page.getByText('请完善标红的内容').waitFor();
  await page.locator('.svb-q__title input').first().fill('您希望获得哪些服务？');
  await page.locator('.svb-opt__input input').nth(0).fill('政策宣讲');
  await page.locator('.svb-opt__input input').nth(1).fill('融资对接');
  await page.getByText('指定属地企业').click();
  await page.locator('.svb__pick .choice-chips__chip').first().click();
  await page.getByText('保存草稿').click();
  await page.getByText('草稿已保存').first().waitFor();
  await page.waitForTimeout(1800); // let the toast go
  await shot(page, 'survey-builder-phone');
  expect(await horizontalOverflow(page)).toEqual([]);
  const [{ n }] = await e.t.db.query(`SELECT count(*)::int AS n FROM survey WHERE district_id = $1 AND status = 'draft' AND target->>'kind' = 'area'`, [w.districtId]);
  expect(n).toBe(1);
}, 120000);
