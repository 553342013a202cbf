import fs from 'node:fs';
import { shanghaiDate } from '@guanjia/shared';
import { readXlsx } from '../server/test/import-helpers';
import { seedTicketWorld, type TicketWorld } from '../server/test/ticket-factories';
import { DESK, horizontalOverflow, PHONE, shot, signIn, startE2E, type E2E } from './support/harness';

/**
 * 考核排名 (docs/metrics.md): the coordinator opens the ranking from home, sees last month's 红榜 / 黑榜 and publishes it;
 * the department's staff then open it from their home and find their department marked. At 1280 px and 375 px.
 */
let e: E2E;
let a: TicketWorld;

/** The first and a middle instant of last month (Asia/Shanghai). */
function lastMonth() {
  const [y, m] = shanghaiDate(new Date()).split('-').map(Number) as [number, number];
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const mm = String(pm).padStart(2, '0');
  return { month: `${py}-${mm}`, day: (d: number) => new Date(`${py}-${mm}-${String(d).padStart(2, '0')}T10:00:00+08:00`) };
}

beforeAll(async () => {
  e = await startE2E();
  a = await seedTicketWorld(e.t.db, '211281');
  const [d3] = await e.t.db.query(`INSERT INTO department (district_id, name) VALUES ($1, '发改局') RETURNING id`, [a.districtId]);
  const lm = lastMonth();
  // 人社局: everything solved and satisfied; 金融办: answered, not solved; 发改局: half and half.
  const plan: [string, boolean, number][] = [[a.departments[0], true, 4], [a.departments[1], false, 3], [d3.id, true, 1], [d3.id, false, 1]];
  let i = 0;
  for (const [dept, solved, n] of plan) {
    for (let k = 0; k < n; k++, i++) {
      const at = lm.day(2 + i);
      await e.t.db.query(
        `INSERT INTO ticket (district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, lead_department_id,
           assigned_at, accept_due_at, reply_due_at, accepted_at, replied_at, is_handled, is_solved, solved_at, verdict, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,'招工难','企业招工难',$6,'enterprise',$7,$8,$9,$9::timestamptz + interval '1 day',$9::timestamptz + interval '10 days',
           $9::timestamptz + interval '2 hours',$9::timestamptz + interval '3 days',true,$10,CASE WHEN $10 THEN $9::timestamptz + interval '4 days' END,$11,$9,$9)`,
        [a.districtId, `E${i}`, a.enterprises[0].id, a.areas[0], a.cat('人才用工'), a.contact1.id, solved ? 'confirmed' : 'replied', dept, at, solved, solved ? 'satisfied' : null],
      );
    }
  }
}, 90000);
afterAll(async () => {
  await e?.close();
});

