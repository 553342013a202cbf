import type { TicketState } from '@guanjia/shared/ticket/ticket-machine';

/** The ticket search form (查找诉求); empty strings mean "any". */
export type SearchForm = { q: string; state: string; departmentId: string; areaId: string; categoryId: string; from: string; to: string; overdue: boolean };

export const EMPTY_SEARCH: SearchForm = { q: '', state: '', departmentId: '', areaId: '', categoryId: '', from: '', to: '', overdue: false };

/** State groups a person searches by (one chip each), mapped to the machine's states. */
export const SEARCH_STATES: readonly { value: string; label: string; states: TicketState[] }[] = [
  { value: '', label: '全部状态', states: [] },
  { value: 'dispatch', label: '待交办', states: ['submitted', 'pending_dispatch'] },
  { value: 'assigned', label: '待签收', states: ['assigned'] },
  { value: 'handling', label: '办理中', states: ['accepted', 'in_progress', 'awaiting_info'] },
  { value: 'replied', label: '已答复', states: ['replied', 'awaiting_visit'] },
  { value: 'confirmed', label: '待销号', states: ['confirmed'] },
  { value: 'closed', label: '已销号', states: ['closed'] },
  { value: 'ended', label: '已撤回/并单', states: ['withdrawn', 'merged'] },
];

/** The `GET /tickets` query of a search form (only the filters set; dates swapped when given backwards). */
export function buildSearchQuery(f: SearchForm): Record<string, string | boolean | string[]> {
  const out: Record<string, string | boolean | string[]> = {};
  const q = f.q.trim();
  if (q) out.q = q.slice(0, 64);
  const states = SEARCH_STATES.find((s) => s.value === f.state)?.states ?? [];
  if (states.length) out.state = states;
  if (f.departmentId) out.departmentId = f.departmentId;
  if (f.areaId) out.areaId = f.areaId;
  if (f.categoryId) out.categoryId = f.categoryId;
  const [from, to] = f.from && f.to && f.from > f.to ? [f.to, f.from] : [f.from, f.to];
  if (from) out.createdFrom = from;
  if (to) out.createdTo = to;
  if (f.overdue) out.overdue = true;
  return out;
}
