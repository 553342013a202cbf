import type { DataSource } from 'typeorm';
import { shanghaiDate } from '@guanjia/shared';
import type { Job } from '../../jobs/job';
import type { WechatClient } from './wechat-client';

/**
 * Drains `wechat_outbox` into WeChat subscribe messages, at least once and deduplicated:
 * - a notification has at most one outbox row (UNIQUE notification_id), written in the transaction of the change;
 * - a relay claims due rows with `FOR UPDATE SKIP LOCKED` and, in the same statement, leases them (attempts + 1,
 *   next attempt pushed past the lease), so a second relay — another instance — never picks the same row;
 * - each result is written guarded by the attempt it belongs to, so a relay whose lease expired cannot overwrite
 *   the outcome of the one that re-claimed the row;
 * - a crash between sending and recording leaves the row pending: it is sent again after the lease (at least once).
 * People without a bound openid, a missing template and a user who refused the template (43101) are 'skipped';
 * other failures retry with backoff and end 'failed' after `MAX_ATTEMPTS`.
 */

/** Attempts before a message is given up ('failed'). */
export const MAX_ATTEMPTS = 5;
/** Seconds a claimed row is reserved for the relay that claimed it. */
export const LEASE_SECONDS = 300;
/** Wait before the next attempt after the n-th failure (1-based): 1 min, 5 min, 30 min, 2 h. */
export function backoffSeconds(attempt: number): number {
  return [60, 300, 1800, 7200][Math.min(attempt, 4) - 1] ?? 7200;
}

/** WeChat's errcode for "the user has not subscribed (or used up) this template". */
const NOT_SUBSCRIBED = 43101;

type Claimed = {
  id: string; attempts: number; kind: string; title: string; body: string; entity_type: string | null; entity_id: string | null;
  created_at: Date; openid: string | null; notification_id: string;
};

/** `thing` fields take at most 20 characters. */
function thing(s: string): string {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length > 20 ? `${chars.slice(0, 19).join('')}…` : chars.join('') || '—';
}

/** "2026-11-25 09:30" in Asia/Shanghai, the `time` field format. */
function shanghaiMinute(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${shanghaiDate(d)} ${t.slice(11, 16)}`;
}

/** The mini-program page a message opens: the home page routes on the entity it names. */
function pageFor(r: Claimed): string {
  return r.entity_type && r.entity_id ? `pages/home/index?entityType=${r.entity_type}&entityId=${r.entity_id}` : 'pages/home/index';
}

export type RelayResult = { claimed: number; sent: number; skipped: number; retried: number; failed: number };

/** One relay pass: claims up to `batch` due rows, sends them, records each outcome. */
export async function relayWechatOutbox(
  db: DataSource,
  client: WechatClient,
  opts: { templateId: string | null; batch?: number; now?: Date; state?: 'developer' | 'trial' | 'formal' },
): Promise<RelayResult> {
  const now = opts.now ?? new Date();
  const claimed: Claimed[] = await db.query(
    `WITH due AS (
       SELECT id FROM wechat_outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
     ), leased AS (
       UPDATE wechat_outbox o SET attempts = o.attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $3)
         FROM due WHERE o.id = due.id RETURNING o.id, o.attempts, o.notification_id
     )
     SELECT l.id, l.attempts, l.notification_id, n.kind, n.title, n.body, n.entity_type, n.entity_id, n.created_at, p.wechat_openid AS openid
       FROM leased l JOIN notification n ON n.id = l.notification_id JOIN person p ON p.id = n.person_id ORDER BY l.id`,
    [now, opts.batch ?? 50, LEASE_SECONDS],
  );
  const result: RelayResult = { claimed: claimed.length, sent: 0, skipped: 0, retried: 0, failed: 0 };
  const finish = async (r: Claimed, status: 'sent' | 'skipped' | 'failed' | 'pending', error: string | null, retryAt?: Date) => {
    await db.query(
      `UPDATE wechat_outbox SET status = $3, last_error = $4, sent_at = CASE WHEN $7 THEN $5::timestamptz ELSE sent_at END,
              next_attempt_at = COALESCE($6, next_attempt_at)
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [r.id, r.attempts, status, error?.slice(0, 256) ?? null, now, retryAt ?? null, status === 'sent'],
    );
  };
  for (const r of claimed) {
    if (!r.openid) {
      await finish(r, 'skipped', 'no wechat openid');
      result.skipped++;
      continue;
    }
    if (!opts.templateId) {
      await finish(r, 'skipped', 'no subscribe template configured');
      result.skipped++;
      continue;
    }
    let error: string;
    try {
      const res = await client.sendSubscribeMessage({
        openid: r.openid,
        templateId: opts.templateId,
        page: pageFor(r),
        data: { thing1: { value: thing(r.title) }, thing2: { value: thing(r.body || r.title) }, time3: { value: shanghaiMinute(new Date(r.created_at)) } },
        state: opts.state,
      });
      if (res.ok) {
        await finish(r, 'sent', null);
        result.sent++;
        continue;
      }
      if (res.errcode === NOT_SUBSCRIBED) {
        await finish(r, 'skipped', `errcode ${NOT_SUBSCRIBED}: not subscribed`);
        result.skipped++;
        continue;
      }
      error = `errcode ${res.errcode ?? 'unknown'}`;
    } catch (e) {
      error = (e as { code?: string; message?: string }).code ?? (e as Error).message ?? 'error';
    }
    if (r.attempts >= MAX_ATTEMPTS) {
      await finish(r, 'failed', error);
      result.failed++;
    } else {
      await finish(r, 'pending', error, new Date(now.getTime() + backoffSeconds(r.attempts) * 1000));
      result.retried++;
    }
  }
  return result;
}

/** The relay as a scheduled job: every instance may run it (claims never overlap). */
export const wechatOutboxJob: Job = {
  name: 'wechat-outbox-relay',
  everyMs: 30_000,
  run: async (app) => void (await relayWechatOutbox(app.db, app.wechat, { templateId: app.config.wechat.subscribeTemplateId })),
};
