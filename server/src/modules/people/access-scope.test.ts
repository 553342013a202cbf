import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildCityPerson, buildOperator, buildPerson, PASSWORD, seedDistrict, type World } from '../../../test/factories';

/**
 * Account takeover through invitation codes, tokens that outlive a change of who the person is, login names that
 * leak across districts, and callers of a scope above the district reaching district routes.
 */
let t: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211103');
  other = await seedDistrict(t.db, '211104');
});
afterAll(() => t.close());

type Who = Parameters<typeof auth>[1];
const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: Who | null, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: who ? auth(t.app, who) : {}, payload });
const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload });

async function bindWith(code: string, wechatName: string) {
  const first = await post('/auth/wechat', { code: `dev:${wechatName}` });
  return post('/auth/wechat/bind', { bindToken: first.json().bindToken, invitationCode: code });
}

describe('invitation codes', () => {
  it('are shown once to the issuer, never in a list or a detail, and stored only as a hash', async () => {
    const created = await req('POST', '/people', w.coordinator, { name: '新管家', roles: ['steward'], issueInvitation: true });
    expect(created.statusCode).toBe(201);
    const code: string = created.json().invitationCode;
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(created.json().invitationExpiresAt).toBeTruthy();
    for (const who of [w.coordinator, w.admin]) { // a leader reads no people records (issue 13)
      const list = await req('GET', '/people?q=新管家', who);
      expect(list.statusCode).toBe(200);
      expect(JSON.stringify(list.json())).not.toContain(code);
      expect(list.json().items[0]).toMatchObject({ invitationCode: null, invitationExpiresAt: created.json().invitationExpiresAt });
      const one = await req('GET', `/people/${created.json().id}`, who);
      expect(JSON.stringify(one.json())).not.toContain(code);
    }
    const [row] = await t.db.query(`SELECT to_jsonb(p) AS j FROM person p WHERE id = $1`, [created.json().id]);
    expect(JSON.stringify(row.j)).not.toContain(code);
  });

  it('bind once; a second use, an expired code and a reissued (replaced) code are refused', async () => {
    const created = (await req('POST', '/people', w.coordinator, { name: '企业联系人丁', roles: ['enterprise'], enterpriseId: w.enterprises[1].id, issueInvitation: true })).json();
    const old = created.invitationCode as string;
    const reissued = await req('PATCH', `/people/${created.id}`, w.coordinator, { version: created.version, issueInvitation: true });
    const code = reissued.json().invitationCode as string;
    expect(code).not.toBe(old);
    expect((await bindWith(old, 'ding-old')).json().error.code).toBe('INVITATION_INVALID');
    const ok = await bindWith(code.toLowerCase(), 'ding');
    expect(ok.statusCode).toBe(200);
    expect((await bindWith(code, 'ding-2')).json().error.code).toBe('INVITATION_INVALID');

    const late = (await req('POST', '/people', w.coordinator, { name: '过期邀请', roles: ['steward'], issueInvitation: true })).json();
    await t.db.query(`UPDATE person SET invitation_expires_at = now() - interval '1 second' WHERE id = $1`, [late.id]);
    expect((await bindWith(late.invitationCode, 'late')).json().error.code).toBe('INVITATION_INVALID');
  });

  it('a coordinator cannot issue a code for an admin, nor grant admin; a leader issues none', async () => {
    const adminPerson = await buildPerson(t.db, { districtId: w.districtId, roles: ['admin'], name: '另一管理员' });
    const cur = (await req('GET', `/people/${adminPerson.id}`, w.coordinator)).json();
    const issue = await req('PATCH', `/people/${adminPerson.id}`, w.coordinator, { version: cur.version, issueInvitation: true });
    expect(issue.statusCode).toBe(403);
    const [row] = await t.db.query(`SELECT invitation_hash FROM person WHERE id = $1`, [adminPerson.id]);
    expect(row.invitation_hash).toBeNull();
    const grant = await req('POST', '/people', w.coordinator, { name: '想当管理员', roles: ['steward', 'admin'], issueInvitation: true });
    expect(grant.statusCode).toBe(403);
    const byLeader = await req('POST', '/people', w.leader, { name: '领导加人', roles: ['steward'], issueInvitation: true });
    expect(byLeader.statusCode).toBe(403);
    // the admin may
    const byAdmin = await req('PATCH', `/people/${adminPerson.id}`, w.admin, { version: cur.version, issueInvitation: true });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json().invitationCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
  });
});

