import crypto from 'node:crypto';
import { currentRequestId } from '../../../lib/request-context';
import type { DataSource } from 'typeorm';
import { linkMeetingTask, linkToProject } from '../../projects/project-links';
import {
  availableActions,
  DUPLICATE_LOOKBACK_DAYS,
  DUPLICATE_SIMILARITY_THRESHOLD,
  shanghaiDate,
  submitTicket,
  textSimilarity,
  transition,
  TICKET_ACTIONS,
  type TicketAction,
  type TicketCreate,
  type TicketDetail,
  type TicketListQuery,
  type TicketRole,
  type TicketSummary,
} from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { badCursor, decodeCursor, toPage, type Page } from '../../../lib/keyset';
import type { AuthUser } from '../../../lib/principal';
import { linkAttachments } from './ticket-engine';
import { filingRole, isStewardOf, relationTo, seesInternalHandling, visibilitySql, type TicketRelation } from './ticket.policy';
import { presentDetail, presentEvent, presentSummary, type AttachmentRow, type EventRow } from './ticket.presenter';
import { snapshotColumns, SUMMARY_FROM, summarySelect, TICKET_FROM, ticketSelect, toSnapshot, type SummaryRow, type TicketRow } from './ticket-row';
import { routeWith } from '../config/routing.service';
import { cachedWorkCalendar, CONFIG_VERSION_SQL, ticketConfig } from '../config/ticket-config-cache';
import { deadlineViews } from './urge.service';
import { assignmentColumns } from './deadlines';
import { audienceSql, type Audience } from './ticket-notify';
import { escapeLike, sqlParams, type Queryable } from '../../../lib/sql';
import { preparedQuery } from '../../../lib/prepared';
import { dueSql, overdueSql } from '../../indicators/indicator-sql';


/** Options every ticket operation takes: the instant it happens (tests and the demo move the clock). */
export type Clock = { now?: Date };

/** The union of the actions the caller may take now over every role they hold on the ticket. */
export function callerActions(row: TicketRow, roles: readonly TicketRole[]): TicketAction[] {
  const snap = toSnapshot(row);
  const set = new Set(roles.flatMap((r) => availableActions(snap, r)));
  return TICKET_ACTIONS.filter((a) => set.has(a));
}

/** The detail query's row: the ticket plus what hangs off it. */
export type DetailRow = TicketRow & {
  x_assisting: { id: string; name: string }[]; x_merged: { id: string; no: string; title: string }[]; x_steward: boolean; x_years: number[] | null;
  /** The enterprise's registered contact (issue 13: the department calls the enterprise from the ticket). */
  x_contact?: { name: string | null; phone: string | null } | null;
  /** The whole timeline with each step's attachments, when loaded with the row (`getTicket`); filtered by visibility in detailOf. */
  x_events?: (EventRow & { attachments: AttachmentRow[] })[];
  /** the configuration version (for the cached calendar) and the clock the row was read at */
  x_cfg?: string | null; x_now?: Date;
};

/** Each step's attachments, as a json column of an event row `ev`. */
const EVENT_ATTACHMENTS_SQL = `(SELECT coalesce(json_agg(json_build_object('id', a.id, 'event_id', a.event_id, 'kind', a.kind, 'mime', a.mime, 'file_name', a.file_name,
                     'size_bytes', a.size_bytes, 'created_at', a.created_at) ORDER BY a.created_at, a.id), '[]') FROM ticket_attachment a WHERE a.event_id = ev.id)`;

/**
 * The ticket with everything hanging off it (assisting departments, merged tickets, whether the caller is a steward
 * of its enterprise, the calendar years known), as one prepared statement. Actions load this once and patch it.
 */
