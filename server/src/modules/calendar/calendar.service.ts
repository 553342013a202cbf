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
import type { AuthUser, Principal } from '../../lib/principal';
import type { Queryable } from '../../lib/sql';
import { localDayAccess, mayEditNationalCalendar } from './calendar.policy';


/** A calendar built from the database plus which years it really knows (others fall back to Monday–Friday). */
export type LoadedCalendar = WorkCalendar & { knownYears: ReadonlySet<number> };

/**
 * The working-day calendar for the years around `around` (the year before to two years after): every deadline
 * this system computes lands in that window. With `districtId`, the district's own adjustments (a local holiday,
 * a local make-up day) override the national schedule. Read per operation, so a correction applies at once on
 * every instance.
 */
export async function loadWorkCalendar(db: Queryable, around: Date | LocalDate = new Date(), districtId: string | null = null): Promise<LoadedCalendar> {
  const date = typeof around === 'string' ? around : shanghaiDate(around);
  const y = Number(date.slice(0, 4));
  const [row]: { years: number[] | null; days: [string, 'holiday' | 'workday'][] | null; local: [string, 'holiday' | 'workday'][] | null }[] = await db.query(
    `SELECT (SELECT array_agg(year) FROM calendar_year WHERE year BETWEEN $1 AND $2) AS years,
            (SELECT json_agg(json_build_array(to_char(day, 'YYYY-MM-DD'), kind)) FROM calendar_day WHERE year BETWEEN $1 AND $2) AS days,
            (SELECT json_agg(json_build_array(to_char(day, 'YYYY-MM-DD'), kind)) FROM calendar_local_day
              WHERE district_id = $3 AND day BETWEEN make_date($1, 1, 1) AND make_date($2, 12, 31)) AS local`,
    [y - 1, y + 2, districtId],
  );
  const kinds = new Map<string, 'holiday' | 'workday'>((row?.days ?? []).map(([d, k]) => [d, k]));
  for (const [d, k] of row?.local ?? []) kinds.set(d, k);
  const all = [...kinds];
  const cal = makeWorkCalendar({
    holidays: all.filter((d) => d[1] === 'holiday').map((d) => d[0]),
    makeUpWorkdays: all.filter((d) => d[1] === 'workday').map((d) => d[0]),
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
  operator: Principal,
  year: number,
  body: CalendarYearPut,
  recompute: (em: EntityManager, range: DeadlineRecompute) => Promise<number>,
) {
  if (!mayEditNationalCalendar(operator)) throw new AppError('FORBIDDEN');
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
      [year, body.note ?? null, operator.id],
    );
    await em.query(`DELETE FROM calendar_day WHERE year = $1`, [year]);
    await em.query(
      `INSERT INTO calendar_day (day, year, kind, name) SELECT d, $1, k, n FROM unnest($2::date[], $3::text[], $4::text[]) AS x(d, k, n)`,
      [year, [...holidays.map((h) => h.date), ...makeUp.map((m) => m.date)], [...holidays.map(() => 'holiday'), ...makeUp.map(() => 'workday')],
        [...holidays.map((h) => h.name), ...makeUp.map((m) => m.name)]],
    );
    const n = await recompute(em, { from: `${year}-01-01`, to: `${year}-12-31`, districtId: null, actorId: operator.id, reason: `${year}年全国节假日安排${body.note ? `（${body.note}）` : ''}已更新` });
    await recordAudit(em, {
      districtId: null, actorId: operator.id, action: 'calendar.year_set', entityType: 'calendar_year', entityId: null,
      data: { year, holidays: holidays.length, makeUpWorkdays: makeUp.length, note: body.note ?? null, ticketsRecomputed: n },
    });
    return n;
  });
  return { ...(await getCalendarYear(db, year)), ticketsRecomputed: recomputed };
}

/** Which open tickets' deadlines to recompute after a calendar change, and why (shown on their timeline). */
export type DeadlineRecompute = { from: LocalDate; to: LocalDate; districtId: string | null; actorId: string; reason: string };

