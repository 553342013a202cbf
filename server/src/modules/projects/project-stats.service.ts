import type { DataSource } from 'typeorm';
import {
  formatPercent, projectMoneyFigures, projectParagraph, scheduleShare, shanghaiDate,
  PROJECT_STAGES, type ProjectParagraphQuery, type ProjectStats, type ProjectStatsQuery,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { loadWorkCalendar } from '../calendar/calendar.service';
import { getProjectSettings } from './project-settings';
import { pushProjectScopeFilters } from './project-row';

/**
 * The project figures for a period and scope (docs/metrics.md, "Key projects"). One function computes them; the
 * paragraph prints the same objects, so its numbers cannot differ from `/project-stats`.
 * - the set: projects of the scope (area, leader, department lead or helper, batch, levels, minimum 总投资) that
 *   had a stage on `to` (a stage event on or before it);
 * - stage, halted and kind as of `to` (from the stage history); light as stored now;
 * - 新开工 / 复工 / 竣工: projects with such an event dated inside the period; 实施 (active): projects under
 *   construction (开工) at some time in the period — on `to`, or touching 开工 in an event of the period;
 * - money: 总投资 of the set, the annual plan of `to`'s year, completed = current report versions of that year up
 *   to `to`'s month; % of plan; schedule share through the end of `to`; deviation in percentage points.
 */
export async function projectStats(db: DataSource, auth: AuthUser, q: ProjectStatsQuery, now = new Date()): Promise<ProjectStats> {
  const today = shanghaiDate(now);
  const to = q.to ?? today;
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to || from.slice(0, 4) !== to.slice(0, 4)) {
    throw new AppError('REPORT_PERIOD_INVALID', [{ path: '/querystring/from', message: '统计期间应在同一年内，且起始日期不晚于截止日期' }]);
  }
  const year = Number(to.slice(0, 4));
  const month = Number(to.slice(5, 7));
  const { params, p } = sqlParams([auth.districtId, to, from, year, month]);
  const where = ['p.district_id = $1'];
  pushProjectScopeFilters(where, q, p);
  if (q.levels?.length) where.push(`p.levels && ${p(q.levels)}::text[]`);
  if (q.minTotal) where.push(`p.total_investment >= ${p(q.minTotal)}::bigint`);

  const [r] = await db.query(
    `WITH scope AS (SELECT p.id, p.kind, p.total_investment, p.light, p.planned_start_on FROM project p WHERE ${where.join(' AND ')}),
     st AS (
       SELECT DISTINCT ON (ev.project_id) ev.project_id, ev.to_stage AS stage, ev.halted_after AS halted
         FROM project_stage_event ev JOIN scope s ON s.id = ev.project_id
        WHERE ev.occurred_on <= $2::date ORDER BY ev.project_id, ev.occurred_on DESC, ev.seq DESC),
     pe AS (SELECT ev.* FROM project_stage_event ev JOIN st ON st.project_id = ev.project_id WHERE ev.occurred_on BETWEEN $3::date AND $2::date)
     SELECT
       (SELECT count(*) FROM st)::int AS projects,
       (SELECT json_object_agg(stage, n) FROM (SELECT stage, count(*)::int AS n FROM st GROUP BY stage) x) AS by_stage,
       (SELECT json_object_agg(kind, n) FROM (SELECT s.kind, count(*)::int AS n FROM st JOIN scope s ON s.id = st.project_id GROUP BY s.kind) x) AS by_kind,
       (SELECT json_object_agg(coalesce(light, 'none'), n) FROM (SELECT s.light, count(*)::int AS n FROM st JOIN scope s ON s.id = st.project_id GROUP BY s.light) x) AS by_light,
       (SELECT count(*) FROM st WHERE halted)::int AS halted,
       (SELECT count(DISTINCT project_id) FROM pe WHERE action = 'advance' AND from_stage IN ('planning','signed') AND to_stage NOT IN ('planning','signed'))::int AS new_starts,
       (SELECT count(DISTINCT project_id) FROM pe WHERE action = 'resume')::int AS restarts,
       (SELECT count(DISTINCT project_id) FROM pe WHERE action = 'advance' AND from_stage IN ('planning','signed','started') AND to_stage IN ('completed','producing','effective'))::int AS completions,
       (SELECT count(*) FROM st WHERE st.stage = 'started' OR EXISTS (
          SELECT 1 FROM pe WHERE pe.project_id = st.project_id AND (pe.from_stage = 'started' OR pe.to_stage = 'started'
            OR (pe.action = 'advance' AND pe.from_stage IN ('planning','signed') AND pe.to_stage IN ('completed','producing','effective')))))::int AS active,
       (SELECT count(*) FROM st JOIN scope s ON s.id = st.project_id WHERE s.planned_start_on <= $2::date)::int AS start_due,
       (SELECT count(*) FROM st JOIN scope s ON s.id = st.project_id WHERE s.planned_start_on <= $2::date AND st.stage NOT IN ('planning','signed'))::int AS start_done,
       (SELECT coalesce(sum(s.total_investment), 0) FROM st JOIN scope s ON s.id = st.project_id)::text AS total_investment,
       (SELECT coalesce(sum(pl.amount), 0) FROM project_plan pl JOIN st ON st.project_id = pl.project_id WHERE pl.year = $4)::text AS annual_plan,
       (SELECT coalesce(sum(rp.amount), 0) FROM project_report rp JOIN st ON st.project_id = rp.project_id
         WHERE rp.is_current AND rp.year = $4 AND rp.month <= $5)::text AS completed_ytd`,
    params,
  );
  const settings = await getProjectSettings(db, auth.districtId);
  const cal = settings.lights.scheduleMode === 'working_days' ? await loadWorkCalendar(db, to) : undefined;
  const share = scheduleShare(to, settings.lights.scheduleMode, cal, true);
  const total = BigInt(r.total_investment);
  const plan = BigInt(r.annual_plan);
  const completed = BigInt(r.completed_ytd);
  const byStage = Object.fromEntries(PROJECT_STAGES.map((s) => [s, (r.by_stage ?? {})[s] ?? 0])) as ProjectStats['byStage'];
  const k = r.by_kind ?? {};
  const l = r.by_light ?? {};
  return {
    period: { from, to },
    year,
    projects: r.projects,
    byStage,
    byKind: { new: k.new ?? 0, continuing: k.continuing ?? 0, expansion: k.expansion ?? 0 },
    byLight: { green: l.green ?? 0, yellow: l.yellow ?? 0, red: l.red ?? 0, none: l.none ?? 0 },
    halted: r.halted,
    active: r.active,
    newStarts: r.new_starts,
    restarts: r.restarts,
    completions: r.completions,
    startRate: { started: r.start_done, due: r.start_due, percent: r.start_due ? formatPercent(BigInt(r.start_done), BigInt(r.start_due)) : null },
    ...projectMoneyFigures(total, plan, completed, share),
  };
}

