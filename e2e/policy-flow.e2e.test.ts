import type { Page } from 'playwright-core';
import { auth, seedDistrict, type World } from '../server/test/factories';
import { DESK, PHONE, horizontalOverflow, shot, signIn, startE2E, type E2E } from './support/harness';

/**
 * 政策直达 in the H5 build against the real server: the enterprise sees its matched policy with why and confirms
 * 免申即享 (375 px); the steward delivers it by phone in one tap (375 px); the coordinator's desk (1280 px) shows the
 * editor's live count as conditions change and the delivery figures by area.
 */

let e: E2E;
let w: World;
let policyId: string;
let surveyId: string;
const title = '专精特新中小企业一次性奖励';

const api = async (who: World['coordinator'], method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) => {
  const res = await e.t.app.inject({ method, url: `/api/v1${url}`, headers: auth(e.t.app, who), ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};

beforeAll(async () => {
  e = await startE2E();
  w = await seedDistrict(e.t.db, '211198');
  await api(w.coordinator, 'POST', '/libraries', { name: '重点企业培育库' });
  const e1 = w.enterprises[0].id;
  const prof = await api(w.coordinator, 'GET', `/enterprises/${e1}/profile`);
  await api(w.coordinator, 'PATCH', `/enterprises/${e1}/profile`, { version: prof.version, aboveScale: true, sizeClass: 'medium', employees: 180, industryDivision: '35' });
  await api(w.coordinator, 'POST', `/enterprises/${e1}/certifications`, { kind: 'specialized', certifiedOn: '2025-03-12', expiresOn: '2028-03-11' });
  const p = await api(w.coordinator, 'POST', '/policies', {
    title, departmentId: w.departments[0], docNo: '兴政发〔2026〕12号', benefitType: 'subsidy', mode: 'no_application',
    summary: '对有效期内的专精特新中小企业、且为规模以上企业的，给予一次性奖励30万元，免申即享。', contact: '工信局 0427-1234567',
    eligibility: { match: 'all', conditions: [{ field: 'certification', kind: 'specialized' }, { field: 'above_scale', equals: true }, { field: 'revenue_at_least', band: '20m_100m' }] },
  });
  // an `any` policy so the steward and figures have a met match regardless of revenue
  const q = await api(w.coordinator, 'POST', '/policies', {
    title: '规模以上企业稳岗补贴', departmentId: w.departments[0], benefitType: 'talent', mode: 'no_application', summary: '规模以上企业按人数给予稳岗补贴。',
    eligibility: { match: 'any', conditions: [{ field: 'above_scale', equals: true }] },
  });
  await api(w.coordinator, 'POST', `/policies/${p.id}/publish`, { version: p.version });
  await api(w.coordinator, 'POST', `/policies/${q.id}/publish`, { version: q.version });
  policyId = q.id;
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const sv = await api(w.coordinator, 'POST', '/surveys', {
    title: '惠企政策知晓度调查问卷', intro: '请您抽出3分钟填写。', anonymous: false, target: { kind: 'all' }, opensOn: today, closesOn: '2099-12-31',
    questions: [
      { id: 'q1', kind: 'single', title: '您是否了解本区出台的惠企政策？', options: ['非常了解', '基本了解', '不了解'], required: true },
      { id: 'q2', kind: 'rating', title: '对管家服务的满意度', required: true },
      { id: 'q3', kind: 'text', title: '请您对该政策的制定及执行提出宝贵的意见', required: false },
    ],
  });
  await api(w.coordinator, 'POST', `/surveys/${sv.id}/publish`, { version: sv.version });
  surveyId = sv.id;
}, 120000);
afterAll(async () => {
  await e?.close();
});

const settle = (page: Page) => page.waitForTimeout(500);

it('enterprise (375 px): 惠企政策 lists matches first with why, and confirms 免申即享', async () => {
  const page = await signIn(e, w.contact1.username, PHONE);
  await page.locator('.nut-cell', { hasText: '惠企政策' }).click();
  await page.waitForURL(/policy\/pages\/list/);
  const card = page.locator('.pol-card', { hasText: title });
  await card.waitFor();
  expect(await card.innerText()).toContain('符合：专精特新（2025-03 认定）、规模以上；待核实：上年营收');
  await settle(page);
  await shot(page, 'policy-enterprise-list');
  expect(await horizontalOverflow(page)).toEqual([]);
  await page.locator('.pol-card', { hasText: '规模以上企业稳岗补贴' }).click();
  await page.waitForURL(/policy\/pages\/detail/);
  await page.getByText('确认享受').click();
  await page.getByText('意愿确认：已确认享受').waitFor();
  await settle(page);
  await shot(page, 'policy-enterprise-detail');
  const [m] = await e.t.db.query(`SELECT confirmation, read_at FROM policy_match WHERE policy_id = $1 AND enterprise_id = $2`, [policyId, w.enterprises[0].id]);
  expect(m.confirmation).toBe('confirmed');
  expect(m.read_at).not.toBeNull();

  // 我的问卷: answer once (a draft until submitted)
  await page.goto(`${e.baseUrl}/packages/policy/pages/surveys/index`);
  await page.locator('.pol-card', { hasText: '惠企政策知晓度调查问卷' }).click();
  await page.waitForURL(/policy\/pages\/survey/);
  await page.getByText('提交问卷').click();
  await page.getByText('第1题为必答题').waitFor();
  await page.getByText('基本了解', { exact: true }).click();
  await page.getByText('4分', { exact: true }).click();
  await page.locator('textarea').first().fill('希望管家多上门讲解');
  await page.waitForTimeout(1800); // let the 请完成必答题 toast go
  await shot(page, 'survey-answer-phone');
  expect(await horizontalOverflow(page)).toEqual([]);
  await page.getByText('提交问卷').click();
  await page.getByText('贵企业已提交本问卷，感谢参与').waitFor();
  const rows = await e.t.db.query(`SELECT answers FROM survey_response WHERE survey_id = $1`, [surveyId]);
  expect(rows).toEqual([{ answers: { q1: 1, q2: 4, q3: '希望管家多上门讲解' } }]);
}, 120000);

it('steward (375 px): 送政策上门 in one tap, logged as a phone contact', async () => {
  const page = await signIn(e, w.steward.username, PHONE);
  await page.locator('.nut-cell', { hasText: '送政策上门' }).click();
  await page.waitForURL(/policy\/pages\/list/);
  await page.locator('.pol-card', { hasText: '规模以上企业稳岗补贴' }).waitFor();
  await settle(page);
  await shot(page, 'policy-steward-deliver');
  await page.locator('.pol-card', { hasText: '规模以上企业稳岗补贴' }).getByText('电话已送达').click();
  await page.locator('.pol-card', { hasText: '规模以上企业稳岗补贴' }).waitFor({ state: 'detached' });
  const [{ n }] = await e.t.db.query(`SELECT count(*)::int AS n FROM visit WHERE enterprise_id = $1 AND kind = 'phone' AND notes LIKE '送政策上门%'`, [w.enterprises[0].id]);
  expect(n).toBe(1);
}, 90000);

it('coordinator desk (1280 px): the editor counts matches live; figures by area', async () => {
  const page = await signIn(e, w.coordinator.username, DESK);
  await page.goto(`${e.baseUrl}/packages/policy/pages/editor/index`);
  await page.getByText('符合 2 家').waitFor();
  await page.locator('.pol-field', { hasText: '资质认定' }).getByText('专精特新', { exact: true }).click();
  await page.getByText('符合 1 家').waitFor();
  await settle(page);
  await shot(page, 'policy-editor-desk');
  await page.goto(`${e.baseUrl}/packages/policy/pages/detail/index?id=${policyId}`);
  await page.getByText('送达与兑现').waitFor();
  await settle(page);
  await shot(page, 'policy-figures-desk');
  const fig = await api(w.coordinator, 'GET', `/policies/${policyId}/figures`);
  expect(fig.total).toMatchObject({ matched: 1, read: 1, delivered: 1, confirmed: 1 });

  // 兑现 in 万元 → exact 元
  await page.locator('input[placeholder*="兑现金额"]').fill('1.2');
  await page.getByText('登记兑现').click();
  await page.getByText('已兑现 1.2万元').waitFor();
  const [r] = await e.t.db.query(`SELECT redeemed_amount::text AS a FROM policy_match WHERE policy_id = $1`, [policyId]);
  expect(r.a).toBe('12000');
  await settle(page);
  await shot(page, 'policy-figures-redeemed-desk');

  await page.goto(`${e.baseUrl}/packages/policy/pages/survey/index?id=${surveyId}`);
  await page.getByText('答卷 1 份').waitFor();
  await settle(page);
  await shot(page, 'survey-results-desk');

  await page.goto(`${e.baseUrl}/packages/policy/pages/profile/index?id=${w.enterprises[0].id}`);
  await page.getByText('资质认定').waitFor();
  await page.getByText('加入重点企业培育库').click();
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await page.getByText(`重点企业培育库 · ${today} 入库`).waitFor();
  await settle(page);
  await shot(page, 'profile-desk');
}, 120000);
