import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/app-error';

/**
 * Links a 诉求 or a visit to a key project (ticket.project_id, visit.project_id — ADR 0006 foresaw the latter).
 * The project must be in the district and owned by the same enterprise, so a problem or a visit never lands on
 * someone else's project. Called by the ticket and visit services right after their INSERT, in their transaction.
 */
export async function linkToProject(em: EntityManager, table: 'ticket' | 'visit', id: string, projectId: string, enterpriseId: string, districtId: string): Promise<void> {
  const [p] = await em.query(`SELECT 1 FROM project WHERE id = $1 AND enterprise_id = $2 AND district_id = $3`, [projectId, enterpriseId, districtId]);
  if (!p) throw new AppError('VALIDATION_FAILED', [{ path: '/body/projectId', message: '项目不存在或不属于该企业' }]);
  await em.query(`UPDATE ${table === 'ticket' ? 'ticket' : 'visit'} SET project_id = $2 WHERE id = $1`, [id, projectId]);
}
