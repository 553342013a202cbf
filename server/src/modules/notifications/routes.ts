import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, Nullable, Page, PageQuery, StdErrors, Timestamp, Uuid } from '@guanjia/shared';
import { decodeCursor, toPage } from '../../lib/keyset';
import { AppError } from '../../lib/app-error';

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
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const params: unknown[] = [req.auth.id];
    const where = ['person_id = $1'];
    if (req.query.unread) where.push('read_at IS NULL AND done_at IS NULL');
    const c = decodeCursor(req.query.cursor, 2);
    if (c) {
      params.push(c[0], c[1]);
      where.push(`(created_at, id) < ($2::timestamptz, $3::uuid)`);
    }
    const rows = await app.db.query(
      `SELECT id, kind, title, body, entity_type, entity_id, read_at, created_at, done_at, done_note FROM notification WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND read_at IS NULL AND done_at IS NULL`, [req.auth.id]);
    const page = toPage(rows, limit, (r: { created_at: Date; id: string }) => [new Date(r.created_at).toISOString(), r.id]);
    return {
      items: page.items.map((r: Record<string, unknown>) => ({
        id: r.id as string, kind: r.kind as string, title: r.title as string, body: r.body as string,
        entityType: (r.entity_type as string) ?? null, entityId: (r.entity_id as string) ?? null, read: r.read_at !== null,
        createdAt: new Date(r.created_at as string).toISOString(), done: r.done_at !== null, doneNote: (r.done_note as string) ?? null,
      })),
      nextCursor: page.nextCursor,
      unreadCount: n,
    };
  });

  app.post('/notifications/:id/read', {
    onRequest: app.authenticate,
    schema: { tags: ['notifications'], summary: '标记已读', params: IdParams, response: { 204: Type.Null(), ...StdErrors } },
  }, async (req, reply) => {
    const [, count] = await app.db.query(`UPDATE notification SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND person_id = $2`, [req.params.id, req.auth.id]);
    if (!count) throw new AppError('NOT_FOUND');
    return reply.status(204).send(null);
  });

  app.post('/notifications/read-all', {
    onRequest: app.authenticate,
    schema: { tags: ['notifications'], summary: '全部标记已读', response: { 204: Type.Null(), ...StdErrors } },
  }, async (req, reply) => {
    await app.db.query(`UPDATE notification SET read_at = now() WHERE person_id = $1 AND read_at IS NULL`, [req.auth.id]);
    return reply.status(204).send(null);
  });
}
