import type { BrowserContext, Page } from 'playwright-core';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { auth, PASSWORD, type SeedPerson } from '../server/test/factories';
import { multipart, visitAt } from '../server/test/visit-helpers';
import { DESK, fill, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * The coordinator's everyday tools and the check-in map (issue 13), in the H5 build against the real server:
 * - 同意延期 shows the reply deadline now and the one approving sets, and asks before moving it;
 * - the 交办 form shows the enterprise's photos and files (they open), the 紧急 flag, and preselects the department
 *   the routing preview suggests (changeable);
 * - 节假日 as a month grid (休 / 班 marked, ‹ › months, a tapped day set as a local holiday) at 1280 and 375 px;
 * - the steward's check-in screen draws the fence, the enterprise and 我的位置, and 导航 calls openLocation in
 *   GCJ-02; the coordinator's 异常签到 review draws the check-in against the fence.
 */

jest.setTimeout(120000);

let e: E2E;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211394');
  api = apiAs(e.t);
}, 90000);
afterAll(async () => {
  await e?.close();
});

async function screen(page: Page, name: string, overflow = true) {
  await page.waitForTimeout(300);
  await shot(page, name);
  if (overflow) expect(await horizontalOverflow(page)).toEqual([]);
}

/** Taro's H5 showModal: the text of the one on screen. */
async function modalText(page: Page): Promise<string> {
  const modal = page.locator('.taro-modal__content').last();
  await modal.waitFor();
  return modal.innerText();
}

/** Waits until `read` returns `want` (the database after a tap). */
async function until<T>(read: () => Promise<T>, want: T): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await read()) === want) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await read()).toBe(want);
}

/** A real JPEG drawn by the browser (so the thumbnail renders). */
async function drawnJpeg(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d')!;
    g.fillStyle = '#4f7cac';
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#f5d76e';
    g.fillRect(60, 60, 200, 120);
    return c.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

async function upload(who: SeedPerson, buf: Buffer, filename: string, mime: string): Promise<string> {
  const m = multipart(buf, { filename, mime });
  const res = await e.t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...auth(e.t.app, who), ...m.headers }, payload: m.payload });
  if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

describe('coordinator: 同意延期', () => {
  it('shows the old and the new reply date and asks before approving (desk and phone)', async () => {
    const filed = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: '厂房消防验收排期' });
    const accepted = await api('POST', `/tickets/${filed.id}/accept`, w.staff1, { version: filed.version });
    expect(accepted.statusCode).toBe(200);
    const asked = await api('POST', `/tickets/${filed.id}/extension-request`, w.staff1, { version: accepted.json().version, days: 3, reason: '需要等待消防部门现场勘验' });
    expect(asked.statusCode).toBe(200);
    const proposed = asked.json().timeline.find((x: { action: string }) => x.action === 'request_extension').data.proposedReplyDueAt as string;
    const day = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const oldDay = day(asked.json().deadlines.replyDueAt);
    const newDay = day(proposed);
    expect(newDay > oldDay).toBe(true);

    const ph = await signIn(e, w.coordinator.username, PHONE);
    await ph.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=extensions`);
    const phoneCard = ph.locator('.co-item', { hasText: '厂房消防验收排期' });
    await phoneCard.getByText(`答复期限 ${oldDay}`).waitFor();
    await screen(ph, 'coordinator-extension-queue-phone');

    const desk = await signIn(e, w.coordinator.username, DESK);
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/queue/index?kind=extensions`);
    const card = desk.locator('.co-item', { hasText: '厂房消防验收排期' });
    await card.getByText(`→ ${newDay}`).waitFor();
    await card.locator('taro-button-core, button', { hasText: '同意延期' }).click();
    const text = await modalText(desk);
    expect(text).toContain(`原答复期限：${oldDay}`);
    expect(text).toContain(`同意后延至：${newDay}`);
    expect(text).toContain('需要等待消防部门现场勘验');
    await screen(desk, 'coordinator-extension-confirm-desk', false);
    // Cancelling changes nothing.
    await desk.locator('.taro-model__cancel', { hasText: '取消' }).click();
    let [row] = await e.t.db.query(`SELECT reply_due_at, pending_extension FROM ticket WHERE id = $1`, [filed.id]);
    expect(row.pending_extension).not.toBeNull();
    await card.locator('taro-button-core, button', { hasText: '同意延期' }).click();
    await modalText(desk);
    await desk.locator('.taro-model__confirm', { hasText: '同意延期' }).click();
    await desk.getByText('没有待审批的延期申请').waitFor();
    [row] = await e.t.db.query(`SELECT reply_due_at, pending_extension FROM ticket WHERE id = $1`, [filed.id]);
    expect(row.pending_extension).toBeNull();
    expect(new Date(row.reply_due_at).toISOString()).toBe(new Date(proposed).toISOString());
  });
});

