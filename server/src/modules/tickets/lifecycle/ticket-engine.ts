import type { EntityManager } from 'typeorm';
import type { TicketEvent, TicketRole, TicketSnapshot } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { preparedQuery } from '../../../lib/prepared';
import { snapshotColumns, TICKET_FROM, ticketSelect, type TicketRow } from './ticket-row';
import { sqlParams, type Queryable } from '../../../lib/sql';
import { currentRequestId } from '../../../lib/request-context';


/** Loads one ticket with its joined names; `forUpdate` locks the ticket row (jobs use it; actions rely on the guard). */
export async function loadTicketRow(db: Queryable, id: string, now: Date, opts: { forUpdate?: boolean } = {}): Promise<TicketRow | null> {
  const [row] = await preparedQuery<TicketRow>(db, `SELECT ${ticketSelect('$2')} FROM ${TICKET_FROM} WHERE t.id = $1 ${opts.forUpdate ? 'FOR UPDATE OF t' : ''}`, [id, now]);
  return row ?? null;
}

/** One timeline step to persist: the machine's event plus who and when, and server-side extras. */
export type StepWrite = {
  row: Pick<TicketRow, 'id' | 'district_id' | 'state' | 'version'>;
  /** the snapshot after the step (null for steps that are not machine transitions, such as a meeting) */
  next: TicketSnapshot | null;
  event: Pick<TicketEvent, 'action' | 'from' | 'to' | 'visibility'> & { role: TicketRole | string };
  actorId: string | null;
  now: Date;
  /** server-owned columns changed by the step (deadlines, texts, timestamps) */
  columns?: Record<string, unknown>;
  note?: string | null;
  data?: Record<string, unknown>;
  /** attachments the actor uploaded, linked to this step */
  attachmentIds?: string[];
};

/**
 * Persists one step atomically within the caller's transaction: the guarded UPDATE (`WHERE id AND state AND
 * version` — zero rows means someone else changed the ticket first: VERSION_CONFLICT), then its one event whose
 * `seq` is the new version, then the attachments it carries. Returns the new version, the event's id and the
 * updated ticket columns (so a caller can answer without reading the ticket again).
 */
export async function writeStep(em: EntityManager, s: StepWrite): Promise<{ seq: number; eventId: string; row: Record<string, unknown> }> {
  const cols: Record<string, unknown> = { ...(s.next ? snapshotColumns(s.next) : {}), ...(s.columns ?? {}), updated_at: s.now };
  const { params, p } = sqlParams([s.row.id, s.row.state, s.row.version]);
  const sets = Object.keys(cols).map((k) => `${k} = ${p(cols[k])}`).join(', ');
  const [rows] = await em.query(`UPDATE ticket SET ${sets}, version = version + 1 WHERE id = $1 AND state = $2 AND version = $3 RETURNING *`, params);
  if (!rows.length) throw new AppError('VERSION_CONFLICT');
  const seq: number = rows[0].version;
  const [ev] = await em.query(
    `INSERT INTO ticket_event (ticket_id, district_id, seq, action, actor_id, actor_role, from_state, to_state, visibility, note, data, created_at, request_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
    [s.row.id, s.row.district_id, seq, s.event.action, s.actorId, s.event.role, s.event.from, s.event.to, s.event.visibility, s.note ?? null,
      JSON.stringify(s.data ?? {}), s.now, currentRequestId()],
  );
  const eventId = String(ev.id);
  if (s.attachmentIds?.length) await linkAttachments(em, s.row.id, s.row.district_id, eventId, s.actorId, s.attachmentIds);
  return { seq, eventId, row: rows[0] };
}

/** Links attachments to a step; each must be the actor's own, in the district, and not used yet. */
export async function linkAttachments(em: EntityManager, ticketId: string, districtId: string, eventId: string, uploaderId: string | null, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const [, n] = await em.query(
    `UPDATE ticket_attachment SET ticket_id = $1, event_id = $2 WHERE id = ANY($3::uuid[]) AND uploaded_by = $4 AND district_id = $5 AND ticket_id IS NULL`,
    [ticketId, eventId, unique, uploaderId, districtId],
  );
  if (n !== unique.length) throw new AppError('ATTACHMENT_INVALID', [{ path: '/body/attachmentIds', message: '附件不存在、不属于您或已被使用' }]);
}

/** Next number of a kind (ticket, supervision) in a district and year; concurrent callers serialise on the row. */
export async function nextNumber(em: EntityManager, districtId: string, kind: string, year: number): Promise<number> {
  const [row] = await em.query(
    `INSERT INTO doc_counter (district_id, kind, year, last) VALUES ($1,$2,$3,1)
     ON CONFLICT (district_id, kind, year) DO UPDATE SET last = doc_counter.last + 1 RETURNING last`,
    [districtId, kind, year],
  );
  return row.last;
}
