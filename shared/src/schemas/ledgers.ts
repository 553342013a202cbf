import { Type, type Static } from '@sinclair/typebox';
import { TicketListQuery } from './tickets';
import { VisitListQuery } from './visits';
import { ProjectListQuery } from './projects';
import { Month } from './common';

/**
 * 台账 (Excel ledger) queries: the list's own filters (so an export is "what the list shows"), without paging;
 * the 诉求 list's from/to (submission date) make "this month's ledger".
 */
export const TicketLedgerQuery = Type.Object({ ...Type.Omit(TicketListQuery, ['limit', 'cursor', 'sort']).properties }, { additionalProperties: false });
export type TicketLedgerQuery = Static<typeof TicketLedgerQuery>;

export const VisitLedgerQuery = Type.Object({ ...Type.Omit(VisitListQuery, ['limit', 'cursor']).properties }, { additionalProperties: false });
export type VisitLedgerQuery = Static<typeof VisitLedgerQuery>;

export const ProjectLedgerQuery = Type.Object({ ...Type.Omit(ProjectListQuery, ['limit', 'cursor']).properties }, { additionalProperties: false });
export type ProjectLedgerQuery = Static<typeof ProjectLedgerQuery>;

/** The ranking tables (考核排名表) of a month: department or steward ranking, as the ranking endpoint gives it. */
export const RankingLedgerQuery = Type.Object({
  month: Month,
  kind: Type.Union([Type.Literal('department'), Type.Literal('steward')], { description: '部门考核排名或管家排名' }),
}, { additionalProperties: false });
export type RankingLedgerQuery = Static<typeof RankingLedgerQuery>;
