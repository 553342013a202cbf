import { createDataSource } from '../../data-source';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildEnterprise, seedDistrict, type World } from '../../../test/factories';
import { insertVisit } from '../../../test/visit-helpers';
import { runCadenceReminders } from './visit.jobs';
import { evaluateCadence } from './cadence.service';

// Real PostgreSQL on a shared machine: give a slow moment room rather than a false failure.
jest.setTimeout(30_000);

let t: TestApp;
let w: World;
let key: string; // enterprise 1, tagged 重点企业: 2 on-site visits a month
let small: string; // another enterprise of the same steward: 1 contact of any kind a month
let ended: string; // assigned only until 2026-01-10

const at = (s: string) => new Date(s);

beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  key = w.enterprises[0].id;
  await t.db.query(`UPDATE enterprise SET tags = '{重点企业}' WHERE id = $1`, [key]);
  small = (await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[0], lat: 41.2, lng: 121.2 })).id;
  ended = (await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[1] })).id;
  await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on) VALUES ($1,$2,$3,'2026-01-01')`, [w.districtId, w.steward.id, small]);
  await t.db.query(`INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on, ends_on) VALUES ($1,$2,$3,'2026-01-01','2026-01-10')`, [w.districtId, w.steward.id, ended]);
  const v = (kind: 'onsite' | 'phone', enterpriseId: string, iso: string, stewardId = w.steward.id) =>
    insertVisit(t.db, { districtId: w.districtId, stewardId, enterpriseId, kind, at: iso });
  // January: one on-site at the key enterprise (short of 2); the small one phoned at 23:30 on 31 January, Beijing time.
  await v('onsite', key, '2026-01-20T10:00:00+08:00');
  await v('phone', small, '2026-01-31T23:30:00+08:00');
  // 00:10 on 1 February in Beijing is still 31 January in UTC: it is a February contact.
  await v('phone', small, '2026-02-01T00:10:00+08:00');
  await v('onsite', key, '2026-02-28T23:59:00+08:00');
  await v('onsite', key, '2026-03-01T00:01:00+08:00');
  // a planned (never checked-in) and a cancelled on-site visit count for nothing
  await t.db.query(
    `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, created_by) VALUES
       ($1,$2,$3,'onsite','planned','2026-02-10T10:00:00+08:00',$2), ($1,$2,$3,'onsite','cancelled','2026-02-11T10:00:00+08:00',$2)`,
    [w.districtId, w.steward.id, key],
  );
});
afterAll(() => t.close());

type Item = { enterprise: { id: string }; status: string; done: number; required: number; period: { from: string; to: string } };
async function cadence(date: string, who = w.steward, stewardId = w.steward.id) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${stewardId}/cadence?date=${date}`, headers: auth(t.app, who) });
  expect(res.statusCode).toBe(200);
  const body = res.json();
  return { body, of: (id: string) => body.items.find((i: Item) => i.enterprise.id === id) as Item | undefined };
}

