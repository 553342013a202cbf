import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { named } from './lib/plugin-name';
import { authRoutes } from './modules/auth/routes';
import { orgRoutes } from './modules/org/routes';
import { enterpriseRoutes } from './modules/enterprises/routes';
import { peopleRoutes } from './modules/people/routes';
import { assignmentRoutes } from './modules/assignments/routes';
import { notificationRoutes } from './modules/notifications/routes';
import { calendarRoutes } from './modules/calendar/routes';
import { ticketRoutes } from './modules/tickets/routes';
import { visitRoutes } from './modules/visits/routes';
import { platformRoutes } from './modules/platform/routes';
import { projectRoutes } from './modules/projects/routes';
import { cityRoutes } from './modules/city/routes';
import { indicatorRoutes } from './modules/indicators/routes';
import { policyRoutes } from './modules/policies/routes';
import { surveyRoutes } from './modules/surveys/routes';
import { importRoutes } from './modules/imports/routes';
import { joinRoutes } from './modules/join/routes';
import { ledgerRoutes } from './modules/ledgers/routes';
import { dashboardRoutes } from './modules/dashboard/routes';
import { stewardRoutes } from './modules/stewards/routes';
import { replyTemplateRoutes } from './modules/reply-templates/routes';

/** Everything under /api/v1. Each module registers its own routes; add new modules here. */
export async function apiRoutes(app: FastifyInstance, opts: { config: Config }) {
  await app.register(named(authRoutes), { config: opts.config });
  await app.register(named(orgRoutes));
  await app.register(named(enterpriseRoutes));
  await app.register(named(peopleRoutes));
  await app.register(named(assignmentRoutes));
  await app.register(named(notificationRoutes));
  await app.register(named(calendarRoutes));
  await app.register(named(ticketRoutes), { config: opts.config });
  await app.register(named(visitRoutes), { config: opts.config });
  await app.register(named(platformRoutes));
  await app.register(named(projectRoutes));
  await app.register(named(cityRoutes));
  await app.register(named(indicatorRoutes));
  await app.register(named(policyRoutes));
  await app.register(named(surveyRoutes));
  await app.register(named(importRoutes));
  await app.register(named(joinRoutes), { config: opts.config });
  await app.register(named(ledgerRoutes));
  await app.register(named(dashboardRoutes));
  await app.register(named(stewardRoutes));
  await app.register(named(replyTemplateRoutes));
}
