import type { DataSource, EntityManager } from 'typeorm';
import {
  addCalendarDays,
  addWorkingDays,
  calendarDaysBetween,
  isLocalDate,
  isoWeekday,
  isWorkingDay,
  makeWorkCalendar,
  shanghaiDate,
  type CalendarYearPut,
  type LocalDate,
  type WorkCalendar,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../plugins/auth';

type Queryable = Pick<DataSource, 'query'> | Pick<EntityManager, 'query'>;

/** A calendar built from the database plus which years it really knows (others fall back to Monday–Friday). */
export type LoadedCalendar = WorkCalendar & { knownYears: ReadonlySet<number> };

/**
 * The working-day calendar for the years around `around` (the year before to two years after): every deadline
 * this system computes lands in that window. Read per operation, so a coordinator's correction applies at once
 * on every instance.
 */
export async function loadWorkCalendar(db: Queryable, around: Date | LocalDate = new Date()): Promise<LoadedCalendar> {
  const date = typeof around === 'string' ? around : shanghaiDate(around);
  const y = Number(date.slice(0, 4));
  const [row]: { years: number[] | null; days: [string, 'holiday' | 'workday'][] | null }[] = await db.query(
    `SELECT (SELECT array_agg(year) FROM calendar_year WHERE year BETWEEN $1 AND $2) AS years,
            (SELECT json_agg(json_build_array(to_char(day, 'YYYY-MM-DD'), kind)) FROM calendar_day WHERE year BETWEEN $1 AND $2) AS days`,
    [y - 1, y + 2],
  );
  const days = row?.days ?? [];
  const cal = makeWorkCalendar({
    holidays: days.filter((d) => d[1] === 'holiday').map((d) => d[0]),
    makeUpWorkdays: days.filter((d) => d[1] === 'workday').map((d) => d[0]),
  });
  return { ...cal, knownYears: new Set(row?.years ?? []) };
}

/** True when every year between the two instants has its official schedule loaded. */
export function calendarKnows(cal: LoadedCalendar, ...instants: (Date | null | undefined)[]): boolean {
  return instants.every((i) => !i || cal.knownYears.has(Number(shanghaiDate(i).slice(0, 4))));
}

/** Years in the database with their day counts. */
export async function listCalendarYears(db: Queryable) {
  const rows = await db.query(
    `SELECT y.year, y.source, y.note, y.updated_at,
            count(d.day) FILTER (WHERE d.kind = 'holiday')::int AS holidays, count(d.day) FILTER (WHERE d.kind = 'workday')::int AS make_up
       FROM calendar_year y LEFT JOIN calendar_day d ON d.year = y.year GROUP BY y.year ORDER BY y.year`,
  );
  return rows.map((r: { year: number; source: 'package' | 'official'; note: string | null; updated_at: Date; holidays: number; make_up: number }) => ({
    year: r.year, source: r.source, note: r.note, holidays: r.holidays, makeUpWorkdays: r.make_up, updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** One year's schedule as entered. */
export async function getCalendarYear(db: Queryable, year: number) {
  const [y] = await db.query(`SELECT year, source, note FROM calendar_year WHERE year = $1`, [year]);
  if (!y) throw new AppError('NOT_FOUND', [{ path: '/params/year', message: `${year} 年的节假日安排尚未录入` }]);
  const days: { d: string; kind: string; name: string }[] = await db.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS d, kind, name FROM calendar_day WHERE year = $1 ORDER BY day`,
    [year],
  );
  return {
    year: y.year as number,
    source: y.source as 'package' | 'official',
    note: y.note as string | null,
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => ({ date: d.d, name: d.name })),
    makeUpWorkdays: days.filter((d) => d.kind === 'workday').map((d) => ({ date: d.d, name: d.name })),
  };
}

/**
 * Enters (or replaces) a year's official schedule, as published by the State Council's notice: validates every
 * date, replaces the year's days, and recomputes the deadlines of open tickets that depend on that year — a ticket
 * assigned on 28 December before next year's schedule was known was given a provisional Monday–Friday deadline.
 */
export async function putCalendarYear(
  db: DataSource,
  auth: AuthUser,
  year: number,
  body: CalendarYearPut,
  recompute: (em: EntityManager, year: number) => Promise<number>,
) {
  const problems: { path: string; message: string }[] = [];
  const seen = new Map<string, string>();
  const check = (list: 'holidays' | 'makeUpWorkdays') =>
    body[list].forEach((d, i) => {
      const path = `/body/${list}/${i}/date`;
      if (!isLocalDate(d.date)) problems.push({ path, message: '日期不存在' });
      else if (Number(d.date.slice(0, 4)) !== year) problems.push({ path, message: `不属于 ${year} 年` });
      else if (seen.has(d.date) && seen.get(d.date) !== list) problems.push({ path, message: '同一日期不能既是节假日又是调休工作日' });
      else if (list === 'makeUpWorkdays' && isoWeekday(d.date) < 6) problems.push({ path, message: '调休上班日应为周六或周日' });
      seen.set(d.date, list);
    });
  check('holidays');
  check('makeUpWorkdays');
  if (problems.length) {
    const code = problems.some((p) => p.message.includes('不属于'))
      ? 'CALENDAR_YEAR_MISMATCH'
      : problems.some((p) => p.message.includes('既是'))
        ? 'CALENDAR_DATE_CONFLICT'
        : problems.some((p) => p.message.includes('调休'))
          ? 'CALENDAR_MAKEUP_NOT_WEEKEND'
          : 'CALENDAR_DATE_INVALID';
    throw new AppError(code, problems);
  }
  const dedupe = (xs: { date: string; name: string }[]) => [...new Map(xs.map((x) => [x.date, x])).values()];
  const holidays = dedupe(body.holidays);
  const makeUp = dedupe(body.makeUpWorkdays);
  const recomputed = await db.transaction(async (em) => {
    await em.query(
      `INSERT INTO calendar_year (year, source, note, updated_by, updated_at) VALUES ($1, 'official', $2, $3, now())
       ON CONFLICT (year) DO UPDATE SET source = 'official', note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [year, body.note ?? null, auth.id],
    );
    await em.query(`DELETE FROM calendar_day WHERE year = $1`, [year]);
    await em.query(
      `INSERT INTO calendar_day (day, year, kind, name) SELECT d, $1, k, n FROM unnest($2::date[], $3::text[], $4::text[]) AS x(d, k, n)`,
      [year, [...holidays.map((h) => h.date), ...makeUp.map((m) => m.date)], [...holidays.map(() => 'holiday'), ...makeUp.map(() => 'workday')],
        [...holidays.map((h) => h.name), ...makeUp.map((m) => m.name)]],
    );
    const n = await recompute(em, year);
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: 'calendar.year_set', entityType: 'calendar_year', entityId: null,
      data: { year, holidays: holidays.length, makeUpWorkdays: makeUp.length, note: body.note ?? null, ticketsRecomputed: n },
    });
    return n;
  });
  return { ...(await getCalendarYear(db, year)), ticketsRecomputed: recomputed };
}

