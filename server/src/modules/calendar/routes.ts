import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CalendarDay, CalendarRangeQuery, CalendarYear, CalendarYearPut, CalendarYearSummary, DateOnly, StdErrors, WorkingDaysQuery } from '@guanjia/shared';
import { calendarRange, getCalendarYear, listCalendarYears, putCalendarYear, workingDaysFrom } from './calendar.service';
import { recomputeDeadlinesForYear } from '../tickets/deadlines';

const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

/** China's working-day calendar: seeded from the chinese-days package, new years entered by coordinators. */
export async function calendarRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/calendar', {
    onRequest: app.authenticate,
    schema: { tags: ['calendar'], summary: '工作日历（节假日、调休）', querystring: CalendarRangeQuery, response: { 200: Type.Object({ items: Type.Array(CalendarDay) }), ...StdErrors } },
  }, async (req) => calendarRange(app.db, req.query.from, req.query.to));

  app.get('/calendar/working-days', {
    onRequest: app.authenticate,
    schema: {
      tags: ['calendar'], summary: '推算 N 个工作日后的日期', querystring: WorkingDaysQuery,
      response: { 200: Type.Object({ from: DateOnly, days: Type.Integer(), date: DateOnly, provisional: Type.Boolean() }), ...StdErrors },
    },
  }, async (req) => workingDaysFrom(app.db, req.query.from, req.query.days));

  app.get('/calendar/years', {
    onRequest: app.authenticate,
    schema: { tags: ['calendar'], summary: '已录入节假日安排的年份', response: { 200: Type.Object({ items: Type.Array(CalendarYearSummary) }), ...StdErrors } },
  }, async () => ({ items: await listCalendarYears(app.db) }));

  app.get('/calendar/years/:year', {
    onRequest: app.authenticate,
    schema: { tags: ['calendar'], summary: '某年的节假日与调休安排', params: YearParams, response: { 200: CalendarYear, ...StdErrors } },
  }, async (req) => getCalendarYear(app.db, req.params.year));

  app.put('/calendar/years/:year', {
    onRequest: app.requireRoles('coordinator', 'admin'),
    config: { idempotent: true },
    schema: {
      tags: ['calendar'], summary: '录入或更正某年的官方节假日安排（并重算受影响诉求的期限）', params: YearParams, body: CalendarYearPut,
      response: { 200: Type.Intersect([CalendarYear, Type.Object({ ticketsRecomputed: Type.Integer() })]), ...StdErrors },
    },
  }, async (req) => putCalendarYear(app.db, req.auth, req.params.year, req.body, recomputeDeadlinesForYear));
}
