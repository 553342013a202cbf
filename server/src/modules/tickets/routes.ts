import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import {
  Attachment,
  DuplicateCandidate,
  IdParams,
  Meeting,
  MeetingCreate,
  Page,
  ReturnVisit,
  ReturnVisitListQuery,
  ReturnVisitRecord,
  RoutingPreview,
  RoutingPreviewQuery,
  RoutingRule,
  RoutingRuleCreate,
  RoutingRuleUpdate,
  SimilarTicketsQuery,
  StdErrors,
  Supervision,
  SupervisionAck,
  SupervisionDone,
  SupervisionListQuery,
  TicketActionBodies,
  TicketCategory,
  TicketCategoryCreate,
  TicketCategoryNode,
  TicketCategoryUpdate,
  TicketCreate,
  TicketCreated,
  TicketDetail,
  TicketCounts,
  TicketListQuery,
  TicketSettings,
  TicketStats,
  TicketStatsQuery,
  TicketSummary,
  Month,
  TicketUrge,
  ExtensionPreviewQuery,
  ExtensionPreviewSchema,
  type TicketAction,
} from '@guanjia/shared';
import type { Config } from '../../config';
import { createTicket, getTicket, listTickets, similarTickets } from './lifecycle/ticket.service';
import { ticketCounts } from './lifecycle/queue-counts';
import { listMeetings, performAction, recordMeeting } from './lifecycle/ticket-actions';
import { createCategory, listCategories, loadDefaultCategories, putTicketSettings, updateCategory } from './config/category.service';
import { createRoutingRule, listRoutingRules, previewRouting, updateRoutingRule } from './config/routing.service';
import { districtTicketSettings } from './lifecycle/deadlines';
import { TICKET_ROLES } from './lifecycle/ticket.policy';
import { attachmentForDownload, uploadAttachment } from './files/attachment.service';
import { advanceSupervision, getSupervision, listSupervisions } from './supervision/supervision.service';
import { listReturnVisits, recordReturnVisit } from './return-visits/return-visit.service';
import { monthlyReport, ticketStats } from './stats/stats.service';
import { previewExtension, urgeTicket } from './lifecycle/urge.service';
import { AppError } from '../../lib/app-error';
import { ATTACHMENT_UPLOAD } from '../../lib/files';
import { multipartUpload } from '../../plugins/multipart-file';
import { routeSpec } from '../../lib/route';

/** One endpoint per machine action: path segment, action, summary (who may). */
const ACTION_ROUTES: [string, Exclude<TicketAction, 'route'>, string][] = [
  ['dispatch', 'dispatch', '交办（调度员；待交办的诉求）'],
  ['accept', 'accept', '签收（主办部门）'],
  ['return', 'return', '退回（主办部门，每件诉求最多 2 次，之后由调度员决定）'],
  ['reassign', 'reassign', '改派（调度员）'],
  ['notes', 'add_note', '办理进展（部门、调度员、领导；公开或内部）'],
  ['request-info', 'request_info', '请企业补充材料（主办部门；等待期间期限暂停）'],
  ['provide-info', 'provide_info', '补充材料（企业或其管家）'],
  ['extension-request', 'request_extension', '申请延期（主办部门，累计不超过 10 个工作日）'],
  ['extension-approval', 'approve_extension', '同意延期（调度员）'],
  ['extension-rejection', 'reject_extension', '不同意延期（调度员）'],
  ['reply', 'reply', '答复（主办部门；办结，附办理结果或解释说明）'],
  ['confirm', 'confirm', '确认办理结果（企业：满意/基本满意/不满意，不满意即重办）'],
  ['open-visit', 'open_visit', '发起回访（调度员）'],
  ['record-visit', 'record_visit', '记录回访结果（调度员；答复未确认或撤回核实）'],
  ['close', 'close', '销号（调度员；企业确认满意后）'],
  ['withdraw', 'withdraw', '撤回（企业，需说明原因）'],
  ['merge', 'merge', '并单（调度员，作为重复诉求并入另一诉求）'],
  ['escalate', 'escalate', '升级（调度员、领导；主办部门可升一级）'],
  ['supervise', 'supervise', '督办（调度员人工下发督办单）'],
];

