/**
 * The desk (issue 13): the wide H5 layout's ticket tables for the coordinator's queues and the department's inbox.
 * Pure TS: the list query of each queue with the filters and the sort the table asks for (keyset pages from the
 * server, never everything at once), the batch runner (one action per ticket, each with its own Idempotency-Key
 * fixed by ticket and version), and its summary line.
 */
import type { QueryValue } from './http';

/** Widths from which the H5 build draws the desk (tables) instead of the phone's cards. */
export const DESK_MIN_WIDTH = 960;

/** Rows per page of a desk table. */
export const DESK_PAGE_SIZE = 20;

/** The server's sort options (GET /tickets `sort`): newest first, or the nearest deadline first (overdue first). */
export type DeskSort = 'created' | 'deadline';

export const SORT_LABELS: Record<DeskSort, string> = { created: '最新提交在前', deadline: '期限最近在前' };

/** What the filter bar above a table sets. */
export type DeskFilters = { q: string; departmentId: string; overdue: boolean };

export const EMPTY_FILTERS: DeskFilters = { q: '', departmentId: '', overdue: false };

export type CoordinatorQueue = 'dispatch' | 'returned' | 'extensions' | 'overdue' | 'escalations' | 'closing';

const OPEN_WITH_DEPARTMENT = ['assigned', 'accepted', 'in_progress', 'awaiting_info'];

/** The list query of a coordinator queue (the same tickets as the phone's queue), one keyset page of it. */
export function queueQuery(kind: CoordinatorQueue, opts: { floor?: 2 | 3 | 4; sort: DeskSort; filters: DeskFilters; cursor?: string }): Record<string, QueryValue> {
  const base: Record<string, QueryValue> = (() => {
    switch (kind) {
      case 'dispatch': return { state: ['pending_dispatch', 'submitted'], returned: false };
      case 'returned': return { returned: true };
      case 'extensions': return { extensionPending: true };
      case 'overdue': return { overdue: true };
      case 'closing': return { state: ['confirmed'] };
      default: return { escalationLevelMin: opts.floor ?? 2, state: ['pending_dispatch', ...OPEN_WITH_DEPARTMENT, 'replied', 'awaiting_visit'] };
    }
  })();
  return { ...base, ...filterQuery(opts.filters), sort: opts.sort, limit: DESK_PAGE_SIZE, ...(opts.cursor ? { cursor: opts.cursor } : {}) };
}

/** The filter bar's part of a list query (empty filters add nothing). */
export function filterQuery(f: DeskFilters): Record<string, QueryValue> {
  const q = f.q.trim();
  return {
    ...(q ? { q: q.slice(0, 64) } : {}),
    ...(f.departmentId ? { departmentId: f.departmentId } : {}),
    ...(f.overdue ? { overdue: true } : {}),
  };
}

/** The default order of a queue: what is late or due first where a deadline runs, else the newest. */
export function defaultSort(kind: CoordinatorQueue | 'assigned' | 'handling' | 'replied'): DeskSort {
  return kind === 'overdue' || kind === 'escalations' || kind === 'assigned' || kind === 'handling' ? 'deadline' : 'created';
}

/** The department inbox table's query of one tab (states of the tab), with the table's sort and filters. */
export function inboxQuery(states: readonly string[] | undefined, opts: { sort: DeskSort; filters: DeskFilters; cursor?: string }): Record<string, QueryValue> {
  // A department sees its own tickets only: no department filter.
  return { ...(states ? { state: states } : {}), ...filterQuery({ ...opts.filters, departmentId: '' }), sort: opts.sort, limit: DESK_PAGE_SIZE, ...(opts.cursor ? { cursor: opts.cursor } : {}) };
}

export type BatchResult = { done: string[]; failed: { no: string; message: string }[] };

/**
 * Runs one action per chosen ticket, in turn (each is its own request: one transaction, one audit event, its own
 * access check on the server). The Idempotency-Key is fixed by action, ticket and version, so a retried batch never
 * acts twice. Failures are collected with the ticket's number, not thrown.
 */
export async function runBatch<T extends { id: string; no: string; version: number }>(
  action: string,
  items: readonly T[],
  act: (t: T, key: string) => Promise<unknown>,
  messageOf: (e: unknown) => string,
): Promise<BatchResult> {
  const out: BatchResult = { done: [], failed: [] };
  for (const t of items) {
    try {
      await act(t, `${action}-${t.id}-v${t.version}`);
      out.done.push(t.id);
    } catch (e) {
      out.failed.push({ no: t.no, message: messageOf(e) });
    }
  }
  return out;
}

/** `已交办 2 件；1 件未交办：2026-000003（该诉求已交办）`. */
export function batchSummary(verb: string, r: BatchResult): string {
  if (!r.failed.length) return `已${verb} ${r.done.length} 件`;
  return `已${verb} ${r.done.length} 件；${r.failed.length} 件未${verb}：${r.failed.map((f) => `${f.no}（${f.message}）`).join('；')}`;
}

/** Toggles one id in a selection. */
export function toggle(selected: readonly string[], id: string): string[] {
  return selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id];
}

/** The header checkbox: all rows of the page selected → none, else all. */
export function toggleAll(selected: readonly string[], ids: readonly string[]): string[] {
  return ids.length > 0 && ids.every((id) => selected.includes(id)) ? [] : [...ids];
}
