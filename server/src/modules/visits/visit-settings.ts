import type { DataSource, EntityManager } from 'typeorm';
import {
  CHECK_IN_DEFAULTS, DEFAULT_CADENCE_RULES, DEFAULT_KEY_CRITERIA,
  type CadenceRule, type VisitSettings, type VisitSettingsUpdate,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';

type Q = Pick<DataSource | EntityManager, 'query'>;

/** What a district gets until a coordinator changes it (ADR 0006 defaults). */
export const DEFAULT_VISIT_SETTINGS: VisitSettings = {
  fenceRadiusM: CHECK_IN_DEFAULTS.fenceRadiusM,
  allowOffAssignment: false,
  reminderDaysBefore: 3,
  backdateDays: 7,
  autoCheckoutHours: 8,
  keyTags: [...DEFAULT_KEY_CRITERIA.keyTags],
  keyIncludesAboveScale: DEFAULT_KEY_CRITERIA.keyIncludesAboveScale,
  cadenceRules: DEFAULT_CADENCE_RULES.map((r) => ({ ...r })) as VisitSettings['cadenceRules'],
};

/** Stored values over the defaults; unknown keys in the stored JSON are ignored. */
function merge(stored: Partial<VisitSettings> | null | undefined): VisitSettings {
  const s = { ...DEFAULT_VISIT_SETTINGS };
  if (!stored || typeof stored !== 'object') return s;
  for (const k of Object.keys(DEFAULT_VISIT_SETTINGS) as (keyof VisitSettings)[]) {
    if (stored[k] !== undefined && stored[k] !== null) (s as Record<string, unknown>)[k] = stored[k];
  }
  return s;
}

/** A district's visit settings (district.settings.visits over the defaults). */
export async function getVisitSettings(db: Q, districtId: string): Promise<VisitSettings> {
  const [row] = await db.query(`SELECT settings -> 'visits' AS visits FROM district WHERE id = $1`, [districtId]);
  return merge(row?.visits);
}

/** The cadence rules as the pure functions take them. */
export const cadenceRulesOf = (s: VisitSettings): CadenceRule[] => s.cadenceRules;

/**
 * Coordinators change the fence radius, cadence rules, key-enterprise criteria, reminder lead time and whether
 * stewards may visit enterprises not assigned to them. Only the `visits` key of district.settings is touched.
 */
export async function updateVisitSettings(db: DataSource, auth: AuthUser, patch: VisitSettingsUpdate): Promise<VisitSettings> {
  if (patch.cadenceRules) {
    const classes = patch.cadenceRules.map((r) => r.enterpriseClass);
    if (new Set(classes).size !== classes.length)
      throw new AppError('VALIDATION_FAILED', [{ path: '/body/cadenceRules', message: '每类企业只能设置一条走访规则' }]);
  }
  return db.transaction(async (em) => {
    const [row] = await em.query(`SELECT settings -> 'visits' AS visits FROM district WHERE id = $1 FOR UPDATE`, [auth.districtId]);
    const next = merge({ ...merge(row?.visits), ...patch });
    await em.query(`UPDATE district SET settings = jsonb_set(settings, '{visits}', $2::jsonb, true) WHERE id = $1`, [auth.districtId, JSON.stringify(next)]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'visit_settings.updated', entityType: 'district', entityId: auth.districtId, data: patch });
    return next;
  });
}
