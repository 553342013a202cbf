import type { DataSource } from 'typeorm';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import type { AuthUser } from '../../lib/principal';
import { applyVisibility } from '../../lib/policy';
import { sqlParams } from '../../lib/sql';
import { notificationVisibilitySql } from './notification.policy';

/** The caller's own notifications (notification.policy.ts): list, unread count, marking read. Written by notify.ts. */

type Row = {
  id: string; kind: string; title: string; body: string; entity_type: string | null; entity_id: string | null;
  read_at: Date | null; created_at: Date; done_at: Date | null; done_note: string | null;
};

export type NotificationItem = {
  id: string; kind: string; title: string; body: string; entityType: string | null; entityId: string | null;
  read: boolean; createdAt: string; done: boolean; doneNote: string | null;
};

function present(r: Row): NotificationItem {
  return {
    id: r.id, kind: r.kind, title: r.title, body: r.body, entityType: r.entity_type ?? null, entityId: r.entity_id ?? null, read: r.read_at !== null,
    createdAt: new Date(r.created_at).toISOString(), done: r.done_at !== null, doneNote: r.done_note ?? null,
  };
}

/** Newest first with keyset paging, and the unread count for badges. */
export async function listNotifications(db: DataSource, auth: AuthUser, q: { limit?: number; cursor?: string; unread?: boolean }): Promise<Page<NotificationItem> & { unreadCount: number }> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams();
  const where: string[] = [];
  applyVisibility(where, notificationVisibilitySql(auth, p));
  if (q.unread) where.push('read_at IS NULL AND done_at IS NULL');
  const c = decodeCursor(q.cursor, 2);
  if (c) where.push(`(created_at, id) < (${p(c[0])}::timestamptz, ${p(c[1])}::uuid)`);
  const rows: Row[] = await db.query(
    `SELECT id, kind, title, body, entity_type, entity_id, read_at, created_at, done_at, done_note FROM notification WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${p(limit + 1)}`,
    params,
  );
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND read_at IS NULL AND done_at IS NULL`, [auth.id]);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return { items: page.items.map(present), nextCursor: page.nextCursor, unreadCount: n };
}

/** Marks one of the caller's notifications read (idempotent); another person's is not found. */
export async function markRead(db: DataSource, auth: AuthUser, id: string): Promise<void> {
  const [, count] = await db.query(`UPDATE notification SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND person_id = $2`, [id, auth.id]);
  if (!count) throw new AppError('NOT_FOUND');
}

export async function markAllRead(db: DataSource, auth: AuthUser): Promise<void> {
  await db.query(`UPDATE notification SET read_at = now() WHERE person_id = $1 AND read_at IS NULL`, [auth.id]);
}
