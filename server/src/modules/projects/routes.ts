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
  const editors = app.requireRoles(...PROJECT_ROLES.edit);
  const districtWide = app.requireRoles(...PROJECT_ROLES.oversee);

  app.get('/projects', {
    onRequest: app.authenticate,
    schema: { tags, summary: '项目台账（按名称排序，游标分页；阶段、红黄绿灯、级别、属地、包联领导、批次、关键字筛选）', querystring: ProjectListQuery, response: { 200: Page(Project), ...StdErrors } },
  }, async (req) => listProjects(app.db, req.auth, req.query));

  app.post('/projects', {
    onRequest: editors, config: { idempotent: true },
    schema: { tags, summary: '新建项目（资金来源合计须等于总投资）', body: ProjectCreate, response: { 201: Project, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createProject(app.db, req.auth, req.body)));

  app.get('/projects/:id', {
    onRequest: app.authenticate,
    schema: { tags, summary: '项目详情', params: IdParams, response: { 200: Project, ...StdErrors } },
  }, async (req) => getProject(app.db, req.auth, req.params.id));

  app.patch('/projects/:id', {
    onRequest: editors,
    schema: { tags, summary: '修改项目信息（需带版本号）', params: IdParams, body: ProjectUpdate, response: { 200: Project, ...StdErrors } },
  }, async (req) => updateProject(app.db, req.auth, req.params.id, req.body));

  for (const action of ['advance', 'revert', 'halt', 'resume'] as const) {
    app.post(`/projects/:id/${action}`, {
      onRequest: app.authenticate, config: { idempotent: true },
      schema: { tags, summary: STAGE_SUMMARIES[action], params: IdParams, body: StageActionBody, response: { 200: Project, ...StdErrors } },
    }, async (req) => stageAction(app.db, req.auth, req.params.id, action, req.body));
  }

  app.get('/projects/:id/stage-events', {
    onRequest: app.authenticate,
    schema: { tags, summary: '项目阶段变更记录', params: IdParams, response: { 200: Type.Array(StageEvent), ...StdErrors } },
  }, async (req) => listStageEvents(app.db, req.auth, req.params.id));

  app.get('/projects/:id/plans', {
    onRequest: app.authenticate,
    schema: { tags, summary: '年度投资计划', params: IdParams, response: { 200: Type.Array(AnnualPlan), ...StdErrors } },
  }, async (req) => listPlans(app.db, req.auth, req.params.id));

  app.put('/projects/:id/plans/:year', {
    onRequest: editors,
    schema: { tags, summary: '设置年度投资计划（整数元）', params: PlanParams, body: PlanBody, response: { 200: Type.Array(AnnualPlan), ...StdErrors } },
  }, async (req) => putPlan(app.db, req.auth, req.params.id, req.params.year, req.body.amount));

  app.get('/projects/:id/reports', {
    onRequest: app.authenticate,
    schema: { tags, summary: '月度调度（含年初累计、开工累计、占年计划%、占总投资%）', params: IdParams, querystring: ReportListQuery, response: { 200: Type.Array(ProjectReport), ...StdErrors } },
  }, async (req) => listReports(app.db, req.auth, req.params.id, req.query));

  app.post('/projects/:id/reports', {
    onRequest: app.authenticate, config: { idempotent: true },
    schema: { tags, summary: '填报月度调度（本月完成投资、形象进度、存在问题）', params: IdParams, body: ReportCreate, response: { 201: ProjectReport, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createReport(app.db, req.auth, req.params.id, req.body)));

  app.post('/projects/:id/reports/:month/corrections', {
    onRequest: app.authenticate, config: { idempotent: true },
    schema: { tags, summary: '更正月度调度（保留历史版本，须说明原因）', params: ReportParams, body: ReportCorrection, response: { 201: ProjectReport, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await correctReport(app.db, req.auth, req.params.id, req.params.month, req.body)));

  app.get('/projects/:id/milestones', {
    onRequest: app.authenticate,
    schema: { tags, summary: '项目节点（前期手续与建设节点）', params: IdParams, response: { 200: Type.Array(Milestone), ...StdErrors } },
  }, async (req) => listMilestones(app.db, req.auth, req.params.id));

  app.post('/projects/:id/milestones', {
    onRequest: app.authenticate,
    schema: { tags, summary: '新增项目节点', params: IdParams, body: MilestoneCreate, response: { 201: Type.Array(Milestone), ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createMilestone(app.db, req.auth, req.params.id, req.body)));

  app.patch('/projects/:id/milestones/:milestoneId', {
    onRequest: app.authenticate,
    schema: { tags, summary: '更新项目节点（计划/实际日期、责任部门和责任人）', params: MilestoneParams, body: MilestoneUpdate, response: { 200: Type.Array(Milestone), ...StdErrors } },
  }, async (req) => updateMilestone(app.db, req.auth, req.params.id, req.params.milestoneId, req.body));

  app.get('/projects/:id/lights', {
    onRequest: app.authenticate,
    schema: { tags, summary: '红黄绿灯变化记录', params: IdParams, response: { 200: Type.Array(LightEvent), ...StdErrors } },
  }, async (req) => listLightEvents(app.db, req.auth, req.params.id));

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

  app.get('/projects/:id/meeting-tasks', {
    onRequest: app.authenticate,
    schema: { tags, summary: '调度会就该项目交办的事项（未办结在前，含转为诉求的编号与状态）', params: IdParams, response: { 200: Type.Array(ProjectMeetingTask), ...StdErrors } },
  }, async (req) => listProjectTasks(app.db, req.auth, req.params.id));

  app.get('/project-stats', {
    onRequest: districtWide,
    schema: { tags, summary: '项目统计：按阶段、性质、新开工/复工/竣工、开工率、投资完成与时间进度', querystring: ProjectStatsQuery, response: { 200: ProjectStats, ...StdErrors } },
  }, async (req) => projectStats(app.db, req.auth, req.query));

  app.get('/project-stats/paragraph', {
    onRequest: districtWide,
    schema: { tags, summary: '月报项目段落（数字与项目统计一致）', querystring: ProjectParagraphQuery, response: { 200: ProjectParagraph, ...StdErrors } },
  }, async (req) => projectParagraphFor(app.db, req.auth, req.query));

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
  const staff = app.requireRoles(...PROJECT_ROLES.readBatches);
  app.get('/project-batches', {
    onRequest: staff,
    schema: { tags: btags, summary: '“三个一批”批次（含兑现情况与在库项目）', response: { 200: Type.Array(ProjectBatch), ...StdErrors } },
  }, async (req) => listBatches(app.db, req.auth));
  app.post('/project-batches', {
    onRequest: editors,
    schema: { tags: btags, summary: '新建“三个一批”批次（第N期）', body: ProjectBatchCreate, response: { 201: ProjectBatch, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createBatch(app.db, req.auth, req.body)));
  app.get('/project-batches/:id', {
    onRequest: staff,
    schema: { tags: btags, summary: '批次详情：签约一批/开工一批/投产一批及兑现', params: IdParams, response: { 200: ProjectBatch, ...StdErrors } },
  }, async (req) => getBatch(app.db, req.auth, req.params.id));
  app.post('/project-batches/:id/entries', {
    onRequest: editors,
    schema: { tags: btags, summary: '项目列入批次', params: IdParams, body: ProjectBatchEntryCreate, response: { 201: ProjectBatch, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await addBatchEntry(app.db, req.auth, req.params.id, req.body)));

  const mtags = ['project-meetings'];
  app.get('/project-meetings', {
    onRequest: districtWide,
    schema: { tags: mtags, summary: '重点项目调度会记录', response: { 200: Type.Array(ProjectMeeting), ...StdErrors } },
  }, async (req) => listMeetings(app.db, req.auth));
  app.get('/project-meetings/agenda', {
    onRequest: districtWide,
    schema: { tags: mtags, summary: '下次调度会议程：红黄灯项目与往次会议未办结事项', response: { 200: ProjectMeetingAgenda, ...StdErrors } },
  }, async (req) => meetingAgenda(app.db, req.auth));
  app.post('/project-meetings', {
    onRequest: editors, config: { idempotent: true },
    schema: { tags: mtags, summary: '记录调度会（议定事项交办到责任单位和责任人）', body: ProjectMeetingCreate, response: { 201: ProjectMeeting, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createMeeting(app.db, req.auth, req.body)));
  app.get('/project-meetings/:id', {
    onRequest: districtWide,
    schema: { tags: mtags, summary: '调度会详情', params: IdParams, response: { 200: ProjectMeeting, ...StdErrors } },
  }, async (req) => getMeeting(app.db, req.auth, req.params.id));
  app.post('/project-meetings/tasks/:id/done', {
    onRequest: editors,
    schema: { tags: mtags, summary: '调度会交办事项办结', params: IdParams, response: { 200: Type.Object({ ok: Type.Boolean() }), ...StdErrors } },
  }, async (req) => completeTask(app.db, req.auth, req.params.id));

  app.get('/project-settings', {
    onRequest: app.authenticate,
    schema: { tags, summary: '本区县项目设置：级别、性质、红黄灯阈值、调度填报日、走访频次、节点模板', response: { 200: ProjectSettings, ...StdErrors } },
  }, async (req) => getProjectSettings(app.db, req.auth.districtId));
  app.put('/project-settings', {
    onRequest: app.requireRoles(...PROJECT_ROLES.coordinate),
    schema: { tags, summary: '修改项目设置（红黄灯阈值等）', body: ProjectSettingsUpdate, response: { 200: ProjectSettings, ...StdErrors } },
  }, async (req) => updateProjectSettings(app.db, req.auth, req.body));
}
