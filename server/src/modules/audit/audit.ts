import type { EntityManager } from 'typeorm';

/** What changed, by whom: written in the same transaction as the change itself. */
export type AuditInput = {
  districtId: string | null;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data?: Record<string, unknown>;
};

/** Appends one audit row using the caller's transaction manager. */
export async function recordAudit(em: EntityManager, a: AuditInput): Promise<void> {
  await em.query(
    `INSERT INTO audit_event (district_id, actor_id, action, entity_type, entity_id, data) VALUES ($1,$2,$3,$4,$5,$6)`,
    [a.districtId, a.actorId, a.action, a.entityType, a.entityId, JSON.stringify(a.data ?? {})],
  );
}
