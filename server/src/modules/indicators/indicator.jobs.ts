import type { DataSource } from 'typeorm';
import { addCalendarDays, shanghaiDate } from '@guanjia/shared';
import type { Job } from '../../jobs/job';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { notify } from '../notifications/notify';
import { recordAudit } from '../audit/audit';
import { nthWorkingDay } from '../projects/project.jobs';
import { workReport } from './work-report.service';
import { refreshVisitMonths } from './visit-rollup';
import { buildMissingIndicatorLive, compactIndicatorLive } from './indicator-live';

const LOCK_CLASS = 12; // advisory-lock namespace of this module's jobs (visits 4, projects 10)
const LOCK_WORK_REPORT = 1;

/**
 * From the first working day of a month (China's calendar), each district's leaders get last month's work report in
 * their in-app notifications: the title, the 总体情况 and 诉求办理情况 text, and where to download the .docx. Once per
 * district and month (an audit row marks it; the notification's dedupe key guards retries), whichever instance runs it.
 */
export async function runWorkReportDelivery(db: DataSource, now = new Date()): Promise<{ skipped: boolean; sent: number }> {
  const today = shanghaiDate(now);
  const cal = await loadWorkCalendar(db, today);
  if (today < nthWorkingDay(cal, today, 1)) return { skipped: false, sent: 0 };
  const lastDay = addCalendarDays(`${today.slice(0, 7)}-01`, -1);
  const month = lastDay.slice(0, 7);
  const from = `${month}-01`;
  return db.transaction(async (em) => {
    const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [LOCK_CLASS, LOCK_WORK_REPORT]);
    if (!locked) return { skipped: true, sent: 0 };
    let sent = 0;
    const districts: { id: string }[] = await em.query(
      `SELECT d.id FROM district d WHERE NOT EXISTS (
         SELECT 1 FROM audit_event a WHERE a.entity_type = 'district' AND a.entity_id = d.id AND a.action = 'work_report.sent' AND a.data ->> 'month' = $1)`,
      [month],
    );
    for (const d of districts) {
      const leaders: { id: string }[] = await em.query(
        `SELECT id FROM person WHERE district_id = $1 AND 'leader' = ANY(roles) AND NOT disabled`, [d.id]);
      if (leaders.length) {
        const report = await workReport(db, { id: leaders[0]!.id, districtId: d.id, roles: ['leader'], enterpriseId: null, departmentId: null }, { from, to: lastDay }, now);
        const text = report.sections.filter((s) => s.key === 'overview' || s.key === 'tickets').map((s) => `${s.heading} ${s.paragraphs.map((p) => p.text).join('')}`).join('\n');
        sent += await notify(em, {
          districtId: d.id, personIds: leaders.map((l) => l.id), kind: 'report.work_monthly',
          title: report.title.slice(0, 64),
          body: `${text || '上月暂无诉求和走访。'}\n（完整报告可在“工作报告”中下载 Word 文件，期间 ${from} 至 ${lastDay}）`,
          entityType: 'work_report', dedupeKey: `work-report:${month}`,
        });
      }
      await recordAudit(em, { districtId: d.id, actorId: null, action: 'work_report.sent', entityType: 'district', entityId: d.id, data: { month, leaders: leaders.length } });
    }
    return { skipped: false, sent };
  });
}

export const indicatorJobs: Job[] = [
  { name: 'work-report-delivery', everyMs: 60 * 60 * 1000, run: async (app) => { await runWorkReportDelivery(app.db); } },
  // The visit figures of closed months (ADR 0011): months deleted by a back-dated visit, a review, an assignment or
  // an enterprise edit are counted live until this rebuilds them.
  // The counts of periods that run to now (ADR 0011, third amendment): builds a district's delta rows when it has
  // none (a new district, a calendar edit) and folds the rows the ticket writes appended.
  { name: 'indicator-live', everyMs: 60_000, run: async (app) => { await buildMissingIndicatorLive(app.db); await compactIndicatorLive(app.db); } },
  { name: 'visit-month-rollup', everyMs: 10 * 60 * 1000, run: async (app) => { await refreshVisitMonths(app.db); } },
];