/** Every date of [from, to] with whether people work that day and why, as the caller's district sees it. At most 366 days. */
export async function calendarRange(db: Queryable, from: LocalDate, to: LocalDate, districtId: string | null = null) {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new AppError('CALENDAR_DATE_INVALID');
  const span = calendarDaysBetween(from, to);
  if (span < 0 || span > 366) throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/to', message: '查询范围应为 0–366 天' }]);
  const cal = await loadWorkCalendar(db, from, districtId);
  const names: { d: string; name: string }[] = await db.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS d, name FROM calendar_day WHERE day BETWEEN $1::date AND $2::date
      AND NOT EXISTS (SELECT 1 FROM calendar_local_day l WHERE l.district_id = $3 AND l.day = calendar_day.day)
     UNION ALL
     SELECT to_char(day, 'YYYY-MM-DD'), name FROM calendar_local_day WHERE district_id = $3 AND day BETWEEN $1::date AND $2::date`,
    [from, to, districtId],
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
export async function workingDaysFrom(db: Queryable, from: LocalDate, days: number, districtId: string | null = null) {
  if (!isLocalDate(from)) throw new AppError('CALENDAR_DATE_INVALID');
  const cal = await loadWorkCalendar(db, from, districtId);
  const date = addWorkingDays(cal, from, days);
  return { from, days, date, provisional: ![from, date].every((d) => cal.knownYears.has(Number(d.slice(0, 4)))) };
}

/** The district's own adjustments in a year. */
export async function listLocalDays(db: Queryable, districtId: string, year: number) {
  const rows: { d: string; kind: 'holiday' | 'workday'; name: string }[] = await db.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS d, kind, name FROM calendar_local_day WHERE district_id = $1 AND day BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31) ORDER BY day`,
    [districtId, year],
  );
  return { items: rows.map((r) => ({ date: r.d, kind: r.kind, name: r.name })) };
}

/**
 * Sets (or, with `put` null, removes) one local adjustment and recomputes the deadlines of the district's open
 * tickets around that day, each moved ticket getting a timeline entry. Other districts are untouched.
 */
export async function setLocalDay(
  db: DataSource,
  auth: AuthUser,
  date: LocalDate,
  put: { kind: 'holiday' | 'workday'; name: string } | null,
  recompute: (em: EntityManager, range: DeadlineRecompute) => Promise<number>,
) {
  if (!localDayAccess(auth, { district_id: auth.districtId }).edit) throw new AppError('FORBIDDEN');
  if (!isLocalDate(date)) throw new AppError('CALENDAR_DATE_INVALID', [{ path: '/params/date', message: '日期不存在' }]);
  if (put?.kind === 'workday' && isoWeekday(date) < 6)
    throw new AppError('CALENDAR_MAKEUP_NOT_WEEKEND', [{ path: '/body/kind', message: '本地调休上班日应为周六或周日' }]);
  const n = await db.transaction(async (em) => {
    if (put) {
      await em.query(
        `INSERT INTO calendar_local_day (district_id, day, kind, name, created_by) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (district_id, day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, created_by = EXCLUDED.created_by, created_at = now()`,
        [auth.districtId, date, put.kind, put.name.trim(), auth.id],
      );
    } else {
      const [, removed] = await em.query(`DELETE FROM calendar_local_day WHERE district_id = $1 AND day = $2`, [auth.districtId, date]);
      if (!removed) throw new AppError('NOT_FOUND', [{ path: '/params/date', message: '该日期没有本地调整' }]);
    }
    const reason = put ? `本区县将 ${date} 调整为${put.kind === 'holiday' ? '放假' : '上班'}（${put.name.trim()}）` : `本区县取消了 ${date} 的本地调整`;
    const moved = await recompute(em, { from: date, to: date, districtId: auth.districtId, actorId: auth.id, reason });
    await recordAudit(em, {
      districtId: auth.districtId, actorId: auth.id, action: put ? 'calendar.local_day_set' : 'calendar.local_day_removed', entityType: 'calendar_local_day',
      entityId: null, data: { date, kind: put?.kind ?? null, name: put?.name ?? null, ticketsRecomputed: moved },
    });
    return moved;
  });
  return { date, kind: put?.kind ?? null, name: put?.name.trim() ?? null, ticketsRecomputed: n };
}
