import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LEDGER_ROLES } from '../indicators/indicator.policy';
import { LEDGER_TITLES, ProjectLedgerQuery, RankingLedgerQuery, shanghaiDate, StdErrors, TicketLedgerQuery, VisitLedgerQuery } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { auditExport, projectLedger, ticketLedger, visitLedger, type Ledger } from './ledger.service';
import { streamSheet } from './xlsx-stream';
import { rankingLedger } from './ranking-ledger.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 台账 (Excel ledgers, issue 12): the lists' filters in, an .xlsx streamed out. Everything that can be refused
 * (filters, access, size) is checked before the first byte, so a refusal is an ordinary 4xx in the error shape;
 * once streaming starts, the audit row (who, filters, rows) is written when the last row is out.
 */
export async function ledgerRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['ledgers'];
  const binary = { 200: { description: 'Excel 文件（.xlsx）', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } } };

  const send = (reply: FastifyReply, auth: AuthUser, ledger: Ledger) => {
    const { stream, done } = streamSheet(LEDGER_TITLES[ledger.kind], ledger.columns, ledger.batches);
    done.then((rows) => auditExport(app.db, auth, ledger, rows)).catch((e) => app.log.error({ err: e }, 'ledger export failed'));
    const file = `${LEDGER_TITLES[ledger.kind]}-${shanghaiDate(new Date()).replace(/-/g, '')}.xlsx`;
    return reply
      .type(XLSX)
      .header('cache-control', 'private, no-store')
      .header('x-ledger-rows', String(ledger.rows))
      .header('content-disposition', `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`)
      .send(stream);
  };

  app.get('/ledgers/tickets', {
    onRequest: app.requireRoles(...LEDGER_ROLES.tickets),
    schema: {
      tags, summary: '导出诉求台账（Excel；筛选条件同诉求列表，另可按提出时间段；部门只能导出本部门的诉求）', querystring: TicketLedgerQuery,
      response: { ...binary, ...StdErrors },
    },
  }, async (req, reply) => send(reply, req.auth, await ticketLedger(app.db, req.auth, req.query)));

  app.get('/ledgers/visits', {
    onRequest: app.requireRoles(...LEDGER_ROLES.visits),
    schema: { tags, summary: '导出走访台账（Excel；筛选条件同走访列表；管家只能导出本人的走访）', querystring: VisitLedgerQuery, response: { ...binary, ...StdErrors } },
  }, async (req, reply) => send(reply, req.auth, await visitLedger(app.db, req.auth, req.query)));

  app.get('/ledgers/projects', {
    onRequest: app.requireRoles(...LEDGER_ROLES.projects),
    schema: { tags, summary: '导出项目台账（Excel；筛选条件同项目台账列表；金额单位万元）', querystring: ProjectLedgerQuery, response: { ...binary, ...StdErrors } },
  }, async (req, reply) => send(reply, req.auth, await projectLedger(app.db, req.auth, req.query)));

  app.get('/ledgers/rankings', {
    onRequest: app.requireRoles(...LEDGER_ROLES.rankings),
    schema: {
      tags, summary: '导出考核排名表（Excel；部门考核或管家排名，含名次、较上月、红黑榜与各项指标；部门、管家只能导出已发布的本类排名）',
      querystring: RankingLedgerQuery, response: { ...binary, ...StdErrors },
    },
  }, async (req, reply) => send(reply, req.auth, await rankingLedger(app.db, req.auth, req.query)));
}
