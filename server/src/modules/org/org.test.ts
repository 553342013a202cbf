import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, seedDistrict, type World } from '../../../test/factories';

let t: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211103');
  other = await seedDistrict(t.db, '340323');
});
afterAll(() => t.close());

describe('health', () => {
  it('reports liveness and readiness with migrations applied', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().migrations).toBeGreaterThan(0);
  });

  it('answers unknown routes with the one error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    expect(res.json().error.message).toMatch(/接口不存在/);
  });

  it('serves the OpenAPI document listing the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/enterprises', '/api/v1/auth/login', '/api/v1/areas', '/api/v1/people', '/api/v1/assignments']));
  });
});

describe('areas and departments', () => {
  it('requires login', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/areas' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('lists only the caller district areas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/areas', headers: auth(t.app, w.steward) });
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((a: { id: string }) => a.id);
    expect(ids.sort()).toEqual([...w.areas].sort());
    expect(ids).not.toContain(other.areas[0]);
  });

  it('lets a coordinator add an area whose code sits in the district, and rejects foreign codes', async () => {
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/areas', headers: auth(t.app, w.coordinator), payload: { code: '211103102', name: '二号街道', kind: 'street' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ code: '211103102', name: '二号街道', kind: 'street' });
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/areas', headers: auth(t.app, w.coordinator), payload: { code: '340323102', name: '外区街道', kind: 'street' } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.code).toBe('AREA_NOT_IN_DISTRICT');
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/areas', headers: auth(t.app, w.coordinator), payload: { code: '211103102', name: '二号街道', kind: 'street' } });
    expect(dup.statusCode).toBe(409);
  });

  it('forbids a steward from adding a department', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: auth(t.app, w.steward), payload: { name: '发改局' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('lists every validation issue in Chinese', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/areas', headers: auth(t.app, w.coordinator), payload: { code: 'x', kind: 'planet' } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    const paths = error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/name', '/body/code', '/body/kind']));
    for (const d of error.details) expect(d.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('cannot rename another district department', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/departments/${other.departments[0]}`, headers: auth(t.app, w.coordinator), payload: { name: '改名' } });
    expect(res.statusCode).toBe(404);
  });
});
