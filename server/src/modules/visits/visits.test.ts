import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toGcj02 } from '@guanjia/shared';
import { createTestApp, type TestApp, clearAppendOnlyTable } from '../../../test/helper';
import { auth, buildEnterprise, seedDistrict, type World } from '../../../test/factories';
import { checkOutOpenVisits, jpeg, multipart, planOnsite, png, uploadPhoto, visitAt } from '../../../test/visit-helpers';

// Real PostgreSQL on a shared machine: give a slow moment room rather than a false failure.
jest.setTimeout(30_000);

let t: TestApp;
let w: World;
let other: World;
let uploadDir: string;

beforeAll(async () => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanjia-visits-'));
  t = await createTestApp({ env: { UPLOAD_DIR: uploadDir } });
  w = await seedDistrict(t.db);
  other = await seedDistrict(t.db);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

// Enterprise 1 stands at 41.1 N, 121.1 E (WGS-84). The district fence is 300 m by default.
const ENT = { lat: 41.1, lng: 121.1 };

describe('logging visits', () => {
  it('logs a phone call at once as a completed contact, with its problems', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward),
      payload: { kind: 'phone', enterpriseId: w.enterprises[0].id, notes: '了解用工情况', problems: [{ description: '缺少熟练焊工 20 人', category: '人才用工' }] },
    });
    expect(res.statusCode).toBe(201);
    const v = res.json();
    expect(v).toMatchObject({ kind: 'phone', status: 'completed', checkIn: null, offAssignment: false, flags: [] });
    expect(v.problems).toEqual([{ description: '缺少熟练焊工 20 人', category: '人才用工' }]);
    expect(v.steward).toEqual({ id: w.steward.id, name: '管家张' });
  });

  it('rejects a phone call logged in the future or beyond the backdating window', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    for (const occurredAt of [future, old]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'wechat', enterpriseId: w.enterprises[0].id, occurredAt } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VISIT_TIME_INVALID');
    }
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'wechat', enterpriseId: w.enterprises[0].id, occurredAt: yesterday } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().occurredAt).toBe(yesterday);
  });

  it('does not let an on-site visit choose its own time: the check-in stamps it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'onsite', enterpriseId: w.enterprises[0].id, occurredAt: new Date().toISOString() } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('/body/occurredAt');
  });

  it('lists every validation issue of a bad body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'fax', enterpriseId: 'nope', extra: 1 } });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/kind', '/body/enterpriseId']));
  });

  it('runs an on-site visit planned → checked in → checked out, and refuses steps out of order', async () => {
    const id = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    const early = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/check-out`, headers: auth(t.app, w.steward), payload: {} });
    expect(early.json().error.code).toBe('VISIT_NOT_CHECKED_IN');
    const photoId = await uploadPhoto(t.app, w.steward);
    const before = Date.now();
    const ci = await t.app.inject({
      method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers: auth(t.app, w.steward),
      payload: { location: { lat: 41.1005, lng: 121.1, datum: 'wgs84' }, accuracyM: 12, photoId },
    });
    expect(ci.statusCode).toBe(200);
    const v = ci.json();
    expect(v.status).toBe('checked_in');
    // the server's clock, not the phone's
    expect(Math.abs(new Date(v.checkIn.at).getTime() - before)).toBeLessThan(10_000);
    expect(v.occurredAt).toBe(v.checkIn.at);
    expect(v.checkIn).toMatchObject({ insideFence: true, fenceRadiusM: 300, reportedDatum: 'wgs84', photoId, distanceM: 56 });
    expect(v.checkIn.location).toEqual({ lat: 41.1005, lng: 121.1, datum: 'wgs84', accuracyM: 12 });
    const again = await t.app.inject({
      method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers: auth(t.app, w.steward),
      payload: { location: { lat: 41.1005, lng: 121.1, datum: 'wgs84' }, accuracyM: 12, photoId: await uploadPhoto(t.app, w.steward) },
    });
    expect(again.json().error.code).toBe('VISIT_ALREADY_CHECKED_IN');
    const co = await t.app.inject({
      method: 'POST', url: `/api/v1/visits/${id}/check-out`, headers: auth(t.app, w.steward),
      payload: { location: { lat: 41.1004, lng: 121.1001, datum: 'wgs84' }, accuracyM: 10, notes: '座谈 40 分钟', problems: [{ description: '污水管网未接入' }] },
    });
    expect(co.statusCode).toBe(200);
    expect(co.json()).toMatchObject({ status: 'completed', notes: '座谈 40 分钟', problems: [{ description: '污水管网未接入', category: null }] });
    expect(co.json().checkOut.location).toMatchObject({ lat: 41.1004, lng: 121.1001 });
    const twice = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/check-out`, headers: auth(t.app, w.steward), payload: {} });
    expect(twice.json().error.code).toBe('VISIT_ALREADY_CHECKED_OUT');
  });

  it('does not check in a phone call', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: w.enterprises[0].id } });
    const ci = await t.app.inject({
      method: 'POST', url: `/api/v1/visits/${res.json().id}/check-in`, headers: auth(t.app, w.steward),
      payload: { location: { lat: 41.1, lng: 121.1, datum: 'wgs84' }, accuracyM: 10, photoId: await uploadPhoto(t.app, w.steward) },
    });
    expect(ci.json().error.code).toBe('VISIT_KIND_INVALID');
  });

  it('replays a retried check-in (same Idempotency-Key) instead of failing it', async () => {
    const id = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    const payload = { location: { lat: 41.1, lng: 121.1, datum: 'wgs84' }, accuracyM: 10, photoId: await uploadPhoto(t.app, w.steward) };
    const headers = { ...auth(t.app, w.steward), 'idempotency-key': `checkin-${id}` };
    const first = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers, payload });
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers, payload });
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.json().checkIn.at).toBe(first.json().checkIn.at);
  });

  it('cancels a planned visit but never a checked-in one', async () => {
    const id = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/cancel`, headers: auth(t.app, w.steward) });
    expect(res.json().status).toBe('cancelled');
    const ci = await t.app.inject({
      method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers: auth(t.app, w.steward),
      payload: { location: { lat: 41.1, lng: 121.1, datum: 'wgs84' }, accuracyM: 10, photoId: await uploadPhoto(t.app, w.steward) },
    });
    expect(ci.json().error.code).toBe('VISIT_CANCELLED');
    const done = (await visitAt(t.app, w.steward, w.enterprises[0].id, { ...ENT, datum: 'wgs84' })).json();
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${done.id}/cancel`, headers: auth(t.app, w.steward) });
    expect(again.json().error.code).toBe('VISIT_NOT_PLANNED');
  });

  it('lets the steward complete notes and problems with the version read, and refuses a stale version', async () => {
    const v = (await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'meeting', enterpriseId: w.enterprises[0].id } })).json();
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/v1/visits/${v.id}`, headers: auth(t.app, w.steward), payload: { version: v.version, problems: [{ description: '融资担保额度不足', category: '融资困难' }] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().problems).toHaveLength(1);
    const stale = await t.app.inject({ method: 'PATCH', url: `/api/v1/visits/${v.id}`, headers: auth(t.app, w.steward), payload: { version: v.version, notes: 'x' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
  });
});

describe('geofence at known coordinates', () => {
  const gcjOfEnterprise = toGcj02(ENT.lat, ENT.lng); // ≈ 41.10207, 121.10566: 527 m from the WGS-84 point
  it.each<[string, { lat: number; lng: number; datum: 'wgs84' | 'gcj02' }, boolean, number, number]>([
    ['WGS-84, 111 m north', { lat: 41.101, lng: 121.1, datum: 'wgs84' }, true, 100, 120],
    ['WGS-84, 556 m north', { lat: 41.105, lng: 121.1, datum: 'wgs84' }, false, 545, 565],
    ['GCJ-02 of the enterprise itself', { ...gcjOfEnterprise, datum: 'gcj02' }, true, 0, 5],
    ['the GCJ-02 numbers mislabelled WGS-84', { ...gcjOfEnterprise, datum: 'wgs84' }, false, 515, 540],
    ['the WGS-84 numbers declared GCJ-02', { ...ENT, datum: 'gcj02' }, false, 515, 540],
  ])('%s → inside=%s', async (_label, where, inside, minM, maxM) => {
    const res = await visitAt(t.app, w.steward, w.enterprises[0].id, where);
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v.checkIn.insideFence).toBe(inside);
    expect(v.checkIn.distanceM).toBeGreaterThanOrEqual(minM);
    expect(v.checkIn.distanceM).toBeLessThanOrEqual(maxM);
    expect(v.flags.includes('outside_fence')).toBe(!inside);
    expect(v.checkIn.reportedDatum).toBe(where.datum);
    // stored in WGS-84 whatever the phone reported
    expect(v.checkIn.location.datum).toBe('wgs84');
    if (where.datum === 'gcj02' && inside) {
      expect(v.checkIn.location.lat).toBeCloseTo(ENT.lat, 4);
      expect(v.checkIn.location.lng).toBeCloseTo(ENT.lng, 4);
    }
  });

  it('uses the district radius a coordinator sets (外勤 at 556 m only while the fence is smaller)', async () => {
    const set = await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { fenceRadiusM: 800 } });
    expect(set.statusCode).toBe(200);
    expect(set.json().fenceRadiusM).toBe(800);
    const res = (await visitAt(t.app, w.steward, w.enterprises[0].id, { lat: 41.105, lng: 121.1, datum: 'wgs84' })).json();
    expect(res.checkIn).toMatchObject({ insideFence: true, fenceRadiusM: 800 });
    expect(res.flags).not.toContain('outside_fence');
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { fenceRadiusM: 300 } });
  });

  it('forbids stewards to change the settings and keeps other districts on the defaults', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.steward), payload: { fenceRadiusM: 5000 } });
    expect(res.statusCode).toBe(403);
    const theirs = await t.app.inject({ method: 'GET', url: '/api/v1/visit-settings', headers: auth(t.app, other.steward) });
    expect(theirs.json()).toMatchObject({ fenceRadiusM: 300, allowOffAssignment: false, cadenceRules: [
      { enterpriseClass: 'key', period: 'month', requiredKind: 'onsite', requiredCount: 2 },
      { enterpriseClass: 'other', period: 'month', requiredKind: 'any', requiredCount: 1 },
    ] });
  });
});

describe('plausibility flags (accepted, flagged, never silent)', () => {
  let far: { id: string };
  beforeAll(async () => {
    // 50 km north of enterprise 1, assigned to the same steward
    far = await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[1], lat: 41.55, lng: 121.1 });
    await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [w.districtId, w.steward.id, far.id]);
  });

  it('too_fast: 50 km from the previous check-in minutes later', async () => {
    const a = (await visitAt(t.app, w.steward, w.enterprises[0].id, { ...ENT, datum: 'wgs84' })).json();
    const b = (await visitAt(t.app, w.steward, far.id, { lat: 41.55, lng: 121.1, datum: 'wgs84' })).json();
    expect(b.checkIn.insideFence).toBe(true);
    expect(b.flags).toEqual(['too_fast']);
    expect(b.flagDetails.previousVisitId).toBe(a.id);
    expect(b.flagDetails.speedKmh === 'infinite' || b.flagDetails.speedKmh > 120).toBe(true);
  });

  it('no too_fast when the previous check-in was long enough ago', async () => {
    await visitAt(t.app, w.steward, w.enterprises[0].id, { ...ENT, datum: 'wgs84' });
    // every earlier check-in moves back too, so the one just made stays the latest
    await t.db.query(`UPDATE visit SET checkin_at = checkin_at - interval '2 hours' WHERE steward_id = $1`, [w.steward.id]);
    const b = (await visitAt(t.app, w.steward, far.id, { lat: 41.55, lng: 121.1, datum: 'wgs84' })).json();
    expect(b.flags).toEqual([]);
    expect(b.flagDetails.speedKmh).toBeGreaterThan(20);
    expect(b.flagDetails.speedKmh).toBeLessThan(30);
  });

  it('photo_reused: the same picture (same SHA-256) at a second check-in, even uploaded again', async () => {
    await t.db.query(`UPDATE visit SET checkin_at = checkin_at - interval '1 day' WHERE steward_id = $1`, [w.steward.id]);
    const photo = jpeg();
    const a = (await visitAt(t.app, w.steward, w.enterprises[0].id, { ...ENT, datum: 'wgs84' }, { photo })).json();
    expect(a.flags).toEqual([]);
    const b = (await visitAt(t.app, w.steward, w.enterprises[0].id, { ...ENT, datum: 'wgs84' }, { photo })).json();
    expect(b.flags).toEqual(['photo_reused']);
    expect(b.flagDetails.photoReusedFromVisitId).toBe(a.id);
  });

  it('one uploaded photo cannot serve two check-ins', async () => {
    const photoId = await uploadPhoto(t.app, w.steward);
    const body = { location: { ...ENT, datum: 'wgs84' }, accuracyM: 10, photoId };
    await checkOutOpenVisits(t.app, w.steward);
    const one = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    const two = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/visits/${one}/check-in`, headers: auth(t.app, w.steward), payload: body })).statusCode).toBe(200);
    await checkOutOpenVisits(t.app, w.steward);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${two}/check-in`, headers: auth(t.app, w.steward), payload: body });
    expect(res.json().error.code).toBe('PHOTO_ALREADY_USED');
  });

  it('low_accuracy: worse than 200 m', async () => {
    const ok = (await visitAt(t.app, w.steward, w.enterprises[0].id, { ...ENT, datum: 'wgs84' }, { accuracyM: 200 })).json();
    expect(ok.flags).not.toContain('low_accuracy');
    const bad = (await visitAt(t.app, w.steward, w.enterprises[0].id, { ...ENT, datum: 'wgs84' }, { accuracyM: 650 })).json();
    expect(bad.flags).toEqual(['low_accuracy']);
    expect(bad.flagDetails.accuracyM).toBe(650);
  });

  it('no_enterprise_location: accepted, one pending proposal, confirmed by a coordinator → the enterprise gets the point', async () => {
    const res = await visitAt(t.app, w.steward2, w.enterprises[1].id, { ...toGcj02(41.2, 121.3), datum: 'gcj02' });
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v.flags).toEqual(['no_enterprise_location']);
    expect(v.checkIn).toMatchObject({ insideFence: null, distanceM: null });
    // a second check-in before anyone decided does not pile up proposals
    await t.db.query(`UPDATE visit SET checkin_at = checkin_at - interval '1 day' WHERE steward_id = $1`, [w.steward2.id]);
    await visitAt(t.app, w.steward2, w.enterprises[1].id, { lat: 41.2001, lng: 121.3, datum: 'wgs84' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/location-proposals?status=pending', headers: auth(t.app, w.coordinator) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const proposal = list.json().items[0];
    expect(proposal).toMatchObject({ enterprise: { id: w.enterprises[1].id }, visitId: v.id, proposedBy: { id: w.steward2.id }, status: 'pending' });
    expect(proposal.location.lat).toBeCloseTo(41.2, 4);
    const notes = await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: auth(t.app, w.coordinator) });
    expect(notes.json().items.filter((n: { kind: string }) => n.kind === 'visit.location_proposal')).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/location-proposals', headers: auth(t.app, w.steward2) })).statusCode).toBe(403);

    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/location-proposals/${proposal.id}/confirm`, headers: auth(t.app, w.coordinator), payload: { note: '已电话核实' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('confirmed');
    const twice = await t.app.inject({ method: 'POST', url: `/api/v1/location-proposals/${proposal.id}/reject`, headers: auth(t.app, w.coordinator), payload: {} });
    expect(twice.json().error.code).toBe('LOCATION_PROPOSAL_NOT_PENDING');
    const ent = (await t.app.inject({ method: 'GET', url: `/api/v1/enterprises/${w.enterprises[1].id}`, headers: auth(t.app, w.coordinator) })).json();
    expect(ent.location.confirmed).toBe(true);
    expect(ent.location.lat).toBeCloseTo(41.2, 4);
    // from now on the fence applies there
    await t.db.query(`UPDATE visit SET checkin_at = checkin_at - interval '1 day' WHERE steward_id = $1`, [w.steward2.id]);
    const next = (await visitAt(t.app, w.steward2, w.enterprises[1].id, { lat: 41.2003, lng: 121.3, datum: 'wgs84' })).json();
    expect(next.flags).toEqual([]);
    expect(next.checkIn.insideFence).toBe(true);
  });

  it('several flags at once, and a coordinator can list and review the flagged ones', async () => {
    await t.db.query(`UPDATE visit SET checkin_at = checkin_at - interval '1 day' WHERE steward_id = $1`, [w.steward.id]);
    const v = (await visitAt(t.app, w.steward, w.enterprises[0].id, { lat: 41.12, lng: 121.1, datum: 'wgs84' }, { accuracyM: 900 })).json();
    expect(v.flags).toEqual(['outside_fence', 'low_accuracy']);
    const flagged = await t.app.inject({ method: 'GET', url: `/api/v1/visits?flagged=true&unreviewed=true&limit=200`, headers: auth(t.app, w.coordinator) });
    expect(flagged.json().items.map((x: { id: string }) => x.id)).toContain(v.id);
    expect(flagged.json().items.every((x: { flags: string[] }) => x.flags.length > 0)).toBe(true);
    const rev = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${v.id}/review`, headers: auth(t.app, w.coordinator), payload: { note: '园区新址，已核实' } });
    expect(rev.statusCode).toBe(200);
    expect(rev.json().review).toMatchObject({ by: { id: w.coordinator.id }, note: '园区新址，已核实' });
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/visits?flagged=true&unreviewed=true&limit=200`, headers: auth(t.app, w.coordinator) });
    expect(after.json().items.map((x: { id: string }) => x.id)).not.toContain(v.id);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/visits/${v.id}/review`, headers: auth(t.app, w.steward), payload: {} })).statusCode).toBe(403);
  });
});

describe('check-in photos', () => {
  it('accepts JPEG and PNG by their magic bytes, whatever the declared type', async () => {
    for (const [buf, mime] of [[jpeg(), 'image/jpeg'], [png(), 'image/png']] as const) {
      const m = multipart(buf, { mime: 'application/octet-stream', filename: 'x.bin' });
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/visit-photos', headers: { ...auth(t.app, w.steward), ...m.headers }, payload: m.payload });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ mime, sizeBytes: buf.length });
      expect(res.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('rejects something that is not an image, even named .jpg', async () => {
    const m = multipart(Buffer.from('GIF89a not really a photo, or a script'), { filename: 'photo.jpg', mime: 'image/jpeg' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visit-photos', headers: { ...auth(t.app, w.steward), ...m.headers }, payload: m.payload });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('PHOTO_INVALID');
  });

  it('takes a 2 MB photo (above the JSON body limit) and refuses one above 8 MB', async () => {
    const big = multipart(jpeg(2 * 1024 * 1024));
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/visit-photos', headers: { ...auth(t.app, w.steward), ...big.headers }, payload: big.payload });
    expect(ok.statusCode).toBe(201);
    const huge = multipart(jpeg(9 * 1024 * 1024));
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visit-photos', headers: { ...auth(t.app, w.steward), ...huge.headers }, payload: huge.payload });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('stores the file under the upload dir and serves it to its uploader and coordinators only', async () => {
    const buf = jpeg(1000);
    const id = await uploadPhoto(t.app, w.steward, buf);
    const [row] = await t.db.query(`SELECT storage_key FROM visit_photo WHERE id = $1`, [id]);
    expect(fs.readFileSync(path.join(uploadDir, row.storage_key)).equals(buf)).toBe(true);
    const mine = await t.app.inject({ method: 'GET', url: `/api/v1/visit-photos/${id}`, headers: auth(t.app, w.steward) });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/jpeg');
    expect(mine.rawPayload.equals(buf)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/visit-photos/${id}`, headers: auth(t.app, w.coordinator) })).statusCode).toBe(200);
    for (const p of [w.steward2, w.contact1, other.coordinator])
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/visit-photos/${id}`, headers: auth(t.app, p) })).statusCode).toBe(404);
  });

  it('only stewards upload, and a JSON body is not a photo', async () => {
    const m = multipart(jpeg());
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/visit-photos', headers: { ...auth(t.app, w.contact1), ...m.headers }, payload: m.payload })).statusCode).toBe(403);
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/visit-photos', headers: auth(t.app, w.steward), payload: { photo: 'x' } });
    expect(json.statusCode).toBe(415);
  });

  it('needs a photo the caller uploaded to check in', async () => {
    const id = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    await checkOutOpenVisits(t.app, w.steward);
    const someoneElses = await uploadPhoto(t.app, w.steward2);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers: auth(t.app, w.steward), payload: { location: { ...ENT, datum: 'wgs84' }, accuracyM: 10, photoId: someoneElses } });
    expect(res.json().error.code).toBe('PHOTO_REQUIRED');
    const none = await t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers: auth(t.app, w.steward), payload: { location: { ...ENT, datum: 'wgs84' }, accuracyM: 10 } });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details[0].path).toBe('/body/photoId');
  });
});

describe('the assignment rule', () => {
  it('refuses a visit to an enterprise not assigned to the steward', async () => {
    for (const kind of ['onsite', 'phone']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind, enterpriseId: w.enterprises[1].id } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('VISIT_NOT_ASSIGNED');
    }
  });

  it('refuses it after the assignment ended, and from non-stewards', async () => {
    const e = await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[0], lat: 41.3, lng: 121.3 });
    await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on, ends_on) VALUES ($1,$2,$3,'2026-01-01','2026-02-01')`, [w.districtId, w.steward.id, e.id]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: e.id } });
    expect(res.json().error.code).toBe('VISIT_NOT_ASSIGNED');
    for (const p of [w.coordinator, w.contact1, w.staff1]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, p), payload: { kind: 'phone', enterpriseId: w.enterprises[0].id } });
      expect(r.statusCode).toBe(403);
    }
  });

  it('allows it under a coordinator grant (marked off-assignment) until the grant is revoked', async () => {
    const g = await t.app.inject({ method: 'POST', url: '/api/v1/visit-grants', headers: auth(t.app, w.coordinator), payload: { stewardId: w.steward.id, enterpriseId: w.enterprises[1].id, reason: '李管家休假期间代为走访' } });
    expect(g.statusCode).toBe(201);
    expect(g.json()).toMatchObject({ steward: { id: w.steward.id }, enterprise: { id: w.enterprises[1].id }, revokedAt: null });
    const v = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: w.enterprises[1].id } });
    expect(v.statusCode).toBe(201);
    expect(v.json().offAssignment).toBe(true);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/visit-grants', headers: auth(t.app, w.steward) });
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual([g.json().id]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/visit-grants', headers: auth(t.app, w.steward2) })).json().items).toEqual([]);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/visit-grants', headers: auth(t.app, w.steward), payload: { stewardId: w.steward.id, enterpriseId: w.enterprises[1].id, reason: 'x' } })).statusCode).toBe(403);
    await t.app.inject({ method: 'POST', url: `/api/v1/visit-grants/${g.json().id}/revoke`, headers: auth(t.app, w.coordinator) });
    const after = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: w.enterprises[1].id } });
    expect(after.json().error.code).toBe('VISIT_NOT_ASSIGNED');
  });

  it('ignores an expired grant', async () => {
    await t.db.query(
      `INSERT INTO visit_grant (district_id, steward_id, enterprise_id, reason, valid_until, granted_by) VALUES ($1,$2,$3,'旧授权','2026-01-31',$4)`,
      [w.districtId, w.steward.id, w.enterprises[1].id, w.coordinator.id],
    );
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: w.enterprises[1].id } });
    expect(res.json().error.code).toBe('VISIT_NOT_ASSIGNED');
  });

  it('allows it district-wide when the coordinator turns allowOffAssignment on', async () => {
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { allowOffAssignment: true } });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'wechat', enterpriseId: w.enterprises[1].id } });
    expect(res.statusCode).toBe(201);
    expect(res.json().offAssignment).toBe(true);
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { allowOffAssignment: false } });
  });

  it('never reaches another district, setting or not', async () => {
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { allowOffAssignment: true } });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: other.enterprises[0].id } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('/body/enterpriseId');
    const grant = await t.app.inject({ method: 'POST', url: '/api/v1/visit-grants', headers: auth(t.app, w.coordinator), payload: { stewardId: w.steward.id, enterpriseId: other.enterprises[0].id, reason: '越界' } });
    expect(grant.statusCode).toBe(400);
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { allowOffAssignment: false } });
  });
});

