import { createTestApp, type TestApp } from '../../test/helper';
import { seedOrgDemo } from './org-demo';
import { seedPolicyDemo } from './policy-demo';
import { previewMatches } from '../modules/policies/policy.service';

jest.setTimeout(180_000);
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t.close());

it('fills the demo district: profiles, libraries, published policies with matches, deliveries, 兑现 and survey answers, once', async () => {
  const { districtId } = await seedOrgDemo(t.db);
  const r = await seedPolicyDemo(t.db, districtId);
  expect(r.policies).toBe(5);
  const [f] = await t.db.query(
    `SELECT count(*) FILTER (WHERE outcome = 'met')::int AS met, count(*) FILTER (WHERE outcome = 'unknown')::int AS unknown, count(delivered_at)::int AS delivered,
            count(redeemed_on)::int AS redeemed FROM policy_match m JOIN policy p ON p.id = m.policy_id WHERE p.district_id = $1`, [districtId]);
  expect(f.met).toBeGreaterThan(50);
  expect(f.unknown).toBeGreaterThan(10);
  expect(f.delivered).toBeGreaterThan(0);
  expect(f.redeemed).toBeGreaterThan(0);
  const [ent001] = await t.db.query(`SELECT enterprise_id FROM person WHERE district_id = $1 AND username = 'ent001'`, [districtId]);
  expect((await t.db.query(`SELECT 1 FROM policy_match m JOIN policy p ON p.id = m.policy_id WHERE m.enterprise_id = $1 AND p.mode = 'no_application' AND m.confirmation = 'pending'`, [ent001.enterprise_id])).length).toBeGreaterThan(0);
  expect((await t.db.query(`SELECT count(*)::int AS n FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.district_id = $1`, [districtId]))[0].n).toBeGreaterThan(10);
  expect((await seedPolicyDemo(t.db, districtId)).policies).toBe(0);
  // how long the editor's live count takes over the 2,000-enterprise demo district (reported, not asserted)
  const [coord] = await t.db.query(`SELECT id FROM person WHERE district_id = $1 AND username = 'coordinator'`, [districtId]);
  const who = { id: coord.id, districtId, roles: ['coordinator' as const], enterpriseId: null, departmentId: null };
  const el = { match: 'all', conditions: [{ field: 'certification', kind: 'high_tech' }, { field: 'revenue_at_least', band: '20m_100m' }] };
  await previewMatches(t.db, who, el);
  const t0 = Date.now();
  for (let i = 0; i < 5; i++) await previewMatches(t.db, who, el);
  if (process.env.POLICY_TIMING) console.info(`policy preview over 2000 enterprises: ${((Date.now() - t0) / 5).toFixed(0)} ms`);
});