export async function loadDetailRow(db: Queryable, auth: AuthUser, id: string, now: Date, opts: { events?: boolean } = {}): Promise<DetailRow | null> {
  // With the timeline (a read that only shows the ticket): one statement per detail instead of two.
  const events = opts.events
    ? `,
       (SELECT coalesce(json_agg(json_build_object('id', ev.id, 'seq', ev.seq, 'action', ev.action, 'actor_id', ev.actor_id, 'actor_name', p.name,
                 'actor_role', ev.actor_role, 'from_state', ev.from_state, 'to_state', ev.to_state, 'visibility', ev.visibility, 'note', ev.note,
                 'data', ev.data, 'created_at', ev.created_at, 'attachments', ${EVENT_ATTACHMENTS_SQL}) ORDER BY ev.seq), '[]')
          FROM ticket_event ev LEFT JOIN person p ON p.id = ev.actor_id WHERE ev.ticket_id = t.id) AS x_events`
    : '';
  const [row] = await preparedQuery<DetailRow>(
    db,
    `SELECT ${ticketSelect('$2')},
       (SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name) ORDER BY d.name), '[]') FROM department d WHERE d.id = ANY(t.assisting_department_ids)) AS x_assisting,
       (SELECT coalesce(json_agg(json_build_object('id', x.id, 'no', x.no, 'title', x.title) ORDER BY x.created_at), '[]') FROM ticket x WHERE x.merged_into_id = t.id) AS x_merged,
       EXISTS (SELECT 1 FROM assignment s WHERE s.enterprise_id = t.enterprise_id AND s.steward_id = $3 AND s.ends_on IS NULL AND $4) AS x_steward,
       (SELECT array_agg(year) FROM calendar_year) AS x_years,
       (SELECT json_build_object('name', ec.contact_name, 'phone', ec.contact_phone) FROM enterprise ec WHERE ec.id = t.enterprise_id) AS x_contact,
       ${CONFIG_VERSION_SQL} AS x_cfg, $2::timestamptz AS x_now${events}
     FROM ${TICKET_FROM} WHERE t.id = $1`,
    [id, now, auth.id, auth.roles.includes('steward')],
  );
  return row ?? null;
}

/**
 * The detail of one ticket as the caller may see it; a ticket they may not see does not exist for them.
 * One statement: the detail row with the timeline and each step's attachments as a json column.
 */
export async function getTicket(db: Queryable, auth: AuthUser, id: string, clock: Clock = {}, opts: { justActed?: TicketRelation } = {}): Promise<TicketDetail> {
  const row = await loadDetailRow(db, auth, id, clock.now ?? new Date(), { events: true });
  if (!row) throw new AppError('TICKET_NOT_FOUND');
  return detailOf(db, auth, row, opts);
}

/** The detail from an already loaded (or, after an action, patched) detail row: visibility, timeline, buttons. */
export async function detailOf(db: Queryable, auth: AuthUser, row: DetailRow, opts: { justActed?: TicketRelation } = {}): Promise<TicketDetail> {
  let rel = relationTo(auth, row, row.x_steward);
  // The answer to an action that took the ticket out of the caller's sight (退回): the state they left it in, no buttons.
  if (!rel.canSee && opts.justActed?.canSee) rel = { ...opts.justActed, roles: [] };
  if (!rel.canSee) throw new AppError('TICKET_NOT_FOUND');
  const events = row.x_events
    ? row.x_events.filter((e) => rel.seesInternal || e.visibility === 'public')
    : await preparedQuery<EventRow & { attachments: AttachmentRow[] }>(
      db,
      `SELECT ev.id, ev.seq, ev.action, ev.actor_id, p.name AS actor_name, ev.actor_role, ev.from_state, ev.to_state, ev.visibility, ev.note, ev.data, ev.created_at,
              ${EVENT_ATTACHMENTS_SQL} AS attachments
         FROM ticket_event ev LEFT JOIN person p ON p.id = ev.actor_id
        WHERE ev.ticket_id = $1 ${rel.seesInternal ? '' : `AND ev.visibility = 'public'`} ORDER BY ev.seq`,
      [row.id],
    );
  const known = new Set(row.x_years ?? []);
  const knows = (d: Date | null) => !d || known.has(Number(shanghaiDate(new Date(d)).slice(0, 4)));
  const open = ['assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied'].includes(row.state);
  const detail = presentDetail(row, {
    assisting: row.x_assisting,
    mergedTickets: row.x_merged,
    availableActions: callerActions(row, rel.roles),
    timeline: events.map((e) => presentEvent(e, e.attachments, rel.seesInternal)),
    seesInternal: rel.seesInternal,
    provisional: open && !(knows(row.accept_due_at) && knows(row.reply_due_at) && knows(row.confirmation_due_at)),
  });
  // Issue 13: the countdown in working days, and the enterprise's 催办 (once per working day).
  const urges = events.filter((e) => e.action === 'urge').map((e) => ({ urgeDay: String((e.data as Record<string, unknown>)?.urgeDay ?? '') }));
  const now = row.x_now ? new Date(row.x_now) : new Date();
  const views = await deadlineViews(() => cachedWorkCalendar(db, row.district_id, now, row.x_cfg ?? '0'), row, rel.roles.includes('enterprise'), urges, now);
  // The office (those who see internal steps) gets the enterprise's contact to call; the enterprise has its own.
  const c = row.x_contact;
  return rel.seesInternal && c && (c.name || c.phone) ? { ...detail, ...views, enterpriseContact: { name: c.name, phone: c.phone } } : { ...detail, ...views };
}

