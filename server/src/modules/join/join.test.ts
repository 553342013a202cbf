import { makeCreditCode } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, seedDistrict, type SeedPerson, type World } from '../../../test/factories';

let t: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211103');
  other = await seedDistrict(t.db, '211104');
  await t.db.query(`UPDATE enterprise SET name = '盘锦(示范)机械有限公司' WHERE id = $1`, [w.enterprises[0]!.id]);
});
afterAll(() => t.close());

/** A WeChat user with no account: their bindToken. */
async function wechatUser(tag: string): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: `dev:${tag}` } });
  expect(r.json().bindingRequired).toBe(true);
  return r.json().bindToken;
}
const join = (bindToken: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/enterprise-join', payload: { bindToken, district: '211103', contactName: '赵会计', ...body } });
const as = (who: SeedPerson | string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: typeof who === 'string' ? { authorization: `Bearer ${who}` } : auth(t.app, who), payload });

describe('enterprise self-join', () => {
  it('code and name match (full-width brackets, spaces): linked at once as admin contact; a second contact joins too; the admin removes one', async () => {
    const ent = w.enterprises[0]!;
    const first = await join(await wechatUser('join-a'), { creditCode: ent.creditCode.toLowerCase(), companyName: '盘锦（示范）机械 有限公司' });
    expect(first.statusCode).toBe(200);
    expect(first.json().status).toBe('linked');
    const tokA = first.json().tokens.accessToken as string;
    const me = await as(tokA, 'GET', '/me');
    expect(me.json()).toMatchObject({ roles: ['enterprise'], enterprise: { id: ent.id } });
    // next WeChat login goes straight in
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'dev:join-a' } });
    expect(again.json().accessToken).toBeDefined();
    // the steward is told
    const notes = await t.db.query(`SELECT kind FROM notification WHERE person_id = $1 AND kind = 'enterprise.contact_joined'`, [w.steward.id]);
    expect(notes).toHaveLength(1);

    const second = await join(await wechatUser('join-b'), { creditCode: ent.creditCode, companyName: '盘锦(示范)机械有限公司', contactName: '钱出纳' });
    expect(second.json().status).toBe('linked');
    const tokB = second.json().tokens.accessToken as string;
    const list = await as(tokA, 'GET', '/enterprise-contacts');
    const items = list.json().items as { id: string; name: string; admin: boolean; self: boolean }[];
    expect(items.filter((i) => i.admin).map((i) => i.name)).toEqual(['赵会计']);
    const b = items.find((i) => i.name === '钱出纳')!;
    // the second contact is not admin: cannot remove; the admin can
    const selfA = items.find((i) => i.self)!;
    expect((await as(tokB, 'POST', `/enterprise-contacts/${selfA.id}/remove`)).statusCode).toBe(403);
    expect((await as(tokA, 'POST', `/enterprise-contacts/${selfA.id}/remove`)).json().error.code).toBe('CONTACT_REMOVE_SELF');
    // another enterprise's contact: not found
    expect((await as(w.contact2, 'POST', `/enterprise-contacts/${b.id}/remove`)).statusCode).toBe(404);
    expect((await as(tokA, 'POST', `/enterprise-contacts/${b.id}/remove`)).statusCode).toBe(204);
    expect((await as(tokB, 'GET', '/enterprise-contacts')).statusCode).toBe(401);
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`, [b.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['enterprise.contact_joined', 'enterprise.contact_removed']);
  });

  it('not found and name mismatch get the same answer; a wrong check digit a clear message; another district is not found', async () => {
    const ent = w.enterprises[1]!;
    const mismatch = await join(await wechatUser('join-c'), { creditCode: ent.creditCode, companyName: '完全不同的公司' });
    const notFound = await join(await wechatUser('join-d'), { creditCode: makeCreditCode(99999), companyName: '完全不同的公司' });
    // an enterprise of another district, named right, asked in this district
    const otherEnt = other.enterprises[0]!;
    const [o] = await t.db.query(`SELECT name FROM enterprise WHERE id = $1`, [otherEnt.id]);
    const elsewhere = await join(await wechatUser('join-e'), { creditCode: otherEnt.creditCode, companyName: o.name });
    for (const r of [mismatch, notFound, elsewhere]) {
      expect(r.statusCode).toBe(202);
      expect(r.json()).toEqual(mismatch.json());
    }
    const c = ent.creditCode;
    const bad = await join(await wechatUser('join-f'), { creditCode: c.slice(0, 17) + (c[17] === '0' ? '1' : '0'), companyName: 'x公司' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'JOIN_CREDIT_CODE_INVALID', message: expect.stringContaining('校验位') });
    expect((await join(await wechatUser('join-g'), { creditCode: c, companyName: 'x公司', district: '219999' })).json().error.code).toBe('JOIN_DISTRICT_NOT_FOUND');
    expect((await join('not-a-token-at-all', { creditCode: c, companyName: 'x公司' })).json().error.code).toBe('WECHAT_CODE_INVALID');
    // asking again updates the one pending request
    const bt = await wechatUser('join-c');
    await join(bt, { creditCode: ent.creditCode, companyName: '完全不同的公司2' });
    expect(await t.db.query(`SELECT company_name FROM join_request WHERE wechat_openid = 'dev-join-c'`)).toEqual([{ company_name: '完全不同的公司2' }]);
    const st = await t.app.inject({ method: 'POST', url: '/api/v1/enterprise-join/status', payload: { bindToken: bt } });
    expect(st.json()).toEqual({ status: 'pending', reason: null, companyName: '完全不同的公司2' });
  });

  it('the steward of the enterprise or a coordinator approves or rejects; others cannot see the request', async () => {
    const reqs = await as(w.steward2, 'GET', '/join-requests');
    expect(reqs.statusCode).toBe(200);
    const mine = reqs.json().items as { id: string; companyName: string; enterprise: { name: string } | null; version: number }[];
    expect(mine.map((r) => r.companyName)).toEqual(['完全不同的公司2']); // enterprise 2 is steward2's; the others are not
    expect(mine[0]!.enterprise).not.toBeNull();
    expect((await as(w.steward, 'GET', '/join-requests')).json().items).toEqual([]);
    expect((await as(w.contact1, 'GET', '/join-requests')).statusCode).toBe(403);
    expect((await as(w.staff1, 'GET', '/join-requests')).statusCode).toBe(403);
    expect((await as(other.coordinator, 'POST', `/join-requests/${mine[0]!.id}/approve`, { version: mine[0]!.version })).statusCode).toBe(404);
    expect((await as(w.steward, 'POST', `/join-requests/${mine[0]!.id}/approve`, { version: mine[0]!.version })).statusCode).toBe(404);
    const ok = await as(w.steward2, 'POST', `/join-requests/${mine[0]!.id}/approve`, { version: mine[0]!.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('approved');
    expect((await as(w.steward2, 'POST', `/join-requests/${mine[0]!.id}/approve`, { version: mine[0]!.version + 1 })).json().error.code).toBe('JOIN_REQUEST_DECIDED');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'dev:join-c' } });
    const me = await as(login.json().accessToken, 'GET', '/me');
    expect(me.json()).toMatchObject({ roles: ['enterprise'], enterprise: { id: w.enterprises[1]!.id } });

    // the coordinator sees the rest; one with no enterprise cannot be approved, only rejected
    const all = (await as(w.coordinator, 'GET', '/join-requests')).json().items as { id: string; enterprise: unknown; version: number }[];
    expect(all).toHaveLength(2);
    const none = all.find((r) => r.enterprise === null)!;
    expect((await as(w.coordinator, 'POST', `/join-requests/${none.id}/approve`, { version: none.version })).statusCode).toBe(400);
    const rej = await as(w.coordinator, 'POST', `/join-requests/${none.id}/reject`, { version: none.version, reason: '本区无此企业' });
    expect(rej.json()).toMatchObject({ status: 'rejected', reason: '本区无此企业' });
  });
});