describe('coordinator: 交办 form', () => {
  it('shows the attachments (they open) and 紧急, and preselects the routing preview’s department', async () => {
    const desk = await signIn(e, w.coordinator.username, DESK);
    const photo = await upload(w.contact1, await drawnJpeg(desk), 'site.jpg', 'image/jpeg');
    const pdf = await upload(w.contact1, Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), '营业执照.pdf', 'application/pdf');
    // 政务服务 has no rule: the ticket waits in 待交办; a rule added since is what the preview now suggests.
    const filed = await fileTicket(e.t, w.contact1, { categoryId: w.cat('政务服务'), title: '施工许可办理卡在联审', urgency: 'urgent', attachmentIds: [photo, pdf] });
    expect(filed.state).toBe('pending_dispatch');
    const rule = await api('POST', '/routing-rules', w.coordinator, { categoryId: w.cat('政务服务'), leadDepartmentId: w.departments[1] });
    expect(rule.statusCode).toBe(201);

    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/dispatch/index?id=${filed.id}`);
    const form = desk.locator('.co-dispatch');
    await form.locator('.co-dispatch__urgent', { hasText: '紧急' }).waitFor();
    await form.locator('.attachments__image .auth-image__img').waitFor();
    await form.getByText('营业执照.pdf').waitFor();
    await form.locator('.co-dispatch__suggest', { hasText: '建议交办 金融办' }).waitFor();
    await form.getByText('政务服务类的诉求 → 交给 金融办').waitFor();
    const chosen = form.locator('.choice-chips__chip--on', { hasText: '金融办（建议）' });
    await chosen.first().waitFor();
    await screen(desk, 'coordinator-dispatch-suggested-desk');

    // The thumbnail opens the viewer; the PDF opens in a new tab.
    await form.locator('.attachments__image').first().click();
    await desk.locator('taro-swiper-item-core').first().waitFor();
    await screen(desk, 'coordinator-dispatch-photo-open-desk', false);
    await desk.keyboard.press('Escape');
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/dispatch/index?id=${filed.id}`);
    await form.getByText('营业执照.pdf').waitFor();
    const [tab] = await Promise.all([desk.context().waitForEvent('page'), form.getByText('营业执照.pdf').click()]);
    expect(tab.url()).toMatch(/^blob:/);
    await tab.close();

    // Changeable: pick 人社局 instead and dispatch.
    await form.locator('.choice-chips__chip', { hasText: /^人社局$/ }).first().click();
    await form.locator('.choice-chips__chip--on', { hasText: /^人社局$/ }).first().waitFor();
    await tapButton(desk, '确认交办');
    await until(async () => (await e.t.db.query(`SELECT lead_department_id FROM ticket WHERE id = $1`, [filed.id]))[0].lead_department_id as string | null, w.departments[0]);

    const ph = await signIn(e, w.coordinator.username, PHONE);
    const again = await fileTicket(e.t, w.contact2, { categoryId: w.cat('政务服务'), title: '不动产登记咨询', urgency: 'urgent', attachmentIds: [await upload(w.contact2, await drawnJpeg(ph), 'a.jpg', 'image/jpeg')] });
    expect(again.state).toBe('assigned'); // the rule now routes it at once
    await api('PATCH', `/routing-rules/${rule.json().id}`, w.coordinator, { version: rule.json().version, active: false });
    const waiting = await fileTicket(e.t, w.contact2, { categoryId: w.cat('政务服务'), title: '政务服务无规则', attachmentIds: [await upload(w.contact2, await drawnJpeg(ph), 'b.jpg', 'image/jpeg')] });
    await ph.goto(`${e.baseUrl}/packages/coordinator/pages/dispatch/index?id=${waiting.id}`);
    await ph.locator('.co-dispatch').getByText('没有适用的交办规则，请人工选择承办部门').waitFor();
    await ph.locator('.co-dispatch .attachments__image .auth-image__img').waitFor();
    expect(await ph.locator('.co-dispatch .choice-chips__chip--on').count()).toBe(0);
    await screen(ph, 'coordinator-dispatch-phone');
  });
});

