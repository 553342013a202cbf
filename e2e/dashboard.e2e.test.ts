import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { shanghaiDate } from '@guanjia/shared';
import { fileTicket, seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { auth, buildEnterprise } from '../server/test/factories';
import { insertVisit } from '../server/test/visit-helpers';
import { DESK, horizontalOverflow, PHONE, shot, signIn, startE2E, type E2E } from './support/harness';

/**
 * Issue 12 in the browser: the coordinator's 数据看板 and the leader's 驾驶舱 with AntV F2 charts that really draw
 * (canvas pixels counted), a figure drilled down to its tickets, at 1280 px and 375 px.
 */
let e: E2E;
let w: TicketWorld;
let total = 0;

beforeAll(async () => {
  e = await startE2E();
  w = await seedTicketWorld(e.t.db, '211391');
  const cats = ['人才用工', '融资信贷', '人才用工', '政务服务', '人才用工', '融资信贷'];
  for (const [i, c] of cats.entries()) await fileTicket(e.t, w.contact1, { categoryId: w.cat(c), title: `看板诉求${i}` });
  total = cats.length;
  // Two solved (accepted, answered, confirmed by the enterprise) so the ranking has bars.
  const api = (who: typeof w.staff1, url: string, payload: object) => e.t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(e.t.app, who), payload });
  const ids: { id: string; lead_department_id: string }[] = await e.t.db.query(`SELECT id, lead_department_id FROM ticket WHERE district_id = $1 AND title IN ('看板诉求2', '看板诉求5')`, [w.districtId]);
  for (const t of ids) {
    const staff = t.lead_department_id === w.departments[0] ? w.staff1 : w.staff2;
    let r = await api(staff, `/tickets/${t.id}/accept`, { version: 2 });
    r = await api(staff, `/tickets/${t.id}/reply`, { version: r.json().version, outcome: 'solved', text: '已协调解决' });
    r = await api(w.contact1, `/tickets/${t.id}/confirm`, { version: r.json().version, verdict: 'satisfied', rating: 5 });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
  // Two escalated to the 县级帮扶责任人 (level 3): what waits for the leader.
  await e.t.db.query(`UPDATE ticket SET escalation_level = 3 WHERE id IN (SELECT id FROM ticket WHERE district_id = $1 ORDER BY created_at LIMIT 2)`, [w.districtId]);
  // A red project the leader leads.
  const y = Number(shanghaiDate(new Date()).slice(0, 4));
  const res = await e.t.app.inject({
    method: 'POST', url: '/api/v1/projects', headers: auth(e.t.app, w.coordinator),
    payload: {
      name: '智能制造产业园项目', enterpriseId: w.enterprises[0].id, areaId: w.areas[0], location: '一号镇', nature: '产业', levels: ['市重点'], kind: 'new',
      startYear: y - 1, endYear: y + 1, plannedStartOn: `${y + 1}-03-01`, plannedEndOn: `${y + 1}-06-30`, totalInvestment: '500000000', funding: [{ source: 'self_raised', amount: '500000000' }], leaderId: w.leader.id,
      leadDepartmentId: w.departments[0], helperDepartmentIds: [], stewardIds: [w.steward.id], contactPersonId: w.contact1.id, stage: 'signed', stageOn: `${y - 1}-01-05`,
    },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  await e.t.db.query(`UPDATE project SET light = 'red', light_reason = '落后序时进度35个百分点' WHERE id = $1`, [res.json().id]);
  // The visits map: the park gets a located enterprise some 20 km east-north-east; three check-ins in the town, one in the park.
  const park = await buildEnterprise(e.t.db, { districtId: w.districtId, areaId: w.areas[1], lat: 41.16, lng: 121.32 });
  const at = new Date(Date.now() - 60_000);
  for (const enterpriseId of [w.enterprises[0].id, w.enterprises[0].id, w.enterprises[0].id, park.id]) {
    await insertVisit(e.t.db, { districtId: w.districtId, stewardId: w.steward.id, enterpriseId, kind: 'onsite', at });
  }
}, 120000);
afterAll(async () => {
  await e?.close();
});

/** Counts the drawn (non-transparent) pixels of every F2 canvas on the page. */
async function drawnPixels(page: Page): Promise<number[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.f2-chart canvas')).map((c) => {
    const canvas = c as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || !canvas.width || !canvas.height) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }));
}

async function settled(page: Page) {
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.taro_page_show')).every((el) => el.getBoundingClientRect().right <= document.documentElement.clientWidth + 1));
  await page.waitForTimeout(300);
}