/** The 诉求 lifecycle API (ADR 0005). Routes stay thin: schemas here, rules in the services and the shared machine. */
export async function ticketRoutes(fastify: FastifyInstance, opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const coordinators = app.requireRoles(...TICKET_ROLES.manage);
  const overseers = app.requireRoles(...TICKET_ROLES.oversee);
  const tags = ['tickets'];
  const { created, ok } = routeSpec(tags);

  // --- tickets ---
  app.post('/tickets', created(app.requireRoles(...TICKET_ROLES.file), '提交诉求（企业联系人，或管家代企业提交）；自动交办并提示可能重复的诉求', { body: TicketCreate }, TicketCreated, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createTicket(app.db, req.auth, req.body)));

  app.get('/tickets', ok(app.authenticate, '诉求列表（按可见范围，游标分页；可按答复期限排序，筛选被退回、延期待审批、升级级别）', { querystring: TicketListQuery }, Page(TicketSummary)),
    async (req) => listTickets(app.db, req.auth, req.query));

  app.get('/tickets/counts', ok(app.authenticate, '当前用户各工作队列的诉求数（按角色：部门待签收/办理中/超期，调度员待交办/被退回/延期待审批/超期/升级/待回访/督办，企业未办结/待确认/待补充）', {}, TicketCounts),
    async (req) => ticketCounts(app.db, req.auth));

  app.get('/tickets/similar', ok(app.requireRoles(...TICKET_ROLES.file), '提交前查找可能重复的诉求', { querystring: SimilarTicketsQuery }, Type.Object({ items: Type.Array(DuplicateCandidate) })),
    async (req) => similarTickets(app.db, req.auth, req.query));

  app.get('/tickets/:id', ok(app.authenticate, '诉求详情（含当前用户可见的办理记录和可执行的操作）', { params: IdParams }, TicketDetail),
    async (req) => getTicket(app.db, req.auth, req.params.id));

  for (const [segment, action, summary] of ACTION_ROUTES) {
    app.post(`/tickets/:id/${segment}`, {
      onRequest: app.authenticate,
      config: { idempotent: true },
      schema: { tags, summary, params: IdParams, body: TicketActionBodies[action], response: { 200: TicketDetail, ...StdErrors } },
    }, async (req) => performAction(app.db, req.auth, req.params.id, action, req.body as Record<string, unknown>));
  }

  app.post('/tickets/:id/urge', ok(app.requireRoles(...TICKET_ROLES.urge), '催办（企业联系人；诉求已超期时，每个工作日一次；记入办理记录并通知承办部门和管家）', { params: IdParams, body: TicketUrge }, TicketDetail, { idempotent: true }),
    async (req) => urgeTicket(app.db, req.auth, req.params.id, req.body));

  app.get('/tickets/:id/extension-preview', ok(app.requireRoles(...TICKET_ROLES.previewExtension), '延期试算（主办部门）：延长 N 个工作日后的答复期限，与今天对比、延期后是否仍超期', { params: IdParams, querystring: ExtensionPreviewQuery }, ExtensionPreviewSchema),
    async (req) => previewExtension(app.db, req.auth, req.params.id, req.query.days));

  app.post('/tickets/:id/meetings', ok(app.requireRoles(...TICKET_ROLES.meet), '记录协调会（第4级）：时间、参会人员、议定事项和交办任务', { params: IdParams, body: MeetingCreate }, TicketDetail, { idempotent: true }),
    async (req) => recordMeeting(app.db, req.auth, req.params.id, req.body));

  app.get('/tickets/:id/meetings', ok(app.authenticate, '诉求的协调会记录', { params: IdParams }, Type.Object({ items: Type.Array(Meeting) })),
    async (req) => listMeetings(app.db, req.auth, req.params.id));

  // --- categories, settings, routing rules ---
  const cfgTags = ['ticket-config'];
  const cfgSpec = routeSpec(cfgTags);
  app.get('/ticket-categories', {
    onRequest: app.authenticate,
    schema: { tags: cfgTags, summary: '诉求类别（两级）', querystring: Type.Object({ includeInactive: Type.Optional(Type.Boolean()) }), response: { 200: Type.Object({ items: Type.Array(TicketCategoryNode) }), ...StdErrors } },
  }, async (req) => ({ items: await listCategories(app.db, req.auth, req.query) }));

  app.post('/ticket-categories', cfgSpec.created(coordinators, '新增诉求类别', { body: TicketCategoryCreate }, TicketCategory, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createCategory(app.db, req.auth, req.body)));

  app.patch('/ticket-categories/:id', cfgSpec.ok(coordinators, '修改诉求类别（名称、期限、停用；需带版本号）', { params: IdParams, body: TicketCategoryUpdate }, TicketCategory),
    async (req) => updateCategory(app.db, req.auth, req.params.id, req.body));

  app.post('/ticket-categories/defaults', cfgSpec.ok(coordinators, '载入默认类别（人才用工、融资信贷……，已有的保留）', {}, Type.Object({ added: Type.Integer(), items: Type.Array(TicketCategoryNode) }), { idempotent: true }),
    async (req) => loadDefaultCategories(app.db, req.auth));

  app.get('/ticket-settings', cfgSpec.ok(app.authenticate, '本区县诉求期限默认值（工作日）', {}, TicketSettings),
    async (req) => districtTicketSettings(app.db, req.auth.districtId));

  app.put('/ticket-settings', cfgSpec.ok(coordinators, '修改本区县诉求期限默认值', { body: TicketSettings }, TicketSettings, { idempotent: true }),
    async (req) => putTicketSettings(app.db, req.auth, req.body));

  app.get('/routing-rules', {
    onRequest: overseers,
    schema: { tags: cfgTags, summary: '交办规则（越具体越优先）', querystring: Type.Object({ includeInactive: Type.Optional(Type.Boolean()) }), response: { 200: Type.Object({ items: Type.Array(RoutingRule) }), ...StdErrors } },
  }, async (req) => ({ items: await listRoutingRules(app.db, req.auth, req.query) }));

  app.get('/routing-rules/preview', cfgSpec.ok(overseers, '试算：某企业某类别的诉求会交办给谁', { querystring: RoutingPreviewQuery }, RoutingPreview),
    async (req) => previewRouting(app.db, req.auth, req.query.categoryId, req.query.enterpriseId));

  app.post('/routing-rules', cfgSpec.created(coordinators, '新增交办规则（与已有规则冲突时拒绝）', { body: RoutingRuleCreate }, RoutingRule, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createRoutingRule(app.db, req.auth, req.body)));

  app.patch('/routing-rules/:id', cfgSpec.ok(coordinators, '修改或停用交办规则（需带版本号）', { params: IdParams, body: RoutingRuleUpdate }, RoutingRule),
    async (req) => updateRoutingRule(app.db, req.auth, req.params.id, req.body));

  // --- attachments (multipart only in this encapsulated scope) ---
  await app.register(async (scope) => {
    const s = scope.withTypeProvider<TypeBoxTypeProvider>();
    if (!s.hasRequestDecorator('file')) await s.register(multipart, { limits: { files: 1 } });
    s.post('/attachments', {
      onRequest: s.authenticate,
      schema: {
        tags, summary: '上传附件（multipart/form-data，字段 file；仅 JPEG、PNG、PDF，按文件内容识别，≤10MB）', consumes: ['multipart/form-data'],
        response: { 201: Attachment, 413: StdErrors[400], 415: StdErrors[400], ...StdErrors },
      },
    }, async (req, reply) => {
      const file = await multipartUpload(req, ATTACHMENT_UPLOAD);
      return reply.status(201).send(await uploadAttachment(s.db, req.auth, { source: file.stream, filename: file.filename }, opts.config.uploadDir));
    });
  });

  app.get('/attachments/:id', {
    onRequest: app.authenticate,
    schema: { tags, summary: '下载附件（仅限有权查看所属诉求办理记录的人）', params: IdParams },
  }, async (req, reply) => {
    const f = await attachmentForDownload(app.db, req.auth, req.params.id, opts.config.uploadDir);
    // A row whose file is gone (restored backup, cleaned disk) answers 410 in the error shape, not a stream error.
    if (!(await fs.promises.stat(f.path).catch(() => null))?.isFile()) throw new AppError('FILE_MISSING');
    return reply
      .type(f.mime)
      .header('content-length', f.size)
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      .send(fs.createReadStream(f.path));
  });

  // --- 督办单 and 回访 ---
  const supTags = ['supervisions'];
  const supSpec = routeSpec(supTags);
  app.get('/supervisions', supSpec.ok(app.authenticate, '督办单列表（调度员、领导看全区，部门看发给本部门的）', { querystring: SupervisionListQuery }, Page(Supervision)),
    async (req) => listSupervisions(app.db, req.auth, req.query));

  app.get('/supervisions/:id', supSpec.ok(app.authenticate, '督办单详情', { params: IdParams }, Supervision),
    async (req) => getSupervision(app.db, req.auth, req.params.id));

  app.post('/supervisions/:id/acknowledge', supSpec.ok(app.requireRoles(...TICKET_ROLES.acknowledgeSupervision), '签收督办单（被督办部门）', { params: IdParams, body: SupervisionAck }, Supervision, { idempotent: true }),
    async (req) => advanceSupervision(app.db, req.auth, req.params.id, 'acknowledge', req.body));

  app.post('/supervisions/:id/complete', supSpec.ok(app.requireRoles(...TICKET_ROLES.completeSupervision), '督办单办结（反馈办理情况）', { params: IdParams, body: SupervisionDone }, Supervision, { idempotent: true }),
    async (req) => advanceSupervision(app.db, req.auth, req.params.id, 'complete', req.body));

  app.get('/return-visits', supSpec.ok(overseers, '回访任务（答复 5 个工作日未确认、撤回核实）', { querystring: ReturnVisitListQuery }, Page(ReturnVisit)),
    async (req) => listReturnVisits(app.db, req.auth, req.query));

  app.post('/return-visits/:id/record', supSpec.ok(app.requireRoles(...TICKET_ROLES.recordReturnVisit), '记录回访结果（满意/基本满意即销号，不满意即重办）', { params: IdParams, body: ReturnVisitRecord }, ReturnVisit, { idempotent: true }),
    async (req) => recordReturnVisit(app.db, req.auth, req.params.id, req.body));

  // --- statistics and the monthly report ---
  app.get('/ticket-stats', {
    onRequest: overseers,
    schema: { tags: ['reports'], summary: '诉求统计：按类别、已解决与正在协调解决、解决率、满意度', querystring: TicketStatsQuery, response: { 200: TicketStats, ...StdErrors } },
  }, async (req) => ticketStats(app.readDb, req.auth, req.query.from, req.query.to));

  app.get('/reports/monthly', {
    onRequest: overseers,
    schema: {
      tags: ['reports'], summary: '月度工作情况段落（如 "截至目前，助企干部累计对接企业722次……"）',
      querystring: Type.Object({
        month: Month,
        cumulative: Type.Optional(Type.Boolean({ default: true, description: 'true：自 1 月 1 日起累计；false：仅本月' })),
        stewardTerm: Type.Optional(Type.String({ minLength: 2, maxLength: 8, description: '对管家的称呼，默认 助企干部' })),
      }),
      response: {
        200: Type.Object({
          month: Type.String(), from: Type.String(), to: Type.String(), paragraph: Type.String(),
          contacts: Type.Record(Type.String(), Type.Integer()), stats: TicketStats,
        }),
        ...StdErrors,
      },
    },
  }, async (req) => monthlyReport(app.readDb, req.auth, req.query));
}
