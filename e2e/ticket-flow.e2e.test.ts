import type { BrowserContext, Page } from 'playwright-core';
import { PASSWORD, tokenFor, type SeedPerson } from '../server/test/factories';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { fill, horizontalOverflow, phone, shot, startE2E, tapButton, type E2E } from './support/harness';

/**
 * The 诉求 loop in the H5 build at a phone viewport, each role in its own browser context, against the real server
 * and database: an enterprise contact files a request with a photo → a routing rule assigns it to 人社局 → the
 * department's staff accept and reply → the enterprise confirms 满意 → the coordinator closes it (销号).
 */

let e: E2E;
let w: TicketWorld;
const TITLE = '招工难，急需电焊工';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211299');
}, 60000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await e?.close();
});

/** A phone whose storage already holds the person's session (what a login leaves), to skip the login screen. */
async function signedInPhone(who: SeedPerson): Promise<Page> {
  const { context, page } = await phone(e);
  contexts.push(context);
  const token = tokenFor(e.t.app, who);
  const me = await e.t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  const session = { 'auth.tokens': { accessToken: token, refreshToken: 'unused-in-this-test' }, 'auth.user': me.json() };
  await context.addInitScript((entries) => {
    // Taro's H5 storage wraps each value as {"data": value}.
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, JSON.stringify({ data: v }));
  }, session);
  return page;
}

/** Saves the screenshot and holds the screen to the 375 px layout rule. */
async function screen(page: Page, name: string) {
  // Let a success toast fade and images settle: the screenshot shows the screen, not the transition.
  await page.waitForFunction(() => {
    const t = document.querySelector<HTMLElement>('.taro__toast');
    return !t || t.style.display === 'none' || t.style.opacity === '0';
  }, undefined, { timeout: 5000 });
  await page.waitForTimeout(300);
  await shot(page, name);
  expect(await horizontalOverflow(page)).toEqual([]);
}

/** Confirms Taro's H5 modal (showModal) with its confirm button. */
async function confirmModal(page: Page, text: string) {
  const button = page.locator('.taro-model__confirm', { hasText: text });
  await button.waitFor();
  await button.click();
}

