import fs from 'node:fs';
import { makeCreditCode } from '@guanjia/shared';
import { buildPerson, seedDistrict, type SeedPerson, type World } from '../server/test/factories';
import { readXlsx, xlsxOf } from '../server/test/import-helpers';
import { DESK, fill, horizontalOverflow, phone, PHONE, shot, signIn, startE2E, tapButton, type E2E } from './support/harness';

/**
 * Going live (ADR 0010): the first admin of an empty district lands on the setup checklist, loads the default
 * categories, imports a people roster at the desk (dry run, per-row reasons, confirm, rejected rows as .xlsx), and an
 * enterprise contact joins by credit code and name on a phone. At 1280 px and 375 px.
 */
let e: E2E;
let w: World;
let emptyAdmin: SeedPerson;

beforeAll(async () => {
  e = await startE2E();
  w = await seedDistrict(e.t.db, '211197');
  const [d] = await e.t.db.query(`INSERT INTO district (code, name) VALUES ('211198', '新开区') RETURNING id`);
  await e.t.db.query(`INSERT INTO area (district_id, code, name, kind) VALUES ($1, '211198001', '新开街道', 'street')`, [d.id]);
  emptyAdmin = await buildPerson(e.t.db, { districtId: d.id, roles: ['admin'], name: '新区管理员' });
}, 90000);
afterAll(async () => {
  await e?.close();
});

const PEOPLE_HEAD = ['姓名', '手机号', '角色', '所属部门'];