/** Every date of [from, to] with whether people work that day and why. At most 366 days. */
export async function calendarRange(db: Queryable, from: LocalDate, to: LocalDate) {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new AppError('CALENDAR_DATE_INVALID');
  const span = calendarDaysBetween(from, to);
  if (span < 0 || span > 366) throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/to', message: '查询范围应为 0–366 天' }]);
  const cal = await loadWorkCalendar(db, from);
  const names: { d: string; name: string }[] = await db.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS d, name FROM calendar_day WHERE day BETWEEN $1::date AND $2::date`,
    [from, to],
  );
  const nameOf = new Map(names.map((n) => [n.d, n.name]));
  const out = [];
  for (let i = 0; i <= span; i++) {
    const date = addCalendarDays(from, i);
    const kind = cal.makeUpWorkdays.has(date) ? 'makeup_workday' : cal.holidays.has(date) ? 'holiday' : isoWeekday(date) >= 6 ? 'weekend' : 'workday';
    out.push({ date, working: isWorkingDay(cal, date), kind: kind as 'workday' | 'weekend' | 'holiday' | 'makeup_workday', name: nameOf.get(date) ?? null, known: cal.knownYears.has(Number(date.slice(0, 4))) });
  }
  return { items: out };
}

/** The date `days` working days after (or before) `from`, as a deadline preview. */
export async function workingDaysFrom(db: Queryable, from: LocalDate, days: number) {
  if (!isLocalDate(from)) throw new AppError('CALENDAR_DATE_INVALID');
  const cal = await loadWorkCalendar(db, from);
  const date = addWorkingDays(cal, from, days);
  return { from, days, date, provisional: ![from, date].every((d) => cal.knownYears.has(Number(d.slice(0, 4)))) };
}
