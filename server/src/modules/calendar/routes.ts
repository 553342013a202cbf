import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CalendarDay, CalendarRangeQuery, CalendarYear, CalendarYearPut, CalendarYearSummary, DateOnly, LocalCalendarDay, LocalCalendarDayPut, StdErrors, WorkingDaysQuery } from '@guanjia/shared';
import { calendarRange, getCalendarYear, listCalendarYears, listLocalDays, putCalendarYear, setLocalDay, workingDaysFrom } from './calendar.service';
import { CALENDAR_ROLES } from './calendar.policy';
import { PLATFORM_GUARD } from '../platform/platform.policy';
import { recomputeDeadlines } from '../tickets/lifecycle/deadlines';

const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

/**
 * China's working-day calendar: seeded from the chinese-days package; the national schedule of a new year is entered by
 * the platform operator; a district adds its own local days, which apply to its tickets only.
 */
export async function calendarRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/calendar', {
    onRequest: app.authenticate,
    schema: { tags: ['calendar'], summary: '工作日历（节假日、调休）', querystring: CalendarRangeQuery, response: { 200: Type.Object({ items: Type.Array(CalendarDay) }), ...StdErrors } },
  }, async (req) => calendarRange(app.db, req.query.from, req.query.to, req.auth.districtId));

  app.get('/calendar/working-days', {
    onRequest: app.authenticate,
    schema: {
      tags: ['calendar'], summary: '推算 N 个工作日后的日期', querystring: WorkingDaysQuery,
      response: { 200: Type.Object({ from: DateOnly, days: Type.Integer(), date: DateOnly, provisional: Type.Boolean() }), ...StdErrors },
    },
  }, async (req) => workingDaysFrom(app.db, req.query.from, req.query.days, req.auth.districtId));

  app.get('/calendar/years', {
    onRequest: app.authenticate,
    schema: { tags: ['calendar'], summary: '已录入节假日安排的年份', response: { 200: Type.Object({ items: Type.Array(CalendarYearSummary) }), ...StdErrors } },
  }, async () => ({ items: await listCalendarYears(app.db) }));

  app.get('/calendar/years/:year', {
    onRequest: app.authenticate,
    schema: { tags: ['calendar'], summary: '某年的节假日与调休安排', params: YearParams, response: { 200: CalendarYear, ...StdErrors } },
  }, async (req) => getCalendarYear(app.db, req.params.year));

  app.put('/calendar/years/:year', {
    onRequest: app.requireScope([...PLATFORM_GUARD.scopes], [...PLATFORM_GUARD.roles]),
    schema: {
      tags: ['calendar'], summary: '平台运维：录入或更正某年的全国节假日安排（并重算各区县受影响诉求的期限）', params: YearParams, body: CalendarYearPut,
      response: { 200: Type.Intersect([CalendarYear, Type.Object({ ticketsRecomputed: Type.Integer() })]), ...StdErrors },
    },
  }, async (req) => putCalendarYear(app.db, req.principal, req.params.year, req.body, recomputeDeadlines));

  app.get('/calendar/local-days', {
    onRequest: app.authenticate,
    schema: {
      tags: ['calendar'], summary: '本区县对全国节假日安排的本地调整', querystring: YearParams,
      response: { 200: Type.Object({ items: Type.Array(LocalCalendarDay) }), ...StdErrors },
    },
  }, async (req) => listLocalDays(app.db, req.auth.districtId, req.query.year));

  const LocalResult = Type.Object({ date: DateOnly, kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday'), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]), ticketsRecomputed: Type.Integer() });
  app.put('/calendar/local-days/:date', {
    onRequest: app.requireRoles(...CALENDAR_ROLES.editLocal),
    schema: {
      tags: ['calendar'], summary: '设置本区县的本地放假或调休上班日（仅重算本区县诉求的期限）', params: Type.Object({ date: DateOnly }), body: LocalCalendarDayPut,
      response: { 200: LocalResult, ...StdErrors },
    },
  }, async (req) => setLocalDay(app.db, req.auth, req.params.date, req.body, recomputeDeadlines));

  app.delete('/calendar/local-days/:date', {
    onRequest: app.requireRoles(...CALENDAR_ROLES.editLocal),
    schema: { tags: ['calendar'], summary: '取消本区县的一个本地调整', params: Type.Object({ date: DateOnly }), response: { 200: LocalResult, ...StdErrors } },
  }, async (req) => setLocalDay(app.db, req.auth, req.params.date, null, recomputeDeadlines));
}