describe('coordinator: 节假日 month grid', () => {
  for (const [size, vp] of [['desk', DESK], ['phone', PHONE]] as const) {
    it(`shows holidays (休) and 调休 (班) by month and sets a local day by tapping it (${size})`, async () => {
      const page = await signIn(e, w.coordinator.username, vp);
      await page.goto(`${e.baseUrl}/packages/coordinator/pages/calendar/index`);
      const grid = page.locator('.co-cal__month');
      await grid.locator('.co-cal__title').waitFor();
      // Step back to October 2026 (国庆节 1–7, 调休 on Saturday the 10th).
      for (let i = 0; i < 24; i++) {
        const [y, m] = (await grid.locator('.co-cal__title').innerText()).match(/\d+/g)!.map(Number);
        const by = 2026 * 12 + 10 - (y * 12 + m);
        if (by === 0) break;
        const before = await grid.locator('.co-cal__title').innerText();
        await grid.locator('.co-cal__nav', { hasText: by < 0 ? '上月' : '下月' }).click();
        await page.waitForFunction((t) => document.querySelector('.co-cal__month .co-cal__title')?.textContent !== t, before);
      }
      await grid.locator('.co-cal__title', { hasText: '2026 年 10 月' }).waitFor();
      await grid.locator('.co-cal__day--holiday:not(.co-cal__day--out)', { hasText: '国庆节' }).first().waitFor();
      expect(await grid.locator('.co-cal__day--holiday:not(.co-cal__day--out)').count()).toBeGreaterThanOrEqual(7);
      const makeup = grid.locator('.co-cal__day--makeup:not(.co-cal__day--out)');
      await expect(makeup.first().locator('.co-cal__num').innerText()).resolves.toBe('10');
      await expect(makeup.first().locator('.co-cal__mark').innerText()).resolves.toBe('班');
      await screen(page, `coordinator-calendar-month-${size}`);

      // Tap Wednesday 14 October (an ordinary working day) and make it a local holiday.
      const date = size === 'desk' ? '2026-10-14' : '2026-10-15';
      const dayNum = page.locator('.co-cal__num', { hasText: new RegExp(`^${Number(date.slice(8))}$`) });
      const cell = grid.locator('.co-cal__day:not(.co-cal__day--out)', { has: dayNum });
      await cell.click();
      await grid.locator('.co-cal__panel', { hasText: '工作日（计入办理期限）' }).waitFor();
      await fill(page, '填写名称，例如 县庆', '县庆放假');
      await grid.locator('taro-button-core, button', { hasText: '设为本地调整' }).click();
      // this test's own day (the desk's run made the 14th local already: a locator for any such day raced it)
      await grid.locator('.co-cal__day--local.co-cal__day--holiday:not(.co-cal__day--out)', { has: dayNum, hasText: '县庆放假' }).waitFor();
      await grid.locator('.co-cal__panel', { hasText: '本地放假：县庆放假' }).waitFor();
      await screen(page, `coordinator-calendar-local-day-${size}`);
      const rows = await e.t.db.query(`SELECT kind, name FROM calendar_local_day WHERE district_id = $1 AND day = $2`, [w.districtId, date]);
      expect(rows).toEqual([{ kind: 'holiday', name: '县庆放假' }]);
    });
  }
});