// The clock states and the running deadline as top-level conjuncts (equivalent to "accept lapsed while assigned, or
// reply lapsed on the clock"), so the planner sees that the partial index ix_ticket_clock_due applies.
const OVERDUE_SQL = overdueSql('$2');
/**
 * The `sort=deadline` key: the nearest deadline still running — the reply deadline, or while waiting for 签收 the
 * accept deadline when it comes first. Overdue tickets are exactly those whose key has passed, so ascending order
 * puts them first without a clock in the key (the cursor stays valid between pages); no deadline (not with a
 * department) is null, last.
 */
// Exactly the expression of index ix_ticket_deadline (so ORDER BY … LIMIT walks the index); the cursor carries the
// key as PostgreSQL returns it (DUE_KEY_SQL, microseconds), so no truncation is needed to compare it again.
export const DUE_SQL = dueSql('t');
const DUE_KEY_SQL = `to_char(${DUE_SQL} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS due_key`;
/**
 * The WHERE conditions of a ticket list as the caller may see it, parameters added through `p` after the district
 * ($1) and the instant ($2). Shared by the list and the work-queue counts. Null when the caller sees nothing.
 */
export function listConditions(auth: AuthUser, q: Partial<TicketListQuery>, p: (v: unknown) => string): string[] | null {
  const where = ['t.district_id = $1'];
  // The internal handling (escalation, returns, extensions) is hidden from enterprise contacts: no filtering by it either.
  if (!seesInternalHandling(auth)) {
    const internal = (['escalationLevel', 'escalationLevelMin', 'returned', 'extensionPending'] as const).filter((k) => q[k] !== undefined);
    if (internal.length) throw new AppError('VALIDATION_FAILED', internal.map((k) => ({ path: `/querystring/${k}`, message: '企业联系人不能按内部办理情况筛选' })));
  }
  const vis = visibilitySql(auth, p);
  if (vis === 'none') return null;
  if (vis) where.push(vis);
  if (q.state?.length) where.push(`t.state = ANY(${p(q.state)})`);
  if (q.categoryId) { const c = p(q.categoryId); where.push(`(t.category_id = ${c}::uuid OR c.parent_id = ${c}::uuid)`); }
  if (q.areaId) where.push(`t.area_id = ${p(q.areaId)}`);
  if (q.departmentId) { const d = p(q.departmentId); where.push(`(t.lead_department_id = ${d}::uuid OR ${d}::uuid = ANY(t.assisting_department_ids))`); }
  if (q.leadDepartmentId) where.push(`t.lead_department_id = ${p(q.leadDepartmentId)}`);
  if (q.enterpriseId) where.push(`t.enterprise_id = ${p(q.enterpriseId)}`);
  if (q.stewardId) where.push(`EXISTS (SELECT 1 FROM assignment s2 WHERE s2.enterprise_id = t.enterprise_id AND s2.steward_id = ${p(q.stewardId)} AND s2.ends_on IS NULL)`);
  // Levels as literals (validated integers 1–4): a prepared statement's generic plan can then use the partial
  // index of escalated tickets (ix_ticket_escalated_created), which a parameter cannot prove applies.
  if (q.escalationLevel) where.push(`t.escalation_level = ${level(q.escalationLevel)}`);
  if (q.escalationLevelMin) where.push(`t.escalation_level >= ${level(q.escalationLevelMin)}`);
  if (q.solved !== undefined) where.push(`t.is_solved = ${p(q.solved)}`);
  if (q.overdue !== undefined) where.push(q.overdue ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`);
  if (q.returned !== undefined) where.push(`${q.returned ? '' : 'NOT '}(t.return_count > 0 AND t.state = 'pending_dispatch')`);
  if (q.extensionPending !== undefined) where.push(`t.pending_extension IS ${q.extensionPending ? 'NOT ' : ''}NULL`);
  // Submission period (Shanghai days), for drilling down from a dashboard figure and for the month's ledger.
  if (q.from) where.push(`t.created_at >= ${p(new Date(`${q.from}T00:00:00+08:00`))}`);
  if (q.to) where.push(`t.created_at < ${p(new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000))}`);
  if (q.from && q.to && q.to < q.from) throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/to', message: '截止日期不能早于起始日期' }]);
  if (q.q) {
    const term = `%${escapeLike(q.q.trim())}%`;
    const like = p(term);
    where.push(`(t.title ILIKE ${like} OR t.description ILIKE ${like} OR t.no LIKE ${like} OR e.name ILIKE ${like})`);
  }
  // Dates are Beijing days: [from 00:00, to + 1 day 00:00) in Asia/Shanghai.
  if (q.createdFrom) where.push(`t.created_at >= (${p(q.createdFrom)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (q.createdTo) where.push(`t.created_at < ((${p(q.createdTo)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  return where;
}

/** A condition naming a table SUMMARY_FROM joins to the ticket (enterprise e, area a, category c and pc, department ld). */
const JOINED_ALIAS = /\b(?:e|a|c|pc|ld)\./;

/** An escalation level written into SQL text: only an integer 1–4 (the schema's range). */
function level(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 4) throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/escalationLevel', message: '升级级别应为 1–4' }]);
  return n;
}

/**
 * Lists the tickets the caller may see with keyset paging and the issue's filters: newest first, or with
 * `sort=deadline` by the nearest running deadline (reply, or 签收 while that comes first): overdue first, tickets
 * without one last.
 */
export async function listTickets(db: Queryable, auth: AuthUser, q: TicketListQuery, clock: Clock = {}): Promise<Page<TicketSummary>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId, clock.now ?? new Date()]);
  const where = listConditions(auth, q, p);
  if (!where) return { items: [], nextCursor: null };
  const byDeadline = q.sort === 'deadline';
  let order: string;
  let keyOf: (r: SummaryRow) => (string | null)[];
  if (byDeadline) {
    // Cursor: [due | null, id]; order due ASC NULLS LAST, id ASC.
    const cursor = decodeCursor(q.cursor, 2);
    if (cursor) {
      const [due, id] = cursor;
      if (due !== null && typeof due !== 'string') throw badCursor();
      if (due === null) where.push(`(${DUE_SQL} IS NULL AND t.id > ${p(id)}::uuid)`);
      else {
        const d = p(due);
        where.push(`(${DUE_SQL} > ${d}::timestamptz OR (${DUE_SQL} = ${d}::timestamptz AND t.id > ${p(id)}::uuid) OR ${DUE_SQL} IS NULL)`);
      }
    }
    order = `${DUE_SQL} ASC NULLS LAST, t.id ASC`;
    keyOf = (r) => [(r as SummaryRow & { due_key: string | null }).due_key, r.id];
  } else {
    const cursor = decodeCursor(q.cursor, 2);
    if (cursor) where.push(`(t.created_at, t.id) < (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`);
    order = 't.created_at DESC, t.id DESC';
    keyOf = (r) => [new Date(r.created_at).toISOString(), r.id];
  }
  // The limit is written into the text (a validated integer, so one statement per page size): with LIMIT as a
  // parameter the generic plan is costed for a tenth of the table, so PostgreSQL kept planning this 6-table join
  // anew on every call (a custom plan) instead of reusing the prepared statement's plan.
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new AppError('VALIDATION_FAILED', [{ path: '/querystring/limit', message: '每页条数应为 1–200' }]);
  const text = q.overdue === true && !byDeadline && !where.some((c) => JOINED_ALIAS.test(c))
    // The overdue list newest first: the page's ids from ix_ticket_clock_due alone (an index-only scan whose index
    // condition holds the running deadline, so tickets not yet due are skipped inside the index, without a visit to
    // their heap pages), then the join for those rows only.
    ? `WITH page AS (SELECT t.id FROM ticket t WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit + 1})
       SELECT ${summarySelect('$2')} FROM ${SUMMARY_FROM} JOIN page ON page.id = t.id ORDER BY ${order}`
    : `SELECT ${summarySelect('$2')}${byDeadline ? `, ${DUE_KEY_SQL}` : ''} FROM ${SUMMARY_FROM} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit + 1}`;
  const rows = await preparedQuery<SummaryRow>(db, text, params);
  const page = toPage(rows, limit, keyOf);
  const seesInternal = seesInternalHandling(auth);
  return { items: page.items.map((r) => presentSummary(r, seesInternal)), nextCursor: page.nextCursor };
}

/** The row findDuplicates ranks. */
type DuplicateRow = { id: string; no: string; title: string; description: string; state: TicketRow['state']; created_at: Date | string };

/**
 * The candidates' query: still-open tickets of the same enterprise and category (or its parent/children) from the
 * last 30 days, newest first, at most 50; `p` binds the values (a filing embeds it in its write).
 */
function duplicateCandidatesSql(p: (v: unknown) => string, t: { districtId: string; enterpriseId: string; categoryId: string; excludeId?: string; now: Date }): string {
  const cat = p(t.categoryId);
  return `SELECT t.id, t.no, t.title, t.description, t.state, t.created_at FROM ticket t JOIN ticket_category c ON c.id = t.category_id
      WHERE t.district_id = ${p(t.districtId)} AND t.enterprise_id = ${p(t.enterpriseId)} AND t.state NOT IN ('closed','withdrawn','merged')
        AND (t.category_id = ${cat} OR c.parent_id = ${cat} OR c.id = (SELECT parent_id FROM ticket_category WHERE id = ${cat})
             OR c.parent_id = (SELECT parent_id FROM ticket_category WHERE id = ${cat}))
        AND t.created_at >= ${p(t.now)}::timestamptz - make_interval(days => ${p(DUPLICATE_LOOKBACK_DAYS)}) AND t.id <> COALESCE(${p(t.excludeId ?? null)}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
      ORDER BY t.created_at DESC LIMIT 50`;
}

/** The candidates whose title and description read like `text`, best first, at most 5. */
function rankDuplicates(rows: DuplicateRow[], text: string) {
  return rows
    .map((r) => ({ id: r.id, no: r.no, title: r.title, state: r.state, createdAt: new Date(r.created_at).toISOString(), similarity: Math.round(textSimilarity(`${r.title} ${r.description}`, text) * 100) / 100 }))
    .filter((r) => r.similarity >= DUPLICATE_SIMILARITY_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 5);
}

/**
 * Still-open tickets of the same enterprise and category (or its parent/children) from the last 30 days whose
 * title and description read alike: shown on submit so the enterprise or the coordinator can spot a 并单.
 */
export async function findDuplicates(db: Queryable, t: { districtId: string; enterpriseId: string; categoryId: string; text: string; excludeId?: string; now: Date }) {
  const { params, p } = sqlParams();
  const text = duplicateCandidatesSql(p, t);
  return rankDuplicates(await preparedQuery<DuplicateRow>(db, text, params), t.text);
}

/** Duplicate suggestions before submitting (same rules as on submit), for an enterprise the caller may file for. */
export async function similarTickets(db: Queryable, auth: AuthUser, q: { enterpriseId: string; categoryId: string; text: string }, clock: Clock = {}) {
  await submitterRole(db, auth, q.enterpriseId);
  return { items: await findDuplicates(db, { districtId: auth.districtId, enterpriseId: q.enterpriseId, categoryId: q.categoryId, text: q.text, now: clock.now ?? new Date() }) };
}

/** The role in which the caller files for this enterprise: its own contact, or one of its stewards. */
async function submitterRole(db: Queryable, auth: AuthUser, enterpriseId: string): Promise<'enterprise' | 'steward'> {
  // the steward lookup only when the caller is not the enterprise's own contact
  const role = filingRole(auth, enterpriseId, false) ?? filingRole(auth, enterpriseId, await isStewardOf(db, auth, enterpriseId));
  if (!role) throw new AppError('TICKET_ENTERPRISE_NOT_ALLOWED');
  return role;
}

/**
 * Files a ticket (submit) and routes it: the most specific routing rule assigns it to a lead department (the rule
 * is recorded on the timeline), otherwise it waits in the coordinator's dispatch queue. The response carries
 * possible duplicates.
 *
 * The write is one statement (docs/benchmarks.md, issue 9): the document number (the per-district counter CTE), the
 * ticket as submit and route leave it, both timeline events, the notifications and their WeChat outbox rows — one
 * explicit transaction (never autocommitted: see ADR 0018). The reads it depends on (the enterprise, whether the
 * caller stewards it, the cached configuration) come before it; a filing that also links attachments, a project or
 * a meeting task takes its number inside that transaction (no gap), a plain one with the enterprise read (ADR 0018).
 * The write also reads the possible duplicates; the detail follows the COMMIT: 5 statements for a plain filing.
 */
export async function createTicket(db: DataSource, auth: AuthUser, b: TicketCreate, clock: Clock = {}) {
  const now = clock.now ?? new Date();
  const enterpriseId = b.enterpriseId ?? auth.enterpriseId;
  if (!enterpriseId) throw new AppError('VALIDATION_FAILED', [{ path: '/body/enterpriseId', message: '请选择企业' }]);
  const id = crypto.randomUUID();
  const urgency = b.urgency ?? 'normal';
  const year = Number(shanghaiDate(now).slice(0, 4));
  const ownContact = filingRole(auth, enterpriseId, false) === 'enterprise';
  // A plain filing (no attachments, project or meeting task; not about a visit or a policy, whose checks come later)
  // takes its number in this first statement, in a transaction of its own (ADR 0018), but only when the checks this
  // statement can make pass (the caller may file for the enterprise, the category is one of the district's active
  // ones): a rejected request does not consume a number.
  const inTx = !!(b.attachmentIds?.length || b.projectId || b.meetingTaskId);
  const numberFirst = !inTx && !b.visitId && !b.policyId;
  // The enterprise, the configuration version and whether the caller stewards it, in one read (submitterRole's rule).
  const [ent] = await preparedQuery<{ area_id: string; tags: string[]; cfg: string; stewarded: boolean; no_last: number | null }>(
    db,
    `WITH e AS (
       SELECT e.area_id, e.tags, ${CONFIG_VERSION_SQL} AS cfg,
              EXISTS (SELECT 1 FROM assignment a WHERE a.steward_id = $3 AND a.enterprise_id = e.id AND a.ends_on IS NULL) AS stewarded
         FROM enterprise e WHERE e.id = $1 AND e.district_id = $2),
     n AS (
       INSERT INTO doc_counter (district_id, kind, year, last)
       SELECT $2::uuid, 'ticket', $5::int, 1 FROM e
        WHERE $6::boolean AND ($7::boolean OR ($8::boolean AND e.stewarded))
          AND EXISTS (SELECT 1 FROM ticket_category c WHERE c.id = $4 AND c.district_id = $2 AND c.active)
       ON CONFLICT (district_id, kind, year) DO UPDATE SET last = doc_counter.last + 1
       RETURNING last, set_config('synchronous_commit', 'off', true) AS async_commit)
     SELECT e.*, (SELECT last FROM n) AS no_last FROM e`,
    [enterpriseId, auth.districtId, auth.id, b.categoryId, year, numberFirst, ownContact, auth.roles.includes('steward')],
  );
  const role = filingRole(auth, enterpriseId, !!ent?.stewarded);
  if (!role || !ent) throw new AppError('TICKET_ENTERPRISE_NOT_ALLOWED');
  const cfg = await ticketConfig(db, auth.districtId, ent.cfg);
  const cat = cfg.categories.get(b.categoryId);
  if (!cat?.active) throw new AppError('TICKET_CATEGORY_INVALID', [{ path: '/body/categoryId', message: '所选诉求类别不存在或已停用' }]);
  if (b.visitId) await assertVisit(db, b.visitId, enterpriseId);
  const submitted = submitTicket(id, role);
  if (!submitted.ok) throw new AppError(submitted.code);

  // A policy question (咨询政策) skips the routing rules: the issuing department answers for its own policy.
  const policy = b.policyId ? await policyForQuestion(db, auth.districtId, b.policyId, b.categoryId) : null;
  const routing = routeWith(cfg.rules, cfg.parents, { categoryId: b.categoryId, areaId: ent.area_id, enterpriseTags: ent.tags });
  const payload = policy ? { leadDepartmentId: policy.department_id, assistingDepartmentIds: [], ruleId: null }
    : routing.kind === 'matched'
    ? { leadDepartmentId: routing.leadDepartmentId, assistingDepartmentIds: routing.assistingDepartmentIds, ruleId: routing.ruleId }
    : { leadDepartmentId: null };
  const routed = transition(submitted.next, 'route', 'system', payload);
  if (!routed.ok) throw new AppError(routed.code);
  let columns: Record<string, unknown> = {};
  let data: Record<string, unknown> = { ...routed.event.data };
  if (policy) {
    const cal = await cachedWorkCalendar(db, auth.districtId, now, ent.cfg);
    const a = await assignmentColumns(db, { district_id: auth.districtId, category_id: b.categoryId, urgency }, now, cal, cat.limits);
    columns = { ...a.columns, policy_id: policy.id };
    data = { ...data, policy: { id: policy.id, title: policy.title }, ...a.data };
  } else if (routing.kind === 'matched') {
    const cal = await cachedWorkCalendar(db, auth.districtId, now, ent.cfg);
    const a = await assignmentColumns(db, { district_id: auth.districtId, category_id: b.categoryId, urgency }, now, cal, cat.limits);
    columns = { ...a.columns, routing_rule_id: routing.ruleId };
    data = { ...data, rule: { id: routing.ruleId, specificity: routing.specificity, candidates: routing.candidates, description: routing.description }, ...a.data };
  } else {
    data = { ...data, reason: routing.kind === 'tie' ? 'tie' : 'no_rule', ...(routing.kind === 'tie' ? { tiedRuleIds: routing.ruleIds } : {}) };
  }
  const note = policy ? `政策咨询「${policy.title}」，直接交办发文部门「${policy.department_name}」`
    : routing.kind === 'matched' ? `按交办规则「${routing.description}」自动交办` : routing.kind === 'tie' ? '交办规则冲突，转调度员人工交办' : '无匹配的交办规则，转调度员人工交办';
  const title = b.title.trim();
  const nt = { district_id: auth.districtId, enterprise_id: enterpriseId, lead_department_id: routed.next.leadDepartmentId, assisting_department_ids: [...routed.next.assistingDepartmentIds] };

  // Submitted and routed in one go: the row as the two steps leave it (version 2).
  const row: Record<string, unknown> = {
    id, district_id: auth.districtId, enterprise_id: enterpriseId, area_id: ent.area_id, category_id: b.categoryId, title,
    description: b.description.trim(), urgency, source_visit_id: b.visitId ?? null, submitted_by: auth.id, submitted_role: role,
    ...snapshotColumns(routed.next), ...columns, version: 2, created_at: now, updated_at: now,
  };
  const keys = Object.keys(row);
  const { params, p } = sqlParams();
  const rowSql = keys.map((k) => `${p(row[k])}${k === 'created_at' || k === 'updated_at' ? '::timestamptz' : ''}`).join(', ');
  // Who is told (never the filer): the new lead and assisting departments, or the coordinators; the stewards when
  // the enterprise files itself. The same people, keys and texts as notify(): title "<what> <no>", body "<no> <title>".
  const told = routed.next.state === 'assigned'
    ? { kind: 'assigned', title: '新交办诉求', audience: ['lead', 'assisting'] as const }
    : { kind: 'pending_dispatch', title: '待交办诉求', audience: ['coordinators'] as const };
  const groups = [{ kind: told.kind, title: told.title, audience: told.audience as readonly Audience[] }];
  if (role === 'enterprise') groups.push({ kind: 'submitted', title: '企业提交诉求', audience: ['stewards'] });
  const toldSql = groups.map((g) =>
    `SELECT ap.id AS person_id, ${p(`ticket.${g.kind}`)}::text AS kind, ${p(g.title)}::text AS title, ${p(`ticket:${id}:2:${g.kind}`)}::text AS dedupe_key
       FROM person ap WHERE ${audienceSql(nt, g.audience, p)} AND ap.id <> ${p(auth.id)}::uuid`).join(' UNION ALL ');
  // The number: with follow-up writes that may still fail, taken inside their transaction (the counter CTE: no
  // gap, the row locked to the COMMIT); otherwise taken before, in a transaction of its own (ADR 0018): by the
  // first statement, or (a filing about a visit or a policy, checked since) by one of its own now.
  const no = inTx ? null : ent.no_last ?? await takeTicketNumber(db, auth.districtId, year);
  const counter = inTx
    ? `INSERT INTO doc_counter (district_id, kind, year, last) VALUES (${p(auth.districtId)}, 'ticket', ${p(year)}, 1)
                ON CONFLICT (district_id, kind, year) DO UPDATE SET last = doc_counter.last + 1 RETURNING last`
    : `SELECT ${p(no)}::int AS last`;
  const noPrefix = p(String(year));
  // six digits, more past 999,999 (lpad alone truncates: the 1M bench district got one number for ten filings)
  const write = `WITH n AS (${counter}),
          t AS (INSERT INTO ticket (${keys.join(', ')}, no) SELECT ${rowSql}, ${noPrefix} || '-' || lpad(n.last::text, greatest(6, length(n.last::text)), '0') FROM n RETURNING id, no, district_id, title),
          e AS (INSERT INTO ticket_event (ticket_id, district_id, seq, action, actor_id, actor_role, from_state, to_state, visibility, note, data, created_at, request_id)
                SELECT t.id, x.district_id, x.seq, x.action, x.actor_id, x.actor_role, x.from_state, x.to_state, x.visibility, x.note, x.data, x.created_at, ${p(currentRequestId())}::text
                  FROM t, (VALUES (${p(auth.districtId)}::uuid, 1, ${p(submitted.event.action)}, ${p(auth.id)}::uuid, ${p(submitted.event.role)}, ${p(submitted.event.from)}, ${p(submitted.event.to)},
                                   ${p(submitted.event.visibility)}, NULL::text, ${p(JSON.stringify({ urgency, ...(b.visitId ? { visitId: b.visitId } : {}) }))}::jsonb, ${p(now)}::timestamptz),
                                  (${p(auth.districtId)}::uuid, 2, ${p(routed.event.action)}, NULL::uuid, ${p(routed.event.role)}, ${p(routed.event.from)}, ${p(routed.event.to)},
                                   ${p(routed.event.visibility)}, ${p(note)}, ${p(JSON.stringify(data))}::jsonb, ${p(now)}::timestamptz))
                       AS x(district_id, seq, action, actor_id, actor_role, from_state, to_state, visibility, note, data, created_at)
                RETURNING id, seq),
          nf AS (INSERT INTO notification (district_id, person_id, kind, title, body, entity_type, entity_id, dedupe_key)
                 SELECT t.district_id, w.person_id, w.kind, left(w.title || ' ' || t.no, 64), left(t.no || ' ' || t.title, 512), 'ticket', t.id, w.dedupe_key
                   FROM t, (${toldSql}) w
                 ON CONFLICT (person_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id),
          ob AS (INSERT INTO wechat_outbox (notification_id) SELECT id FROM nf ON CONFLICT DO NOTHING)
     SELECT t.no, (SELECT id FROM e WHERE seq = 1) AS event_id, -- attachments belong to the submit event
            (SELECT coalesce(json_agg(d), '[]') FROM (${duplicateCandidatesSql(p, { districtId: auth.districtId, enterpriseId, categoryId: b.categoryId, now })}) d) AS dups
       FROM t`; // the possible duplicates as the write's snapshot sees them: the new ticket is not among them

  type Written = { no: string; event_id: string; dups: DuplicateRow[] };
  let written: Written;
  if (inTx) {
    written = await db.transaction(async (em) => {
      const [ins] = await preparedQuery<Written>(em, write, params);
      if (b.attachmentIds?.length) await linkAttachments(em, id, auth.districtId, String(ins.event_id), auth.id, b.attachmentIds);
      if (b.projectId) await linkToProject(em, 'ticket', id, b.projectId, enterpriseId, auth.districtId);
      if (b.meetingTaskId) await linkMeetingTask(em, b.meetingTaskId, id, b.projectId ?? null, auth.districtId);
      return ins;
    });
  } else {
    // An explicit transaction even for the one statement: a caller (or process) gone before COMMIT leaves nothing
    // behind, where an autocommitted statement still waiting on a lock would commit after the caller saw a failure
    // (shutdown.test.ts).
    written = await db.transaction(async (em) => (await preparedQuery<Written>(em, write, params))[0]);
  }
  // The answer: the detail as the filer sees it (one statement), and the possible duplicates the write read.
  const detail = await getTicket(db, auth, id, { now });
  const possibleDuplicates = rankDuplicates(written.dups, `${b.title} ${b.description}`);
  return { ...detail, possibleDuplicates };
}

/**
 * The next ticket number of a district and year, in a transaction of its own (ADR 0018): the counter row is locked
 * for this one statement instead of through the filing's write and its COMMIT, which serialised every filing of a
 * district (docs/benchmarks.md, issue 9). Its COMMIT does not wait for the WAL flush (synchronous_commit off for
 * this transaction only): the filing's own synchronous COMMIT, later in the WAL, makes the two durable together; a
 * crash before it can only lose a number no ticket carries. A filing whose write then fails leaves a gap.
 */
async function takeTicketNumber(db: Queryable, districtId: string, year: number): Promise<number> {
  const [r] = await preparedQuery<{ last: number }>(
    db,
    `INSERT INTO doc_counter (district_id, kind, year, last) VALUES ($1, 'ticket', $2, 1)
     ON CONFLICT (district_id, kind, year) DO UPDATE SET last = doc_counter.last + 1
     RETURNING last, set_config('synchronous_commit', 'off', true) AS async_commit`,
    [districtId, year],
  );
  return r.last;
}

/**
 * The policy a question (咨询政策) is about: published in the caller's district (another district's or a draft is
 * not found), and the 诉求 filed in the 政策兑现 category or one of its children when the district has that category.
 */
async function policyForQuestion(em: Queryable, districtId: string, policyId: string, categoryId: string) {
  const [p]: { id: string; title: string; department_id: string; department_name: string; in_category: boolean; has_category: boolean }[] = await em.query(
    `SELECT p.id, p.title, p.department_id, d.name AS department_name,
            EXISTS (SELECT 1 FROM ticket_category c LEFT JOIN ticket_category pc ON pc.id = c.parent_id
                     WHERE c.id = $3 AND c.district_id = $2 AND (c.name = $4 OR pc.name = $4)) AS in_category,
            EXISTS (SELECT 1 FROM ticket_category WHERE district_id = $2 AND parent_id IS NULL AND name = $4 AND active) AS has_category
       FROM policy p JOIN department d ON d.id = p.department_id
      WHERE p.id = $1 AND p.district_id = $2 AND p.status = 'published'`,
    [policyId, districtId, categoryId, POLICY_QUESTION_CATEGORY],
  );
  if (!p) throw new AppError('POLICY_NOT_FOUND', [{ path: '/body/policyId', message: '所咨询的政策不存在或尚未发布' }]);
  if (p.has_category && !p.in_category) throw new AppError('VALIDATION_FAILED', [{ path: '/body/categoryId', message: `咨询政策请选择「${POLICY_QUESTION_CATEGORY}」类别` }]);
  return p;
}

/** The category policy questions are filed in (seeded for every district, category.service.ts). */
const POLICY_QUESTION_CATEGORY = '政策兑现';

/** A ticket raised from a visit must name a visit of the same enterprise (when the visits module is installed). */
async function assertVisit(em: Queryable, visitId: string, enterpriseId: string) {
  const [{ present }] = await em.query(`SELECT to_regclass('visit') IS NOT NULL AS present`);
  if (!present) return;
  const [v] = await em.query(`SELECT 1 FROM visit WHERE id = $1 AND enterprise_id = $2`, [visitId, enterpriseId]);
  if (!v) throw new AppError('VALIDATION_FAILED', [{ path: '/body/visitId', message: '走访记录不存在或不属于该企业' }]);
}
