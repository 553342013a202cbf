import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildCityPerson, buildOperator, seedDistrict, type ScopedPerson, type World } from '../../../test/factories';
import { setupDistrict } from './platform.service';

let t: TestApp;
let op: ScopedPerson;
let w: World;
beforeAll(async () => {
  t = await createTestApp();
  op = await buildOperator(t.db);
  w = await seedDistrict(t.db, '211102');
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST', url: string, who: Parameters<typeof auth>[1], payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: auth(t.app, who), payload });
const body = { code: '211122', name: '盘山县', cityName: '盘锦市', admin: { name: '县管理员', phone: '13900001111' } };

describe('opening a district', () => {
  it('the operator creates a district in its city with a first admin who binds by the one-time code; again changes nothing', async () => {
    const res = await req('POST', '/platform/districts', op, body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: true, district: { code: '211122', name: '盘山县', city: { code: '211100', name: '盘锦市' }, admins: 1 }, admin: { name: '县管理员' } });
    const code = res.json().invitationCode as string;
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    const again = await req('POST', '/platform/districts', op, { ...body, name: '别的名字', admin: { name: '另一人', phone: '13900002222' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, invitationCode: null, district: { name: '盘山县', admins: 1 } });
    expect(await t.db.query(`SELECT 1 FROM person WHERE phone = '13900002222'`)).toHaveLength(0);
    // the first admin binds WeChat with the code and administers the new district
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'dev:xian-admin' } });
    const bound = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat/bind', payload: { bindToken: first.json().bindToken, invitationCode: code } });
    expect(bound.statusCode).toBe(200);
    const h = { authorization: `Bearer ${bound.json().accessToken}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: h });
    expect(me.json()).toMatchObject({ roles: ['admin'], district: { code: '211122' }, city: { code: '211100', name: '盘锦市' } });
    const area = await t.app.inject({ method: 'POST', url: '/api/v1/areas', headers: h, payload: { code: '211122100', name: '太平街道', kind: 'street' } });
    expect(area.statusCode).toBe(201);
    const audit = await t.db.query(`SELECT action, actor_id FROM audit_event WHERE action IN ('district.created') AND data->>'code' = '211122'`);
    expect(audit).toEqual([{ action: 'district.created', actor_id: op.id }]);
  });

  it('refuses bad codes with a message on the field, and refuses everyone but the operator', async () => {
    for (const code of ['211100', '990101', '21110']) {
      const res = await req('POST', '/platform/districts', op, { ...body, code });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().error.details)).toContain('/body/code');
    }
    for (const who of [w.admin, w.coordinator, await buildCityPerson(t.db, '211100')]) {
      const res = await req('POST', '/platform/districts', who, { ...body, code: '211121' });
      expect(res.statusCode).toBe(403);
      expect((await req('GET', '/platform/districts', who)).statusCode).toBe(403);
    }
    expect(await t.db.query(`SELECT 1 FROM district WHERE code = '211121'`)).toHaveLength(0);
  });

  it('two setups of the same code at once create one district and one admin', async () => {
    const b = { ...body, code: '211123', name: '大洼区' };
    const [a, c] = await Promise.all([setupDistrict(t.db, null, b), setupDistrict(t.db, null, b)]);
    expect([a.created, c.created].sort()).toEqual([false, true]);
    const [n] = await t.db.query(`SELECT count(*)::int AS n FROM person p JOIN district d ON d.id = p.district_id WHERE d.code = '211123'`);
    expect(n.n).toBe(1);
  });

  it('the operator lists districts by code, keyset-paged', async () => {
    const page1 = (await req('GET', '/platform/districts?limit=1', op)).json();
    expect(page1.items).toHaveLength(1);
    const page2 = (await req('GET', `/platform/districts?limit=50&cursor=${page1.nextCursor}`, op)).json();
    const codes = [page1.items[0].code, ...page2.items.map((d: { code: string }) => d.code)];
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(expect.arrayContaining(['211102', '211122']));
  });
});
