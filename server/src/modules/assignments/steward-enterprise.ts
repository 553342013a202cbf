import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/app-error';

/**
 * The pair a 包保 assignment or a visit grant names: an active steward and an enterprise, both of the caller's
 * district; otherwise VALIDATION_FAILED on the field at fault.
 */
export async function assertStewardAndEnterprise(em: EntityManager, districtId: string, b: { stewardId: string; enterpriseId: string }): Promise<void> {
  const [st] = await em.query(`SELECT roles FROM person WHERE id = $1 AND district_id = $2 AND NOT disabled`, [b.stewardId, districtId]);
  if (!st || !st.roles.includes('steward')) throw new AppError('VALIDATION_FAILED', [{ path: '/body/stewardId', message: '所选人员不是本区县的管家' }]);
  const ent = await em.query(`SELECT 1 FROM enterprise WHERE id = $1 AND district_id = $2`, [b.enterpriseId, districtId]);
  if (!ent.length) throw new AppError('VALIDATION_FAILED', [{ path: '/body/enterpriseId', message: '企业不存在或不属于本区县' }]);
}
