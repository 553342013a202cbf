import type { EntityManager } from 'typeorm';
import { notify } from '../../notifications/notify';

/** Groups of people a ticket event can concern. */
export type Audience = 'enterprise' | 'stewards' | 'lead' | 'assisting' | 'coordinators' | 'leaders';

/** What a notification needs of the ticket. */
export type NotifyTicket = {
  id: string;
  district_id: string;
  no: string;
  title: string;
  enterprise_id: string;
  lead_department_id: string | null;
  assisting_department_ids: string[];
};

/** Resolves audiences to active people of the ticket's district (one query). */
export async function audienceIds(em: EntityManager, t: NotifyTicket, audiences: readonly Audience[]): Promise<string[]> {
  if (!audiences.length) return [];
  const has = (a: Audience) => audiences.includes(a);
  const rows: { id: string }[] = await em.query(
    `SELECT id FROM person WHERE district_id = $1 AND NOT disabled AND (
        ($2 AND enterprise_id = $3 AND 'enterprise' = ANY(roles))
     OR ($4 AND id IN (SELECT steward_id FROM assignment WHERE enterprise_id = $3 AND ends_on IS NULL))
     OR ($5 AND department_id = $6 AND 'department' = ANY(roles))
     OR ($7 AND department_id = ANY($8::uuid[]) AND 'department' = ANY(roles))
     OR ($9 AND 'coordinator' = ANY(roles))
     OR ($10 AND 'leader' = ANY(roles)))`,
    [t.district_id, has('enterprise'), t.enterprise_id, has('stewards'), has('lead') && !!t.lead_department_id, t.lead_department_id,
      has('assisting') && t.assisting_department_ids.length > 0, t.assisting_department_ids, has('coordinators'), has('leaders')],
  );
  return rows.map((r) => r.id);
}

/**
 * Notifies the audiences of one timeline step, in the caller's transaction, never the actor themself. The dedupe key
 * is the ticket and step, so a retried transaction or a re-run job cannot notify twice.
 */
export async function notifyTicketEvent(
  em: EntityManager,
  t: NotifyTicket,
  step: { seq: number; kind: string; title: string; body?: string; actorId: string | null },
  audiences: readonly Audience[],
): Promise<void> {
  const ids = (await audienceIds(em, t, audiences)).filter((id) => id !== step.actorId);
  if (!ids.length) return;
  await notify(em, {
    districtId: t.district_id,
    personIds: ids,
    kind: `ticket.${step.kind}`,
    title: step.title,
    body: step.body ?? `${t.no} ${t.title}`,
    entityType: 'ticket',
    entityId: t.id,
    dedupeKey: `ticket:${t.id}:${step.seq}:${step.kind}`,
  });
}