describe('who sees what', () => {
  let visitId: string;
  beforeAll(async () => {
    await t.db.query(`UPDATE visit SET checkin_at = checkin_at - interval '1 day' WHERE steward_id = $1`, [w.steward.id]);
    const res = await visitAt(t.app, w.steward, w.enterprises[0].id, { lat: 41.1002, lng: 121.1, datum: 'wgs84' });
    visitId = res.json().id;
    await t.app.inject({ method: 'PATCH', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, w.steward), payload: { version: res.json().version, notes: '内部备注', problems: [{ description: '电力增容' }] } });
  });

  it('another district sees nothing: not in lists, not by id, not on the map, not in stats', async () => {
    for (const p of [other.coordinator, other.steward, other.leader, other.contact1]) {
      const one = await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, p) });
      expect(one.statusCode).toBe(404);
      expect(one.json().error.code).toBe('VISIT_NOT_FOUND');
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/visits?limit=200', headers: auth(t.app, p) });
      expect(list.json().items).toEqual([]);
    }
    const h = auth(t.app, other.coordinator);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const map = await t.app.inject({ method: 'GET', url: `/api/v1/visits/map?from=2026-01-01&to=${today}`, headers: h });
    expect(map.json().features).toEqual([]);
    const cov = await t.app.inject({ method: 'GET', url: `/api/v1/visits/coverage?from=2026-01-01&to=${today}`, headers: h });
    expect(cov.json().district.contacts).toBe(0);
    const cad = await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.steward.id}/cadence`, headers: h });
    expect(cad.statusCode).toBe(404);
    for (const url of [`/api/v1/visits/${visitId}/check-out`, `/api/v1/visits/${visitId}/review`, `/api/v1/visits/${visitId}/cancel`]) {
      const r = await t.app.inject({ method: 'POST', url, headers: auth(t.app, url.endsWith('review') ? other.coordinator : other.steward), payload: {} });
      expect(r.statusCode).toBe(404);
    }
    const proposals = await t.app.inject({ method: 'GET', url: '/api/v1/location-proposals', headers: h });
    expect(proposals.json().items).toEqual([]);
    const access = await t.app.inject({ method: 'GET', url: '/api/v1/location-access-log', headers: h });
    expect(access.json().items).toEqual([]);
  });

  it('the enterprise contact sees the visit and its problems, but no location, photo, notes or flags', async () => {
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, w.contact1) });
    expect(one.statusCode).toBe(200);
    const v = one.json();
    expect(v.problems).toEqual([{ description: '电力增容', category: null }]);
    expect(v.checkIn).toEqual({ at: expect.any(String), location: null, reportedDatum: null, distanceM: null, fenceRadiusM: null, insideFence: null, photoId: null });
    expect(v.notes).toBeNull();
    expect(v.flags).toEqual([]);
    expect(v.enterprise).not.toHaveProperty('location'); // the fence's centre is for the map of those who see the check-in
    const office = (await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, w.coordinator) })).json();
    expect(office.enterprise.location).toEqual({ lat: 41.1, lng: 121.1 });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/visits?limit=200', headers: auth(t.app, w.contact1) });
    expect(list.json().items.length).toBeGreaterThan(0);
    expect(list.json().items.every((x: { enterprise: { id: string }; checkIn: { location: unknown } | null }) =>
      x.enterprise.id === w.enterprises[0].id && (x.checkIn === null || x.checkIn.location === null))).toBe(true);
    expect(JSON.stringify(list.json())).not.toContain('41.1002');
    // a visit only planned (or cancelled) is not part of the enterprise's service record
    const planned = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/visits/${planned}`, headers: auth(t.app, w.contact1) })).statusCode).toBe(404);
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/visits?limit=200', headers: auth(t.app, w.contact1) });
    expect(again.json().items.map((x: { id: string }) => x.id)).not.toContain(planned);
    await t.app.inject({ method: 'POST', url: `/api/v1/visits/${planned}/cancel`, headers: auth(t.app, w.steward) });
    // the other enterprise's contact sees none of it, nor the map
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, w.contact2) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/visits/map?from=2026-01-01&to=2026-12-31', headers: auth(t.app, w.contact1) })).statusCode).toBe(403);
  });

  it('another steward and department staff see nothing of it', async () => {
    for (const p of [w.steward2, w.staff1]) {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, p) })).statusCode).toBe(404);
      const list = await t.app.inject({ method: 'GET', url: `/api/v1/visits?enterpriseId=${w.enterprises[0].id}`, headers: auth(t.app, p) });
      expect(list.json().items).toEqual([]);
    }
  });

  it('logs who read the location (PIPL art. 28): coordinators and leaders, not the steward reading their own', async () => {
    await clearAppendOnlyTable(t.db, 'location_access_log');
    await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, w.steward) });
    await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, w.contact1) });
    await t.app.inject({ method: 'GET', url: `/api/v1/visits/${visitId}`, headers: auth(t.app, w.leader) });
    await t.app.inject({ method: 'GET', url: `/api/v1/visits?stewardId=${w.steward.id}&limit=5`, headers: auth(t.app, w.coordinator) });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/location-access-log?visitId=${visitId}`, headers: auth(t.app, w.admin) });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { actor: { id: string }; purpose: string }) => [i.actor.id, i.purpose])).toEqual([
      [w.coordinator.id, 'visit.list'],
      [w.leader.id, 'visit.detail'],
    ]);
    expect(items[0].visitIds).toContain(visitId);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/location-access-log', headers: auth(t.app, w.leader) })).statusCode).toBe(403);
  });

  it('pages the list newest first with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await t.app.inject({ method: 'GET', url: `/api/v1/visits?stewardId=${w.steward.id}&limit=4${qs}`, headers: auth(t.app, w.coordinator) })).json();
      seen.push(...page.items.map((x: { id: string }) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM visit WHERE steward_id = $1`, [w.steward.id]);
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });
});