describe('考核排名', () => {
  const settle = (page: import('playwright-core').Page) =>
    page.waitForFunction(() => Array.from(document.querySelectorAll('.taro_page_show')).every((el) => el.getBoundingClientRect().right <= document.documentElement.clientWidth + 1));

  it.each([['desk', DESK], ['phone', PHONE]] as const)('the coordinator reads last month’s ranking (%s)', async (name, viewport) => {
    const page = await signIn(e, a.coordinator.username, viewport);
    await page.locator('.nut-cell', { hasText: '考核排名' }).first().click();
    await page.waitForURL(/stats\/pages\/ranking/);
    await page.locator('.rk-title--red').waitFor();
    await page.locator('.rk-all .rk-row').nth(2).waitFor();
    const all = await page.locator('.rk-all').innerText();
    // 人社局 first (all solved, satisfied), 金融办 last
    const rows = page.locator('.rk-all .rk-row');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).innerText()).toContain('人社局');
    expect(await rows.nth(2).innerText()).toContain('金融办');
    expect(all).toContain('受理 4 件');
    expect(await page.locator('.rk-lists').innerText()).toContain('黑榜');
    await settle(page);
    await shot(page, `ranking-coordinator-${name}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    if (name === 'desk') {
      // 导出排名表: the month's table as .xlsx, the rows in the page's order with their 红黑榜 marks
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('taro-button-core, button', { hasText: '导出排名表' }).first().click()]);
      expect(download.suggestedFilename()).toMatch(/^考核排名表-\d{8}\.xlsx$/);
      const sheet = await readXlsx(fs.readFileSync((await download.path())!));
      expect(sheet[0]!.slice(0, 5)).toEqual(['名次', '较上月', '红黑榜', '责任单位', '综合得分']);
      expect(sheet.slice(1).map((r) => r[3])).toEqual(['人社局', '发改局', '金融办']);
      expect(sheet[1]![2]).toBe('红榜');
    }
  }, 120_000);

  it.each([['desk', DESK], ['phone', PHONE]] as const)('the coordinator changes 红黑榜 N in 考核设置 and the ranking follows (%s)', async (name, viewport) => {
    const n = name === 'desk' ? 1 : 2;
    const page = await signIn(e, a.coordinator.username, viewport);
    await page.locator('.nut-cell', { hasText: '考核排名' }).first().click();
    await page.waitForURL(/stats\/pages\/ranking/);
    await page.locator('.rk-all .rk-row').nth(2).waitFor();
    await page.locator('.rk-settings').click();
    await page.waitForURL(/stats\/pages\/settings/);
    const field = (label: string) => page.locator('.form-field', { hasText: label }).locator('input');
    await field('红榜、黑榜各列名次').waitFor();
    // the server's checks come back under their fields: N beyond 20, weights not adding up to 1
    await field('红榜、黑榜各列名次').fill('30');
    await field('响应率权重').fill('0.3');
    await page.locator('.ks-save').click();
    await page.locator('.form-field--invalid', { hasText: '红榜、黑榜各列名次' }).or(page.locator('.ks-error')).first().waitFor();
    await settle(page);
    await shot(page, `indicator-settings-errors-${name}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    await field('响应率权重').fill('0.1');
    await field('红榜、黑榜各列名次').fill(String(n));
    await page.locator('.ks-save').click();
    await page.waitForURL(/stats\/pages\/ranking/);
    // 红榜's rows: those between the 红榜 and the 黑榜 titles of the shown page
    const redRows = () => {
      const el = document.querySelector('.taro_page_show .rk-lists');
      const out: string[] = [];
      let inRed = false;
      for (const c of Array.from(el?.children ?? [])) {
        if (c.classList.contains('rk-title--red')) inRed = true;
        else if (c.classList.contains('rk-title--black')) inRed = false;
        else if (inRed && c.classList.contains('rk-row')) out.push((c as HTMLElement).innerText);
      }
      return out;
    };
    await page.waitForFunction(`(${redRows.toString()})().length === ${n}`, undefined, { timeout: 15_000 });
    const red = await page.evaluate(`(${redRows.toString()})()`) as string[];
    expect(red[0]).toContain('人社局');
    const saved = (await e.t.db.query(`SELECT settings -> 'indicators' AS s FROM district WHERE id = $1`, [a.districtId]))[0].s;
    expect(saved.redBlackN).toBe(n);
    await settle(page);
    await shot(page, `indicator-settings-ranking-${name}`);
  }, 120_000);

  it('publishing freezes it; the department sees it with its own row marked (desk and phone)', async () => {
    const page = await signIn(e, a.coordinator.username, DESK);
    await page.locator('.nut-cell', { hasText: '考核排名' }).first().click();
    await page.waitForURL(/stats\/pages\/ranking/);
    await page.locator('.rk-all .rk-row').nth(2).waitFor();
    await page.locator('.rk-publish').click();
    await page.locator('.taro-modal__foot .taro-modal__btn', { hasText: '确定' }).or(page.getByText('确定', { exact: true })).first().click();
    await page.locator('.rk-month__label', { hasText: '已发布' }).waitFor();
    for (const [name, viewport] of [['desk', DESK], ['phone', PHONE]] as const) {
      const staff = await signIn(e, a.staff1.username, viewport);
      await staff.locator('.nut-cell', { hasText: '考核排名' }).first().click();
      await staff.waitForURL(/stats\/pages\/ranking/);
      await staff.locator('.rk-row--mine').first().waitFor();
      expect(await staff.locator('.rk-row--mine').first().innerText()).toContain('人社局');
      expect(await staff.locator('.rk-page').innerText()).toContain(`已发布：${Number(lastMonth().month.slice(0, 4))}年${Number(lastMonth().month.slice(5))}月`);
      await settle(staff);
      await shot(staff, `ranking-department-${name}`);
      expect(await horizontalOverflow(staff)).toEqual([]);
    }
  }, 180_000);

});
