import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, fill, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * Issue 13, each role's everyday tools in the browser: the enterprise's 剩余/已超期 N 个工作日 and 催办 (375 px),
 * 联系管家 and the searchable list, the steward's phone setting, the steward rating on the confirmation and its
 * place on the steward's detail for the coordinator; the department's 常用语, the extension preview's warning and
 * its own figures on home (375 and 1280 px).
 */
let e: E2E;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
const tk: Record<string, { id: string; no: string; title: string }> = {};

const step = async (id: string, segment: string, who: Parameters<typeof api>[2], body: object = {}) => {
  const cur = (await api('GET', `/tickets/${id}`, who)).json();
  const r = await api('POST', `/tickets/${id}/${segment}`, who, { version: cur.version, ...body });
  if (r.statusCode !== 200) throw new Error(`${segment}: ${r.statusCode} ${r.body}`);
};

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211333');
  api = apiAs(e.t);
  await e.t.db.query(`UPDATE person SET phone = '13900001111' WHERE id = $1`, [w.steward.id]);
  tk.late = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: '超期未办：招聘焊工' });
  await e.t.db.query(`UPDATE ticket SET accept_due_at = now() - interval '4 days', reply_due_at = now() - interval '3 days' WHERE id = $1`, [tk.late.id]);
  tk.open = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: '叉车司机培训补贴申请' });
  tk.replied = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: '招聘质检员已答复' });
  await step(tk.replied.id, 'accept', w.staff1);
  await step(tk.replied.id, 'reply', w.staff1, { outcome: 'solved', text: '已推荐质检员3名到岗' });
  tk.work = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: '延期试算：技工培训' });
  await step(tk.work.id, 'accept', w.staff1);
}, 120000);
afterAll(async () => {
  await e?.close();
});

