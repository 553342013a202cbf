import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, PASSWORD, seedDistrict, type World } from '../../../test/factories';

let t: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211106');
  other = await seedDistrict(t.db, '340324');
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, who: World['coordinator'], payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: auth(t.app, who), payload });

describe('people', () => {
  it('a coordinator adds department staff who can then log in with the password', async () => {
    const res = await req('POST', '/people', w.coordinator, {
      name: '发改局李科长', roles: ['department'], departmentId: w.departments[0], username: 'fgj.li', phone: '13511112222', password: 'Str0ng-pass',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '发改局李科长', phoneMasked: '135****2222', departmentId: w.departments[0] });
    expect(res.json()).not.toHaveProperty('passwordHash');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'fgj.li', password: 'Str0ng-pass' } });
    expect(login.statusCode).toBe(200);
  });

  it('requires an enterprise for an enterprise contact and refuses another district department', async () => {
    const res = await req('POST', '/people', w.coordinator, { name: '无企业', roles: ['enterprise'], username: 'no.ent' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('/body/enterpriseId');
    const foreign = await req('POST', '/people', w.coordinator, { name: '外区部门', roles: ['department'], departmentId: other.departments[0], username: 'foreign.dep' });
    expect(foreign.statusCode).toBe(400);
  });

  it('issues an invitation code for first WeChat login', async () => {
    const res = await req('POST', '/people', w.coordinator, { name: '企业联系人丙', roles: ['enterprise'], enterpriseId: w.enterprises[1].id, issueInvitation: true });
    expect(res.json().invitationCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
  });

  it('a coordinator cannot grant admin; taken usernames are a clear 409', async () => {
    const admin = await req('POST', '/people', w.coordinator, { name: '越权', roles: ['admin'], username: 'sneaky.admin' });
    expect(admin.statusCode).toBe(403);
    const dup = await req('POST', '/people', w.coordinator, { name: '重名', roles: ['steward'], username: w.steward.username });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('USERNAME_TAKEN');
  });

  it('disabling a person revokes their sessions', async () => {
    const login = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: w.steward2.username, password: PASSWORD } })).json();
    const p = (await req('GET', `/people/${w.steward2.id}`, w.coordinator)).json();
    const res = await req('PATCH', `/people/${w.steward2.id}`, w.coordinator, { version: p.version, disabled: true });
    expect(res.statusCode).toBe(200);
    const refresh = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: login.refreshToken } });
    expect(refresh.statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: w.steward2.username, password: PASSWORD } });
    expect(again.json().error.code).toBe('ACCOUNT_DISABLED');
  });

  it('stewards and enterprise contacts cannot list people; another district cannot read them', async () => {
    expect((await req('GET', '/people', w.steward)).statusCode).toBe(403);
    expect((await req('GET', '/people', w.contact1)).statusCode).toBe(403);
    expect((await req('GET', `/people/${w.steward.id}`, other.coordinator)).statusCode).toBe(404);
    const list = (await req('GET', '/people?role=steward', w.coordinator)).json();
    expect(list.items.every((p: { roles: string[] }) => p.roles.includes('steward'))).toBe(true);
    expect(list.items.map((p: { id: string }) => p.id)).not.toContain(other.steward.id);
  });

  it('a leader manages no one (issue 13): refused the list and records, may look up leaders for project pickers', async () => {
    for (const url of ['/people', '/people?role=steward', '/people?q=管家', `/people/${w.steward.id}`]) {
      const r = await req('GET', url, w.leader);
      expect(r.statusCode).toBe(403);
      expect(r.json().error).toMatchObject({ code: 'FORBIDDEN', message: '没有权限执行此操作' });
    }
    expect((await req('PATCH', `/people/${w.steward.id}`, w.leader, { version: 1, name: '改名' })).statusCode).toBe(403);
    const leaders = await req('GET', '/people?role=leader', w.leader);
    expect(leaders.statusCode).toBe(200);
    expect(leaders.json().items.map((p: { id: string }) => p.id)).toContain(w.leader.id);
    expect(leaders.json().items.every((p: { roles: string[] }) => p.roles.includes('leader'))).toBe(true);
  });
});

describe('assignments (包保)', () => {
  it('assigns, refuses a second active assignment of the same pair, ends and keeps history', async () => {
    const a = await req('POST', '/assignments', w.coordinator, { stewardId: w.steward.id, enterpriseId: w.enterprises[1].id, startsOn: '2026-03-01' });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ steward: { id: w.steward.id }, enterprise: { id: w.enterprises[1].id }, startsOn: '2026-03-01', endsOn: null });
    const dup = await req('POST', '/assignments', w.coordinator, { stewardId: w.steward.id, enterpriseId: w.enterprises[1].id });
    expect(dup.json().error.code).toBe('ASSIGNMENT_OVERLAP');
    const end = await req('POST', `/assignments/${a.json().id}/end`, w.coordinator, { endsOn: '2026-06-30' });
    expect(end.json().endsOn).toBe('2026-06-30');
    const history = (await req('GET', `/assignments?enterpriseId=${w.enterprises[1].id}&active=false`, w.coordinator)).json();
    expect(history.items.map((x: { id: string }) => x.id)).toContain(a.json().id);
    const again = await req('POST', '/assignments', w.coordinator, { stewardId: w.steward.id, enterpriseId: w.enterprises[1].id });
    expect(again.statusCode).toBe(201);
  });

  it('only stewards can be assigned, and only within the district', async () => {
    const notSteward = await req('POST', '/assignments', w.coordinator, { stewardId: w.staff1.id, enterpriseId: w.enterprises[0].id });
    expect(notSteward.statusCode).toBe(400);
    const foreign = await req('POST', '/assignments', w.coordinator, { stewardId: w.steward.id, enterpriseId: other.enterprises[0].id });
    expect(foreign.statusCode).toBe(400);
  });

  it('a steward sees only their own assignments', async () => {
    const res = (await req('GET', '/assignments', w.steward)).json();
    expect(res.items.length).toBeGreaterThan(0);
    expect(res.items.every((x: { steward: { id: string } }) => x.steward.id === w.steward.id)).toBe(true);
    expect((await req('GET', '/assignments', w.contact1)).statusCode).toBe(403);
  });
});
