import { Type, type Static } from '@sinclair/typebox';
import { DateAbout } from './common';
import { TicketListQuery } from './tickets';
import { VisitListQuery } from './visits';
import { ProjectListQuery } from './projects';

/**
 * 台账 (Excel ledger) queries: the list's own filters (so an export is "what the list shows"), without paging,
 * plus a period on the submission date for the 诉求台账 (the list has none; a ledger is usually "this month").
 */
export const TicketLedgerQuery = Type.Object({
  ...Type.Omit(TicketListQuery, ['limit', 'cursor', 'sort']).properties,
  from: Type.Optional(DateAbout('提出时间起（含）')),
  to: Type.Optional(DateAbout('提出时间止（含）')),
}, { additionalProperties: false });
export type TicketLedgerQuery = Static<typeof TicketLedgerQuery>;

export const VisitLedgerQuery = Type.Object({ ...Type.Omit(VisitListQuery, ['limit', 'cursor']).properties }, { additionalProperties: false });
export type VisitLedgerQuery = Static<typeof VisitLedgerQuery>;

export const ProjectLedgerQuery = Type.Object({ ...Type.Omit(ProjectListQuery, ['limit', 'cursor']).properties }, { additionalProperties: false });
export type ProjectLedgerQuery = Static<typeof ProjectLedgerQuery>;
