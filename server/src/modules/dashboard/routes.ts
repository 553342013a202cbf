import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { INDICATOR_ROLES } from '../indicators/indicator.policy';
import { DashboardMonth, DashboardMonthQuery, DashboardVisitMap, StdErrors } from '@guanjia/shared';
import { dashboardMonth, dashboardVisitMap } from './dashboard.service';

/** The coordinator's and leader's month at a glance: the two series no other endpoint gives, and the visits map. */
export async function dashboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/dashboard/month', {
    onRequest: app.requireRoles(...INDICATOR_ROLES.districtWide),
    schema: { tags: ['reports'], summary: '本月概览：诉求按周趋势、部门排名（解决率）', querystring: DashboardMonthQuery, response: { 200: DashboardMonth, ...StdErrors } },
  }, async (req) => dashboardMonth(app.db, req.auth, req.query.month));
  app.get('/dashboard/visit-map', {
    onRequest: app.requireRoles(...INDICATOR_ROLES.districtWide),
    schema: { tags: ['reports'], summary: '走访地图：本区县各属地的中心（属地企业坐标平均值）与本月现场走访签到次数', querystring: DashboardMonthQuery, response: { 200: DashboardVisitMap, ...StdErrors } },
  }, async (req) => dashboardVisitMap(app.db, req.auth, req.query.month));
}
