import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';
import { DEFAULT_LIGHT_SETTINGS, DEFAULT_PROJECT_LEVELS, DEFAULT_PROJECT_NATURES, type LightSettings } from '@guanjia/shared';

type Q = Pick<DataSource | EntityManager, 'query'>;

/** A district's project settings (district.settings.projects over these defaults). */
export type ProjectSettings = {
  levels: string[];
  natures: string[];
  lights: LightSettings;
  /** the previous month's 调度 report is due by this working day of the month (reminders after it) */
  reportDueWorkingDay: number;
  /** on-site visits per month each leader / steward owes each of their projects ("每月到现场不少于2次") */
  visitsPerMonth: { leader: number; steward: number };
  /** milestone names created with a new project, per nature (fallback: `default`) */
  milestoneTemplates: Record<string, string[]>;
};

export const DEFAULT_MILESTONES = ['立项', '用地预审', '规划许可', '环评', '能评', '施工许可', '开工', '主体完工', '竣工验收', '投产'];

export const DEFAULT_PROJECT_SETTINGS: ProjectSettings = {
  levels: [...DEFAULT_PROJECT_LEVELS],
  natures: [...DEFAULT_PROJECT_NATURES],
  lights: { ...DEFAULT_LIGHT_SETTINGS },
  reportDueWorkingDay: 5,
  visitsPerMonth: { leader: 2, steward: 2 },
  milestoneTemplates: {
    default: DEFAULT_MILESTONES,
    基础设施: ['立项', '用地预审', '规划许可', '环评', '施工许可', '开工', '主体完工', '竣工验收'],
    社会民生: ['立项', '用地预审', '规划许可', '施工许可', '开工', '主体完工', '竣工验收'],
  },
};

/** Stored values over the defaults (one level deep for `lights` and `visitsPerMonth`). */
export async function getProjectSettings(db: Q, districtId: string): Promise<ProjectSettings> {
  const [row] = await db.query(`SELECT settings -> 'projects' AS projects FROM district WHERE id = $1`, [districtId]);
  const s = (row?.projects ?? {}) as Partial<ProjectSettings>;
  const d = DEFAULT_PROJECT_SETTINGS;
  return {
    levels: Array.isArray(s.levels) ? s.levels : d.levels,
    natures: Array.isArray(s.natures) ? s.natures : d.natures,
    lights: { ...d.lights, ...(s.lights ?? {}) },
    reportDueWorkingDay: typeof s.reportDueWorkingDay === 'number' ? s.reportDueWorkingDay : d.reportDueWorkingDay,
    visitsPerMonth: { ...d.visitsPerMonth, ...(s.visitsPerMonth ?? {}) },
    milestoneTemplates: { ...d.milestoneTemplates, ...(s.milestoneTemplates ?? {}) },
  };
}

/** PUT /project-settings (coordinators): merges the patch over the current settings; yellow must stay below red. */
export async function updateProjectSettings(db: DataSource, auth: AuthUser, patch: Partial<ProjectSettings>): Promise<ProjectSettings> {
  return db.transaction(async (em) => {
    await em.query(`SELECT 1 FROM district WHERE id = $1 FOR UPDATE`, [auth.districtId]);
    const next = { ...(await getProjectSettings(em, auth.districtId)), ...patch };
    if (next.lights.yellowPoints >= next.lights.redPoints) {
      throw new AppError('VALIDATION_FAILED', [{ path: '/body/lights/yellowPoints', message: '黄灯阈值应小于红灯阈值' }]);
    }
    await em.query(`UPDATE district SET settings = jsonb_set(settings, '{projects}', $2::jsonb, true) WHERE id = $1`, [auth.districtId, JSON.stringify(next)]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project_settings.updated', entityType: 'district', entityId: auth.districtId, data: patch });
    return next;
  });
}
