import type { DataSource } from 'typeorm';
import type { Supervision } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../../lib/keyset';
import type { AuthUser } from '../../../lib/principal';
import { applyVisibility } from '../../../lib/policy';
import { mayAdvanceSupervision, supervisionVisibilitySql } from './supervision.policy';
import { notify } from '../../notifications/notify';
import { sqlParams } from '../../../lib/sql';

/**
 * 督办单: issued to the lead department when a deadline was missed (by the overdue job, once per missed deadline)
 * or by a coordinator by hand (the ticket's `supervise` action). Each has its own status: issued → acknowledged
 * (the department signed for it) → done (the department reported what it did). District-wide roles see all of the
 * district's; department staff see those addressed to their department.
 */

type Row = {
  id: string; no: string; ticket_id: string; ticket_no: string; ticket_title: string; department_id: string; department_name: string;
  kind: Supervision['kind']; missed_due_at: Date | null; note: string | null; status: Supervision['status']; issued_by: string | null;
  issued_by_name: string | null; issued_at: Date; acknowledged_at: Date | null; done_at: Date | null; response: string | null; version: number; closed_at: Date | null; closed_reason: string | null;
  district_id: string;
};

const SELECT = `SELECT s.id, s.no, s.district_id, s.ticket_id, t.no AS ticket_no, t.title AS ticket_title, s.department_id, d.name AS department_name, s.kind,
    s.missed_due_at, s.note, s.status, s.issued_by, p.name AS issued_by_name, s.issued_at, s.acknowledged_at, s.done_at, s.response, s.version, s.closed_at, s.closed_reason
  FROM supervision s JOIN ticket t ON t.id = s.ticket_id JOIN department d ON d.id = s.department_id LEFT JOIN person p ON p.id = s.issued_by`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function present(r: Row): Supervision {
  return {
    id: r.id, no: r.no, ticket: { id: r.ticket_id, no: r.ticket_no, title: r.ticket_title }, department: { id: r.department_id, name: r.department_name },
    kind: r.kind, missedDueAt: iso(r.missed_due_at), note: r.note, status: r.status,
    issuedBy: r.issued_by ? { id: r.issued_by, name: r.issued_by_name ?? '' } : null, issuedAt: iso(r.issued_at)!,
    acknowledgedAt: iso(r.acknowledged_at), doneAt: iso(r.done_at), response: r.response, closedAt: iso(r.closed_at), closedReason: r.closed_reason, version: r.version,
  };
}

/** The 督办单 the caller may see, newest first. */
export async function listSupervisions(db: DataSource, auth: AuthUser, q: { limit?: number; cursor?: string; status?: string; departmentId?: string; ticketId?: string }): Promise<Page<Supervision>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['s.district_id = $1'];
  if (!applyVisibility(where, supervisionVisibilitySql(auth, p))) return { items: [], nextCursor: null };
  if (q.status) where.push(`s.status = ${p(q.status)}`);
  if (q.departmentId) where.push(`s.department_id = ${p(q.departmentId)}`);
  if (q.ticketId) where.push(`s.ticket_id = ${p(q.ticketId)}`);
  const c = decodeCursor(q.cursor, 2);
  if (c) where.push(`(s.issued_at, s.id) < (${p(c[0])}::timestamptz, ${p(c[1])}::uuid)`);
  const rows: Row[] = await db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY s.issued_at DESC, s.id DESC LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.issued_at).toISOString(), r.id]);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

/** One 督办单 the caller may see. */
export async function getSupervision(db: Pick<DataSource, 'query'>, auth: AuthUser, id: string): Promise<Supervision> {
  const { params, p } = sqlParams([id, auth.districtId]);
  const where = ['s.id = $1', 's.district_id = $2'];
  if (!applyVisibility(where, supervisionVisibilitySql(auth, p))) throw new AppError('NOT_FOUND');
  const [row]: Row[] = await db.query(`${SELECT} WHERE ${where.join(' AND ')}`, params);
  if (!row) throw new AppError('NOT_FOUND');
  return present(row);
}

/**
 * Moves a 督办单 on: `acknowledge` (issued → acknowledged) by staff of the addressed department; `complete`
 * (issued/acknowledged → done, with the response) by that department or a coordinator. Guarded by status and version.
 */
export async function advanceSupervision(db: DataSource, auth: AuthUser, id: string, step: 'acknowledge' | 'complete', b: { version: number; response?: string }, now = new Date()): Promise<Supervision> {
  await db.transaction(async (em) => {
    const cur = await getSupervision(em, auth, id);
    if (!mayAdvanceSupervision(auth, step, { district_id: auth.districtId, department_id: cur.department.id })) throw new AppError('FORBIDDEN');
    const from = step === 'acknowledge' ? ['issued'] : ['issued', 'acknowledged'];
    if (!from.includes(cur.status)) throw new AppError('SUPERVISION_STATE_INVALID');
    if (cur.version !== b.version) throw new AppError('VERSION_CONFLICT');
    const [rows] = step === 'acknowledge'
      ? await em.query(
        `UPDATE supervision SET status = 'acknowledged', acknowledged_by = $3, acknowledged_at = $4, version = version + 1
          WHERE id = $1 AND version = $2 AND status = 'issued' RETURNING id`, [id, b.version, auth.id, now])
      : await em.query(
        `UPDATE supervision SET status = 'done', done_by = $3, done_at = $4, response = $5, version = version + 1,
                acknowledged_by = COALESCE(acknowledged_by, $3), acknowledged_at = COALESCE(acknowledged_at, $4)
          WHERE id = $1 AND version = $2 AND status IN ('issued','acknowledged') RETURNING id`, [id, b.version, auth.id, now, b.response ?? null]);
    if (!rows.length) throw new AppError('VERSION_CONFLICT');
    if (step === 'complete') {
      const coordinators: { id: string }[] = await em.query(`SELECT id FROM person WHERE district_id = $1 AND 'coordinator' = ANY(roles) AND NOT disabled AND id <> $2`, [auth.districtId, auth.id]);
      await notify(em, {
        districtId: auth.districtId, personIds: coordinators.map((c) => c.id), kind: 'supervision.done', title: `督办单 ${cur.no} 已办结`,
        body: (b.response ?? '').slice(0, 200), entityType: 'supervision', entityId: id, dedupeKey: `supervision:${id}:done`,
      });
    }
  });
  return getSupervision(db, auth, id);
}
