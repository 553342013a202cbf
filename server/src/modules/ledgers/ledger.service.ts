import type { DataSource } from 'typeorm';
import {
  LEDGER_SUMMARY_ACTIONS,
  LEDGER_TITLES,
  VISIT_KIND_LABELS,
  VISIT_STATUS_LABELS,
  PROJECT_LABELS,
  PROJECT_LEDGER_COLUMNS,
  shanghaiDate,
  summarizeTimeline,
  TICKET_LEDGER_COLUMNS,
  VERDICT_LABELS,
  VISIT_LEDGER_COLUMNS,
  YES_NO,
  yuanToWanNumber,
  type LedgerColumn,
  type LedgerKind,
  type LedgerStep,
  type ProjectLedgerQuery,
  type TicketLedgerQuery,
  type TicketState,
  type Verdict,
  type VisitLedgerQuery,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { mayFilterByDepartment, visitLedgerScope } from '../indicators/indicator.policy';
import { listConditions } from '../tickets/lifecycle/ticket.service';
import { receivedSql } from '../indicators/indicator-sql';
import { listProjects } from '../projects/project.service';
import { pushVisitFilters } from '../visits/visit-filters';
import { recordAudit } from '../audit/audit';
import { dayCellDate, shanghaiCellDate, type LedgerCell } from './xlsx-stream';

/** Rows read per database round trip (keyset): large enough to keep the trips few, small enough to stay flat in memory. */
export const LEDGER_BATCH = 2000;
/** The most rows one export may hold; more is refused up front (LEDGER_TOO_LARGE) with a hint to narrow the filters. */
export const LEDGER_MAX_ROWS = 300_000;

/** A ledger ready to stream: the sheet, its rows by batch and the row count known up front (for the refusal). */
export type Ledger = { kind: LedgerKind; columns: LedgerColumn[]; rows: number; batches: AsyncIterable<LedgerCell[][]>; filters: Record<string, unknown> };

const CLOCK = `(SELECT $2::timestamptz AS now) clock`;
/** The ledger's events come with their Shanghai month-day already (to_char in SQL): a step's `at` is printed as is. */
const monthDay = (md: string) => md;

/**
 * Every id a filter names must be of the caller's district: an id from elsewhere (or none at all) is 404, never an
 * empty sheet that looks like "nothing happened". A department's staff may not name another department (403).
 */
async function checkFilterIds(db: DataSource, auth: AuthUser, q: { departmentId?: string; leadDepartmentId?: string; areaId?: string; categoryId?: string; enterpriseId?: string; stewardId?: string; leaderId?: string }) {
  if (q.departmentId && !mayFilterByDepartment(auth, q.departmentId)) throw new AppError('FORBIDDEN');
  const checks: [string | undefined, string][] = [
    [q.departmentId, 'department'], [q.leadDepartmentId, 'department'], [q.areaId, 'area'], [q.categoryId, 'ticket_category'], [q.enterpriseId, 'enterprise'], [q.stewardId, 'person'], [q.leaderId, 'person'],
  ];
  const { params, p } = sqlParams([auth.districtId]);
  const parts = checks.filter(([id]) => id).map(([id, table]) => `(SELECT count(*) FROM ${table} WHERE id = ${p(id)}::uuid AND district_id = $1)`);
  if (!parts.length) return;
  const [row] = await db.query(`SELECT ${parts.join(' + ')} AS n`, params);
  if (Number(row.n) !== parts.length) throw new AppError('LEDGER_FILTER_NOT_FOUND');
}

function checkPeriod(from?: string, to?: string) {
  if (from && to && to < from) throw new AppError('LEDGER_PERIOD_INVALID', [{ path: '/querystring/to', message: '截止日期不能早于起始日期' }]);
}

function tooLarge(n: number) {
  if (n > LEDGER_MAX_ROWS) throw new AppError('LEDGER_TOO_LARGE', [{ path: '/querystring', message: `共 ${n} 行，超过单次导出上限 ${LEDGER_MAX_ROWS} 行` }]);
}

type TicketLedgerRow = {
  id: string; created_at: Date; no: string; enterprise_name: string; category_name: string; category_parent_name: string | null; title: string; description: string;
  lead_department_name: string | null; reply_due_at: Date | null; state: TicketState; is_solved: boolean; verdict: Verdict | null; closed_at: Date | null;
  /** [action, Shanghai month-day, lead department's name, verdict] of each summarised event, in order */
  steps: [LedgerStep['action'], string, string | null, Verdict | null][];
};

/**
 * 诉求台账: the ticket list's own conditions (listConditions: the caller's visibility — a department sees only its
 * tickets — and every list filter) plus the submission period, received tickets only unless a state is asked for, oldest first, read by keyset on (created_at, id).
 * 办理情况 is the timeline summarised (summarizeTimeline); the events come with each batch in the same statement.
 * The keyword filter (q) searches the enterprise's name too, so the count and the page join the enterprise.
 */
export async function ticketLedger(db: DataSource, auth: AuthUser, q: TicketLedgerQuery, now = new Date()): Promise<Ledger> {
  checkPeriod(q.from, q.to);
  await checkFilterIds(db, auth, q);
  const { params, p } = sqlParams([auth.districtId, now]);
  const listed = listConditions(auth, q, p);
  const filters = { ...q };
  if (!listed) return { kind: 'tickets', columns: TICKET_LEDGER_COLUMNS, rows: 0, batches: (async function* () {})(), filters };
  // Without a state filter the ledger holds what the office received (docs/metrics.md "received"): a withdrawn or
  // merged 诉求 is listed only when asked for by state, so the ledger's rows equal /stats/summary's received.
  const where = q.state?.length ? listed : [...listed, receivedSql('t')];
  // The list's conditions use c (category) for the parent filter and $2 (now) only for some filters; the clock
  // subquery types $2 whether or not a condition uses it.
  // The list's conditions name e (enterprise) only for the keyword search.
  const enterprise = q.q ? 'JOIN enterprise e ON e.id = t.enterprise_id' : '';
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ticket t JOIN ticket_category c ON c.id = t.category_id ${enterprise}, ${CLOCK} WHERE ${where.join(' AND ')}`, params);
  tooLarge(n);
  // Only the events 办理情况 prints (not the submission, not notes), each with its Shanghai month-day from SQL: the
  // statement with a JSON timestamp per event and every event took ~10× as long per batch (docs/benchmarks.md).
  const summaryActions = p([...LEDGER_SUMMARY_ACTIONS]);
  // One pass over the page: its rows come in key order from ix_ticket_district_created with their columns and
  // enterprise (the LIMIT stops the walk), materialised; the page's events are then read by ticket id
  // (uq_ticket_event_seq) and aggregated per ticket. Reading the page's ids first and the tickets again by id made the
  // planner hash-join a sequential scan of every ticket on a smaller district (0.4 s a batch), and the events as
  // a correlated subquery cost a bitmap scan per ticket.
  const batches = keysetBatches<TicketLedgerRow>(db, params, where, 't.created_at, t.id', (r) => r.created_at, (w, limit) =>
    `WITH page AS MATERIALIZED (
           SELECT t.id, t.created_at, t.no, e.name AS enterprise_name, t.category_id, t.title, t.description, t.lead_department_id,
             t.reply_due_at, t.state, t.is_solved, t.verdict, t.closed_at
           FROM ticket t JOIN ticket_category c ON c.id = t.category_id JOIN enterprise e ON e.id = t.enterprise_id, ${CLOCK}
           WHERE ${w} ORDER BY t.created_at, t.id LIMIT ${limit}),
         steps AS (
           SELECT x.ticket_id, json_agg(json_build_array(x.action, to_char(x.created_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD'), x.data->>'leadDepartmentName', x.data->>'verdict') ORDER BY x.seq) AS steps
           FROM ticket_event x WHERE x.ticket_id IN (SELECT id FROM page) AND x.action = ANY(${summaryActions}::text[])
           GROUP BY x.ticket_id)
         SELECT t.id, t.created_at, t.no, t.enterprise_name, c.name AS category_name, pc.name AS category_parent_name, t.title, t.description,
           ld.name AS lead_department_name, t.reply_due_at, t.state, t.is_solved, t.verdict, t.closed_at, coalesce(s.steps, '[]') AS steps
         FROM page t
           JOIN ticket_category c ON c.id = t.category_id
           LEFT JOIN ticket_category pc ON pc.id = c.parent_id
           LEFT JOIN department ld ON ld.id = t.lead_department_id
           LEFT JOIN steps s ON s.ticket_id = t.id
         ORDER BY t.created_at, t.id`,
    (r, seq) => [
      seq, r.no, r.enterprise_name, r.category_parent_name ? `${r.category_parent_name}/${r.category_name}` : r.category_name,
      `${r.title}：${r.description}`, shanghaiCellDate(r.created_at), r.lead_department_name ?? '',
      r.reply_due_at ? dayCellDate(shanghaiDate(new Date(r.reply_due_at))) : null,
      summarizeTimeline(r.steps.map(([action, at, department, verdict]) => ({ action, at, department, verdict })), r.state, monthDay),
      YES_NO(r.is_solved), r.verdict ? VERDICT_LABELS[r.verdict] : '', shanghaiCellDate(r.closed_at),
    ]);
  return { kind: 'tickets', columns: TICKET_LEDGER_COLUMNS, rows: n, batches, filters };
}

/**
 * Keyset batches of a ledger, oldest first by (`key` = time, id): each page adds the cursor after the caller's
 * conditions and takes LEDGER_BATCH rows, so an export never holds more than one batch. `page(where, limit)` is the
 * page's SQL; `cells(row, seq)` one sheet row, `seq` counting from 1 across batches.
 */
async function* keysetBatches<R extends { id: string }>(
  db: DataSource, params: unknown[], where: string[], key: string, at: (r: R) => Date,
  page: (where: string, limit: string) => string, cells: (r: R, seq: number) => LedgerCell[],
): AsyncIterable<LedgerCell[][]> {
  let cursor: [Date, string] | null = null;
  let seq = 0;
  for (;;) {
    const { params: bp, p } = sqlParams([...params]);
    const w = cursor ? [...where, `(${key}) > (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`] : where;
    // Without JIT: the per-row timeline subquery makes the planner's estimate cross jit_above_cost, and compiling
    // cost ~0.45 s per batch at 1,000,000 tickets (23 s of a 100,000-row export) for a statement that runs in less.
    // Nor parallel workers: a page is a LIMIT over an index walk, and starting workers for it cost more than the walk
    // (the planner chose a Gather Merge for the 诉求台账 page at 1M tickets: 0.4 → 0.9 s a batch at load ~23).
    const rows: R[] = await db.transaction(async (em) => {
      await em.query(`SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0`);
      return em.query(page(w.join(' AND '), p(LEDGER_BATCH)), bp);
    });
    if (!rows.length) return;
    yield rows.map((r) => cells(r, ++seq));
    if (rows.length < LEDGER_BATCH) return;
    const last = rows[rows.length - 1]!;
    cursor = [at(last), last.id];
  }
}

type VisitLedgerRow = {
  id: string; occurred_at: Date; steward_name: string; enterprise_name: string; area_name: string; kind: string; status: string;
  inside_fence: boolean | null; problem_count: number; tickets: number; notes: string | null;
};

/**
 * 走访台账: the visit list's rules (district-wide roles see all, a steward their own) and filters, oldest first by
 * keyset on (occurred_at, id). No coordinates in the sheet, so reading it is not a location access.
 */
export async function visitLedger(db: DataSource, auth: AuthUser, q: VisitLedgerQuery): Promise<Ledger> {
  checkPeriod(q.from, q.to);
  await checkFilterIds(db, auth, q);
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['v.district_id = $1'];
  const filters = { ...q };
  const scope = visitLedgerScope(auth);
  if (scope !== 'district') {
    if (scope === 'none') return { kind: 'visits', columns: VISIT_LEDGER_COLUMNS, rows: 0, batches: (async function* () {})(), filters };
    where.push(`v.steward_id = ${p(auth.id)}`);
  }
  pushVisitFilters(where, p, q);
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM visit v JOIN enterprise e ON e.id = v.enterprise_id WHERE ${where.join(' AND ')}`, params);
  tooLarge(n);
  const batches = keysetBatches<VisitLedgerRow>(db, params, where, 'v.occurred_at, v.id', (r) => r.occurred_at, (w, limit) =>
    `WITH page AS (
           SELECT v.id FROM visit v JOIN enterprise e ON e.id = v.enterprise_id
           WHERE ${w} ORDER BY v.occurred_at, v.id LIMIT ${limit})
         SELECT v.id, v.occurred_at, s.name AS steward_name, e.name AS enterprise_name, a.name AS area_name, v.kind, v.status, v.inside_fence, v.problem_count, v.notes,
           (SELECT count(*)::int FROM ticket t WHERE t.source_visit_id = v.id) AS tickets
         FROM page JOIN visit v ON v.id = page.id JOIN enterprise e ON e.id = v.enterprise_id JOIN area a ON a.id = e.area_id JOIN person s ON s.id = v.steward_id
         ORDER BY v.occurred_at, v.id`,
    (r, seq) => [
      seq, shanghaiCellDate(r.occurred_at), r.steward_name, r.enterprise_name, r.area_name, (VISIT_KIND_LABELS as Record<string, string>)[r.kind] ?? r.kind,
      (VISIT_STATUS_LABELS as Record<string, string>)[r.status] ?? r.status, r.kind === 'onsite' ? YES_NO(r.inside_fence) : '', r.problem_count, r.tickets, r.notes ?? '',
    ]);
  return { kind: 'visits', columns: VISIT_LEDGER_COLUMNS, rows: n, batches, filters };
}

/**
 * 项目台账: the project list itself (listProjects: its visibility, filters and presenter, paged by name), so the
 * sheet shows exactly what the ledger screen shows; money from 元 to 万元 with two decimals.
 */
export async function projectLedger(db: DataSource, auth: AuthUser, q: ProjectLedgerQuery, now = new Date()): Promise<Ledger> {
  await checkFilterIds(db, auth, q);
  const filters = { ...q };
  // Projects are few (hundreds in a district); the pages are read ahead so the row count is known for the audit.
  const pages: LedgerCell[][][] = [];
  let cursor: string | undefined;
  let seq = 0;
  do {
    const page = await listProjects(db, auth, { ...q, limit: 200, cursor }, now);
    pages.push(page.items.map((x) => {
      const f = x.figures;
      return [
        ++seq, x.no, x.name, x.enterprise.name, x.area.name, PROJECT_LABELS.stage[x.stage] ?? x.stage, x.light ? PROJECT_LABELS.light[x.light] : '',
        x.leader?.name ?? '', x.leadDepartment.name, yuanToWanNumber(x.totalInvestment), yuanToWanNumber(f.annualPlan), yuanToWanNumber(f.completedYtd),
        f.percentOfPlan === null ? null : Number(f.percentOfPlan), yuanToWanNumber(f.completedTotal),
        dayCellDate(x.plannedStartOn ?? null), dayCellDate(x.plannedEndOn ?? null),
      ];
    }));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const rows = pages.reduce((s, b) => s + b.length, 0);
  tooLarge(rows);
  return { kind: 'projects', columns: PROJECT_LEDGER_COLUMNS, rows, batches: (async function* () { yield* pages; })(), filters };
}

/** The audit row of one export: who, which ledger, the filters and how many rows went out. */
export async function auditExport(db: DataSource, auth: AuthUser, l: Ledger, written: number): Promise<void> {
  await db.transaction((em) => recordAudit(em, {
    districtId: auth.districtId, actorId: auth.id, action: 'ledger.export', entityType: 'ledger', entityId: null,
    data: { ledger: l.kind, title: LEDGER_TITLES[l.kind], filters: l.filters, rows: written },
  }));
}