/** A real PNG (the server checks magic bytes) drawn by the browser: a "site photo" with Chinese text. */
async function photoPng(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 480;
    c.height = 360;
    const g = c.getContext('2d')!;
    g.fillStyle = '#4a7bb7';
    g.fillRect(0, 0, 480, 360);
    g.fillStyle = '#f2c14e';
    g.fillRect(60, 180, 360, 120);
    g.fillStyle = '#ffffff';
    g.font = '40px sans-serif';
    g.fillText('车间现场', 150, 120);
    return c.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

async function ticketRow() {
  const [row] = await e.t.db.query(
    `SELECT id, no, state, lead_department_id, routing_rule_id, verdict, rating, closed_at FROM ticket WHERE district_id = $1 AND title = $2`,
    [w.districtId, TITLE],
  );
  return row as { id: string; no: string; state: string; lead_department_id: string; routing_rule_id: string; verdict: string | null; rating: number | null; closed_at: Date | null };
}

describe('诉求 end to end at 375 px', () => {
  let enterprise: Page;
  let ticketId: string;

  it('an enterprise contact logs in and files a request with a photo; a routing rule assigns it to 人社局', async () => {
    const ctx = await phone(e);
    contexts.push(ctx.context);
    enterprise = ctx.page;
    await enterprise.goto(`${e.baseUrl}/pages/login/index`);
    await fill(enterprise, '用户名', w.contact1.username);
    await fill(enterprise, '密码', PASSWORD);
    await tapButton(enterprise, '登录');
    await enterprise.waitForURL(/pages\/home/);
    await enterprise.getByText('企业联系人甲').first().waitFor();
    await enterprise.getByText('我的诉求').first().waitFor();

    await enterprise.locator('.nut-cell', { hasText: '提交诉求' }).first().click();
    await enterprise.waitForURL(/enterprise\/pages\/new/);
    // Sending an empty form: each problem next to its field, in Chinese.
    await tapButton(enterprise, '提交诉求');
    await enterprise.getByText('请选择诉求类别').waitFor();
    await enterprise.getByText('请用一句话概括问题（至少 2 个字）').waitFor();
    await enterprise.getByText('请把问题描述清楚（至少 5 个字）').waitFor();

    await enterprise.locator('.choice-chips__chip', { hasText: '人才用工' }).first().click();
    await enterprise.locator('.choice-chips__chip', { hasText: '招工用工' }).click();
    await fill(enterprise, '一句话概括问题', TITLE);
    await fill(enterprise, '请说明遇到的问题', '企业扩产，急需招聘熟练电焊工20名，本地招聘困难，希望人社部门协助对接劳务资源。');

    const png = await photoPng(enterprise);
    const chooser = enterprise.waitForEvent('filechooser');
    await enterprise.locator('.attachment-picker__add').click();
    // On a phone Taro asks camera or album first.
    const sheet = enterprise.getByText('从相册选择');
    if (await sheet.isVisible().catch(() => false)) await sheet.click();
    await (await chooser).setFiles({ name: '车间.png', mimeType: 'image/png', buffer: png });
    await enterprise.locator('.attachment-picker__item img, .attachment-picker__item .auth-image__img').first().waitFor();

    // The form is a draft on the phone: a reload (the app closed, the signal lost) brings everything back,
    // the uploaded photo included.
    await enterprise.reload();
    await enterprise.getByText('已恢复上次未提交的内容').waitFor();
    expect(await enterprise.locator('input[placeholder*="一句话概括问题"]').inputValue()).toBe(TITLE);
    await enterprise.locator('.attachment-picker__item .auth-image__img').first().waitFor();
    await enterprise.locator('.ticket-form__section', { hasText: '紧急程度' }).scrollIntoViewIfNeeded();
    await screen(enterprise, 'enterprise-file-form');

    // A weak network: the first answer is lost after the server filed it. The app retries with the same
    // Idempotency-Key and gets the stored answer — one ticket, not two.
    const keys: string[] = [];
    await enterprise.route('**/api/v1/tickets', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await tapButton(enterprise, '提交诉求');
    await enterprise.waitForURL(/ticket\/pages\/detail/);
    await enterprise.unroute('**/api/v1/tickets');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    await enterprise.getByText('已交办').first().waitFor();
    await enterprise.getByText('自动交办').first().waitFor();
    // The enterprise reads that its request was received and routed, not the office's routing rule (docs/screens.md).
    await enterprise.getByText('已受理，已交承办部门办理').first().waitFor();
    expect(await enterprise.locator('.detail').last().innerText()).not.toContain('按交办规则');

    const row = await ticketRow();
    ticketId = row.id;
    // Just filed (issue 13): the 受理编号 and the promised reply date come first.
    const filed = enterprise.locator('.detail__filed');
    await filed.getByText('提交成功').waitFor();
    await expect(filed.locator('.detail__filed-no').innerText()).resolves.toBe(row.no);
    const [due] = await e.t.db.query(`SELECT to_char(reply_due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d FROM ticket WHERE id = $1`, [row.id]);
    await expect(filed.locator('.detail__filed-promise').innerText()).resolves.toContain(`承诺于 ${due.d}`);
    // The step bar: 提交 done, 交办 reached (auto-assigned), the rest ahead.
    await expect(enterprise.locator('.detail__step--done').allInnerTexts()).resolves.toEqual([expect.stringContaining('提交')]);
    await expect(enterprise.locator('.detail__step--current').innerText()).resolves.toContain('交办');
    await expect(enterprise.locator('.detail__step').count()).resolves.toBe(7);
    await enterprise.evaluate(() => window.scrollTo(0, 0));
    await shot(enterprise, 'enterprise-filed-success');
    expect(row.state).toBe('assigned');
    expect(row.lead_department_id).toBe(w.departments[0]);
    expect(row.routing_rule_id).toBe(w.rules.hr);
    const atts = await e.t.db.query(`SELECT kind, mime FROM ticket_attachment WHERE ticket_id = $1`, [row.id]);
    expect(atts).toEqual([{ kind: 'image', mime: 'image/png' }]);
    // The photo is shown on the detail (downloaded with the token, not a broken image).
    await enterprise.locator('.attachments .auth-image__img').first().waitFor();

    // Filing the same problem again: the open request is pointed out before anything is sent.
    await enterprise.goto(`${e.baseUrl}/packages/enterprise/pages/new/index`);
    await enterprise.locator('.choice-chips__chip', { hasText: '人才用工' }).first().click();
    await enterprise.locator('.choice-chips__chip', { hasText: '招工用工' }).click();
    await fill(enterprise, '一句话概括问题', '还是招不到电焊工');
    await fill(enterprise, '请说明遇到的问题', '企业扩产，急需招聘熟练电焊工20名，本地招聘困难，希望人社部门协助对接劳务资源。');
    await tapButton(enterprise, '提交诉求');
    await enterprise.getByText('发现您近期提交过内容相近').waitFor();
    await enterprise.locator('.ticket-form__dup', { hasText: TITLE }).waitFor();
    await enterprise.locator('.ticket-form__dups').scrollIntoViewIfNeeded();
    await screen(enterprise, 'enterprise-possible-duplicates');
    const [{ n }] = await e.t.db.query(`SELECT count(*)::int AS n FROM ticket WHERE enterprise_id = $1`, [w.enterprises[0].id]);
    expect(n).toBe(1);

    await enterprise.goto(`${e.baseUrl}/packages/enterprise/pages/index/index?item=mine`);
    await enterprise.getByText(TITLE).first().waitFor();
    await enterprise.getByText('答复期限').first().waitFor(); // the enterprise waits for the reply, not the 签收
    await screen(enterprise, 'enterprise-my-requests');
  }, 120000);

  it('the department staff see it in the inbox (an overdue one above it, in red), accept it and reply', async () => {
    // Another enterprise's request whose accept deadline passed two days ago: the inbox puts it first, in red.
    const late = await fileTicket(e.t, w.contact2, { categoryId: w.cat('人才用工/技能培训'), title: '技能培训补贴迟迟未到账', description: '去年组织的电工技能培训补贴至今未到账，请协助查询。' });
    await e.t.db.query(`UPDATE ticket SET accept_due_at = now() - interval '2 days', created_at = now() - interval '5 days' WHERE id = $1`, [late.id]);

    const staff = await signedInPhone(w.staff1);
    await staff.goto(`${e.baseUrl}/pages/home/index`);
    await staff.locator('.nut-cell', { hasText: '待签收' }).locator('.count-badge', { hasText: '2' }).waitFor();
    await staff.locator('.nut-cell', { hasText: '待签收' }).click();
    await staff.waitForURL(/department\/pages\/index/);
    await staff.getByText(TITLE).first().waitFor();
    await staff.locator('.inbox__dept', { hasText: '人社局' }).waitFor(); // the inbox's own heading (home stays hidden in the DOM)
    expect(await staff.locator('.ticket-card__title').allInnerTexts()).toEqual(['技能培训补贴迟迟未到账', TITLE]);
    await staff.locator('.ticket-card--overdue', { hasText: '签收已超期 2 天' }).waitFor();
    await staff.getByText('1 件已超期，请优先办理').waitFor();
    await screen(staff, 'department-inbox');

    await staff.locator('.ticket-card', { hasText: TITLE }).click();
    await staff.waitForURL(/ticket\/pages\/detail/);
    // Exactly the machine's actions for the lead department on an assigned ticket: 签收 and 退回.
    await staff.locator('.action-panel__button').first().waitFor();
    expect(await staff.locator('.action-panel__button').allInnerTexts()).toEqual(['签收', '退回']);
    await tapButton(staff, '签收');
    await confirmModal(staff, '签收');
    await staff.locator('.detail__state', { hasText: '已签收' }).waitFor();
    expect((await ticketRow()).state).toBe('accepted');
    // Accepted: the lead department may now note progress, ask for information, ask for time, reply, escalate.
    expect((await staff.locator('.action-panel__button').allInnerTexts()).sort()).toEqual(['退回', '办理进展', '请企业补充材料', '申请延期', '答复', '升级'].sort());
    await screen(staff, 'department-ticket-detail');

    await tapButton(staff, '答复');
    await staff.waitForURL(/ticket\/pages\/action/);
    await staff.locator('.choice-chips__chip', { hasText: '已解决' }).click();
    await fill(staff, '写明办理情况和结果', '已对接县人力资源市场，推荐20名持证电焊工，企业已面试录用18名。');
    await screen(staff, 'department-reply-form');
    await tapButton(staff, '提交答复');
    await staff.waitForURL(/ticket\/pages\/detail/);
    await staff.locator('.detail__state', { hasText: '已答复' }).waitFor();
    await staff.getByText('答复：已解决').first().waitFor();
    expect((await ticketRow()).state).toBe('replied');
  }, 120000);

  it('the enterprise sees badges and notifications, the public timeline, and confirms it satisfied with 5 stars', async () => {
    await enterprise.goto(`${e.baseUrl}/pages/home/index`);
    await enterprise.locator('.nut-cell', { hasText: '待我确认' }).locator('.count-badge', { hasText: '1' }).waitFor();
    await enterprise.locator('.nut-cell', { hasText: '消息通知' }).locator('.count-badge').waitFor();
    await screen(enterprise, 'enterprise-home');
    await enterprise.locator('.nut-cell', { hasText: '消息通知' }).click();
    await enterprise.getByText('已答复，请确认').first().waitFor();
    await screen(enterprise, 'enterprise-notifications');
    await enterprise.locator('.notices__item', { hasText: '已答复，请确认' }).click();
    await enterprise.waitForURL(/ticket\/pages\/detail/);
    await enterprise.locator('.detail__state', { hasText: '已答复' }).waitFor();
    await screen(enterprise, 'enterprise-ticket-replied');
    expect(await enterprise.locator('.action-panel__button').allInnerTexts()).toEqual(['确认办理结果']);
    await tapButton(enterprise, '确认办理结果');
    await enterprise.waitForURL(/ticket\/pages\/action/);
    await enterprise.getByText('部门答复（已解决）：已对接县人力资源市场').waitFor();
    await enterprise.locator('.choice-chips__chip', { hasText: /^满意$/ }).click();
    await enterprise.locator('.nut-rate-item').nth(4).click();
    await enterprise.getByText('5 分').waitFor();
    await fill(enterprise, '说说办理的情况', '人社局对接很及时，感谢！');
    await tapButton(enterprise, '提交评价');
    await enterprise.waitForURL(/ticket\/pages\/detail/);
    await enterprise.locator('.detail__state', { hasText: '企业已确认' }).waitFor();
    await enterprise.getByText('企业评价：满意').first().waitFor();
    await enterprise.getByText('答复：已解决').first().waitFor();
    // The enterprise sees public steps only: no "内部" marks.
    expect(await enterprise.locator('.timeline__internal').count()).toBe(0);
    await screen(enterprise, 'ticket-detail-timeline');
    await enterprise.locator('.timeline').scrollIntoViewIfNeeded();
    await screen(enterprise, 'ticket-detail-timeline-lower');

    const row = await ticketRow();
    expect(row).toMatchObject({ state: 'confirmed', verdict: 'satisfied', rating: 5 });
  }, 120000);

  it('the coordinator closes it (销号) and sees it closed', async () => {
    const coordinator = await signedInPhone(w.coordinator);
    await coordinator.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${ticketId}`);
    await coordinator.locator('.detail__state', { hasText: '企业已确认' }).waitFor();
    expect(await coordinator.locator('.action-panel__button').allInnerTexts()).toEqual(['销号']);
    await tapButton(coordinator, '销号');
    await confirmModal(coordinator, '销号');
    await coordinator.locator('.detail__state', { hasText: '已销号' }).waitFor();
    expect(await coordinator.locator('.action-panel__button').count()).toBe(0);
    await screen(coordinator, 'coordinator-closed');

    const row = await ticketRow();
    expect(row.state).toBe('closed');
    expect(row.closed_at).not.toBeNull();
    const events: { action: string }[] = await e.t.db.query(`SELECT action FROM ticket_event WHERE ticket_id = $1 ORDER BY seq`, [ticketId]);
    expect(events.map((x) => x.action)).toEqual(['submit', 'route', 'accept', 'reply', 'confirm', 'close']);
  }, 120000);
});

describe('asking for information, an extension, a 督办单 and a withdrawal at 375 px', () => {
  const TITLE2 = '社保补缴政策咨询';
  let id: string;
  let staff: Page;
  let contact: Page;
  const state = async () => ((await e.t.db.query(`SELECT state FROM ticket WHERE id = $1`, [id]))[0] as { state: string }).state;

  beforeAll(async () => {
    const t = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工/社保医保'), title: TITLE2, description: '新招员工的社保补缴怎么办理，需要哪些材料？' });
    id = t.id;
    const res = await apiAs(e.t)('POST', `/tickets/${id}/accept`, w.staff1, { version: t.version });
    expect(res.statusCode).toBe(200);
    staff = await signedInPhone(w.staff1);
    contact = await signedInPhone(w.contact1);
  }, 60000);

  it('the department asks for information and the enterprise provides it', async () => {
    await staff.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${id}`);
    await tapButton(staff, '请企业补充材料');
    await staff.waitForURL(/ticket\/pages\/action/);
    await fill(staff, '请提供用工需求明细', '请提供新招员工名单和劳动合同复印件。');
    await tapButton(staff, '发送给企业');
    await staff.locator('.detail__state', { hasText: '待企业补充材料' }).waitFor();
    await staff.getByText('等待企业补充材料，期限暂停').waitFor();
    expect(await state()).toBe('awaiting_info');

    await contact.goto(`${e.baseUrl}/pages/home/index`);
    await contact.locator('.nut-cell', { hasText: '待补充材料' }).locator('.count-badge', { hasText: '1' }).waitFor();
    await contact.locator('.nut-cell', { hasText: '待补充材料' }).click();
    await contact.locator('.segment-tabs__tab--on', { hasText: '待补充' }).waitFor();
    await contact.locator('.ticket-card', { hasText: TITLE2 }).click();
    await contact.getByText('请提供新招员工名单和劳动合同复印件。').first().waitFor();
    expect((await contact.locator('.action-panel__button').allInnerTexts()).sort()).toEqual(['补充材料', '撤回'].sort());
    await tapButton(contact, '补充材料');
    await contact.waitForURL(/ticket\/pages\/action/);
    await contact.getByText('部门请您补充：请提供新招员工名单和劳动合同复印件。').waitFor();
    await fill(contact, '请按部门的要求补充说明', '新招员工共12人，名单和合同已整理好，可随时送到窗口。');
    await screen(contact, 'enterprise-provide-info');
    await tapButton(contact, '提交补充材料');
    await contact.locator('.detail__state', { hasText: '办理中' }).waitFor();
    expect(await state()).toBe('in_progress');
  }, 90000);

  it('the department asks for 3 more working days (the new date shown) and notes internal progress', async () => {
    await staff.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${id}`);
    await tapButton(staff, '申请延期');
    await staff.waitForURL(/ticket\/pages\/action/);
    await staff.getByText('本次最多还可申请 10 个工作日').waitFor();
    await tapButton(staff, '提交延期申请');
    await staff.getByText('请选择 1～10 个工作日').waitFor();
    await staff.locator('.choice-chips__chip', { hasText: /^3 个工作日$/ }).click();
    await staff.getByText('延期后为').waitFor();
    await fill(staff, '如：需会同自然资源局现场勘验', '需向市医保局核实补缴政策口径。');
    await screen(staff, 'department-extension-form');
    await tapButton(staff, '提交延期申请');
    await staff.getByText('延期申请待审批：3 个工作日').waitFor();
    const [row] = await e.t.db.query(`SELECT pending_extension FROM ticket WHERE id = $1`, [id]);
    expect(row.pending_extension).toMatchObject({ days: 3 });

    await tapButton(staff, '办理进展');
    await staff.waitForURL(/ticket\/pages\/action/);
    await staff.locator('.choice-chips__chip', { hasText: '仅内部可见' }).click();
    await fill(staff, '如：已联系企业负责人', '已电话联系市医保局政策科，等待书面答复。');
    await tapButton(staff, '提交进展');
    await staff.locator('.timeline__item', { hasText: '已电话联系市医保局政策科' }).locator('.timeline__internal').waitFor();
  }, 90000);

  it('a 督办单 addressed to the department is signed for and completed on its own screen', async () => {
    const version = ((await e.t.db.query(`SELECT version FROM ticket WHERE id = $1`, [id]))[0] as { version: number }).version;
    const res = await apiAs(e.t)('POST', `/tickets/${id}/supervise`, w.coordinator, { version, note: '请本周内答复企业' });
    expect(res.statusCode).toBe(200);

    await staff.goto(`${e.baseUrl}/packages/department/pages/index/index?item=handling`);
    await staff.locator('.inbox__chip', { hasText: '督办单' }).click();
    await staff.waitForURL(/department\/pages\/supervisions/);
    const card = staff.locator('.sup', { hasText: TITLE2 });
    await card.getByText('督办要求：请本周内答复企业').waitFor();
    await screen(staff, 'department-supervisions');
    await card.locator('taro-button-core, button', { hasText: '签收' }).click();
    await confirmModal(staff, '签收');
    await card.locator('.sup__status', { hasText: '办理中' }).waitFor();
    await card.locator('taro-button-core, button', { hasText: '办结' }).click();
    await card.getByText('请填写督办事项的办理情况').waitFor();
    await card.locator('textarea').fill('已与市医保局确认口径，本周五前答复企业。');
    await card.locator('taro-button-core, button', { hasText: '办结' }).click();
    await card.locator('.sup__status', { hasText: '已办结' }).waitFor();
    const [sup] = await e.t.db.query(`SELECT status, response FROM supervision WHERE ticket_id = $1`, [id]);
    expect(sup).toEqual({ status: 'done', response: '已与市医保局确认口径，本周五前答复企业。' });
  }, 90000);

  it('the enterprise withdraws it with a reason and never sees the internal steps', async () => {
    await contact.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${id}`);
    await contact.locator('.detail__state', { hasText: '办理中' }).waitFor();
    expect(await contact.locator('.timeline__internal').count()).toBe(0);
    await expect(contact.getByText('已电话联系市医保局政策科').count()).resolves.toBe(0);
    await expect(contact.getByText('申请延期').count()).resolves.toBe(0);
    await tapButton(contact, '撤回');
    await contact.waitForURL(/ticket\/pages\/action/);
    await tapButton(contact, '确认撤回');
    await contact.getByText('请填写撤回原因').waitFor();
    await fill(contact, '如：问题已自行解决', '已在窗口当面咨询清楚，不再需要办理。');
    await tapButton(contact, '确认撤回');
    await contact.locator('.detail__state', { hasText: '已撤回' }).waitFor();
    await contact.getByText('已在窗口当面咨询清楚').first().waitFor();
    expect(await contact.locator('.action-panel__button').count()).toBe(0);
    expect(await state()).toBe('withdrawn');
  }, 90000);
});
