import fc from 'fast-check';
import { CERTIFICATION_KINDS, REVENUE_BANDS, SIZE_CLASSES, evaluateEligibility, shanghaiDate, type Eligibility, type EligibilityProfile } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildEnterprise, seedDistrict, type SeedPerson, type World } from '../../../test/factories';

jest.setTimeout(120_000);

let t: TestApp;
let w: World;
let other: World;
let libId: string;
const TODAY = shanghaiDate(new Date());

beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  other = await seedDistrict(t.db);
  const res = await api(w.coordinator, 'POST', '/libraries', { name: '重点企业培育库' });
  expect(res.statusCode).toBe(201);
  libId = res.json().id;
});
afterAll(async () => t.close());

const api = (who: SeedPerson, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(t.app, who), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

const policyBody = (over: Record<string, unknown> = {}) => ({
  title: `专精特新企业奖励政策${Math.random().toString(36).slice(2, 6)}`, departmentId: w.departments[0], docNo: '某政发〔2026〕1号',
  benefitType: 'subsidy', mode: 'no_application', summary: '对认定的专精特新企业给予一次性奖励', contact: '工信局 0427-1234567',
  eligibility: { match: 'all', conditions: [{ field: 'certification', kind: 'specialized' }, { field: 'above_scale', equals: true }] },
  ...over,
});

async function profileVersion(id: string) {
  return (await api(w.coordinator, 'GET', `/enterprises/${id}/profile`)).json().version as number;
}

describe('enterprise profile', () => {
  test('a steward edits the profile of their enterprise (audited), not another; the enterprise reads its own only', async () => {
    const [e1, e2] = w.enterprises;
    let res = await api(w.steward, 'PATCH', `/enterprises/${e1.id}/profile`, { version: await profileVersion(e1.id), industryDivision: '39', sizeClass: 'small', employees: 120, foundedOn: '2015-04-01', aboveScale: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ industrySection: 'C', industryDivision: '39', sizeClass: 'small', employees: 120, aboveScale: true, canEdit: true });
    const audit = await t.db.query(`SELECT data FROM audit_event WHERE action = 'enterprise.profile_updated' AND entity_id = $1`, [e1.id]);
    expect(audit).toHaveLength(1);
    res = await api(w.steward, 'PATCH', `/enterprises/${e2.id}/profile`, { version: await profileVersion(e2.id), employees: 5 });
    expect(res.statusCode).toBe(404);
    res = await api(w.contact1, 'GET', `/enterprises/${e1.id}/profile`);
    expect(res.statusCode).toBe(200);
    expect(res.json().canEdit).toBe(false);
    expect((await api(w.contact1, 'GET', `/enterprises/${e2.id}/profile`)).statusCode).toBe(404);
    expect((await api(w.contact1, 'PATCH', `/enterprises/${e1.id}/profile`, { version: 1, employees: 1 })).statusCode).toBe(403);
    expect((await api(other.coordinator, 'GET', `/enterprises/${e1.id}/profile`)).statusCode).toBe(404);
    // a stale version is a conflict, a division outside its section is refused in Chinese
    expect((await api(w.coordinator, 'PATCH', `/enterprises/${e1.id}/profile`, { version: 1, employees: 3 })).statusCode).toBe(409);
    res = await api(w.coordinator, 'PATCH', `/enterprises/${e1.id}/profile`, { version: await profileVersion(e1.id), industrySection: 'I', industryDivision: '39' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].message).toBe('行业大类不属于所选门类');
  });

  test('certifications and library membership with history', async () => {
    const e1 = w.enterprises[0].id;
    let res = await api(w.steward, 'POST', `/enterprises/${e1}/certifications`, { kind: 'specialized', certifiedOn: '2025-03-10', expiresOn: '2028-03-09' });
    expect(res.statusCode).toBe(201);
    expect((await api(w.steward, 'POST', `/enterprises/${e1}/certifications`, { kind: 'high_tech', certifiedOn: '2025-03-10', expiresOn: '2024-03-09' })).statusCode).toBe(400);
    res = await api(w.coordinator, 'POST', `/enterprises/${e1}/libraries`, { libraryId: libId, joinedOn: '2024-01-01' });
    expect(res.statusCode).toBe(201);
    expect((await api(w.coordinator, 'POST', `/enterprises/${e1}/libraries`, { libraryId: libId, joinedOn: '2024-02-01' })).statusCode).toBe(409);
    const cert = (await api(w.steward, 'POST', `/enterprises/${e1}/certifications`, { kind: 'gazelle', certifiedOn: '2025-01-10' })).json().certifications.find((c: { kind: string }) => c.kind === 'gazelle');
    expect((await api(w.steward, 'DELETE', `/enterprises/${e1}/certifications/${cert.id}`)).statusCode).toBe(200);
    expect((await api(w.steward, 'DELETE', `/enterprises/${e1}/certifications/${cert.id}`)).statusCode).toBe(404);
    const m = res.json().libraries[0];
    res = await api(w.coordinator, 'POST', `/enterprises/${e1}/libraries/${m.id}/leave`, { leftOn: '2025-01-01' });
    expect(res.statusCode).toBe(200);
    res = await api(w.coordinator, 'POST', `/enterprises/${e1}/libraries`, { libraryId: libId, joinedOn: '2025-06-01' });
    expect(res.json().libraries.map((x: { leftOn: string | null }) => x.leftOn)).toEqual([null, '2025-01-01']);
    expect((await api(other.coordinator, 'POST', `/enterprises/${e1}/libraries`, { libraryId: libId, joinedOn: '2025-06-01' })).statusCode).toBe(404);
  });
});

describe('policies', () => {
  test('bad input is refused in Chinese: unknown condition field, expiry before publish, another district’s department', async () => {
    let res = await api(w.coordinator, 'POST', '/policies', policyBody({ eligibility: { match: 'all', conditions: [{ field: 'profit', value: 1 }] } }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('POLICY_CONDITION_INVALID');
    expect(res.json().error.details[0].message).toBe('第1个条件：未知的条件字段“profit”');
    res = await api(w.coordinator, 'POST', '/policies', policyBody({ publishOn: '2026-05-01', expiresOn: '2026-04-01' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('有效期不能早于发布日期');
    res = await api(w.coordinator, 'POST', '/policies', policyBody({ departmentId: other.departments[0] }));
    expect(res.statusCode).toBe(400);
    res = await api(w.staff2, 'POST', '/policies', policyBody());
    expect(res.statusCode).toBe(403);
    res = await api(w.coordinator, 'POST', '/policies', policyBody({ expiresOn: '2020-01-01' }));
    expect(res.statusCode).toBe(201);
    res = await api(w.coordinator, 'POST', `/policies/${res.json().id}/publish`, { version: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('POLICY_EXPIRED');
  });

  test('publish → matches, notifications, steward tasks; read, deliver (a contact), confirm, redeem; figures', async () => {
    const [e1, e2] = w.enterprises;
    // e2: above scale but no specialized certification → not met; a third enterprise with unknown data for an `any` policy
    let res = await api(w.staff1, 'POST', '/policies', policyBody());
    expect(res.statusCode).toBe(201);
    const pol = res.json();
    expect((await api(w.contact1, 'GET', `/policies/${pol.id}`)).statusCode).toBe(404); // a draft is not shown to enterprises
    res = await api(w.coordinator, 'POST', '/policies/preview', { eligibility: pol.eligibility });
    expect(res.json()).toMatchObject({ met: 1, unknown: 0 });
    res = await api(w.staff1, 'POST', `/policies/${pol.id}/publish`, { version: pol.version }, { 'idempotency-key': `pub-${pol.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('published');
    const again = await api(w.staff1, 'POST', `/policies/${pol.id}/publish`, { version: pol.version }, { 'idempotency-key': `pub-${pol.id}` });
    expect(again.statusCode).toBe(200);
    expect((await api(w.staff1, 'POST', `/policies/${pol.id}/publish`, { version: pol.version + 1 })).statusCode).toBe(409);
    const notes = await t.db.query(`SELECT person_id, kind FROM notification WHERE entity_id = $1 ORDER BY kind`, [pol.id]);
    expect(notes).toEqual([{ person_id: w.steward.id, kind: 'policy.deliver' }, { person_id: w.contact1.id, kind: 'policy.matched' }]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM wechat_outbox o JOIN notification n ON n.id = o.notification_id WHERE n.entity_id = $1`, [pol.id]))[0].n).toBe(2);

    res = await api(w.contact1, 'GET', `/enterprises/${e1.id}/policies`);
    expect(res.statusCode).toBe(200);
    const mine = res.json().find((x: { policy: { id: string } }) => x.policy.id === pol.id);
    expect(mine.outcome).toBe('met');
    expect(mine.explanation).toBe('符合：专精特新（2025-03 认定）、规模以上');
    expect((await api(w.contact1, 'GET', `/enterprises/${e2.id}/policies`)).statusCode).toBe(404);
    expect((await api(other.coordinator, 'GET', `/policies/${pol.id}`)).statusCode).toBe(404);
    expect((await api(w.contact1, 'GET', `/policies/${pol.id}/matches`)).statusCode).toBe(404);
    expect((await api(w.staff2, 'GET', `/policies/${pol.id}/figures`)).statusCode).toBe(404);

    expect((await api(w.contact1, 'POST', `/policies/${pol.id}/read`)).json().readAt).not.toBeNull();
    expect((await api(w.contact2, 'POST', `/policies/${pol.id}/read`)).statusCode).toBe(404);

    res = await api(w.steward, 'GET', '/policies/deliveries');
    expect(res.json().items.map((m: { enterprise: { id: string } }) => m.enterprise.id)).toEqual([e1.id]);
    expect((await api(w.steward2, 'POST', `/policies/${pol.id}/deliveries`, { enterpriseId: e1.id, kind: 'phone' })).statusCode).toBe(404);
    expect((await api(w.steward, 'POST', `/policies/${pol.id}/deliveries`, { enterpriseId: e1.id, kind: 'onsite' })).statusCode).toBe(400);
    const visitsBefore = (await t.db.query(`SELECT count(*)::int AS n FROM visit WHERE enterprise_id = $1`, [e1.id]))[0].n;
    res = await api(w.steward, 'POST', `/policies/${pol.id}/deliveries`, { enterpriseId: e1.id, kind: 'phone', notes: '电话讲解申报流程' });
    expect(res.statusCode).toBe(200);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM visit WHERE enterprise_id = $1 AND kind = 'phone' AND status = 'completed'`, [e1.id]))[0].n).toBe(visitsBefore + 1);
    expect((await api(w.steward, 'POST', `/policies/${pol.id}/deliveries`, { enterpriseId: e1.id, kind: 'phone' })).statusCode).toBe(409);
    expect((await api(w.steward, 'GET', '/policies/deliveries')).json().items).toEqual([]);

    // 免申即享: confirm → redeem (department of the policy only) → figures in 万元
    let m = (await api(w.contact1, 'POST', `/policies/${pol.id}/read`)).json();
    expect((await api(w.staff1, 'POST', `/policies/${pol.id}/redemptions`, { enterpriseId: e1.id, redeemedOn: TODAY, amount: '300000', version: m.version })).statusCode).toBe(409);
    res = await api(w.contact1, 'POST', `/policies/${pol.id}/confirm`, { decision: 'confirmed', version: m.version });
    expect(res.statusCode).toBe(200);
    m = res.json();
    expect(m.confirmation).toBe('confirmed');
    expect((await api(w.staff2, 'POST', `/policies/${pol.id}/redemptions`, { enterpriseId: e1.id, redeemedOn: TODAY, amount: '300000', version: m.version })).statusCode).toBe(404);
    res = await api(w.staff1, 'POST', `/policies/${pol.id}/redemptions`, { enterpriseId: e1.id, redeemedOn: TODAY, amount: '300000', version: m.version });
    expect(res.statusCode).toBe(200);
    expect((await api(w.contact1, 'POST', `/policies/${pol.id}/confirm`, { decision: 'declined', version: res.json().version })).statusCode).toBe(409);
    res = await api(w.staff1, 'GET', `/policies/${pol.id}/figures`);
    expect(res.json().total).toEqual({ matched: 1, unknown: 0, notified: 1, read: 1, delivered: 1, confirmed: 1, declined: 0, redeemed: 1, redeemedAmount: '300000', redeemedText: '30万元' });
    expect((await api(w.coordinator, 'PATCH', `/policies/${pol.id}`, { version: 2, title: '改标题不允许的政策' })).statusCode).toBe(409);
  });

  test('random profiles: stored matches equal the pure evaluation; figures equal independent counts', async () => {
    const d = await seedDistrict(t.db);
    const [lib] = await t.db.query(`INSERT INTO enterprise_library (district_id, name) VALUES ($1, '研发投入型企业培育库') RETURNING id`, [d.districtId]);
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2018, 0, 1) + n * 86400000).toISOString().slice(0, 10));
    const profiles = fc.sample(fc.record({
      area: fc.constantFrom(...d.areas), size: fc.option(fc.constantFrom(...SIZE_CLASSES), { nil: null }), above: fc.boolean(),
      employees: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }), revenue: fc.option(fc.constantFrom(...REVENUE_BANDS), { nil: null }),
      founded: fc.option(day, { nil: null }), cert: fc.option(fc.record({ kind: fc.constantFrom(...CERTIFICATION_KINDS), on: day }), { nil: null }),
      lib: fc.option(day, { nil: null }),
    }), 60);
    const expected: EligibilityProfile[] = [];
    const ids: string[] = [];
    for (const p of profiles) {
      const e = await buildEnterprise(t.db, { districtId: d.districtId, areaId: p.area, scale: p.above ? 'above' : 'below' });
      await t.db.query(`UPDATE enterprise SET size_class = $2, employees = $3, revenue_band = $4, founded_on = $5 WHERE id = $1`, [e.id, p.size, p.employees, p.revenue, p.founded]);
      if (p.cert) await t.db.query(`INSERT INTO enterprise_certification (district_id, enterprise_id, kind, certified_on) VALUES ($1,$2,$3,$4)`, [d.districtId, e.id, p.cert.kind, p.cert.on]);
      if (p.lib) await t.db.query(`INSERT INTO library_membership (district_id, library_id, enterprise_id, joined_on) VALUES ($1,$2,$3,$4)`, [d.districtId, lib.id, e.id, p.lib]);
      ids.push(e.id);
      expected.push({
        areaId: p.area, industrySection: null, industryDivision: null, sizeClass: p.size, aboveScale: p.above, foundedOn: p.founded, employees: p.employees,
        revenueBand: p.revenue, taxBand: null, certifications: p.cert ? [{ kind: p.cert.kind, certifiedOn: p.cert.on, expiresOn: null }] : [],
        libraries: p.lib ? [{ libraryId: lib.id, joinedOn: p.lib, leftOn: null }] : [],
      });
    }
    // the seeded enterprises of `d` have nothing recorded
    for (const e of d.enterprises) {
      const [r] = await t.db.query(`SELECT area_id, scale FROM enterprise WHERE id = $1`, [e.id]);
      ids.push(e.id);
      expected.push({ areaId: r.area_id, industrySection: null, industryDivision: null, sizeClass: null, aboveScale: r.scale === 'above', foundedOn: null, employees: null, revenueBand: null, taxBand: null, certifications: [], libraries: [] });
    }
    const eligibilities = fc.sample(fc.record({
      match: fc.constantFrom('all' as const, 'any' as const),
      conditions: fc.array(fc.oneof(
        fc.record({ field: fc.constant('size_class' as const), in: fc.subarray([...SIZE_CLASSES], { minLength: 1 }) }),
        fc.record({ field: fc.constant('employees_at_least' as const), value: fc.integer({ min: 0, max: 300 }) }),
        fc.record({ field: fc.constant('revenue_at_least' as const), band: fc.constantFrom(...REVENUE_BANDS) }),
        fc.record({ field: fc.constant('founded_before' as const), date: day }),
        fc.record({ field: fc.constant('certification' as const), kind: fc.constantFrom(...CERTIFICATION_KINDS) }),
        fc.record({ field: fc.constant('library' as const), libraryId: fc.constant(lib.id as string) }),
        fc.record({ field: fc.constant('area' as const), in: fc.subarray(d.areas, { minLength: 1 }) }),
        fc.record({ field: fc.constant('above_scale' as const), equals: fc.boolean() }),
      ), { minLength: 1, maxLength: 4 }),
    }), 6) as Eligibility[];
    for (const el of eligibilities) {
      const created = await api(d.coordinator, 'POST', '/policies', { ...policyBody({ departmentId: d.departments[0] }), eligibility: el });
      expect(created.statusCode).toBe(201);
      const preview = (await api(d.coordinator, 'POST', '/policies/preview', { eligibility: el })).json();
      const pub = await api(d.coordinator, 'POST', `/policies/${created.json().id}/publish`, { version: 1 });
      expect(pub.statusCode).toBe(200);
      const stored = new Map<string, string>((await t.db.query(`SELECT enterprise_id, outcome FROM policy_match WHERE policy_id = $1`, [pub.json().id])).map((r: { enterprise_id: string; outcome: string }) => [r.enterprise_id, r.outcome]));
      const outcomes = expected.map((p) => evaluateEligibility(el, p, { today: TODAY }).outcome);
      ids.forEach((id, i) => expect(stored.get(id) ?? 'not_met').toBe(outcomes[i]));
      expect(preview.met).toBe(outcomes.filter((o) => o === 'met').length);
      expect(preview.unknown).toBe(outcomes.filter((o) => o === 'unknown').length);
      const fig = (await api(d.coordinator, 'GET', `/policies/${pub.json().id}/figures`)).json();
      for (const row of fig.byArea) {
        const inArea = expected.map((p, i) => ({ p, o: outcomes[i] })).filter((x) => x.p.areaId === row.area.id);
        expect(row.matched).toBe(inArea.filter((x) => x.o === 'met').length);
        expect(row.unknown).toBe(inArea.filter((x) => x.o === 'unknown').length);
        expect(row.notified).toBe(row.matched);
      }
      expect(fig.total.matched).toBe(outcomes.filter((o) => o === 'met').length);
    }
  });
});
