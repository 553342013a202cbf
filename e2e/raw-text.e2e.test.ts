import type { Page } from 'playwright-core';
import type { SeedPerson } from '../server/test/factories';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, horizontalOverflow, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';
import { rawTextOn } from './support/raw-text';

/**
 * docs/screens.md, raw and misleading text, in the H5 build: rules in plain words, the 销号 dialog naming 基本满意, the hub's
 * month and year-to-date figures labelled, a manual 督办's instruction in the timeline, the enterprise's timeline
 * saying 已受理，正在分派; every screen photographed is checked for codes and English words (harness shot).
 */
let e: E2E;
let w: TicketWorld;
let confirmedId = '';
let unroutedId = '';
let supervisedId = '';

async function screen(page: Page, name: string) {
  await page.waitForTimeout(400);
  await shot(page, name);
  expect(await horizontalOverflow(page)).toEqual([]);
}

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211413');
  const api = apiAs(e.t);
  const act = async (id: string, segment: string, who: SeedPerson, body: object = {}) => {
    const cur = (await api('GET', `/tickets/${id}`, who)).json();
    const r = await api('POST', `/tickets/${id}/${segment}`, who, { version: cur.version, ...body });
    if (r.statusCode !== 200) throw new Error(`${segment}: ${r.statusCode} ${r.body}`);
  };
  const a = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: '企业升规入统', description: '申请升规入统，需要统计部门指导。' });
  confirmedId = a.id;
  await act(a.id, 'accept', w.staff1);
  await act(a.id, 'reply', w.staff1, { outcome: 'solved', text: '已安排统计局上门指导' });
  await act(a.id, 'confirm', w.contact1, { verdict: 'basically_satisfied' });
  const b = await fileTicket(e.t, w.contact1, { categoryId: w.cat('其他'), title: '园区路灯不亮', description: '园区主干道路灯夜间不亮。' });
  unroutedId = b.id;
  const c = await fileTicket(e.t, w.contact1, { categoryId: w.cat('人才用工'), title: '技能培训补贴', description: '补贴迟迟未到账。' });
  supervisedId = c.id;
  await act(c.id, 'supervise', w.coordinator, { note: '请于两日内答复企业' });
}, 120000);
afterAll(async () => {
  await e?.close();
});

describe('coordinator at the desk', () => {
  let desk: Page;
  beforeAll(async () => {
    desk = await signIn(e, w.coordinator.username, DESK);
  }, 60000);

  it('reads the rules in plain words', async () => {
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/rules/index`);
    await desk.locator('.co-rules__words', { hasText: '人才用工类的诉求 → 交给 人社局' }).waitFor();
    const text = await desk.locator('.co-rules').innerText();
    expect(text).not.toMatch(/具体度|优先级 \d/);
    await screen(desk, 'raw-rules-desk');
  });

  it('sees the month and the year to date, each labelled', async () => {
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/index/index`);
    await desk.locator('.co-hub__period--month .co-hub__period-label', { hasText: '本月（' }).waitFor();
    await desk.locator('.co-hub__period--year .co-hub__period-label', { hasText: '本年累计' }).waitFor();
    await desk.locator('.co-hub__period--year .co-hub__stat-num').first().filter({ hasText: '3' }).waitFor();
    await screen(desk, 'raw-hub-periods-desk');
  });

  it('the 销号 dialog says 基本满意 for a 基本满意 verdict', async () => {
    await desk.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${confirmedId}`);
    await desk.locator('.action-panel__button', { hasText: '销号' }).waitFor();
    await tapButton(desk, '销号');
    const modal = desk.locator('.taro-model__content, .taro-modal__content').filter({ hasText: '销号后' }).first();
    await modal.waitFor();
    expect(await modal.innerText()).toContain('企业已确认办理结果（基本满意）');
    await screen(desk, 'raw-close-dialog-desk');
    await desk.locator('.taro-model__cancel').click();
  });

  it('the timeline shows the coordinator’s 督办 instruction, not its code', async () => {
    await desk.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${supervisedId}`);
    await desk.locator('.detail').getByText('请于两日内答复企业').waitFor();
    expect(await rawTextOn(desk)).toEqual([]);
    await screen(desk, 'raw-supervise-timeline-desk');
  });
});

describe('enterprise on the phone', () => {
  it('reads 已受理，正在分派 for a request no rule covers, never the routing text', async () => {
    const p = await signIn(e, w.contact1.username, PHONE);
    await p.goto(`${e.baseUrl}/packages/ticket/pages/detail/index?id=${unroutedId}`);
    await p.locator('.detail').getByText('已受理，正在分派').waitFor();
    expect(await p.locator('.detail').innerText()).not.toContain('交办规则');
    await screen(p, 'raw-enterprise-timeline-phone');
    await p.goto(`${e.baseUrl}/packages/ticket/pages/notifications/index`);
    await p.locator('.notices__item').first().waitFor();
    await screen(p, 'raw-enterprise-notices-phone');
  });
});
