import { makeCreditCode, toGcj02 } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildEnterprise, seedDistrict, type World } from '../../../test/factories';

let t: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211105');
  other = await seedDistrict(t.db, '410105');
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, who: World['coordinator'], payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(t.app, who), ...headers }, payload });

describe('enterprise registration', () => {
  it('creates an enterprise, storing a GCJ-02 location as WGS-84', async () => {
    const wgs = { lat: 41.12, lng: 122.05 };
    const gcj = toGcj02(wgs.lat, wgs.lng, 'wgs84');
    const code = makeCreditCode(424242);
    const res = await req('POST', '/enterprises', w.coordinator, {
      name: '盘锦辽河油田装备制造有限公司', creditCode: code.toLowerCase(), areaId: w.areas[0], scale: 'above', tags: ['专精特新'],
      location: { ...gcj, datum: 'gcj02' }, contactName: '刘经理', contactPhone: '13812345678',
    });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e.creditCode).toBe(code);
    expect(e.location.datum).toBe('wgs84');
    expect(Math.abs(e.location.lat - wgs.lat)).toBeLessThan(1e-5);
    expect(Math.abs(e.location.lng - wgs.lng)).toBeLessThan(1e-5);
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_id = $1`, [e.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['enterprise.created']);
  });

  it('rejects a credit code with a wrong check digit, with a Chinese message on the field', async () => {
    const good = makeCreditCode(777);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await req('POST', '/enterprises', w.coordinator, { name: '校验位错误公司', creditCode: bad, areaId: w.areas[0] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'CREDIT_CODE_INVALID', details: [{ path: '/body/creditCode' }] });
    expect(await t.db.query(`SELECT 1 FROM enterprise WHERE credit_code = $1`, [bad])).toHaveLength(0);
  });

  it('refuses a duplicate credit code in the same district; another district registers it without learning of the first', async () => {
    const dup = await req('POST', '/enterprises', w.coordinator, { name: '重复登记', creditCode: w.enterprises[0].creditCode, areaId: w.areas[0] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('CREDIT_CODE_TAKEN');
    const res = await req('POST', '/enterprises', other.coordinator, { name: '异地登记', creditCode: w.enterprises[0].creditCode, areaId: other.areas[0] });
    expect(res.statusCode).toBe(201);
    const ids = await t.db.query(`SELECT district_id FROM enterprise WHERE credit_code = $1 ORDER BY created_at`, [w.enterprises[0].creditCode]);
    expect(ids.map((r: { district_id: string }) => r.district_id)).toEqual([w.districtId, other.districtId]);
  });

  it('refuses an area of another district', async () => {
    const res = await req('POST', '/enterprises', w.coordinator, { name: '跨区企业', creditCode: makeCreditCode(9191), areaId: other.areas[0] });
    expect(res.json().error.code).toBe('AREA_NOT_IN_DISTRICT');
  });

  it('a retried creation with the same Idempotency-Key creates once and replays the response', async () => {
    const body = { name: '重试测试有限公司', creditCode: makeCreditCode(31337), areaId: w.areas[1] };
    const key = { 'idempotency-key': 'retry-key-0001' };
    const a = await req('POST', '/enterprises', w.coordinator, body, key);
    const b = await req('POST', '/enterprises', w.coordinator, body, key);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(b.headers['idempotent-replay']).toBe('true');
    const c = await req('POST', '/enterprises', w.coordinator, { ...body, name: '另一个' }, key);
    expect(c.statusCode).toBe(422);
    expect(c.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('updates with the version read; a stale version is a conflict', async () => {
    const e = (await req('GET', `/enterprises/${w.enterprises[1].id}`, w.coordinator)).json();
    const ok = await req('PATCH', `/enterprises/${e.id}`, w.coordinator, { version: e.version, industry: '石油装备' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ industry: '石油装备', version: e.version + 1 });
    const stale = await req('PATCH', `/enterprises/${e.id}`, w.coordinator, { version: e.version, industry: '覆盖' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
  });
});

describe('who sees which enterprise', () => {
  it('an enterprise contact reads its own enterprise but not another', async () => {
    expect((await req('GET', `/enterprises/${w.enterprises[0].id}`, w.contact1)).statusCode).toBe(200);
    const res = await req('GET', `/enterprises/${w.enterprises[1].id}`, w.contact1);
    expect(res.statusCode).toBe(404);
    const list = (await req('GET', '/enterprises', w.contact1)).json();
    expect(list.items.map((e: { id: string }) => e.id)).toEqual([w.enterprises[0].id]);
  });

  it('a steward lists only the enterprises assigned to them, with full contact phone', async () => {
    const list = (await req('GET', '/enterprises', w.steward)).json();
    expect(list.items.map((e: { id: string }) => e.id)).toEqual([w.enterprises[0].id]);
    expect(list.items[0].contactPhone).toBe('13800138000');
    expect((await req('GET', `/enterprises/${w.enterprises[1].id}`, w.steward)).statusCode).toBe(404);
  });

  it('department staff see the district but phones masked', async () => {
    const e = (await req('GET', `/enterprises/${w.enterprises[0].id}`, w.staff1)).json();
    expect(e.contactPhone).toBe('138****8000');
  });

  it('another district sees nothing', async () => {
    expect((await req('GET', `/enterprises/${w.enterprises[0].id}`, other.coordinator)).statusCode).toBe(404);
    const list = (await req('GET', '/enterprises?limit=200', other.coordinator)).json();
    const ids = list.items.map((e: { id: string }) => e.id);
    expect(ids).not.toContain(w.enterprises[0].id);
    expect(ids).toContain(other.enterprises[0].id);
    const patch = await req('PATCH', `/enterprises/${w.enterprises[0].id}`, other.coordinator, { version: 1, name: '篡改' });
    expect(patch.statusCode).toBe(404);
  });
});

describe('listing', () => {
  it('pages by keyset over every enterprise exactly once, and searches name and credit code', async () => {
    for (let i = 0; i < 23; i++) await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[i % 2], name: `分页企业${String(i).padStart(2, '0')}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { items: { id: string; name: string }[]; nextCursor: string | null } = (await req('GET', `/enterprises?limit=7&q=分页企业${cursor ? `&cursor=${cursor}` : ''}`, w.coordinator)).json();
      seen.push(...res.items.map((e) => e.name));
      cursor = res.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(seen).toEqual([...seen].sort());
    const byCode = (await req('GET', `/enterprises?q=${w.enterprises[1].creditCode.slice(0, 12)}`, w.coordinator)).json();
    expect(byCode.items.map((e: { id: string }) => e.id)).toContain(w.enterprises[1].id);
  });

  it('rejects a forged cursor with 400', async () => {
    const res = await req('GET', '/enterprises?cursor=not-a-cursor', w.coordinator);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('/querystring/cursor');
  });

  it('filters by steward and area', async () => {
    const res = (await req('GET', `/enterprises?stewardId=${w.steward2.id}`, w.coordinator)).json();
    expect(res.items.map((e: { id: string }) => e.id)).toEqual([w.enterprises[1].id]);
    const area = (await req('GET', `/enterprises?areaId=${w.areas[0]}&limit=200`, w.coordinator)).json();
    expect(area.items.every((e: { area: { id: string } }) => e.area.id === w.areas[0])).toBe(true);
  });
});
