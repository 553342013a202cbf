import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, seedDistrict, type World } from '../../../test/factories';
import { visitAt } from '../../../test/visit-helpers';
import { autoCheckoutVisits } from './visit.jobs';

/**
 * docs/screens.md, visits: one open on-site visit per steward (a second check-in is refused, naming the open one), a 外勤
 * check-in needs a reason, a 0-minute visit is flagged, and an open visit past the district's limit is closed by
 * the job and flagged — each change with its audit row.
 */
jest.setTimeout(30_000);
let t: TestApp;
let w: World;
let other: World;
let uploadDir: string;
beforeAll(async () => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-open-visits-'));
  t = await createTestApp({ env: { UPLOAD_DIR: uploadDir } });
  w = await seedDistrict(t.db);
  other = await seedDistrict(t.db);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

const ENT = { lat: 41.1, lng: 121.1, datum: 'wgs84' as const };
const FAR = { lat: 41.2, lng: 121.1, datum: 'wgs84' as const };
const checkOut = (id: string, who = w.steward) => t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/check-out`, headers: auth(t.app, who), payload: {} });

it('refuses a second open on-site visit, naming the open one; after 签退 the next check-in goes through', async () => {
  const first = await visitAt(t.app, w.steward, w.enterprises[0].id, ENT);
  expect(first.statusCode).toBe(200);
  const second = await visitAt(t.app, w.steward, w.enterprises[0].id, ENT, { keepOpen: true });
  expect(second.statusCode).toBe(409);
  const err = second.json().error;
  expect(err.code).toBe('VISIT_ALREADY_OPEN');
  expect(err.message).toContain(w.enterprises[0].name);
  expect(err.details[0].path).toBe(`/visits/${first.json().id}`);
  expect((await checkOut(first.json().id)).statusCode).toBe(200);
  const third = await visitAt(t.app, w.steward, w.enterprises[0].id, ENT, { keepOpen: true });
  expect(third.statusCode).toBe(200);
  await checkOut(third.json().id);
});

it('a 外勤 check-in needs a reason (400 in Chinese, nothing written), kept for review', async () => {
  const bare = await visitAt(t.app, w.steward, w.enterprises[0].id, FAR, { offsiteReason: null });
  expect(bare.statusCode).toBe(400);
  expect(bare.json().error).toMatchObject({ code: 'VISIT_OFFSITE_REASON_REQUIRED', details: [{ path: '/body/offsiteReason', message: expect.stringMatching(/外勤原因/) }] });
  const planned = await t.db.query(`SELECT count(*)::int AS n FROM visit WHERE steward_id = $1 AND status = 'checked_in'`, [w.steward.id]);
  expect(planned[0].n).toBe(0);
  const ok = await visitAt(t.app, w.steward, w.enterprises[0].id, FAR, { offsiteReason: '在企业新址或项目工地' });
  expect(ok.statusCode).toBe(200);
  expect(ok.json().flags).toContain('outside_fence');
  const [row] = await t.db.query(`SELECT flag_details FROM visit WHERE id = $1`, [ok.json().id]);
  expect(row.flag_details.offsiteReason).toBe('在企业新址或项目工地');
  await checkOut(ok.json().id);
});

it('flags a visit checked out within a minute (0-minute visit)', async () => {
  const v = await visitAt(t.app, w.steward, w.enterprises[0].id, ENT);
  const out = await checkOut(v.json().id);
  expect(out.json().flags).toContain('short_visit');
  const longer = await visitAt(t.app, w.steward, w.enterprises[0].id, ENT);
  await t.db.query(`UPDATE visit SET checkin_at = checkin_at - interval '30 minutes' WHERE id = $1`, [longer.json().id]);
  expect((await checkOut(longer.json().id)).json().flags).not.toContain('short_visit');
});

it('the job closes visits open past the district limit (8 h by default, configurable), flags them and tells the steward', async () => {
  const stale = await visitAt(t.app, w.steward, w.enterprises[0].id, ENT);
  const id = stale.json().id;
  await t.db.query(`UPDATE visit SET checkin_at = now() - interval '9 hours' WHERE id = $1`, [id]);
  const fresh = await visitAt(t.app, other.steward, other.enterprises[0].id, ENT);
  await t.db.query(`UPDATE visit SET checkin_at = now() - interval '3 hours' WHERE id = $1`, [fresh.json().id]);

  expect(await autoCheckoutVisits(t.db)).toEqual({ skipped: false, closed: 1 });
  const [row] = await t.db.query(`SELECT status, flags, checkout_at - checkin_at AS open_for FROM visit WHERE id = $1`, [id]);
  expect(row.status).toBe('completed');
  expect(row.flags).toContain('auto_closed');
  expect(row.open_for).toMatchObject({ hours: 8 });
  expect((await t.db.query(`SELECT 1 FROM audit_event WHERE entity_id = $1 AND action = 'visit.auto_checked_out'`, [id])).length).toBe(1);
  expect((await t.db.query(`SELECT title FROM notification WHERE person_id = $1 AND kind = 'visit.auto_closed'`, [w.steward.id]))[0].title).toContain('自动签退');
  expect(await autoCheckoutVisits(t.db)).toEqual({ skipped: false, closed: 0 });

  // another district with a 2 h limit closes its 3 h visit
  const put = await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, other.coordinator), payload: { autoCheckoutHours: 2 } });
  expect(put.statusCode).toBe(200);
  expect(await autoCheckoutVisits(t.db)).toEqual({ skipped: false, closed: 1 });
  const bad = await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, other.coordinator), payload: { autoCheckoutHours: 0 } });
  expect(bad.statusCode).toBe(400);
});

describe('review: 复核通过 or 驳回 with a reason (issue 13)', () => {
  const review = (id: string, payload: object, who = w.coordinator) =>
    t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/review`, headers: auth(t.app, who), payload });
  const done = async () => {
    const c = (await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.steward.id}/cadence`, headers: auth(t.app, w.coordinator) })).json();
    return (c.items as { enterprise: { id: string }; done: number }[]).find((i) => i.enterprise.id === w.enterprises[0].id)!.done;
  };

  it('rejects a checked-out 外勤 visit with a reason: status rejected, not counted, audited; refused without a reason or twice', async () => {
    const v = await visitAt(t.app, w.steward, w.enterprises[0].id, FAR);
    expect(v.statusCode).toBe(200);
    const id = v.json().id as string;
    // An open visit cannot be rejected yet.
    expect((await review(id, { verdict: 'rejected', note: '位置与企业不符' })).json().error.code).toBe('VISIT_NOT_REJECTABLE');
    expect((await checkOut(id)).statusCode).toBe(200);
    const before = await done();

    const bare = await review(id, { verdict: 'rejected', note: ' ' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error).toMatchObject({ code: 'VISIT_REVIEW_REASON_REQUIRED', message: '驳回签到须填写理由' });
    expect((await t.db.query(`SELECT status, reviewed_at FROM visit WHERE id = $1`, [id]))[0]).toEqual({ status: 'completed', reviewed_at: null });

    const other1 = await review(id, { verdict: 'rejected', note: '位置与企业不符' }, other.coordinator);
    expect(other1.statusCode).toBe(404);
    expect((await review(id, { verdict: 'rejected', note: '位置与企业不符' }, w.steward)).statusCode).toBe(403);

    const ok = await review(id, { verdict: 'rejected', note: '位置与企业不符，照片为室外' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'rejected', review: { by: { id: w.coordinator.id }, note: '位置与企业不符，照片为室外' } });
    const audit = await t.db.query(`SELECT data FROM audit_event WHERE entity_id = $1 AND action = 'visit.rejected'`, [id]);
    expect(audit).toEqual([{ data: { note: '位置与企业不符，照片为室外' } }]);
    // The rejected visit no longer counts toward the steward's contacts this period.
    expect(await done()).toBe(before - 1);

    expect((await review(id, { verdict: 'rejected', note: '再次驳回' })).json().error.code).toBe('VISIT_NOT_REJECTABLE');
    expect((await review(id, { note: '改为通过' })).json().error.code).toBe('VISIT_NOT_REJECTABLE');
    expect((await review(id, { verdict: 'maybe' })).statusCode).toBe(400);
  });
});
