import { dayEnd, dayStart } from './period';

/** The filters the visit list and the 走访台账 share (alias `v` for visit, `e` for its enterprise). */
export type VisitFilters = {
  stewardId?: string; enterpriseId?: string; areaId?: string; kind?: string; status?: string;
  from?: string; to?: string; flagged?: boolean; unreviewed?: boolean;
};

/** Pushes one condition per filter given onto `where`, binding values through `p` (lib/sql sqlParams). */
export function pushVisitFilters(where: string[], p: (v: unknown) => string, q: VisitFilters): void {
  if (q.stewardId) where.push(`v.steward_id = ${p(q.stewardId)}`);
  if (q.enterpriseId) where.push(`v.enterprise_id = ${p(q.enterpriseId)}`);
  if (q.areaId) where.push(`e.area_id = ${p(q.areaId)}`);
  if (q.kind) where.push(`v.kind = ${p(q.kind)}`);
  if (q.status) where.push(`v.status = ${p(q.status)}`);
  if (q.from) where.push(`v.occurred_at >= ${p(dayStart(q.from))}`);
  if (q.to) where.push(`v.occurred_at < ${p(dayEnd(q.to))}`);
  if (q.flagged) where.push(`cardinality(v.flags) > 0`);
  if (q.unreviewed) where.push(`cardinality(v.flags) > 0 AND v.reviewed_at IS NULL`);
}
