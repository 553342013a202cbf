import type { DataSource } from 'typeorm';
import { isWorkingDay, shanghaiDate, addCalendarDays, type LocalDate, type WorkCalendar } from '@guanjia/shared';
import type { Job } from '../../jobs/job';
import { notify } from '../notifications/notify';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { PROJECT_LOCK_CLASS, runLightJob } from './project-light.service';
import { getProjectSettings } from './project-settings';
import { OWES_REPORT_SQL } from './project-report.service';

const LOCK_REPORT_REMINDERS = 2;

/** The n-th working day of the month of `date` (n ≥ 1). */
export function nthWorkingDay(cal: WorkCalendar, date: LocalDate, n: number): LocalDate {
  let d = `${date.slice(0, 7)}-01`;
  let seen = 0;
  for (;;) {
    if (isWorkingDay(cal, d) && ++seen >= n) return d;
    d = addCalendarDays(d, 1);
  }
}

/**
 * 调度提醒: from the district's due working day (default the 5th) of a month, every project under way without a
 * report for the previous month reminds its stewards — once per project and month (dedupe key), whatever runs it.
 */
export async function runReportReminders(db: DataSource, now = new Date()): Promise<{ skipped: boolean; sent: number }> {
  const today = shanghaiDate(now);
  const cal = await loadWorkCalendar(db, today);
  const prev = addCalendarDays(`${today.slice(0, 7)}-01`, -1);
  const year = Number(prev.slice(0, 4));
  const month = Number(prev.slice(5, 7));
  return db.transaction(async (em) => {
    const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [PROJECT_LOCK_CLASS, LOCK_REPORT_REMINDERS]);
    if (!locked) return { skipped: true, sent: 0 };
    let sent = 0;
    const districts: { id: string }[] = await em.query(`SELECT DISTINCT district_id AS id FROM project`);
    for (const d of districts) {
      const s = await getProjectSettings(em, d.id);
      if (today < nthWorkingDay(cal, today, s.reportDueWorkingDay)) continue;
      const rows: { id: string; name: string; stewards: string[] }[] = await em.query(
        `SELECT p.id, p.name, array_agg(ps.person_id) AS stewards
           FROM project p JOIN project_steward ps ON ps.project_id = p.id
          WHERE p.district_id = $1
            AND ${OWES_REPORT_SQL}
          GROUP BY p.id, p.name`,
        [d.id, year, month],
      );
      const label = `${year}年${month}月`;
      for (const r of rows) {
        sent += await notify(em, {
          districtId: d.id, personIds: r.stewards, kind: 'project.report_reminder',
          title: `调度提醒：${r.name}`, body: `${label}的月度调度信息尚未填报，请尽快填报本月完成投资和形象进度。`,
          entityType: 'project', entityId: r.id, dedupeKey: `project-report:${r.id}:${prev.slice(0, 7)}`,
        });
      }
    }
    return { skipped: false, sent };
  });
}

/** Project jobs: lights hourly (cheap; a turn happens on the first run of a new day), report reminders hourly. */
export const projectJobs: Job[] = [
  { name: 'project-lights', everyMs: 3_600_000, run: async (app) => void (await runLightJob(app.db)) },
  { name: 'project-report-reminders', everyMs: 3_600_000, run: async (app) => void (await runReportReminders(app.db)) },
];