/** 5000万元: the seeds' threshold for "large" projects in the paragraph's second sentence. */
export const DEFAULT_LARGE_THRESHOLD = '50000000';

/**
 * GET /project-stats/paragraph: the monthly report's project paragraph. Part one uses the query's scope and
 * level filter; part two the same scope without the level filter and with 总投资 ≥ threshold. Both figure sets
 * are returned with the text: `ledger` equals `/project-stats?<query>`, `large` equals
 * `/project-stats?<query without levels>&minTotal=<threshold>`.
 */
export async function projectParagraphFor(db: DataSource, auth: AuthUser, q: ProjectParagraphQuery, now = new Date()) {
  const { threshold, ...scope } = q;
  const ledger = await projectStats(db, auth, scope, now);
  const { levels: _levels, ...noLevels } = scope;
  const large = await projectStats(db, auth, { ...noLevels, minTotal: threshold ?? DEFAULT_LARGE_THRESHOLD }, now);
  const text = projectParagraph({
    levels: q.levels ?? [],
    ledger: {
      projects: ledger.projects, totalInvestment: BigInt(ledger.totalInvestment), annualPlan: BigInt(ledger.annualPlan),
      byKind: ledger.byKind, completedYtd: BigInt(ledger.completedYtd),
    },
    large: { threshold: BigInt(threshold ?? DEFAULT_LARGE_THRESHOLD), active: large.active, newStarts: large.newStarts, restarts: large.restarts, completions: large.completions },
  });
  return { text, ledger, large };
}