describe('tokens follow the person', () => {
  it('a disabled person is refused at once, on the token they already hold', async () => {
    const p = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'], name: '将停用管家' });
    expect((await req('GET', '/enterprises', p)).statusCode).toBe(200);
    const cur = (await req('GET', `/people/${p.id}`, w.coordinator)).json();
    expect((await req('PATCH', `/people/${p.id}`, w.coordinator, { version: cur.version, disabled: true })).statusCode).toBe(200);
    const after = await req('GET', '/enterprises', p);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('TOKEN_EXPIRED');
  });

  it('a change of roles ends tokens signed with the old roles; a change of title does not', async () => {
    const p = await buildPerson(t.db, { districtId: w.districtId, roles: ['coordinator'], name: '降级调度员' });
    let cur = (await req('GET', `/people/${p.id}`, w.admin)).json();
    cur = (await req('PATCH', `/people/${p.id}`, w.admin, { version: cur.version, title: '科员' })).json();
    expect((await req('GET', '/people', p)).statusCode).toBe(200);
    expect((await req('PATCH', `/people/${p.id}`, w.admin, { version: cur.version, roles: ['steward'] })).statusCode).toBe(200);
    expect((await req('GET', '/people', p)).statusCode).toBe(401);
  });
});

describe('login names per district', () => {
  it('the same username in two districts: no 409 across districts; the password or the district code decides', async () => {
    const a = await req('POST', '/people', w.coordinator, { name: '同名甲', roles: ['steward'], username: 'same.name', phone: '13911110000', password: 'Passw0rd-A1' });
    expect(a.statusCode).toBe(201);
    const b = await req('POST', '/people', other.coordinator, { name: '同名乙', roles: ['steward'], username: 'same.name', phone: '13911110000', password: 'Passw0rd-B2' });
    expect(b.statusCode).toBe(201);
    const loginA = await post('/auth/login', { username: 'same.name', password: 'Passw0rd-A1' });
    expect(loginA.statusCode).toBe(200);
    const meA = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${loginA.json().accessToken}` } });
    expect(meA.json()).toMatchObject({ id: a.json().id, scope: 'district', district: { code: '211103' } });
    const byPhone = await post('/auth/login', { username: '13911110000', password: 'Passw0rd-B2' });
    const meB = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${byPhone.json().accessToken}` } });
    expect(meB.json().id).toBe(b.json().id);
    const wrong = await post('/auth/login', { username: 'same.name', password: 'nope-nope' });
    expect(wrong.statusCode).toBe(401);
    // Same password in both: only then is the district asked for.
    const c = (await req('GET', `/people/${b.json().id}`, other.coordinator)).json();
    await req('PATCH', `/people/${c.id}`, other.coordinator, { version: c.version, password: 'Passw0rd-A1' });
    const ambiguous = await post('/auth/login', { username: 'same.name', password: 'Passw0rd-A1' });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().error.code).toBe('DISTRICT_REQUIRED');
    const chosen = await post('/auth/login', { username: 'same.name', password: 'Passw0rd-A1', district: '211104' });
    expect(chosen.statusCode).toBe(200);
    // still unique inside one district
    const dup = await req('POST', '/people', w.coordinator, { name: '重名', roles: ['steward'], username: 'same.name' });
    expect(dup.json().error.code).toBe('USERNAME_TAKEN');
  }, 120_000); // a dozen argon2 hashes and checks, two at a time, on a busy machine
});

describe('scopes above the district', () => {
  it('the platform operator and a city coordinator cannot use district routes; /me tells their scope', async () => {
    const op = await buildOperator(t.db);
    const city = await buildCityPerson(t.db, '211100');
    for (const who of [op, city]) {
      for (const url of ['/enterprises', '/people', '/tickets', '/visits']) {
        const res = await req('GET', url, who);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('SCOPE_FORBIDDEN');
      }
    }
    const me = await req('GET', '/me', op);
    expect(me.json()).toMatchObject({ scope: 'platform', roles: ['operator'], district: null });
    const meCity = await req('GET', '/me', city);
    expect(meCity.json()).toMatchObject({ scope: 'city', city: { code: '211100' }, district: null });
  });

  it('the database refuses a person whose scope and roles disagree', async () => {
    await expect(t.db.query(`INSERT INTO person (scope, district_id, name, roles) VALUES ('platform', NULL, 'x', ARRAY['admin'])`)).rejects.toThrow();
    await expect(t.db.query(`INSERT INTO person (scope, district_id, name, roles) VALUES ('district', $1, 'x', ARRAY['operator'])`, [w.districtId])).rejects.toThrow();
    await expect(t.db.query(`INSERT INTO person (scope, district_id, name, roles) VALUES ('district', NULL, 'x', ARRAY['steward'])`)).rejects.toThrow();
  });

  it('a password login of the operator gives a platform token', async () => {
    const op = await buildOperator(t.db);
    const res = await post('/auth/login', { username: op.username, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${res.json().accessToken}` } });
    expect(me.json().scope).toBe('platform');
  });
});
