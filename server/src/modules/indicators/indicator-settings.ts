import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_INDICATOR_SETTINGS, weightsProblem, type IndicatorSettings, type IndicatorSettingsUpdate } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import { recordAudit } from '../audit/audit';

type Q = Pick<DataSource | EntityManager, 'query'>;

/** Stored values over the defaults (district.settings.indicators); anything malformed falls back to the default. */
function merge(stored: unknown): IndicatorSettings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Partial<IndicatorSettings>;
  const weights = s.weights && !weightsProblem({ ...DEFAULT_INDICATOR_SETTINGS.weights, ...s.weights })
    ? { ...DEFAULT_INDICATOR_SETTINGS.weights, ...s.weights } : { ...DEFAULT_INDICATOR_SETTINGS.weights };
  const redBlackN = Number.isInteger(s.redBlackN) && s.redBlackN! >= 1 && s.redBlackN! <= 20 ? s.redBlackN! : DEFAULT_INDICATOR_SETTINGS.redBlackN;
  return { weights, redBlackN };
}

/** A district's indicator weights and 红黑榜 size. */
export async function getIndicatorSettings(db: Q, districtId: string): Promise<IndicatorSettings> {
  const [row] = await db.query(`SELECT settings -> 'indicators' AS s FROM district WHERE id = $1`, [districtId]);
  return merge(row?.s);
}

/**
 * The coordinator or admin changes the weights (the three score weights add up to 1) or N; one transaction with its
 * audit event. Published rankings keep the weights they were computed with.
 */
export async function updateIndicatorSettings(db: DataSource, auth: AuthUser, patch: IndicatorSettingsUpdate): Promise<IndicatorSettings> {
  if (patch.weights) {
    const problem = weightsProblem(patch.weights);
    if (problem) throw new AppError('INDICATOR_WEIGHTS_INVALID', [{ path: '/body/weights', message: problem }]);
  }
  return db.transaction(async (em) => {
    const [row] = await em.query(`SELECT settings -> 'indicators' AS s FROM district WHERE id = $1 FOR UPDATE`, [auth.districtId]);
    const cur = merge(row?.s);
    const next: IndicatorSettings = { weights: patch.weights ? { ...patch.weights } : cur.weights, redBlackN: patch.redBlackN ?? cur.redBlackN };
    await em.query(`UPDATE district SET settings = jsonb_set(settings, '{indicators}', $2::jsonb, true) WHERE id = $1`, [auth.districtId, JSON.stringify(next)]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'indicator_settings.updated', entityType: 'district', entityId: auth.districtId, data: patch });
    return next;
  });
}