describe('cadence across a month boundary (Asia/Shanghai periods)', () => {
  it('January: the 23:30 call on the 31st counts, the 00:10 call on 1 February does not; one on-site of two is overdue', async () => {
    const { body, of } = await cadence('2026-01-15');
    expect(of(small)).toMatchObject({ status: 'done', done: 1, required: 1, period: { from: '2026-01-01', to: '2026-01-31' } });
    expect(of(key)).toMatchObject({ status: 'overdue', done: 1, required: 2, enterpriseClass: 'key', rule: { requiredKind: 'onsite', requiredCount: 2 } });
    // assigned until 10 January: still owed a January contact
    expect(of(ended)).toMatchObject({ status: 'overdue', done: 0, required: 1 });
    expect(body.summary).toEqual({ done: 1, due: 0, overdue: 2 });
    expect(body.asOf).toBe('2026-01-15');
  });

  it('February: the 00:10 call counts here; 23:59 on the 28th is February, 00:01 on 1 March is not; planned/cancelled never count', async () => {
    const { of } = await cadence('2026-02-27');
    expect(of(small)).toMatchObject({ status: 'done', done: 1, period: { from: '2026-02-01', to: '2026-02-28' } });
    expect(of(key)).toMatchObject({ status: 'overdue', done: 1, required: 2 });
    expect(of(ended)).toBeUndefined();
  });

  it('March: the 00:01 on-site visit is a March one; the small enterprise was not contacted', async () => {
    const { of } = await cadence('2026-03-31');
    expect(of(key)).toMatchObject({ done: 1, status: 'overdue' });
    expect(of(small)).toMatchObject({ done: 0, status: 'overdue' });
  });

  it('this period is due, not overdue, until it ends; a phone call this month makes the small one done', async () => {
    const before = await cadence(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
    expect(before.of(small)!.status).toBe('due');
    expect(before.of(key)!.status).toBe('due');
    await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: small } });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.steward.id}/cadence`, headers: auth(t.app, w.steward) });
    const of = (id: string) => res.json().items.find((i: Item) => i.enterprise.id === id);
    expect(of(small)).toMatchObject({ status: 'done', done: 1 });
    expect(of(small).lastContactAt).not.toBeNull();
    // a phone call does not count toward a key enterprise's on-site rule
    await t.app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(t.app, w.steward), payload: { kind: 'phone', enterpriseId: key } });
    const again = await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.steward.id}/cadence`, headers: auth(t.app, w.steward) });
    expect(again.json().items.find((i: Item) => i.enterprise.id === key)).toMatchObject({ status: 'due', done: 0 });
  });

  it('follows the rules a coordinator sets (key: one contact of any kind a month)', async () => {
    const bad = await t.app.inject({
      method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator),
      payload: { cadenceRules: [{ enterpriseClass: 'key', period: 'month', requiredKind: 'any', requiredCount: 1 }, { enterpriseClass: 'key', period: 'week', requiredKind: 'any', requiredCount: 1 }] },
    });
    expect(bad.statusCode).toBe(400);
    const set = await t.app.inject({
      method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator),
      payload: { cadenceRules: [{ enterpriseClass: 'key', period: 'month', requiredKind: 'any', requiredCount: 1 }, { enterpriseClass: 'other', period: 'quarter', requiredKind: 'any', requiredCount: 1 }] },
    });
    expect(set.statusCode).toBe(200);
    const { of } = await cadence('2026-01-15');
    expect(of(key)).toMatchObject({ status: 'done', done: 1, required: 1 });
    // quarterly: January's call covers Q1 for the small enterprise
    expect(of(small)).toMatchObject({ status: 'done', done: 2, period: { from: '2026-01-01', to: '2026-03-31' } });
    // key enterprises by tag only once 规上 no longer counts: enterprise 2 (规上) falls back to 'other'
    await t.db.query(`UPDATE enterprise SET scale = 'above' WHERE id = $1`, [w.enterprises[1].id]);
    const s2 = await cadence('2026-01-15', w.coordinator, w.steward2.id);
    expect(s2.of(w.enterprises[1].id)).toMatchObject({ enterpriseClass: 'key' });
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { keyIncludesAboveScale: false } });
    const s3 = await cadence('2026-01-15', w.coordinator, w.steward2.id);
    expect(s3.of(w.enterprises[1].id)).toMatchObject({ enterpriseClass: 'other' });
    // a class without a rule is not tracked
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { cadenceRules: [{ enterpriseClass: 'key', period: 'month', requiredKind: 'onsite', requiredCount: 2 }] } });
    const s4 = await cadence('2026-01-15');
    expect(s4.body.items.map((i: Item) => i.enterprise.id)).toEqual([key]);
    // back to the defaults for the tests below
    await t.app.inject({
      method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator),
      payload: { keyIncludesAboveScale: true, cadenceRules: [{ enterpriseClass: 'key', period: 'month', requiredKind: 'onsite', requiredCount: 2 }, { enterpriseClass: 'other', period: 'month', requiredKind: 'any', requiredCount: 1 }] },
    });
    await t.db.query(`UPDATE enterprise SET scale = 'below' WHERE id = $1`, [w.enterprises[1].id]);
  });

  it('a steward reads only their own list; coordinators read anyone in the district', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.steward2.id}/cadence`, headers: auth(t.app, w.steward) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.steward2.id}/cadence`, headers: auth(t.app, w.leader) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.coordinator.id}/cadence`, headers: auth(t.app, w.coordinator) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stewards/${w.steward.id}/cadence`, headers: auth(t.app, w.contact1) })).statusCode).toBe(403);
  });
});

describe('overdue contacts for coordinators', () => {
  it('groups February by steward and by area, worst first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/cadence/overdue?date=2026-02-10', headers: auth(t.app, w.coordinator) });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.total).toEqual({ done: 1, due: 0, overdue: 2 });
    const byId = Object.fromEntries(r.bySteward.map((s: { steward: { id: string } }) => [s.steward.id, s]));
    expect(byId[w.steward.id].summary).toEqual({ done: 1, due: 0, overdue: 1 });
    expect(byId[w.steward.id].pending).toEqual([
      { enterprise: { id: key, name: expect.any(String) }, area: { id: w.areas[0], name: expect.any(String) }, status: 'overdue', done: 1, required: 2, period: { from: '2026-02-01', to: '2026-02-28' } },
    ]);
    expect(byId[w.steward2.id].summary).toEqual({ done: 0, due: 0, overdue: 1 });
    const areas = Object.fromEntries(r.byArea.map((a: { area: { id: string }; summary: unknown }) => [a.area.id, a.summary]));
    expect(areas[w.areas[0]]).toEqual({ done: 1, due: 0, overdue: 1 });
    expect(areas[w.areas[1]]).toEqual({ done: 0, due: 0, overdue: 1 });
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/cadence/overdue?date=2026-02-10&areaId=${w.areas[1]}`, headers: auth(t.app, w.coordinator) });
    expect(one.json().bySteward.map((s: { steward: { id: string } }) => s.steward.id)).toEqual([w.steward2.id]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/cadence/overdue', headers: auth(t.app, w.steward) })).statusCode).toBe(403);
  });

  it('pages the stewards one at a time in the same order, each once', async () => {
    const get = (cursor?: string) => t.app.inject({
      method: 'GET', url: `/api/v1/cadence/overdue?date=2026-02-10&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: auth(t.app, w.coordinator),
    }).then((r) => r.json());
    const all = (await get()).bySteward;
    const whole = (await t.app.inject({ method: 'GET', url: '/api/v1/cadence/overdue?date=2026-02-10', headers: auth(t.app, w.coordinator) })).json();
    const seen: string[] = [];
    let page = await get();
    for (let i = 0; i < 5; i += 1) {
      seen.push(...page.bySteward.map((s: { steward: { id: string } }) => s.steward.id));
      if (!page.nextCursor) break;
      page = await get(page.nextCursor);
    }
    expect(all).toHaveLength(1);
    expect(seen).toEqual(whole.bySteward.map((s: { steward: { id: string } }) => s.steward.id));
    expect(seen).toHaveLength(2);
  });

  it('another district sees none of it', async () => {
    const other = await seedDistrict(t.db);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/cadence/overdue?date=2026-02-10', headers: auth(t.app, other.coordinator) });
    const ids = res.json().bySteward.map((s: { steward: { id: string } }) => s.steward.id);
    expect(ids).not.toContain(w.steward.id);
    expect(ids).not.toContain(w.steward2.id);
    await t.db.query(`DELETE FROM assignment WHERE district_id = $1`, [other.districtId]);
  });
});

