import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AnnualPlan, IdParams, LightEvent, Milestone, MilestoneCreate, MilestoneParams, MilestoneUpdate, Page, PlanBody, PlanParams, Project, ProjectCreate, ProjectListQuery, ProjectParagraph, ProjectParagraphQuery, ProjectReport, ProjectStats, ProjectStatsQuery, ProjectUpdate, ReportCorrection, ReportCreate, ReportListQuery, ReportParams, StageActionBody, StageEvent, StdErrors, Uuid, ProjectSettings, ProjectSettingsUpdate, ProjectMeetingTask, ProjectBatch, ProjectBatchCreate, ProjectBatchEntryCreate, ProjectMeeting, ProjectMeetingAgenda, ProjectMeetingCreate, shanghaiDate, type ProjectStageAction,
} from '@guanjia/shared';
import { addBatchEntry, createBatch, getBatch, listBatches } from './project-batch.service';
import { completeTask, createMeeting, getMeeting, listMeetings, listProjectTasks, meetingAgenda } from './project-meeting.service';
import { projectVisitCadence } from './project-cadence.service';
import { getProjectSettings, updateProjectSettings } from './project-settings';
import {
  createProject, getProject, listLightEvents, listPlans, listProblems, listProjects, listProjectVisits, listStageEvents, putPlan, stageAction, updateProject,
} from './project.service';
import { correctReport, createReport, listReports, missingReports, remindMissingReports } from './project-report.service';
import { createMilestone, listMilestones, updateMilestone } from './project-milestone.service';
import { projectParagraphFor, projectStats } from './project-stats.service';
import { routeSpec } from '../../lib/route';
import { PROJECT_ROLES } from './project.policy';

const tags = ['projects'];
const STAGE_SUMMARIES: Record<ProjectStageAction, string> = {
  advance: '推进项目阶段（谋划→签约→开工→竣工→投产→达效；跨阶段须填写原因）',
  revert: '退回项目阶段（仅调度员，须填写原因）',
  halt: '项目停工（须填写原因）',
  resume: '项目复工（填写复工日期）',
};

