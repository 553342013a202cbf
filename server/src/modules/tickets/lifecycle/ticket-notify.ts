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
 * `audienceIds`'s rule as a condition on `person ap`, its parameters added through `p`: for a statement that writes
 * the change and its notifications at once (filing a 诉求: one statement instead of three round trips).
 */
export function audienceSql(t: Omit<NotifyTicket, 'id' | 'no' | 'title'>, audiences: readonly Audience[], p: (v: unknown) => string): string {
  const has = (a: Audience) => audiences.includes(a);
  const any: string[] = [];
  if (has('enterprise')) any.push(`(ap.enterprise_id = ${p(t.enterprise_id)}::uuid AND 'enterprise' = ANY(ap.roles))`);
  if (has('stewards')) any.push(`ap.id IN (SELECT steward_id FROM assignment WHERE enterprise_id = ${p(t.enterprise_id)}::uuid AND ends_on IS NULL)`);
  if (has('lead') && t.lead_department_id) any.push(`(ap.department_id = ${p(t.lead_department_id)}::uuid AND 'department' = ANY(ap.roles))`);
  if (has('assisting') && t.assisting_department_ids.length) any.push(`(ap.department_id = ANY(${p(t.assisting_department_ids)}::uuid[]) AND 'department' = ANY(ap.roles))`);
  if (has('coordinators')) any.push(`'coordinator' = ANY(ap.roles)`);
  if (has('leaders')) any.push(`'leader' = ANY(ap.roles)`);
  if (!any.length) return 'false';
  return `ap.district_id = ${p(t.district_id)}::uuid AND NOT ap.disabled AND (${any.join(' OR ')})`;
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
