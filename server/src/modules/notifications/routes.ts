import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, Nullable, Page, PageQuery, StdErrors, Timestamp, Uuid } from '@guanjia/shared';
import { listNotifications, markAllRead, markRead } from './notification.service';

const Notification = Type.Object({
  id: Uuid, kind: Type.String(), title: Type.String(), body: Type.String(),
  entityType: Nullable(Type.String()), entityId: Nullable(Uuid), read: Type.Boolean(), createdAt: Timestamp,
  done: Type.Boolean({ description: '所请求的操作已有人完成（不再需要处理）' }), doneNote: Nullable(Type.String({ description: '完成情况，如 已由李四确认办理结果' })),
});

/** The caller's own notifications, newest first, with the unread count for badges. */
export async function notificationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/notifications', {
    onRequest: app.authenticate,
    schema: { tags: ['notifications'], summary: '我的通知', querystring: Type.Object({ ...PageQuery, unread: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Intersect([Page(Notification), Type.Object({ unreadCount: Type.Integer() })]), ...StdErrors } },
  }, async (req) => listNotifications(app.db, req.auth, req.query));

  app.post('/notifications/:id/read', {
    onRequest: app.authenticate,
    schema: { tags: ['notifications'], summary: '标记已读', params: IdParams, response: { 204: Type.Null(), ...StdErrors } },
  }, async (req, reply) => {
    await markRead(app.db, req.auth, req.params.id);
    return reply.status(204).send(null);
  });

  app.post('/notifications/read-all', {
    onRequest: app.authenticate,
    schema: { tags: ['notifications'], summary: '全部标记已读', response: { 204: Type.Null(), ...StdErrors } },
  }, async (req, reply) => {
    await markAllRead(app.db, req.auth);
    return reply.status(204).send(null);
  });
}
