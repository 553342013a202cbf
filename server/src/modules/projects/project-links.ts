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

/**
 * A 调度会 task becomes this 诉求 (ADR 0009): the task must be of the district, still open, not yet a 诉求, and —
 * when it names a project — the 诉求 must name the same project. In the ticket's transaction, right after linking
 * the project; a task filed twice at once loses on the unique index (409) rather than linking two tickets.
 */
export async function linkMeetingTask(em: EntityManager, taskId: string, ticketId: string, projectId: string | null, districtId: string): Promise<void> {
  const [rows] = await em.query(
    `UPDATE project_meeting_task SET ticket_id = $2
      WHERE id = $1 AND district_id = $3 AND status = 'open' AND ticket_id IS NULL AND (project_id IS NULL OR project_id = $4::uuid)
      RETURNING meeting_id`,
    [taskId, ticketId, districtId, projectId],
  );
  if (!rows.length) throw new AppError('VALIDATION_FAILED', [{ path: '/body/meetingTaskId', message: '调度会交办事项不存在、已办结、已转为诉求，或与所选项目不一致' }]);
}
