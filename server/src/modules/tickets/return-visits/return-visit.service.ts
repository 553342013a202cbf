import type { DataSource } from 'typeorm';
import type { ReturnVisit } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { decodeCursor, toPage } from '../../../lib/keyset';
import type { AuthUser } from '../../../lib/principal';
import { performAction } from '../lifecycle/ticket-actions';
import type { Clock } from '../lifecycle/ticket.service';
import { sqlParams } from '../../../lib/sql';

/**
 * 回访 tasks for coordinators: opened when a reply went unconfirmed for 5 working days (the deadlines job) and
 * when an enterprise withdrew a ticket (to verify it was voluntary). The coordinator phones or visits and records the
 * verdict, which is the ticket's `record_visit` action; the task closes in the same transaction.
 */

const SELECT = `SELECT v.id, v.kind, v.status, v.created_at, v.done_at, v.done_by, dp.name AS done_by_name, v.verdict, v.withdrawal_voluntary, v.method, v.note,
    t.id AS ticket_id, t.no, t.title, t.state, t.version, e.id AS enterprise_id, e.name AS enterprise_name, e.contact_name, e.contact_phone
  FROM return_visit_task v JOIN ticket t ON t.id = v.ticket_id JOIN enterprise e ON e.id = t.enterprise_id LEFT JOIN person dp ON dp.id = v.done_by`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Row shape of SELECT below (snake_case, joined names). */
type RV = ReturnVisit;
type ReturnVisitRow = {
  id: string; kind: RV['kind']; status: RV['status']; ticket_id: string; no: string; title: string; state: RV['ticket']['state']; version: number;
  enterprise_id: string; enterprise_name: string; contact_name: string | null; contact_phone: string | null;
  created_at: Date; done_at: Date | null; done_by: string | null; done_by_name: string; // joined: set whenever done_by is
  verdict: RV['verdict']; withdrawal_voluntary: boolean | null; method: string | null; note: string | null;
};

function present(r: ReturnVisitRow): ReturnVisit {
  return {
    id: r.id, kind: r.kind, status: r.status,
    ticket: { id: r.ticket_id, no: r.no, title: r.title, state: r.state, version: r.version },
    enterprise: { id: r.enterprise_id, name: r.enterprise_name, contactName: r.contact_name, contactPhone: r.contact_phone },
    createdAt: iso(r.created_at)!, doneAt: iso(r.done_at), doneBy: r.done_by ? { id: r.done_by, name: r.done_by_name } : null,
    verdict: r.verdict, withdrawalVoluntary: r.withdrawal_voluntary, method: r.method, note: r.note,
  };
}

/** The district's 回访 tasks (open first by default), oldest first so nothing waits forever. */
export async function listReturnVisits(db: DataSource, auth: AuthUser, q: { limit?: number; cursor?: string; status?: string; kind?: string }) {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId, q.status ?? 'open']);
  const where = ['v.district_id = $1', 'v.status = $2'];
  if (q.kind) where.push(`v.kind = ${p(q.kind)}`);
  const c = decodeCursor(q.cursor, 2);
  if (c) where.push(`(v.created_at, v.id) > (${p(c[0])}::timestamptz, ${p(c[1])}::uuid)`);
  const rows = await db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY v.created_at, v.id LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r: ReturnVisitRow) => [new Date(r.created_at).toISOString(), r.id]);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

/** Records the 回访 of one open task: the ticket's record_visit action with the ticket version the caller read. */
export async function recordReturnVisit(db: DataSource, auth: AuthUser, id: string, body: { version: number; verdict?: string; withdrawalVoluntary?: boolean; method?: string; note?: string }, clock: Clock = {}) {
  const [task] = await db.query(`SELECT ticket_id, status FROM return_visit_task WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
  if (!task) throw new AppError('NOT_FOUND');
  if (task.status !== 'open') throw new AppError('RETURN_VISIT_NOT_OPEN');
  await performAction(db, auth, task.ticket_id, 'record_visit', body, clock);
  const [row] = await db.query(`${SELECT} WHERE v.id = $1`, [id]);
  return present(row);
}
