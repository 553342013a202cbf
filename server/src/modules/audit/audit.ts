import type { EntityManager } from 'typeorm';
import { currentRequestId } from '../../lib/request-context';
import { loginLockouts } from '../../lib/metrics';

/** What changed, by whom: written in the same transaction as the change itself. */
export type AuditInput = {
  districtId: string | null;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data?: Record<string, unknown>;
};

/** Appends one audit row using the caller's transaction manager, stamped with the request being served (if any). */
export async function recordAudit(em: EntityManager, a: AuditInput): Promise<void> {
  await em.query(
    `INSERT INTO audit_event (district_id, actor_id, action, entity_type, entity_id, data, request_id) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [a.districtId, a.actorId, a.action, a.entityType, a.entityId, JSON.stringify(a.data ?? {}), currentRequestId()],
  );
  // Counted where the lock is decided; a rolled-back transaction would over-count by one, which an alert tolerates.
  if (a.action === 'auth.locked') loginLockouts.inc();
}