describe('enterprise at 375 px', () => {
  it('reads 已超期 N 个工作日 and urges once; the button then says 今日已催办 and the timeline records it', async () => {
    const page = await signIn(e, w.contact1.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${tk.late.id}`);
    await page.locator('.detail__countdown', { hasText: /^答复已超期 \d+ 个工作日$/ }).waitFor();
    await page.locator('.detail__urge-button', { hasText: '催办' }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'enterprise-ticket-overdue-urge-phone');
    expect(await horizontalOverflow(page)).toEqual([]);
    expect((await page.locator('.detail__urge-button').boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await tapButton(page, '催办');
    await page.locator('.taro-model__confirm', { hasText: '催办' }).click();
    await page.locator('.detail__urge-button', { hasText: '今日已催办' }).waitFor();
    await page.locator('.timeline__title', { hasText: '企业催办' }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'enterprise-ticket-urged-phone');
    const [{ n }] = await e.t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE ticket_id = $1 AND action = 'urge'`, [tk.late.id]);
    expect(n).toBe(1);
    const told = await e.t.db.query(`SELECT person_id FROM notification WHERE entity_id = $1 AND kind = 'ticket.urge'`, [tk.late.id]);
    expect(told.map((x: { person_id: string }) => x.person_id).sort()).toEqual([w.staff1.id, w.steward.id].sort());
  }, 90000);

  it('reads 剩余 N 个工作日 on a ticket in time, with no 催办', async () => {
    const page = await signIn(e, w.contact1.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${tk.open.id}`);
    await page.locator('.detail__countdown', { hasText: /^答复(剩余 \d+ 个工作日|今天到期)$/ }).waitFor();
    expect(await page.locator('.detail__urge-button').count()).toBe(0);
    await shot(page, 'enterprise-ticket-countdown-phone');
  }, 60000);

  it('calls the steward from 我的诉求, and searches the list by title', async () => {
    const page = await signIn(e, w.contact1.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/enterprise/pages/index/index`);
    await page.locator('.steward-card-name', { hasText: '管家张' }).waitFor();
    const call = page.locator('.steward-card-call', { hasText: '联系管家' });
    await call.waitFor();
    expect((await call.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await page.getByText('超期未办：招聘焊工').first().waitFor();
    await fill(page, '搜索诉求编号或标题', '叉车');
    await tapButton(page, '搜索');
    await page.getByText('叉车司机培训补贴申请').first().waitFor();
    await page.getByText('超期未办：招聘焊工').first().waitFor({ state: 'detached' });
    await page.waitForTimeout(300);
    await shot(page, 'enterprise-list-search-steward-phone');
    expect(await horizontalOverflow(page)).toEqual([]);
    await fill(page, '搜索诉求编号或标题', '没有这样的诉求');
    await tapButton(page, '搜索');
    await page.getByText('没有找到与“没有这样的诉求”相关的诉求').waitFor();
  }, 60000);

  it('the steward hides the phone on 我的, and the enterprise then sees no call button', async () => {
    const steward = await signIn(e, w.steward.username, PHONE);
    await steward.goto(`${e.baseUrl}/pages/mine/index`);
    const toggle = steward.locator('.mine__setting', { hasText: '包保企业可以联系我' });
    await toggle.locator('.mine__toggle--on').waitFor();
    await toggle.click();
    await toggle.locator('.mine__toggle:not(.mine__toggle--on)').waitFor();
    await steward.waitForTimeout(500);
    await shot(steward, 'steward-mine-phone-hidden-phone');
    const [p] = await e.t.db.query(`SELECT phone_visible_to_enterprises AS v FROM person WHERE id = $1`, [w.steward.id]);
    expect(p.v).toBe(false);
    const page = await signIn(e, w.contact1.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/enterprise/pages/index/index`);
    await page.locator('.steward-card-hint', { hasText: '管家未公开手机号' }).waitFor();
    expect(await page.locator('.steward-card-call').count()).toBe(0);
    await e.t.db.query(`UPDATE person SET phone_visible_to_enterprises = true WHERE id = $1`, [w.steward.id]);
  }, 60000);

  it('rates the steward on the confirmation; the coordinator sees it on the steward\'s detail', async () => {
    const page = await signIn(e, w.contact1.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/ticket/pages/action/index?id=${tk.replied.id}&action=confirm`);
    await page.getByText('为管家管家张评分（选填）').waitFor();
    await page.locator('.choice-chips__chip', { hasText: /^满意$/ }).click();
    const rates = page.locator('.action-form__field--rating');
    await rates.nth(0).locator('.nut-rate-item').nth(4).click();
    await rates.nth(1).locator('.nut-rate-item').nth(3).click();
    await rates.nth(1).getByText('4 分').waitFor();
    await fill(page, '管家的服务怎么样', '管家跑前跑后，很负责');
    await rates.nth(1).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, 'enterprise-confirm-steward-rating-phone');
    expect(await horizontalOverflow(page)).toEqual([]);
    await tapButton(page, '提交评价');
    await page.waitForURL(/ticket\/pages\/detail/);
    await page.locator('.detail__state', { hasText: '企业已确认' }).waitFor();
    const rows = await e.t.db.query(`SELECT steward_id, rating, comment FROM steward_rating WHERE ticket_id = $1`, [tk.replied.id]);
    expect(rows).toEqual([{ steward_id: w.steward.id, rating: 4, comment: '管家跑前跑后，很负责' }]);

    const desk = await signIn(e, w.coordinator.username, PHONE);
    await desk.goto(`${e.baseUrl}/packages/stats/pages/steward/index?id=${w.steward.id}`);
    await desk.locator('.steward-detail__avg', { hasText: '4.00' }).waitFor();
    await desk.getByText('管家跑前跑后，很负责').waitFor();
    await desk.waitForTimeout(300);
    await shot(desk, 'coordinator-steward-ratings-phone');
  }, 90000);
});

describe('department', () => {
  it('keeps 常用语 and inserts one into the reply with one tap (375 px)', async () => {
    const page = await signIn(e, w.staff1.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/department/pages/phrases/index`);
    await page.getByText('还没有常用语').waitFor();
    await fill(page, '您反映的问题已收悉', '您好，您反映的问题已收悉，我局已安排专人办理。');
    await tapButton(page, '添加');
    await page.locator('.phrases__text', { hasText: '我局已安排专人办理' }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'department-phrases-phone');
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.goto(`${e.baseUrl}/packages/ticket/pages/action/index?id=${tk.work.id}&action=reply`);
    const chip = page.locator('.action-form__template', { hasText: '我局已安排专人办理' });
    await chip.waitFor();
    expect((await chip.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await chip.click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('textarea')).some((t) => t.value.includes('我局已安排专人办理')));
    await page.waitForTimeout(300);
    await shot(page, 'department-reply-template-phone');
    const [{ n }] = await e.t.db.query(`SELECT count(*)::int AS n FROM reply_template WHERE department_id = $1`, [w.departments[0]]);
    expect(n).toBe(1);
  }, 90000);

  it('shows the new date against today on the extension form and warns when it would still be overdue (375 px)', async () => {
    await e.t.db.query(`UPDATE ticket SET reply_clock_at = now() - interval '40 days', reply_due_at = now() - interval '30 days' WHERE id = $1`, [tk.work.id]);
    const page = await signIn(e, w.staff1.username, PHONE);
    await page.goto(`${e.baseUrl}/packages/ticket/pages/action/index?id=${tk.work.id}&action=request_extension`);
    await page.locator('.choice-chips__chip', { hasText: '2 个工作日' }).click();
    await page.getByText(/当前答复期限 .*，延期后为 /).waitFor();
    await page.locator('.action-form__extension-new', { hasText: /^今天 .*，延期后已超期 \d+ 个工作日$/ }).waitFor();
    await page.locator('.action-form__extension-warn', { hasText: '延期 2 个工作日后仍已超期' }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'department-extension-still-overdue-phone');
    expect(await horizontalOverflow(page)).toEqual([]);
  }, 60000);

  for (const [name, viewport] of [['phone', PHONE], ['desk', DESK]] as const) {
    it(`shows its own figures (超期, 按时办结率, 满意率) on home at ${viewport.width} px`, async () => {
      const page = await signIn(e, w.staff1.username, viewport);
      const card = page.locator('.dept-figures');
      await card.locator('.dept-figures__title', { hasText: '本部门办理情况' }).waitFor();
      for (const label of ['当前超期', '按时办结率', '满意率']) await card.locator('.dept-figures__label', { hasText: label }).waitFor();
      // The indicators' figures for the department (docs/metrics.md), drawn as they are: tk.late is overdue now
      // (and tk.work once the extension test has moved its clock).
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      const summary = (await api('GET', `/stats/summary?scope=department&scopeId=${w.departments[0]}&from=${today.slice(0, 4)}-01-01&to=${today}`, w.staff1)).json();
      expect(summary.tickets.overdue).toBeGreaterThanOrEqual(1);
      await card.locator('.dept-figures__item--alert .dept-figures__value', { hasText: new RegExp(`^${summary.tickets.overdue}$`) }).waitFor();
      const rate = (r: number | null) => (r === null ? '—' : `${r}%`);
      await card.locator('.dept-figures__value', { hasText: rate(summary.tickets.replyOnTimeRate) }).first().waitFor();
      await page.waitForTimeout(300);
      await shot(page, `department-home-figures-${name}`);
      expect(await horizontalOverflow(page)).toEqual([]);
    }, 60000);
  }
});