describe('visits: the map', () => {
  /** Enterprise 1 sits at WGS-84 41.1, 121.1; the fence is 300 m. */
  const INSIDE = { latitude: 41.1004, longitude: 121.1003, accuracy: 15 };
  let context: BrowserContext;

  afterAll(async () => {
    await context?.close().catch(() => undefined);
  });

  it('the check-in screen draws the fence, the enterprise and 我的位置; 导航 opens the enterprise in GCJ-02', async () => {
    context = await e.browser.newContext({
      viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
      geolocation: INSIDE, permissions: ['geolocation'],
    });
    // WeChat's JS-SDK as the H5 page sees it inside WeChat: Taro.openLocation calls wx.openLocation.
    await context.addInitScript(() => {
      const calls: unknown[] = [];
      (window as unknown as { __openLocation: unknown[] }).__openLocation = calls;
      (window as unknown as { wx: unknown }).wx = {
        openLocation: (o: { latitude: number; longitude: number; name: string; success?: (r: unknown) => void }) => {
          calls.push({ latitude: o.latitude, longitude: o.longitude, name: o.name });
          o.success?.({ errMsg: 'openLocation:ok' });
        },
      };
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(`${e.baseUrl}/pages/login/index`);
    await fill(page, '用户名', w.steward.username);
    await fill(page, '密码', PASSWORD);
    await tapButton(page, '登录');
    await page.waitForURL(/pages\/home/);

    await page.goto(`${e.baseUrl}/packages/steward/pages/checkin/index?enterpriseId=${w.enterprises[0].id}`);
    const map = page.locator('.st-checkin .fence-map');
    await map.locator('.fence-map__dot--me').waitFor();
    await map.locator('.fence-map__dot--enterprise').waitFor();
    await map.getByText('我的位置').first().waitFor();
    const caption = await map.locator('.fence-map__caption').innerText();
    expect(caption).toMatch(/^相距 \d+ 米 · 签到范围 300 米$/);
    // 我的位置 is drawn inside the circle.
    const [fence, me] = await Promise.all([map.locator('.fence-map__fence').boundingBox(), map.locator('.fence-map__dot--me').boundingBox()]);
    const cx = fence!.x + fence!.width / 2;
    const cy = fence!.y + fence!.height / 2;
    expect(Math.hypot(me!.x + me!.width / 2 - cx, me!.y + me!.height / 2 - cy)).toBeLessThan(fence!.width / 2);
    await page.locator('.st-checkin__map').scrollIntoViewIfNeeded();
    await screen(page, 'steward-checkin-map-phone');

    await page.locator('.fence-map__nav').click();
    await page.waitForFunction(() => (window as unknown as { __openLocation: unknown[] }).__openLocation.length > 0);
    const [call] = await page.evaluate(() => (window as unknown as { __openLocation: { latitude: number; longitude: number; name: string }[] }).__openLocation);
    expect(call.name).toBe(w.enterprises[0].name);
    // GCJ-02 (ADR 0003): shifted from the stored WGS-84 point by a few hundred metres.
    expect(Math.abs(call.longitude - 121.1)).toBeGreaterThan(0.001);
    expect(Math.abs(call.latitude - 41.1)).toBeLessThan(0.01);
  });

  it('the 异常签到 review draws the check-in against the enterprise’s fence (desk)', async () => {
    const checkIn = await visitAt(e.t.app, w.steward, w.enterprises[0].id, { lat: 41.118, lng: 121.1, datum: 'wgs84' }); // ≈ 2 km north
    expect(checkIn.statusCode).toBe(200);
    expect((await e.t.app.inject({ method: 'POST', url: `/api/v1/visits/${checkIn.json().id}/check-out`, headers: auth(e.t.app, w.steward), payload: {} })).statusCode).toBe(200);
    const desk = await signIn(e, w.coordinator.username, DESK);
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/visits/index`);
    const card = desk.locator('.co-card', { has: desk.locator('.fence-map') });
    await card.locator('.fence-map__dot--me').waitFor();
    await card.getByText('签到位置').first().waitFor();
    expect(await card.locator('.fence-map__caption').innerText()).toMatch(/^相距 2(\.\d)? 公里 · 签到范围 300 米$/);
    await expect(card.locator('.fence-map__fence--outside').count()).resolves.toBe(1);
    const [fence, point] = await Promise.all([card.locator('.fence-map__fence').boundingBox(), card.locator('.fence-map__dot--me').boundingBox()]);
    expect(point!.y + point!.height / 2).toBeLessThan(fence!.y); // north of the fence, outside it
    await card.scrollIntoViewIfNeeded();
    await screen(desk, 'coordinator-visit-review-map-desk');
    // Reading the steward's position is logged (ADR 0006).
    const log = await e.t.db.query(`SELECT 1 FROM location_access_log WHERE actor_id = $1`, [w.coordinator.id]);
    expect(log.length).toBeGreaterThan(0);

    const ph = await signIn(e, w.coordinator.username, PHONE);
    await ph.goto(`${e.baseUrl}/packages/coordinator/pages/visits/index`);
    const phoneCard = ph.locator('.co-card', { has: ph.locator('.fence-map') });
    await phoneCard.locator('.fence-map__dot--me').waitFor();
    await phoneCard.scrollIntoViewIfNeeded();
    await screen(ph, 'coordinator-visit-review-map-phone');
  });
});
