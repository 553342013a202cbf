import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
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
  await app.register(authRoutes, { config: opts.config });
  await app.register(orgRoutes);
  await app.register(enterpriseRoutes);
  await app.register(peopleRoutes);
  await app.register(assignmentRoutes);
  await app.register(notificationRoutes);
  await app.register(calendarRoutes);
  await app.register(ticketRoutes, { config: opts.config });
  await app.register(visitRoutes, { config: opts.config });
  await app.register(platformRoutes);
  await app.register(projectRoutes);
  await app.register(cityRoutes);
  await app.register(indicatorRoutes);
  await app.register(policyRoutes);
  await app.register(surveyRoutes);
  await app.register(importRoutes);
  await app.register(joinRoutes, { config: opts.config });
  await app.register(ledgerRoutes);
  await app.register(dashboardRoutes);
  await app.register(stewardRoutes);
  await app.register(replyTemplateRoutes);
}
