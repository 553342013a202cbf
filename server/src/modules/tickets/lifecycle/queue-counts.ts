import type { TicketCounts } from '@guanjia/shared';
import type { AuthUser } from '../../../lib/principal';
import { sqlParams, type Queryable } from '../../../lib/sql';
import { preparedQuery } from '../../../lib/prepared';
// DUE_SQL: the running deadline on a department's clock, the list's sort key, ix_ticket_overdue's and the `clock` rows' key
import { DUE_SQL, listConditions, type Clock } from './ticket.service';

/** The department of a district-wide counter row (migration QueueCounters). */
const DISTRICT_WIDE = '00000000-0000-0000-0000-000000000000';
/** States a ticket is still being worked on in (an enterprise's "open"). */
const OPEN_STATES_SQL = `('submitted','pending_dispatch','assigned','accepted','in_progress','awaiting_info','replied','awaiting_visit')`;
/** The start of the instant $2's UTC day: `clock` rows of earlier days are overdue whole, later ones not at all. */
const DAY_START_SQL = `(($2::timestamptz AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC')`;

/**
 * Counts of the caller's own work queues in one statement, each role's counts over what that role sees (the list's
 * visibility rule): department staff — to accept (主办), in progress, overdue; coordinators — new and returned
 * tickets waiting for dispatch, extension requests, overdue, escalated (level ≥ 2, still open), open 回访, open
 * 督办单 and 待销号; enterprise contacts — open, awaiting their confirmation, asked for information.
 *
 * The office's queues are sums of the counter rows the triggers of migration QueueCounters append in every
 * change's transaction (ADR 0020), so a count costs the same at 1,000 or 1,000,000 tickets. Overdue also needs
 * the clock: the `clock` rows of the days before today (UTC) plus an index range scan of today's deadlines up to
 * the instant. An enterprise's queues are its own few tickets, counted live (ix_ticket_enterprise).
 */
export async function ticketCounts(db: Queryable, auth: AuthUser, clock: Clock = {}): Promise<TicketCounts> {
  const { params, p } = sqlParams([auth.districtId, clock.now ?? new Date()]);
  // key → its subquery; a later one replaces an earlier (a department person who is also a coordinator: the
  // coordinator's district-wide overdue wins)
  const cols = new Map<string, string>();
  const counter = (key: string, department: string, queue: string) =>
    cols.set(key, `(SELECT coalesce(sum(q.n), 0)::int FROM ticket_queue_count q WHERE q.district_id = $1 AND q.department_id = ${department} AND q.queue = '${queue}')`);
  const overdue = (department: string, scope: string) =>
    cols.set('overdue', `((SELECT coalesce(sum(q.n), 0)::int FROM ticket_queue_count q
                   WHERE q.district_id = $1 AND q.department_id = ${department} AND q.queue = 'clock' AND q.due_day < ($2::timestamptz AT TIME ZONE 'UTC')::date)
               + (SELECT count(*)::int FROM ticket t WHERE ${scope} AND t.state IN ('assigned','accepted','in_progress')
                   AND ${DUE_SQL} >= ${DAY_START_SQL} AND ${DUE_SQL} < $2))`);
  if (auth.roles.includes('department') && auth.departmentId) {
    const dep = `${p(auth.departmentId)}::uuid`;
    counter('toAccept', dep, 'to_accept');
    counter('inProgress', dep, 'in_progress');
    overdue(dep, `t.district_id = $1 AND (t.lead_department_id = ${dep} OR ${dep} = ANY(t.assisting_department_ids))`);
  }
  if (auth.roles.includes('coordinator')) {
    const all = `${p(DISTRICT_WIDE)}::uuid`;
    counter('pendingDispatch', all, 'pending_dispatch');
    counter('returned', all, 'returned');
    counter('extensionPending', all, 'extension_pending');
    overdue(all, 't.district_id = $1');
    counter('escalated', all, 'escalated');
    counter('returnVisitsOpen', all, 'return_visits_open');
    counter('supervisionsOpen', all, 'supervisions_open');
    counter('awaitingClose', all, 'awaiting_close'); // 待销号: confirmed by the enterprise, waiting for the coordinator's 销号
  }
  if (auth.roles.includes('enterprise') && auth.enterpriseId) {
    const w = listConditions({ ...auth, roles: ['enterprise'] }, {}, p);
    if (w) {
      const live = (key: string, cond: string) => cols.set(key, `(SELECT count(*)::int FROM ticket t WHERE ${w.join(' AND ')} AND ${cond})`);
      live('open', `t.state IN ${OPEN_STATES_SQL}`);
      live('awaitingConfirmation', `t.state IN ('replied','awaiting_visit')`);
      live('infoRequested', `t.state = 'awaiting_info'`);
    }
  }
  if (!cols.size) return {};
  const [row] = await preparedQuery<Record<string, unknown>>(
    db,
    `SELECT ${[...cols].map(([key, sql]) => `${sql} AS "${key}"`).join(', ')} WHERE $1::uuid IS NOT NULL AND $2::timestamptz IS NOT NULL`, // both typed even when unused
    params,
  );
  return row as TicketCounts;
}

/**
 * Folds the counter rows of each (district, department, queue, day) into one and drops keys that sum to zero
 * (ADR 0020). One statement: it deletes the rows its snapshot sees and inserts their sums, so rows appended by
 * transactions committing meanwhile are left for the next run and no count ever changes. Safe to run from several
 * instances at once (a row is deleted, and so re-added, by one of them). Returns the rows removed.
 */
export async function compactQueueCounts(db: Queryable): Promise<number> {
  const [r] = await db.query(
    `WITH k AS (SELECT district_id, department_id, queue, due_day FROM ticket_queue_count GROUP BY 1, 2, 3, 4 HAVING count(*) > 1 OR sum(n) = 0),
          d AS (DELETE FROM ticket_queue_count c USING k
                 WHERE c.district_id = k.district_id AND c.department_id = k.department_id AND c.queue = k.queue AND c.due_day = k.due_day
                RETURNING c.district_id, c.department_id, c.queue, c.due_day, c.n),
          s AS (INSERT INTO ticket_queue_count (district_id, department_id, queue, due_day, n)
                SELECT district_id, department_id, queue, due_day, sum(n) FROM d GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 RETURNING 1)
     SELECT (SELECT count(*) FROM d)::int - (SELECT count(*) FROM s)::int AS removed`,
  );
  return r.removed as number;
}
