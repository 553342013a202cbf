import { createTestApp, type TestApp } from '../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import { packageCalendar, seedCalendarFromPackage } from './calendar-seed';
import { createTicket } from '../tickets/ticket.service';

let t: TestApp;
let w: TicketWorld;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211113');
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

describe('coordinators enter a new year\'s official schedule', () => {
  const year2027 = {
    holidays: [{ date: '2027-01-01', name: '元旦' }, { date: '2027-01-02', name: '元旦' }, { date: '2027-01-03', name: '元旦' }],
    makeUpWorkdays: [{ date: '2027-02-06', name: '春节' }],
    note: '测试：国务院办公厅关于2027年部分节假日安排的通知',
  };

  it('validates every date: year, weekend make-up days, no day in both lists; only coordinators', async () => {
    expect((await api('PUT', '/calendar/years/2027', w.staff1, year2027)).statusCode).toBe(403);
    const wrongYear = await api('PUT', '/calendar/years/2027', w.coordinator, { ...year2027, holidays: [{ date: '2026-12-31', name: '跨年' }] });
    expect(wrongYear.json().error).toMatchObject({ code: 'CALENDAR_YEAR_MISMATCH', details: [{ path: '/body/holidays/0/date' }] });
    const weekday = await api('PUT', '/calendar/years/2027', w.coordinator, { ...year2027, makeUpWorkdays: [{ date: '2027-02-08', name: '春节' }] });
    expect(weekday.json().error.code).toBe('CALENDAR_MAKEUP_NOT_WEEKEND');
    const both = await api('PUT', '/calendar/years/2027', w.coordinator, { ...year2027, makeUpWorkdays: [{ date: '2027-01-02', name: '元旦' }] });
    expect(both.json().error.code).toBe('CALENDAR_DATE_CONFLICT');
    const bad = await api('PUT', '/calendar/years/2027', w.coordinator, { ...year2027, holidays: [{ date: '2027-02-30', name: 'x' }] });
    expect(bad.statusCode).toBe(400);
  });

  it('a deadline running into an unknown year is provisional, and is recomputed when the year is entered', async () => {
    // Wed 2026-12-30, 5 working days: without 2027's schedule, Fri 01-01 counts → due Wed 01-06 (provisional).
    const tk = await createTicket(t.db, { id: w.contact1.id, districtId: w.districtId, roles: ['enterprise'], enterpriseId: w.enterprises[0].id, departmentId: null },
      { categoryId: w.cat('人才用工'), title: '年底用工', description: '年底前急需招聘临时工' }, { now: new Date('2026-12-30T10:00:00+08:00') });
    expect(tk.deadlines).toMatchObject({ replyDueAt: '2027-01-06T15:59:59.999Z', provisional: true });
    const put = await api('PUT', '/calendar/years/2027', w.coordinator, year2027);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, source: 'official', ticketsRecomputed: 1 });
    const after = (await api('GET', `/tickets/${tk.id}`, w.coordinator)).json();
    expect(after.deadlines).toMatchObject({ replyDueAt: '2027-01-07T15:59:59.999Z', provisional: false });
    expect(after.version).toBe(tk.version); // a calendar correction is not a ticket change
    const y = (await api('GET', '/calendar/years/2027', w.contact1)).json();
    expect(y).toMatchObject({ source: 'official', note: year2027.note, makeUpWorkdays: [{ date: '2027-02-06', name: '春节' }] });
    const audit = await t.db.query(`SELECT data FROM audit_event WHERE action = 'calendar.year_set'`);
    expect(audit[0].data).toMatchObject({ year: 2027, holidays: 3, ticketsRecomputed: 1 });
  });
});
