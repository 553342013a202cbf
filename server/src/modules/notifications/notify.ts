import type { EntityManager } from 'typeorm';

/** One notification to one person, written in the caller's transaction (so it exists iff the change committed). */
export type NotifyInput = {
  districtId: string;
  personIds: string[];
  kind: string;
  title: string;
  body?: string;
  entityType?: string;
  entityId?: string;
  /** same key for the same person → one notification, however often the caller retries or a job re-runs */
  dedupeKey?: string;
  /** also queue a WeChat subscribe message (sent by the outbox relay) */
  wechat?: boolean;
};

/** Inserts the notifications (deduplicated) and their outbox rows. Returns how many were new. */
export async function notify(em: EntityManager, n: NotifyInput): Promise<number> {
  if (!n.personIds.length) return 0;
  const rows: { id: string }[] = await em.query(
    `INSERT INTO notification (district_id, person_id, kind, title, body, entity_type, entity_id, dedupe_key)
     SELECT $1, pid, $3, $4, $5, $6, $7, $8 FROM unnest($2::uuid[]) AS pid
     ON CONFLICT (person_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
    [n.districtId, [...new Set(n.personIds)], n.kind, n.title.slice(0, 64), (n.body ?? '').slice(0, 512), n.entityType ?? null, n.entityId ?? null, n.dedupeKey ?? null],
  );
  if (n.wechat !== false && rows.length) {
    await em.query(`INSERT INTO wechat_outbox (notification_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [rows.map((r) => r.id)]);
  }
  return rows.length;
}
