import { createTestApp, type TestApp } from '../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import { packageCalendar, seedCalendarFromPackage } from './calendar-seed';
import { createTicket } from '../tickets/lifecycle/ticket.service';
import { buildOperator, type ScopedPerson } from '../../../test/factories';

let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let op: ScopedPerson;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211113');
  other = await seedTicketWorld(t.db, '211114');
  op = await buildOperator(t.db);
  api = apiAs(t);
});
afterAll(() => t.close());

describe('the calendar seeded from chinese-days', () => {
  it('holds every year the package covers, as package data', async () => {
    const years = (await api('GET', '/calendar/years', w.staff1)).json().items;
    const pkg = packageCalendar();
    expect(years.map((y: { year: number }) => y.year)).toEqual([...pkg.keys()].sort((a, b) => a - b));
    expect(years.find((y: { year: number }) => y.year === 2026)).toMatchObject({ source: 'package', holidays: 33, makeUpWorkdays: 6 });
  });

  it('classifies each day of National Day 2026, with the 调休 Sunday before and Saturday after', async () => {
    const days = (await api('GET', '/calendar?from=2026-09-19&to=2026-10-11', w.contact1)).json().items as { date: string; working: boolean; kind: string; name: string | null }[];
    const at = (d: string) => days.find((x) => x.date === d)!;
    expect(at('2026-09-19')).toMatchObject({ working: false, kind: 'weekend' });
    expect(at('2026-09-20')).toMatchObject({ working: true, kind: 'makeup_workday' });
    expect(at('2026-09-25')).toMatchObject({ working: false, kind: 'holiday', name: '中秋' });
    expect(at('2026-10-01')).toMatchObject({ working: false, kind: 'holiday', name: '国庆节' });
    expect(at('2026-10-09')).toMatchObject({ working: true, kind: 'workday' });
    expect(at('2026-10-10')).toMatchObject({ working: true, kind: 'makeup_workday', name: '国庆节' });
    expect(at('2026-10-11')).toMatchObject({ working: false, kind: 'weekend' });
    expect((await api('GET', '/calendar/working-days?from=2026-09-30&days=5', w.contact1)).json()).toEqual({ from: '2026-09-30', days: 5, date: '2026-10-13', provisional: false });
  });

  it('seeding again adds nothing, re-adds a missing year, and never overwrites an official one', async () => {
    expect(await seedCalendarFromPackage(t.db)).toEqual([]);
    await t.db.query(`DELETE FROM calendar_year WHERE year = 2005`);
    expect(await seedCalendarFromPackage(t.db)).toEqual([2005]);
    await t.db.query(`UPDATE calendar_year SET source = 'official' WHERE year = 2006`);
    await t.db.query(`DELETE FROM calendar_day WHERE year = 2006`);
    expect(await seedCalendarFromPackage(t.db)).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM calendar_day WHERE year = 2006`)).toHaveLength(0);
  });
});

describe('the platform operator enters a new year\'s national schedule', () => {
  const year2027 = {
    holidays: [{ date: '2027-01-01', name: '元旦' }, { date: '2027-01-02', name: '元旦' }, { date: '2027-01-03', name: '元旦' }],
    makeUpWorkdays: [{ date: '2027-02-06', name: '春节' }],
    note: '测试：国务院办公厅关于2027年部分节假日安排的通知',
  };

  it('validates every date: year, weekend make-up days, no day in both lists; only the operator', async () => {
    expect((await api('PUT', '/calendar/years/2027', w.staff1, year2027)).statusCode).toBe(403);
    for (const who of [w.coordinator, w.admin]) {
      const res = await api('PUT', '/calendar/years/2027', who, year2027);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('SCOPE_FORBIDDEN');
    }
    expect(await t.db.query(`SELECT 1 FROM calendar_year WHERE year = 2027`)).toHaveLength(0);
    const wrongYear = await api('PUT', '/calendar/years/2027', op, { ...year2027, holidays: [{ date: '2026-12-31', name: '跨年' }] });
    expect(wrongYear.json().error).toMatchObject({ code: 'CALENDAR_YEAR_MISMATCH', details: [{ path: '/body/holidays/0/date' }] });
    const weekday = await api('PUT', '/calendar/years/2027', op, { ...year2027, makeUpWorkdays: [{ date: '2027-02-08', name: '春节' }] });
    expect(weekday.json().error.code).toBe('CALENDAR_MAKEUP_NOT_WEEKEND');
    const both = await api('PUT', '/calendar/years/2027', op, { ...year2027, makeUpWorkdays: [{ date: '2027-01-02', name: '元旦' }] });
    expect(both.json().error.code).toBe('CALENDAR_DATE_CONFLICT');
    const bad = await api('PUT', '/calendar/years/2027', op, { ...year2027, holidays: [{ date: '2027-02-30', name: 'x' }] });
    expect(bad.statusCode).toBe(400);
  });

  it('a deadline running into an unknown year is provisional, and is recomputed in every district, each with a timeline entry', async () => {
    // Wed 2026-12-30, 5 working days: without 2027's schedule, Fri 01-01 counts → due Wed 01-06 (provisional).
    const file = (x: TicketWorld) => createTicket(t.db, { id: x.contact1.id, districtId: x.districtId, roles: ['enterprise'], enterpriseId: x.enterprises[0].id, departmentId: null },
      { categoryId: x.cat('人才用工'), title: '年底用工', description: '年底前急需招聘临时工' }, { now: new Date('2026-12-30T10:00:00+08:00') });
    const tk = await file(w);
    const tk2 = await file(other);
    expect(tk.deadlines).toMatchObject({ replyDueAt: '2027-01-06T15:59:59.999Z', provisional: true });
    const put = await api('PUT', '/calendar/years/2027', op, year2027);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, source: 'official', ticketsRecomputed: 2 });
    for (const [x, id] of [[w, tk.id], [other, tk2.id]] as const) {
      const after = (await api('GET', `/tickets/${id}`, x.coordinator)).json();
      expect(after.deadlines).toMatchObject({ replyDueAt: '2027-01-07T15:59:59.999Z', provisional: false });
      const last = after.timeline[after.timeline.length - 1];
      expect(last).toMatchObject({ action: 'deadline_recomputed', label: '期限调整', visibility: 'public' });
      expect(last.note).toContain('2027年全国节假日安排');
      // the enterprise sees why its promised date moved
      const mine = (await api('GET', `/tickets/${id}`, x.contact1)).json();
      expect(mine.timeline.map((e: { action: string }) => e.action)).toContain('deadline_recomputed');
    }
    const y = (await api('GET', '/calendar/years/2027', w.contact1)).json();
    expect(y).toMatchObject({ source: 'official', note: year2027.note, makeUpWorkdays: [{ date: '2027-02-06', name: '春节' }] });
    const audit = await t.db.query(`SELECT district_id, actor_id, data FROM audit_event WHERE action = 'calendar.year_set'`);
    expect(audit[0]).toMatchObject({ district_id: null, actor_id: op.id, data: { year: 2027, holidays: 3, ticketsRecomputed: 2 } });
  });
});

describe('a district adjusts the calendar for itself', () => {
  it('a local holiday moves this district\'s deadlines only, with a timeline entry; removing it moves them back', async () => {
    const file = (x: TicketWorld) => createTicket(t.db, { id: x.contact1.id, districtId: x.districtId, roles: ['enterprise'], enterpriseId: x.enterprises[0].id, departmentId: null },
      { categoryId: x.cat('人才用工'), title: '本地假期', description: '县庆前提交的用工诉求' }, { now: new Date('2026-11-02T10:00:00+08:00') });
    const mine = await file(w);
    const theirs = await file(other);
    expect(mine.deadlines.replyDueAt).toBe(theirs.deadlines.replyDueAt);
    // Mon 11-02 + 5 working days = Mon 11-09; a local holiday on Wed 11-04 pushes it to Tue 11-10.
    expect(mine.deadlines.replyDueAt).toBe('2026-11-09T15:59:59.999Z');
    expect((await api('PUT', '/calendar/local-days/2026-11-04', w.staff1, { kind: 'holiday', name: '县庆放假' })).statusCode).toBe(403);
    const set = await api('PUT', '/calendar/local-days/2026-11-04', w.coordinator, { kind: 'holiday', name: '县庆放假' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ date: '2026-11-04', kind: 'holiday', ticketsRecomputed: 1 });
    const a = (await api('GET', `/tickets/${mine.id}`, w.coordinator)).json();
    expect(a.deadlines.replyDueAt).toBe('2026-11-10T15:59:59.999Z');
    expect(a.timeline[a.timeline.length - 1]).toMatchObject({ action: 'deadline_recomputed' });
    const b = (await api('GET', `/tickets/${theirs.id}`, other.coordinator)).json();
    expect(b.deadlines.replyDueAt).toBe('2026-11-09T15:59:59.999Z');
    expect(b.timeline.map((e: { action: string }) => e.action)).not.toContain('deadline_recomputed');
    // the calendar each district reads
    const day = async (x: TicketWorld) => (await api('GET', '/calendar?from=2026-11-04&to=2026-11-04', x.contact1)).json().items[0];
    expect(await day(w)).toMatchObject({ working: false, kind: 'holiday', name: '县庆放假' });
    expect(await day(other)).toMatchObject({ working: true, kind: 'workday' });
    expect((await api('GET', '/calendar/local-days?year=2026', other.coordinator)).json().items).toEqual([]);
    expect((await api('GET', '/calendar/local-days?year=2026', w.coordinator)).json().items).toEqual([{ date: '2026-11-04', kind: 'holiday', name: '县庆放假' }]);
    // a ticket filed after the local day was set gets it too (the cached calendar is the district's)
    expect((await file(w)).deadlines.replyDueAt).toBe('2026-11-10T15:59:59.999Z');
    expect((await file(other)).deadlines.replyDueAt).toBe('2026-11-09T15:59:59.999Z');
    // a weekday cannot be a make-up working day
    expect((await api('PUT', '/calendar/local-days/2026-11-05', w.coordinator, { kind: 'workday', name: '调休' })).json().error.code).toBe('CALENDAR_MAKEUP_NOT_WEEKEND');
    const del = await api('DELETE', '/calendar/local-days/2026-11-04', w.coordinator);
    expect(del.json()).toMatchObject({ ticketsRecomputed: 2 });
    expect((await api('GET', `/tickets/${mine.id}`, w.coordinator)).json().deadlines.replyDueAt).toBe('2026-11-09T15:59:59.999Z');
    expect((await api('DELETE', '/calendar/local-days/2026-11-04', w.coordinator)).statusCode).toBe(404);
  });
});