describe('dashboard and cockpit', () => {
  it.each([['desk', DESK], ['phone', PHONE]] as const)('the coordinator sees the month in charts and drills a figure down to its tickets (%s)', async (name, viewport) => {
    const page = await signIn(e, w.coordinator.username, viewport);
    await page.locator('.nut-cell', { hasText: '数据看板' }).click();
    await page.waitForURL(/dashboard\/pages\/index/);
    await page.locator('.db-card__title', { hasText: '诉求趋势' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.f2-chart canvas').length >= 3);
    await settled(page);
    const pixels = await drawnPixels(page);
    expect(pixels.length).toBeGreaterThanOrEqual(3);
    for (const p of pixels) expect(p).toBeGreaterThan(500);
    expect(await page.locator('.db-tile', { hasText: '受理诉求' }).innerText()).toContain(String(total));
    await shot(page, `dashboard-${name}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    if (name === 'desk') {
      // 导出工作报告（Word）: the chosen month's /reports/work as a .docx (a zip holding word/document.xml)
      const month = shanghaiDate(new Date()).slice(0, 7);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('taro-button-core, button', { hasText: '导出工作报告（Word）' }).first().click()]);
      expect(download.suggestedFilename()).toBe(`工作报告-${Number(month.slice(0, 4))}年${Number(month.slice(5))}月.docx`);
      const docx = fs.readFileSync((await download.path())!);
      expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
      expect(docx.includes(Buffer.from('word/document.xml'))).toBe(true);
    }
    // the visits map: drawn on its canvas, each area labelled with its check-ins as the API counts them
    const map = (await e.t.app.inject({ method: 'GET', url: `/api/v1/dashboard/visit-map?month=${shanghaiDate(new Date()).slice(0, 7)}`, headers: auth(e.t.app, w.coordinator) })).json();
    expect(map.areas.map((a: { checkins: number }) => a.checkins)).toEqual([3, 1]);
    const card = page.locator('.db-map');
    await card.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const mapPixels = await card.evaluate((el) => {
      const canvas = el.querySelector('.f2-chart canvas') as HTMLCanvasElement | null;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx || !canvas.width) return { drawn: 0, width: 0, cssWidth: 0 };
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let drawn = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
      return { drawn, width: canvas.width, cssWidth: canvas.getBoundingClientRect().width };
    });
    expect(mapPixels.drawn).toBeGreaterThan(500);
    expect(mapPixels.cssWidth).toBeGreaterThan(viewport.width > 600 ? 300 : 250);
    const rows = await card.locator('.db-map__area').allInnerTexts();
    expect(rows.length).toBe(map.areas.length);
    map.areas.forEach((a: { area: { name: string }; checkins: number }, i: number) => {
      expect(rows[i]).toContain(a.area.name);
      expect(rows[i]).toContain(`签到 ${a.checkins} 次`);
    });
    await shot(page, `dashboard-map-${name}`);
    await page.locator('.db-card__title', { hasText: '部门排名' }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, `dashboard-lower-${name}`);
    await page.locator('.db-tile', { hasText: '受理诉求' }).click();
    await page.waitForURL(/dashboard\/pages\/tickets/);
    await page.locator('.ticket-card').nth(total - 1).waitFor();
    expect(await page.locator('.ticket-card').count()).toBe(total);
    await page.locator('taro-button-core, button', { hasText: '导出台账' }).last().waitFor();
    await settled(page);
    await shot(page, `dashboard-drill-${name}`);
  });

  it.each([['desk', DESK], ['phone', PHONE]] as const)('the leader opens the cockpit: escalations, red projects, ranking, paragraph (%s)', async (name, viewport) => {
    const page = await signIn(e, w.leader.username, viewport);
    await page.locator('.nut-cell', { hasText: '领导驾驶舱' }).click();
    await page.waitForURL(/dashboard\/pages\/cockpit/);
    await page.locator('.db-card__title', { hasText: '待我协调的升级事项（2）' }).waitFor();
    await page.locator('.db-rank', { hasText: '智能制造产业园项目' }).waitFor();
    await page.locator('.db-card__sub', { hasText: `涉及${total}项问题` }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.f2-chart canvas').length >= 1);
    await settled(page);
    const pixels = await drawnPixels(page);
    for (const p of pixels) expect(p).toBeGreaterThan(500);
    expect(await page.locator('.db-rank', { hasText: '红榜' }).count()).toBeGreaterThan(0);
    // the 红榜 is the 考核 ranking's (composite score, the district's N), as the 考核排名 page shows it
    const ranking = (await e.t.app.inject({ method: 'GET', url: `/api/v1/stats/rankings/departments?month=${shanghaiDate(new Date()).slice(0, 7)}`, headers: auth(e.t.app, w.leader) })).json();
    const reds = await page.locator('.db-rank', { hasText: '红榜' }).allInnerTexts();
    expect(reds.length).toBe(ranking.red.length);
    ranking.red.forEach((r: { department: { name: string }; score: number }, i: number) => {
      expect(reds[i]).toContain(r.department.name);
      expect(reds[i]).toContain(`${r.score.toFixed(1)} 分`);
    });
    await shot(page, `cockpit-${name}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.locator('.db-card__title', { hasText: '部门考核排名' }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, `cockpit-ranking-${name}`);
    // Drill-down from the ranking: the department's tickets of the month.
    await page.locator('.db-rank', { hasText: '红榜' }).first().click();
    await page.waitForURL(/dashboard\/pages\/tickets/);
    // The department's count in the 考核 ranking (the 红榜's first) is the length of the list it opens (lead department, the month).
    const top = (await e.t.app.inject({ method: 'GET', url: `/api/v1/stats/rankings/departments?month=${shanghaiDate(new Date()).slice(0, 7)}`, headers: auth(e.t.app, w.leader) })).json().red[0];
    // the list page's own cards (the cockpit underneath shows escalations as ticket cards too while the page slides in)
    const cards = page.locator('.db-page:visible', { hasText: '提交时间：' }).locator('.ticket-card');
    await cards.nth(top.received - 1).waitFor();
    expect(await cards.count()).toBe(top.received);
  });
});
