import { buildOperator } from '../server/test/factories';
import { fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, fill, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * Above the district: the platform operator opens a district at the desk and hands its first admin the one-time
 * code; the national calendar is the operator's, and a district's coordinator adds a local holiday that moves its
 * own open tickets' deadlines. At 1280 px and 375 px.
 */
let e: E2E;
let w: TicketWorld;


beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211296');
}, 90000);
afterAll(async () => {
  await e?.close();
});

describe('platform operator', () => {
  it('opens a district from the desk and sees the one-time code once', async () => {
    const op = await buildOperator(e.t.db);
    const desk = await signIn(e, op.username, DESK);
    await desk.locator('.nut-cell', { hasText: '区县开通' }).click();
    await desk.waitForURL(/coordinator\/pages\/districts/);
    await desk.getByText(`（${w.code}）`).waitFor();
    await fill(desk, '如 211103', '211298');
    await fill(desk, '如 兴隆台区', '测试新区');
    await fill(desk, '如 盘锦市', '测试市');
    await fill(desk, '首位管理员姓名', '新区管理员');
    await fill(desk, '11 位手机号', '13900009999');
    await tapButton(desk, '开通');
    const code = desk.locator('.co-districts__code');
    await code.waitFor();
    expect(await code.innerText()).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    await desk.locator('.co-card__title', { hasText: '测试新区（211298）' }).waitFor();
    await shot(desk, 'operator-districts-desk');
    expect(await horizontalOverflow(desk)).toEqual([]);
    // a bad code is refused on its field, in Chinese
    await fill(desk, '如 211103', '211200');
    await tapButton(desk, '开通');
    await desk.getByText('请输入区县级行政区划代码').first().waitFor();
    const [d] = await e.t.db.query(`SELECT name FROM district WHERE code = '211298'`);
    expect(d.name).toBe('测试新区');

    const ph = await signIn(e, op.username, PHONE);
    await ph.goto(`${e.baseUrl}/packages/coordinator/pages/districts/index`);
    await ph.locator('.co-card__title', { hasText: '测试新区（211298）' }).waitFor();
    await shot(ph, 'operator-districts-phone');
    expect(await horizontalOverflow(ph)).toEqual([]);
  });
});

describe('a district coordinator and the calendar', () => {
  it('reads the national schedule without editing it, and adds a local holiday that moves its own deadlines', async () => {
    const filed = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工') });
    const desk = await signIn(e, w.coordinator.username, DESK);
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/calendar/index`);
    await desk.getByText('本地调整').first().waitFor();
    expect(await desk.getByText('查看/更正').count()).toBe(0);
    // the next working day in Shanghai after today is a safe local holiday for a ticket filed now
    const [{ day }] = await e.t.db.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date + 1, (now() AT TIME ZONE 'Asia/Shanghai')::date + 10, interval '1 day') d
        WHERE extract(isodow FROM d) < 6 AND NOT EXISTS (SELECT 1 FROM calendar_day c WHERE c.day = d::date) ORDER BY d LIMIT 1`,
    );
    await fill(desk, `如 ${day.slice(0, 4)}-12-28`, day);
    await fill(desk, '如 县庆放假', '县庆放假');
    await tapButton(desk, '添加本地调整');
    await desk.getByText(`${day} · 本地放假 · 县庆放假`).waitFor();
    await shot(desk, 'coordinator-calendar-local-desk');
    const [t] = await e.t.db.query(`SELECT reply_due_at FROM ticket WHERE id = $1`, [filed.id]);
    expect(new Date(t.reply_due_at).getTime()).toBeGreaterThan(new Date(filed.deadlines.replyDueAt).getTime());
    const ph = await signIn(e, w.coordinator.username, PHONE);
    await ph.goto(`${e.baseUrl}/packages/coordinator/pages/calendar/index`);
    await ph.getByText(`${day} · 本地放假 · 县庆放假`).waitFor();
    await shot(ph, 'coordinator-calendar-local-phone');
    expect(await horizontalOverflow(ph)).toEqual([]);
  });
});
