import type { DataSource } from 'typeorm';
import type { Job } from '../../jobs/job';
import { retentionRemoved } from '../../lib/metrics';

// One key in the single-bigint advisory space, so it cannot collide with the (class, n) pairs other modules use.
const RETENTION_LOCK = 'auth-retention';

/**
 * Retention of request plumbing: Idempotency-Keys older than `idempotencyDays` (their answers are no longer
 * replayed) and login-failure counters whose last failure is older than a day past the lock period. Exactly once
 * across instances: a transaction-level advisory lock; another instance running at the same time skips.
 */
export async function purgeAuthRecords(
  db: DataSource,
  opts: { idempotencyDays: number; lockMinutes: number },
): Promise<{ skipped: boolean; idempotencyKeys: number; loginFailures: number }> {
  return db.transaction(async (em) => {
    const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [RETENTION_LOCK]);
    if (!locked) return { skipped: true, idempotencyKeys: 0, loginFailures: 0 };
    const [, idempotencyKeys] = await em.query(`DELETE FROM idempotency_record WHERE created_at < now() - make_interval(days => $1)`, [opts.idempotencyDays]);
    const [, loginFailures] = await em.query(
      `DELETE FROM login_failure WHERE last_failed_at < now() - make_interval(mins => $1) - interval '1 day'
         AND (locked_until IS NULL OR locked_until < now())`,
      [opts.lockMinutes],
    );
    return { skipped: false, idempotencyKeys, loginFailures };
  });
}

/** The auth module's scheduled work (listed in jobs/index.ts). */
export const authJobs: Job[] = [
  {
    name: 'auth-retention',
    everyMs: 60 * 60_000,
    run: async (app) => {
      const r = await purgeAuthRecords(app.db, { idempotencyDays: app.config.idempotencyRetentionDays, lockMinutes: app.config.loginLockMinutes });
      retentionRemoved.inc({ job: 'auth-retention', kind: 'idempotency_key' }, r.idempotencyKeys);
      retentionRemoved.inc({ job: 'auth-retention', kind: 'login_failure' }, r.loginFailures);
      if (!r.skipped) app.log.info({ job: 'auth-retention', ...r }, 'retention: old idempotency keys and login failures purged');
    },
  },
];
