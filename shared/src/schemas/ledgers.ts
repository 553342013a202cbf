import { Type, type Static } from '@sinclair/typebox';
import { TicketListQuery } from './tickets';
import { VisitListQuery } from './visits';
import { ProjectListQuery } from './projects';

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