describe('cadence reminders job', () => {
  // 30 March 2026, Beijing time: inside the last 3 days of March (reminders from the 29th).
  const now = at('2026-03-30T10:00:00+08:00');

  it('sends nothing before the reminder window', async () => {
    const r = await runCadenceReminders(t.db, at('2026-03-20T10:00:00+08:00'));
    expect(r).toEqual({ skipped: false, sent: 0 });
  });

  it('runs exactly once when two instances run it at the same moment, and again later changes nothing', async () => {
    const url = (t.db.options as { url: string }).url;
    const second = createDataSource(url, { poolSize: 2, applicationName: 'guanjia-instance-2' });
    await second.initialize();
    try {
      const expected = (await evaluateCadence(t.db, w.districtId, { periodOf: now, now })).filter((r) => r.remind);
      // key: 1 of 2 on-site in March; small: not contacted; steward2's enterprise 2: not contacted
      expect(expected.map((r) => r.enterprise.id).sort()).toEqual([key, small, w.enterprises[1].id].sort());
      const results = await Promise.all([runCadenceReminders(t.db, now), runCadenceReminders(second, now), runCadenceReminders(t.db, now), runCadenceReminders(second, now)]);
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(3);
      const rows = await t.db.query(`SELECT person_id, entity_id, dedupe_key, title, body FROM notification WHERE kind = 'visit.cadence_reminder' ORDER BY person_id, entity_id`);
      expect(rows).toHaveLength(3);
      expect(new Set(rows.map((r: { dedupe_key: string }) => r.dedupe_key)).size).toBe(3);
      const mine = rows.filter((r: { person_id: string }) => r.person_id === w.steward.id);
      expect(mine.map((r: { entity_id: string }) => r.entity_id).sort()).toEqual([key, small].sort());
      const keyNote = mine.find((r: { entity_id: string }) => r.entity_id === key);
      expect(keyNote.body).toBe('本期（2026-03-01 至 2026-03-31）还需现场走访 1 次（要求 2 次，已完成 1 次）。');
      // each reminder is queued for WeChat once too
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM wechat_outbox o JOIN notification x ON x.id = o.notification_id WHERE x.kind = 'visit.cadence_reminder'`);
      expect(n).toBe(3);
      expect(await runCadenceReminders(second, at('2026-03-31T20:00:00+08:00'))).toEqual({ skipped: false, sent: 0 });
      // the steward sees it in the app
      const inbox = await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: auth(t.app, w.steward2) });
      expect(inbox.json().items.filter((x: { kind: string }) => x.kind === 'visit.cadence_reminder')).toHaveLength(1);
    } finally {
      await second.destroy();
    }
  });

  it('a second instance skips while the first holds the lock', async () => {
    const url = (t.db.options as { url: string }).url;
    const second = createDataSource(url, { poolSize: 2 });
    await second.initialize();
    const runner = t.db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT pg_advisory_xact_lock(4, 1)`);
      expect(await runCadenceReminders(second, now)).toEqual({ skipped: true, sent: 0 });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await second.destroy();
    }
  });

  it('does not remind when the district turned reminders off', async () => {
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { reminderDaysBefore: 0 } });
    expect(await runCadenceReminders(t.db, at('2026-04-29T10:00:00+08:00'))).toEqual({ skipped: false, sent: 0 });
    await t.app.inject({ method: 'PATCH', url: '/api/v1/visit-settings', headers: auth(t.app, w.coordinator), payload: { reminderDaysBefore: 3 } });
    expect((await runCadenceReminders(t.db, at('2026-04-29T10:00:00+08:00'))).sent).toBe(3);
  });
});
