import type { EntityManager } from 'typeorm';
import { settledNote, settledNotificationKinds, supervisionEffect, type TicketAction, type TicketState } from '@guanjia/shared';
import { recordAudit } from '../../audit/audit';

/**
 * Applies what a step settles (shared/ticket/work-settlement), in the step's transaction: the notifications on the
 * ticket that asked for this action are marked done with what happened, for everybody who received them; the
 * ticket's open 督办单 are signed for with the ticket or closed with a reason (each change audited).
 */
export async function settleWork(
  em: EntityManager,
  s: { ticketId: string; districtId: string; action: TicketAction; actorId: string | null; now: Date; next: { state: TicketState; leadDepartmentId: string | null }; fromDepartmentId: string | null },
): Promise<void> {
  const kinds = settledNotificationKinds(s.action, s.next.state);
  let actorName: string | null = null;
  if (s.actorId) [{ name: actorName }] = await em.query(`SELECT name FROM person WHERE id = $1`, [s.actorId]);
  if (kinds.length) {
    await em.query(
      `UPDATE notification SET done_at = $3, done_note = $4 WHERE entity_id = $1 AND kind = ANY($2::text[]) AND done_at IS NULL AND entity_type = 'ticket'`,
      [s.ticketId, kinds, s.now, settledNote(s.action, actorName)],
    );
  }
  const fx = supervisionEffect(s.action, s.next);
  if (fx.kind === 'none') return;
  const rows: { id: string; no: string; status: string }[] = fx.kind === 'acknowledge'
    ? (await em.query(
      `UPDATE supervision SET status = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, version = version + 1
        WHERE ticket_id = $1 AND status = 'issued' AND department_id = $4 RETURNING id, no, status`,
      [s.ticketId, s.actorId, s.now, s.fromDepartmentId],
    ))[0]
    : (await em.query(
      `UPDATE supervision SET status = 'closed', closed_at = $2, closed_reason = $3, version = version + 1
        WHERE ticket_id = $1 AND status IN ('issued','acknowledged') AND department_id IS DISTINCT FROM $4 RETURNING id, no, status`,
      [s.ticketId, s.now, fx.reason, fx.keepDepartmentId ?? null],
    ))[0];
  for (const r of rows) {
    await recordAudit(em, {
      districtId: s.districtId, actorId: s.actorId, action: fx.kind === 'acknowledge' ? 'supervision.acknowledge_with_ticket' : 'supervision.close_with_ticket',
      entityType: 'supervision', entityId: r.id, data: { ticketId: s.ticketId, step: s.action, ...(fx.kind === 'close' ? { reason: fx.reason } : {}) },
    });
  }
}
