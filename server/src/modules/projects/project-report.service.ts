import type { DataSource, EntityManager } from 'typeorm';
import {
  basisPoints, checkReportMonth, formatBasisPointsPercent, formatYuan, shanghaiDate,
  type ProjectReport, type ReportCorrection, type ReportCreate,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';
import { projectForCaller } from './project.service';
import { refreshLight } from './project-light.service';
import { notify } from '../notifications/notify';

/**
 * Monthly 调度 reports (ADR 0009): investment completed this month (integer 元), 形象进度 and problems. A month has
 * one current version; a correction is a new version with a reason (history kept). Year-to-date, since-start and
 * the percentages are derived here, never typed. A report for a future month is refused; one that would take the
 * since-start total past 总投资 needs a coordinator's confirmation with a reason.
 */

type ReportRow = {
  id: string; year: number; month: number; version: number; is_current: boolean; amount: string; progress: string; problems: string | null;
  photo_ids: string[]; reason: string | null; over_total_reason: string | null; reported_by: string | null; reporter_name: string | null; created_at: Date;
};

const monthKey = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
const pct = (part: bigint, whole: bigint) => {
  const bp = basisPoints(part, whole);
  return bp === null ? null : formatBasisPointsPercent(bp);
};

function parseMonth(month: string, path: string): { year: number; month: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (!(m >= 1 && m <= 12)) throw new AppError('VALIDATION_FAILED', [{ path, message: '月份格式应为 YYYY-MM' }]);
  return { year: y, month: m };
}

/** Locks the project row (serialises reports of one project) and returns its total and since-start sum. */
async function lockTotals(em: EntityManager, projectId: string): Promise<{ total: bigint; sinceStart: bigint }> {
  const [r] = await em.query(
    `SELECT p.total_investment::text AS total,
            coalesce((SELECT sum(amount) FROM project_report WHERE project_id = p.id AND is_current), 0)::text AS since_start
       FROM project p WHERE p.id = $1 FOR UPDATE`,
    [projectId],
  );
  return { total: BigInt(r.total), sinceStart: BigInt(r.since_start) };
}

function checkOverTotal(canConfirm: boolean, after: bigint, total: bigint, reason: string | undefined): string | null {
  if (after <= total) return null;
  const why = reason?.trim();
  if (!canConfirm || !why) {
    throw new AppError('PROJECT_OVER_TOTAL', [{
      path: '/body/amount',
      message: `填报后开工累计完成投资${formatYuan(after)}将超过总投资${formatYuan(total)}，须由调度员确认并填写原因`,
    }]);
  }
  return why;
}

/** POST /projects/:id/reports: the month's first report. */
export async function createReport(db: DataSource, auth: AuthUser, id: string, b: ReportCreate, now = new Date()): Promise<ProjectReport> {
  await fileReport(db, auth, id, b, now);
  return (await listReports(db, auth, id, { year: Number(b.month.slice(0, 4)) }, now)).find((r) => r.month === b.month && r.current)!;
}

/** Files a month's first report (every rule of `createReport`) without reading the list back: the demo loader's path. */
export async function fileReport(db: DataSource, auth: AuthUser, id: string, b: ReportCreate, now = new Date()): Promise<void> {
  const { access } = await projectForCaller(db, auth, id, now);
  if (!access.canReport) throw new AppError('PROJECT_ROLE_NOT_ALLOWED');
  const today = shanghaiDate(now);
  const checked = checkReportMonth(b.month, today);
  if (!checked.ok) throw new AppError(checked.reason === 'future' ? 'PROJECT_REPORT_FUTURE_MONTH' : 'VALIDATION_FAILED', [{ path: '/body/month', message: checked.message }]);
  const { year, month } = checked;
  await db.transaction(async (em) => {
    const { total, sinceStart } = await lockTotals(em, id);
    const [existing] = await em.query(`SELECT 1 FROM project_report WHERE project_id = $1 AND year = $2 AND month = $3 AND is_current`, [id, year, month]);
    if (existing) throw new AppError('PROJECT_REPORT_EXISTS', [{ path: '/body/month', message: `${b.month}的调度信息已填报，如需修改请提交更正并说明原因` }]);
    const over = checkOverTotal(access.canConfirmOverTotal, sinceStart + BigInt(b.amount), total, b.overTotalReason);
    await insertVersion(em, auth, id, year, month, 1, b, null, over);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.report_filed', entityType: 'project', entityId: id, data: { month: b.month, amount: b.amount, overTotal: !!over } });
    await refreshLight(em, id, today);
  });
}

/** POST /projects/:id/reports/:month/corrections: a new version with a reason; the old one stays in history. */
export async function correctReport(db: DataSource, auth: AuthUser, id: string, monthText: string, b: ReportCorrection, now = new Date()): Promise<ProjectReport> {
  const { access } = await projectForCaller(db, auth, id, now);
  if (!access.canReport) throw new AppError('PROJECT_ROLE_NOT_ALLOWED');
  const { year, month } = parseMonth(monthText, '/params/month');
  await db.transaction(async (em) => {
    const { total, sinceStart } = await lockTotals(em, id);
    const [cur] = await em.query(
      `SELECT id, version, amount::text AS amount FROM project_report WHERE project_id = $1 AND year = $2 AND month = $3 AND is_current`,
      [id, year, month],
    );
    if (!cur) throw new AppError('PROJECT_REPORT_NOT_FOUND');
    const over = checkOverTotal(access.canConfirmOverTotal, sinceStart - BigInt(cur.amount) + BigInt(b.amount), total, b.overTotalReason);
    await em.query(`UPDATE project_report SET is_current = false WHERE id = $1`, [cur.id]);
    await insertVersion(em, auth, id, year, month, cur.version + 1, b, b.reason.trim(), over);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.report_corrected', entityType: 'project', entityId: id, data: { month: monthText, from: cur.amount, to: b.amount, reason: b.reason } });
    await refreshLight(em, id, shanghaiDate(now));
  });
  return (await listReports(db, auth, id, { year }, now)).find((r) => r.month === monthText && r.current)!;
}

async function insertVersion(em: EntityManager, auth: AuthUser, projectId: string, year: number, month: number, version: number,
  b: Pick<ReportCreate, 'amount' | 'progress' | 'problems' | 'photoIds'>, reason: string | null, overTotalReason: string | null) {
  const photoIds = [...new Set(b.photoIds ?? [])];
  if (photoIds.length) {
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM visit_photo WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND district_id = $3`, [photoIds, auth.id, auth.districtId]);
    if (n !== photoIds.length) throw new AppError('VALIDATION_FAILED', [{ path: '/body/photoIds', message: '照片不存在或不是您上传的' }]);
  }
  await em.query(
    `INSERT INTO project_report (project_id, district_id, year, month, version, amount, progress, problems, photo_ids, reason, over_total_reason, over_total_confirmed_by, reported_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
    [projectId, auth.districtId, year, month, version, b.amount, b.progress.trim(), b.problems?.trim() || null, photoIds, reason, overTotalReason,
      overTotalReason ? auth.id : null, auth.id],
  );
}

/**
 * GET /projects/:id/reports: the reports (current versions; with `history` also the corrected ones) with the
 * derived figures: year to date and since start (sums of current versions up to that month, BigInt), % of the
 * year's plan and of 总投资. A superseded version shows the figures it would give in place of the current one.
 */
export async function listReports(db: DataSource, auth: AuthUser, id: string, q: { year?: number; history?: boolean }, now = new Date()): Promise<ProjectReport[]> {
  const { row } = await projectForCaller(db, auth, id, now);
  const rows: ReportRow[] = await db.query(
    `SELECT r.id, r.year, r.month, r.version, r.is_current, r.amount::text AS amount, r.progress, r.problems, r.photo_ids, r.reason, r.over_total_reason,
            r.reported_by, pe.name AS reporter_name, r.created_at
       FROM project_report r LEFT JOIN person pe ON pe.id = r.reported_by WHERE r.project_id = $1 ORDER BY r.year, r.month, r.version`,
    [id],
  );
  const plans: { year: number; amount: string }[] = await db.query(`SELECT year, amount::text AS amount FROM project_plan WHERE project_id = $1`, [id]);
  const planOf = new Map(plans.map((p) => [p.year, BigInt(p.amount)]));
  const total = BigInt(row.total_investment);
  // running sums over current versions, per month
  const before = new Map<string, { ytd: bigint; since: bigint }>();
  let since = 0n;
  let ytd = 0n;
  let ytdYear = -1;
  for (const r of rows.filter((x) => x.is_current)) {
    if (r.year !== ytdYear) {
      ytd = 0n;
      ytdYear = r.year;
    }
    before.set(monthKey(r.year, r.month), { ytd, since });
    ytd += BigInt(r.amount);
    since += BigInt(r.amount);
  }
  return rows
    .filter((r) => (q.history || r.is_current) && (q.year === undefined || r.year === q.year))
    .map((r) => {
      const b = before.get(monthKey(r.year, r.month)) ?? { ytd: 0n, since: 0n };
      const y = b.ytd + BigInt(r.amount);
      const s = b.since + BigInt(r.amount);
      return {
        id: r.id, month: monthKey(r.year, r.month), version: r.version, current: r.is_current, amount: r.amount, progress: r.progress,
        problems: r.problems, photoIds: r.photo_ids, reason: r.reason, overTotalReason: r.over_total_reason,
        reportedBy: r.reported_by ? { id: r.reported_by, name: r.reporter_name ?? '' } : null, createdAt: r.created_at.toISOString(),
        ytd: y.toString(), sinceStart: s.toString(), percentOfPlan: pct(y, planOf.get(r.year) ?? 0n), percentOfTotal: pct(s, total),
      };
    });
}

/**
 * A project (`p`) owes the 调度 report of month $3 of year $2: under way (开工 or 竣工, or an annual plan for the year)
 * and no current report for that month. One rule for the 调度 list and the reminder job.
 */
export const OWES_REPORT_SQL = `(p.stage IN ('started','completed') OR EXISTS (SELECT 1 FROM project_plan pl WHERE pl.project_id = p.id AND pl.year = $2 AND pl.amount > 0))
  AND NOT EXISTS (SELECT 1 FROM project_report r WHERE r.project_id = p.id AND r.year = $2 AND r.month = $3 AND r.is_current)`;

/**
 * GET /project-reports/missing?month=YYYY-MM (the 调度 list): projects under way that have no report for the
 * month, with their stewards. "Under way": 开工 or 竣工, or an annual plan for that year.
 */
export async function missingReports(db: DataSource, auth: AuthUser, month: string) {
  const { year, month: m } = parseMonth(month, '/querystring/month');
  const rows = await db.query(
    `SELECT p.id, p.no, p.name, p.light,
            coalesce((SELECT json_agg(json_build_object('id', sp.id, 'name', sp.name) ORDER BY sp.name) FROM project_steward ps JOIN person sp ON sp.id = ps.person_id WHERE ps.project_id = p.id), '[]') AS stewards
       FROM project p
      WHERE p.district_id = $1
        AND ${OWES_REPORT_SQL}
      ORDER BY p.name, p.id LIMIT 500`,
    [auth.districtId, year, m],
  );
  return { month, items: rows.map((r: { id: string; no: string; name: string; light: string | null; stewards: { id: string; name: string }[] }) => ({ id: r.id, no: r.no, name: r.name, light: r.light, stewards: r.stewards })) };
}

/**
 * POST /project-reports/reminders (coordinators, "催报"): reminds the stewards of every project in the 调度 list of
 * `month` now, without waiting for the due working day. Once per project, month and day (dedupe key), so a
 * second click the same day sends nothing twice.
 */
export async function remindMissingReports(db: DataSource, auth: AuthUser, monthText: string, now = new Date()): Promise<{ month: string; projects: number; sent: number }> {
  const today = shanghaiDate(now);
  const checked = checkReportMonth(monthText, today);
  if (!checked.ok) throw new AppError(checked.reason === 'future' ? 'PROJECT_REPORT_FUTURE_MONTH' : 'VALIDATION_FAILED', [{ path: '/body/month', message: checked.message }]);
  return db.transaction(async (em) => {
    const rows: { id: string; name: string; stewards: string[] }[] = await em.query(
      `SELECT p.id, p.name, array_agg(ps.person_id) AS stewards
         FROM project p JOIN project_steward ps ON ps.project_id = p.id
        WHERE p.district_id = $1 AND ${OWES_REPORT_SQL}
        GROUP BY p.id, p.name ORDER BY p.name LIMIT 500`,
      [auth.districtId, checked.year, checked.month],
    );
    let sent = 0;
    for (const r of rows) {
      sent += await notify(em, {
        districtId: auth.districtId, personIds: r.stewards, kind: 'project.report_reminder',
        title: `催报：${r.name}`, body: `${checked.year}年${checked.month}月的月度调度信息尚未填报，请尽快填报本月完成投资和形象进度。`,
        entityType: 'project', entityId: r.id, dedupeKey: `project-report-remind:${r.id}:${monthText}:${today}`,
      });
    }
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project.report_reminded', entityType: 'district', entityId: auth.districtId, data: { month: monthText, projects: rows.length, sent } });
    return { month: monthText, projects: rows.length, sent };
  });
}
