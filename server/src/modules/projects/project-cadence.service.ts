import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import { getProjectSettings } from './project-settings';

/**
 * "每名分包干部每月到现场不少于2次": on-site visits naming the project (visit.project_id, checked in or completed)
 * per team steward and month, against `settings.projects.visitsPerMonth.steward`. Leaders do not log visits in this
 * system yet (visits are a steward's record), so only stewards are measured; the leader's count is left for when
 * leaders check in too. `overdue` = the month is over and the count is short.
 */
export async function projectVisitCadence(db: DataSource, auth: AuthUser, month: string, today: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (!(m >= 1 && m <= 12)) throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/month', message: '月份格式应为 YYYY-MM' }]);
  const s = await getProjectSettings(db, auth.districtId);
  const from = `${month}-01`;
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const rows: { project_id: string; project_name: string; steward_id: string; steward_name: string; done: number }[] = await db.query(
    `SELECT p.id AS project_id, p.name AS project_name, sp.id AS steward_id, sp.name AS steward_name,
            (SELECT count(*) FROM visit v WHERE v.project_id = p.id AND v.steward_id = sp.id AND v.kind = 'onsite'
               AND v.status IN ('checked_in','completed') AND v.occurred_at >= ($2::date - interval '8 hours') AND v.occurred_at < ($3::date - interval '8 hours'))::int AS done
       FROM project p JOIN project_steward ps ON ps.project_id = p.id JOIN person sp ON sp.id = ps.person_id
      WHERE p.district_id = $1 AND p.stage IN ('signed','started','completed','producing')
      ORDER BY p.name, sp.name`,
    [auth.districtId, from, next],
  );
  const required = s.visitsPerMonth.steward;
  const over = today >= next;
  const items = rows.map((r) => ({
    project: { id: r.project_id, name: r.project_name }, steward: { id: r.steward_id, name: r.steward_name },
    required, done: r.done, remaining: Math.max(0, required - r.done), overdue: over && r.done < required,
  }));
  return { month, required, items, overdue: items.filter((i) => i.overdue) };
}