/** 重点项目: the ledger, stage actions, plans, monthly 调度, milestones, lights, problems and the figures. */
export async function projectRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { created, ok } = routeSpec(tags);
  const editors = app.requireRoles(...PROJECT_ROLES.edit);
  const districtWide = app.requireRoles(...PROJECT_ROLES.oversee);

  app.get('/projects', ok(app.authenticate, '项目台账（按名称排序，游标分页；阶段、红黄绿灯、级别、属地、包联领导、批次、关键字筛选）', { querystring: ProjectListQuery }, Page(Project)),
    async (req) => listProjects(app.db, req.auth, req.query));

  app.post('/projects', created(editors, '新建项目（资金来源合计须等于总投资）', { body: ProjectCreate }, Project, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createProject(app.db, req.auth, req.body)));

  app.get('/projects/:id', ok(app.authenticate, '项目详情', { params: IdParams }, Project),
    async (req) => getProject(app.db, req.auth, req.params.id));

  app.patch('/projects/:id', ok(editors, '修改项目信息（需带版本号）', { params: IdParams, body: ProjectUpdate }, Project),
    async (req) => updateProject(app.db, req.auth, req.params.id, req.body));

  for (const action of ['advance', 'revert', 'halt', 'resume'] as const) {
    app.post(`/projects/:id/${action}`, {
      onRequest: app.authenticate, config: { idempotent: true },
      schema: { tags, summary: STAGE_SUMMARIES[action], params: IdParams, body: StageActionBody, response: { 200: Project, ...StdErrors } },
    }, async (req) => stageAction(app.db, req.auth, req.params.id, action, req.body));
  }

  app.get('/projects/:id/stage-events', ok(app.authenticate, '项目阶段变更记录', { params: IdParams }, Type.Array(StageEvent)),
    async (req) => listStageEvents(app.db, req.auth, req.params.id));

  app.get('/projects/:id/plans', ok(app.authenticate, '年度投资计划', { params: IdParams }, Type.Array(AnnualPlan)),
    async (req) => listPlans(app.db, req.auth, req.params.id));

  app.put('/projects/:id/plans/:year', ok(editors, '设置年度投资计划（整数元）', { params: PlanParams, body: PlanBody }, Type.Array(AnnualPlan)),
    async (req) => putPlan(app.db, req.auth, req.params.id, req.params.year, req.body.amount));

  app.get('/projects/:id/reports', ok(app.authenticate, '月度调度（含年初累计、开工累计、占年计划%、占总投资%）', { params: IdParams, querystring: ReportListQuery }, Type.Array(ProjectReport)),
    async (req) => listReports(app.db, req.auth, req.params.id, req.query));

  app.post('/projects/:id/reports', created(app.authenticate, '填报月度调度（本月完成投资、形象进度、存在问题）', { params: IdParams, body: ReportCreate }, ProjectReport, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createReport(app.db, req.auth, req.params.id, req.body)));

  app.post('/projects/:id/reports/:month/corrections', created(app.authenticate, '更正月度调度（保留历史版本，须说明原因）', { params: ReportParams, body: ReportCorrection }, ProjectReport, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await correctReport(app.db, req.auth, req.params.id, req.params.month, req.body)));

  app.get('/projects/:id/milestones', ok(app.authenticate, '项目节点（前期手续与建设节点）', { params: IdParams }, Type.Array(Milestone)),
    async (req) => listMilestones(app.db, req.auth, req.params.id));

  app.post('/projects/:id/milestones', created(app.authenticate, '新增项目节点', { params: IdParams, body: MilestoneCreate }, Type.Array(Milestone)),
    async (req, reply) => reply.status(201).send(await createMilestone(app.db, req.auth, req.params.id, req.body)));

  app.patch('/projects/:id/milestones/:milestoneId', ok(app.authenticate, '更新项目节点（计划/实际日期、责任部门和责任人）', { params: MilestoneParams, body: MilestoneUpdate }, Type.Array(Milestone)),
    async (req) => updateMilestone(app.db, req.auth, req.params.id, req.params.milestoneId, req.body));

  app.get('/projects/:id/lights', ok(app.authenticate, '红黄绿灯变化记录', { params: IdParams }, Type.Array(LightEvent)),
    async (req) => listLightEvents(app.db, req.auth, req.params.id));

  app.get('/projects/:id/problems', {
    onRequest: app.authenticate,
    schema: {
      tags, summary: '项目存在的问题（关联的诉求及其办理期限）', params: IdParams,
      response: { 200: Type.Array(Type.Object({ id: Uuid, no: Type.String(), title: Type.String(), state: Type.String(), replyDueAt: Type.Union([Type.String(), Type.Null()]), solved: Type.Boolean(), open: Type.Boolean() })), ...StdErrors },
    },
  }, async (req) => listProblems(app.db, req.auth, req.params.id));

  app.get('/project-reports/missing', {
    onRequest: districtWide,
    schema: {
      tags, summary: '调度清单：本月未填报调度信息的项目及其管家', querystring: Type.Object({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ month: Type.String(), items: Type.Array(Type.Object({ id: Uuid, no: Type.String(), name: Type.String(), light: Type.Union([Type.String(), Type.Null()]), stewards: Type.Array(Type.Object({ id: Uuid, name: Type.String() })) })) }),
        ...StdErrors,
      },
    },
  }, async (req) => missingReports(app.db, req.auth, req.query.month));

  app.post('/project-reports/reminders', {
    onRequest: app.requireRoles(...PROJECT_ROLES.coordinate), config: { idempotent: true },
    schema: {
      tags, summary: '催报：提醒本月未填报调度信息项目的管家（同一项目每天至多一次）',
      body: Type.Object({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '月份 YYYY-MM' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ month: Type.String(), projects: Type.Integer({ description: '未填报的项目数' }), sent: Type.Integer({ description: '本次发出的提醒数' }) }), ...StdErrors },
    },
  }, async (req) => remindMissingReports(app.db, req.auth, req.body.month));

  app.get('/projects/:id/visits', {
    onRequest: app.authenticate,
    schema: {
      tags, summary: '项目现场走访记录（已签到或已完成，最近50次）', params: IdParams,
      response: { 200: Type.Array(Type.Object({ id: Uuid, kind: Type.String(), status: Type.String(), occurredAt: Type.String(), steward: Type.Object({ id: Uuid, name: Type.String() }) })), ...StdErrors },
    },
  }, async (req) => listProjectVisits(app.db, req.auth, req.params.id));

  app.get('/projects/:id/meeting-tasks', ok(app.authenticate, '调度会就该项目交办的事项（未办结在前，含转为诉求的编号与状态）', { params: IdParams }, Type.Array(ProjectMeetingTask)),
    async (req) => listProjectTasks(app.db, req.auth, req.params.id));

  app.get('/project-stats', ok(districtWide, '项目统计：按阶段、性质、新开工/复工/竣工、开工率、投资完成与时间进度', { querystring: ProjectStatsQuery }, ProjectStats),
    async (req) => projectStats(app.db, req.auth, req.query));

  app.get('/project-stats/paragraph', ok(districtWide, '月报项目段落（数字与项目统计一致）', { querystring: ProjectParagraphQuery }, ProjectParagraph),
    async (req) => projectParagraphFor(app.db, req.auth, req.query));

  const MonthQuery = Type.Object({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '月份 YYYY-MM' }) }, { additionalProperties: false });
  const Ref = Type.Object({ id: Uuid, name: Type.String() });
  app.get('/project-visits/cadence', {
    onRequest: districtWide,
    schema: {
      tags, summary: '项目现场走访频次（每名管家每月到现场不少于N次）与逾期名单', querystring: MonthQuery,
      response: {
        200: Type.Object({
          month: Type.String(), required: Type.Integer(),
          items: Type.Array(Type.Object({ project: Ref, steward: Ref, required: Type.Integer(), done: Type.Integer(), remaining: Type.Integer(), overdue: Type.Boolean() })),
          overdue: Type.Array(Type.Object({ project: Ref, steward: Ref, required: Type.Integer(), done: Type.Integer(), remaining: Type.Integer(), overdue: Type.Boolean() })),
        }),
        ...StdErrors,
      },
    },
  }, async (req) => projectVisitCadence(app.db, req.auth, req.query.month, shanghaiDate(new Date())));

  const btags = ['project-batches'];
  const batchSpec = routeSpec(btags);
  const staff = app.requireRoles(...PROJECT_ROLES.readBatches);
  app.get('/project-batches', batchSpec.ok(staff, '“三个一批”批次（含兑现情况与在库项目）', {}, Type.Array(ProjectBatch)),
    async (req) => listBatches(app.db, req.auth));
  app.post('/project-batches', batchSpec.created(editors, '新建“三个一批”批次（第N期）', { body: ProjectBatchCreate }, ProjectBatch),
    async (req, reply) => reply.status(201).send(await createBatch(app.db, req.auth, req.body)));
  app.get('/project-batches/:id', batchSpec.ok(staff, '批次详情：签约一批/开工一批/投产一批及兑现', { params: IdParams }, ProjectBatch),
    async (req) => getBatch(app.db, req.auth, req.params.id));
  app.post('/project-batches/:id/entries', batchSpec.created(editors, '项目列入批次', { params: IdParams, body: ProjectBatchEntryCreate }, ProjectBatch),
    async (req, reply) => reply.status(201).send(await addBatchEntry(app.db, req.auth, req.params.id, req.body)));

  const mtags = ['project-meetings'];
  const meetingSpec = routeSpec(mtags);
  app.get('/project-meetings', meetingSpec.ok(districtWide, '重点项目调度会记录', {}, Type.Array(ProjectMeeting)),
    async (req) => listMeetings(app.db, req.auth));
  app.get('/project-meetings/agenda', meetingSpec.ok(districtWide, '下次调度会议程：红黄灯项目与往次会议未办结事项', {}, ProjectMeetingAgenda),
    async (req) => meetingAgenda(app.db, req.auth));
  app.post('/project-meetings', meetingSpec.created(editors, '记录调度会（议定事项交办到责任单位和责任人）', { body: ProjectMeetingCreate }, ProjectMeeting, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createMeeting(app.db, req.auth, req.body)));
  app.get('/project-meetings/:id', meetingSpec.ok(districtWide, '调度会详情', { params: IdParams }, ProjectMeeting),
    async (req) => getMeeting(app.db, req.auth, req.params.id));
  app.post('/project-meetings/tasks/:id/done', meetingSpec.ok(editors, '调度会交办事项办结', { params: IdParams }, Type.Object({ ok: Type.Boolean() })),
    async (req) => completeTask(app.db, req.auth, req.params.id));

  app.get('/project-settings', ok(app.authenticate, '本区县项目设置：级别、性质、红黄灯阈值、调度填报日、走访频次、节点模板', {}, ProjectSettings),
    async (req) => getProjectSettings(app.db, req.auth.districtId));
  app.put('/project-settings', ok(app.requireRoles(...PROJECT_ROLES.coordinate), '修改项目设置（红黄灯阈值等）', { body: ProjectSettingsUpdate }, ProjectSettings),
    async (req) => updateProjectSettings(app.db, req.auth, req.body));
}
