import { makeCreditCode } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { csvOf, multipartBody } from '../../../test/import-helpers';
import { hashPassword } from '../auth/auth.service';
import { setupDistrict } from '../platform/platform.service';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** From nothing to a live district, as the README tells it: setup (twice), desk login, checklist, first imports. */
describe('going live from nothing', () => {
  it('setup twice changes nothing; the first admin logs in at the desk and the checklist tracks the imports', async () => {
    const body = { code: '211121', name: '大洼区', cityName: '盘锦市', admin: { name: '首位管理员', username: 'admin.dw', phone: '13977770000' } };
    const first = await setupDistrict(t.db, null, body, { adminPasswordHash: await hashPassword('Initial-pass-1') });
    expect(first).toMatchObject({ created: true, district: { code: '211121', admins: 1 } });
    const again = await setupDistrict(t.db, null, { ...body, admin: { name: '别人', username: 'admin.other' } }, { adminPasswordHash: await hashPassword('x-other-pass') });
    expect(again).toMatchObject({ created: false, admin: null, invitationCode: null });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM person p JOIN district d ON d.id = p.district_id WHERE d.code = '211121'`)).toEqual([{ n: 1 }]);

    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin.dw', password: 'Initial-pass-1' } });
    expect(login.statusCode).toBe(200);
    const h = { authorization: `Bearer ${login.json().accessToken}` };
    const empty = (await t.app.inject({ method: 'GET', url: '/api/v1/setup-checklist', headers: h })).json();
    expect(empty.done).toBe(false);
    expect(empty.items.filter((i: { done: boolean }) => !i.done).map((i: { key: string }) => i.key))
      .toEqual(expect.arrayContaining(['areas', 'departments', 'categories', 'routingRules', 'people', 'enterprises', 'assignments']));

    const people = csvOf(['姓名', '手机号', '角色'], [['管家一', '13977770001', '管家']], 'gbk');
    const m1 = multipartBody('p.csv', people);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/imports/people?dryRun=false', headers: { ...h, ...m1.headers }, payload: m1.payload })).json()).toMatchObject({ created: 1 });
    const ents = csvOf(['企业名称', '统一社会信用代码', '所属街道', '包保干部', '干部电话'], [['大洼示范有限公司', makeCreditCode(77), '田家街道', '管家一', '13977770001']], 'utf8-bom');
    const m2 = multipartBody('e.csv', ents);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/imports/enterprises?dryRun=false&createMissingAreas=true', headers: { ...h, ...m2.headers }, payload: m2.payload });
    expect(r.json()).toMatchObject({ created: 1, areasCreated: 1, assignmentsStarted: 1 });
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/setup-checklist', headers: h })).json();
    const byKey = Object.fromEntries(after.items.map((i: { key: string; count: number }) => [i.key, i.count]));
    expect(byKey).toMatchObject({ areas: 1, people: 1, enterprises: 1, assignments: 1 });
  });
});