describe('setup checklist and roster import at the desk', () => {
  it('the first login of an empty district opens the checklist; defaults load; a roster imports with its rejected rows downloadable', async () => {
    const desk = await signIn(e, emptyAdmin.username, DESK);
    await desk.waitForURL(/coordinator\/pages\/setup/);
    await desk.locator('.su-card[data-item="people"]', { hasText: '待完成' }).waitFor();
    await desk.locator('.su-card[data-item="areas"]', { hasText: '已完成' }).waitFor();
    await desk.locator('.su-card[data-item="categories"]').locator('taro-button-core, button', { hasText: '载入默认' }).last().click();
    await desk.locator('.su-card[data-item="categories"]', { hasText: '已完成' }).waitFor();
    await desk.waitForTimeout(600);
    await shot(desk, 'going-live-checklist-desk');
    expect(await horizontalOverflow(desk)).toEqual([]);

    await tapButton(desk, '批量导入');
    await desk.waitForURL(/coordinator\/pages\/import/);
    await desk.locator('.choice-chips__chip', { hasText: /^人员$/ }).click();
    const file = await xlsxOf(PEOPLE_HEAD, [['公共管家甲', '13955550001', '管家', ''], ['坏手机', '1395555', '管家', ''], ['公共管家乙', '13955550002', '管家、领导', '']]);
    const [chooser] = await Promise.all([desk.waitForEvent('filechooser'), tapButton(desk, '选择文件')]);
    await chooser.setFiles({ name: '人员名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await desk.getByText('已选择：人员名单.xlsx').waitFor();
    await tapButton(desk, '试导入');
    await desk.locator('.im-result[data-stage="dry"]').waitFor();
    await desk.getByText('共 3 行：将新增 2，将更新 0，无变化 0，未导入 1 行').waitFor();
    await desk.getByText('手机号应为 11 位').waitFor();
    expect(await e.t.db.query(`SELECT 1 FROM person WHERE phone = '13955550001'`)).toHaveLength(0);
    await desk.waitForTimeout(400);
    await shot(desk, 'going-live-import-dry-desk');
    expect(await horizontalOverflow(desk)).toEqual([]);

    await tapButton(desk, '确认导入其余 2 行');
    await desk.locator('.im-result[data-stage="result"]').waitFor();
    await desk.getByText('共 3 行：已新增 2，已更新 0，无变化 0，未导入 1 行').waitFor();
    expect(await e.t.db.query(`SELECT roles FROM person WHERE phone = '13955550002'`)).toEqual([{ roles: ['steward', 'leader'] }]);
    const [download] = await Promise.all([desk.waitForEvent('download'), tapButton(desk, '下载未导入的行')]);
    const rows = await readXlsx(fs.readFileSync((await download.path())!));
    expect(rows).toEqual([[...PEOPLE_HEAD, '原因', '原行号'], ['坏手机', '1395555', '管家', '', '手机号：手机号应为 11 位', '3']]);
    expect(download.suggestedFilename()).toBe('未导入的行-人员名单.xlsx');
    await shot(desk, 'going-live-import-result-desk');
    // 重点项目 is offered at the desk, with its create-only note and its own columns
    await desk.locator('.choice-chips__chip', { hasText: /^重点项目$/ }).click();
    await desk.getByText('重点项目只新建不更新', { exact: false }).waitFor();
    await desk.getByText('业主单位信用代码', { exact: false }).first().waitFor();
    await desk.waitForTimeout(300);
    await shot(desk, 'going-live-import-projects-desk');
    expect(await horizontalOverflow(desk)).toEqual([]);

    const ph = await signIn(e, emptyAdmin.username, PHONE);
    await ph.goto(`${e.baseUrl}/packages/coordinator/pages/setup/index`);
    await ph.locator('.su-card[data-item="people"]', { hasText: '已完成' }).waitFor();
    await ph.waitForTimeout(400);
    await shot(ph, 'going-live-checklist-phone');
    expect(await horizontalOverflow(ph)).toEqual([]);
    await ph.goto(`${e.baseUrl}/packages/coordinator/pages/import/index?kind=enterprises`);
    await ph.getByText('自动创建文件中出现而系统中没有的属地').waitFor();
    await shot(ph, 'going-live-import-phone');
    expect(await horizontalOverflow(ph)).toEqual([]);
  });
});

describe('enterprise self-join on a phone', () => {
  /** A WeChat user without an account, as the login page leaves them: the bindToken in storage (Taro's H5 format). */
  async function wechatUserPage(tag: string) {
    const r = await e.t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: `dev:${tag}` } });
    const { context, page } = await phone(e);
    e.contexts.push(context);
    await page.goto(`${e.baseUrl}/pages/login/index`);
    await page.evaluate((t) => localStorage.setItem('join.bindToken', JSON.stringify({ data: t })), r.json().bindToken as string);
    await page.goto(`${e.baseUrl}/packages/enterprise/pages/join/index`);
    return page;
  }

  it('a wrong check digit is refused in Chinese; code and name that match link at once; the contact sees its colleagues', async () => {
    const ent = w.enterprises[0]!;
    const [{ name }] = await e.t.db.query(`SELECT name FROM enterprise WHERE id = $1`, [ent.id]);
    const page = await wechatUserPage('e2e-join-a');
    await fill(page, '6 位', '211197');
    await fill(page, '18 位', ent.creditCode.slice(0, 17) + (ent.creditCode[17] === '0' ? '1' : '0'));
    await fill(page, '与营业执照一致', name);
    await fill(page, '联系人姓名', '孙会计');
    await tapButton(page, '提交');
    await page.getByText('统一社会信用代码校验位不正确，请对照营业执照核对').waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'going-live-join-phone');
    expect(await horizontalOverflow(page)).toEqual([]);
    await fill(page, '18 位', ent.creditCode);
    await tapButton(page, '提交');
    await page.waitForURL(/pages\/home/);
    await page.locator('.nut-cell', { hasText: '本企业联系人' }).click();
    await page.waitForURL(/enterprise\/pages\/contacts/);
    await page.locator('[data-contact="孙会计"]', { hasText: '管理联系人' }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'going-live-contacts-phone');
    expect(await horizontalOverflow(page)).toEqual([]);
  });

  it('an unknown code waits for approval with the same answer as a name mismatch; the coordinator sees it at the desk', async () => {
    const page = await wechatUserPage('e2e-join-b');
    await fill(page, '6 位', '211197');
    await fill(page, '18 位', makeCreditCode(424242));
    await fill(page, '与营业执照一致', '不存在的公司');
    await fill(page, '联系人姓名', '周经理');
    await tapButton(page, '提交');
    await page.locator('[data-state="pending"]').waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'going-live-join-pending-phone');
    const desk = await signIn(e, w.coordinator.username, DESK);
    await desk.goto(`${e.baseUrl}/packages/coordinator/pages/join-requests/index`);
    await desk.getByText('不存在的公司').waitFor();
    await desk.getByText('本区县没有该信用代码的企业').waitFor();
    await desk.waitForTimeout(300);
    await shot(desk, 'going-live-join-requests-desk');
    expect(await horizontalOverflow(desk)).toEqual([]);
  });

  it("a known code with another name notifies the enterprise's steward; tapping the notice opens the approval queue", async () => {
    const ent = w.enterprises[0]!;
    const page = await wechatUserPage('e2e-join-c');
    await fill(page, '6 位', '211197');
    await fill(page, '18 位', ent.creditCode);
    await fill(page, '与营业执照一致', '名称不符的公司');
    await fill(page, '联系人姓名', '吴出纳');
    await tapButton(page, '提交');
    await page.locator('[data-state="pending"]').waitFor();
    const steward = await signIn(e, w.steward.username, PHONE);
    await steward.goto(`${e.baseUrl}/packages/ticket/pages/notifications/index`);
    await steward.getByText('企业联系人加入申请待审核').first().click();
    await steward.waitForURL(/coordinator\/pages\/join-requests/);
    await steward.getByText('名称不符的公司').waitFor();
    await steward.waitForTimeout(300);
    await shot(steward, 'going-live-join-request-steward-phone');
    expect(await horizontalOverflow(steward)).toEqual([]);
  });
});
