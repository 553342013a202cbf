import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { INDICATOR_ROLES } from './indicator.policy';
import { CITY_GUARD } from '../city/city.policy';
import {
  Breakdown, BreakdownQuery, DepartmentRanking, ErrorResponse, IdParams, IndicatorSettingsSchema, IndicatorSettingsUpdate, IndicatorSummary,
  Page, PublishedRanking, PublishedRankingItem, PublishedRankingListQuery, PublishRankingBody, RankingQuery, Series, SeriesQuery,
  StatsQuery, StdErrors, StewardRanking, WorkReport, WorkReportQuery, DistrictRanking,
  type StatsDimension, type StatsScope,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { cityBreakdown, citySeries, citySummary, districtRanking } from './city-stats.service';
import { getIndicatorSettings, updateIndicatorSettings } from './indicator-settings';
import { indicatorBreakdown, indicatorSeries, indicatorSummary } from './indicators.service';
import { departmentRanking, getPublishedRanking, listPublishedRankings, publishRanking, stewardRanking } from './rankings.service';
import { renderWorkReport, workReport } from './work-report.service';
import { routeSpec } from '../../lib/route';

const tags = ['stats'];

/**
 * Indicators for charts (`/stats/...`), rankings (考核, 红黑榜) and their published snapshots, the indicator settings
 * and the work report (docs/metrics.md). District-wide roles read any scope of their district; department staff read their
 * department's figures, stewards their own; published rankings reach the departments and stewards concerned.
 */
export async function indicatorRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { ok } = routeSpec(tags);
  const readers = app.requireRoles(...INDICATOR_ROLES.read);
  const districtWide = app.requireRoles(...INDICATOR_ROLES.districtWide);
  const editors = app.requireRoles(...INDICATOR_ROLES.edit);
  // /stats/summary|breakdown|series: district readers as above, and city people over the districts of their city (ADR 0008).
  const statsReaders = app.requireScope(['district', 'city'], [...INDICATOR_ROLES.read]);
  const isCity = (req: { principal: { scope: string } }) => req.principal.scope === 'city';

  app.get('/stats/summary', {
    onRequest: statsReaders,
    schema: {
      tags, summary: '指标汇总：诉求受理、办理、三率与综合得分、升级、督办、走访覆盖、项目（期间最长 366 天；口径：全区县/属地/部门/管家/类别）',
      querystring: StatsQuery, response: { 200: IndicatorSummary, ...StdErrors },
    },
  }, async (req) => (isCity(req) ? citySummary(app.db, req.principal, req.query) : indicatorSummary(app.db, req.auth, districtQuery(req.query))));

  app.get('/stats/breakdown', {
    onRequest: statsReaders,
    schema: {
      tags, summary: '指标分组（图表用）：按诉求类别、属地、责任单位或管家，各行之和等于合计',
      querystring: BreakdownQuery, response: { 200: Breakdown, ...StdErrors },
    },
  }, async (req) => {
    if (isCity(req)) return cityBreakdown(app.db, req.principal, req.query);
    const q = districtQuery(req.query);
    if (q.by === 'district') throw new AppError('SCOPE_FORBIDDEN', [{ path: '/querystring/by', message: '按区县对比仅限市级人员' }]);
    return indicatorBreakdown(app.db, req.auth, { ...q, by: q.by as StatsDimension });
  });

  app.get('/stats/series', ok(statsReaders, '指标趋势（图表用）：按周或按月的受理、解决、超期、走访次数', { querystring: SeriesQuery }, Series),
    async (req) => (isCity(req) ? citySeries(app.db, req.principal, req.query) : indicatorSeries(app.db, req.auth, districtQuery(req.query))));

  app.get('/stats/rankings/districts', ok(app.requireScope([...CITY_GUARD.scopes], [...CITY_GUARD.roles]), '市级：本市各区县月度综合考评排名（综合得分，市级统一权重），含各项指标、较上月变化、红黑榜与“在全市…考评中居第X”', { querystring: RankingQuery }, DistrictRanking),
    async (req) => districtRanking(app.db, req.principal, req.query.month));

  app.get('/stats/rankings/departments', ok(districtWide, '部门月度考核排名（综合得分），含各项指标、较上月变化与红黑榜；已发布的月份返回发布时的快照', { querystring: RankingQuery }, DepartmentRanking),
    async (req) => departmentRanking(app.db, req.auth, req.query.month));

  app.get('/stats/rankings/stewards', ok(districtWide, '管家月度排名（走访次数、覆盖率、提出与解决问题、满意率），含较上月变化与红黑榜', { querystring: RankingQuery }, StewardRanking),
    async (req) => stewardRanking(app.db, req.auth, req.query.month));

  app.post('/rankings', {
    onRequest: editors,
    config: { idempotent: true },
    schema: {
      tags, summary: '发布月度排名（冻结为快照，之后的修改不影响；每月每类只发布一次，并通知相关部门或管家）',
      body: PublishRankingBody, response: { 201: PublishedRanking, ...StdErrors },
    },
  }, async (req, reply) => reply.status(201).send(await publishRanking(app.db, req.auth, req.body)));

  app.get('/rankings', ok(readers, '已发布的排名（部门看部门排名，管家看管家排名）', { querystring: PublishedRankingListQuery }, Page(PublishedRankingItem)),
    async (req) => listPublishedRankings(app.db, req.auth, req.query));

  app.get('/rankings/:id', ok(readers, '已发布排名详情（标出本人或本部门所在行）', { params: IdParams }, PublishedRanking),
    async (req) => getPublishedRanking(app.db, req.auth, req.params.id));

  app.get('/indicator-settings', ok(districtWide, '考核设置：三率权重、基本满意折算系数、红黑榜名额', {}, IndicatorSettingsSchema),
    async (req) => getIndicatorSettings(app.db, req.auth.districtId));

  app.patch('/indicator-settings', ok(editors, '修改考核设置（三项权重之和为 1）', { body: IndicatorSettingsUpdate }, IndicatorSettingsSchema),
    async (req) => updateIndicatorSettings(app.db, req.auth, req.body));

  app.get('/reports/work', {
    onRequest: districtWide,
    schema: {
      tags: ['reports'], summary: '工作报告（Word/Markdown/JSON）：总体情况、诉求办理、项目推进、考核排名、存在问题、下步工作',
      produces: ['application/json', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown'],
      querystring: WorkReportQuery, response: { 200: WorkReport, ...StdErrors, 500: ErrorResponse },
    },
  }, async (req, reply) => {
    const report = await workReport(app.db, req.auth, districtQuery(req.query));
    const format = req.query.format ?? 'json';
    if (format === 'json') return report;
    const out = await renderWorkReport(report, format);
    const name = encodeURIComponent(`${report.title}.${format}`);
    return reply
      .header('content-type', format === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="report.${format}"; filename*=UTF-8''${name}`)
      .send((typeof out === 'string' ? Buffer.from(out, 'utf8') : out) as never);
  });
}

/** A district caller's query: the city's scope is not theirs (403 in Chinese), everything else passes through. */
function districtQuery<T extends { scope?: StatsScope | 'city' }>(q: T): T & { scope?: StatsScope } {
  if (q.scope === 'city') throw new AppError('SCOPE_FORBIDDEN', [{ path: '/querystring/scope', message: '全市口径仅限市级人员' }]);
  return q as T & { scope?: StatsScope };
}
