import type { DataSource } from 'typeorm';
import type { Job } from '../../jobs/job';
import { notify } from '../notifications/notify';
import { evaluateCadence } from './cadence.service';
import { maintainCadenceCounts } from './cadence-counts';
import { getVisitSettings } from './visit-settings';
import { retentionRemoved } from '../../lib/metrics';

/** Advisory lock keys (pg_try_advisory_xact_lock(int, int)): class 4 = visits, then one number per job. */
const LOCK_CLASS = 4;
const LOCK_REMINDERS = 1;
const LOCK_PURGE = 2;
const LOCK_AUTO_CHECKOUT = 3;

const KIND_TEXT = { onsite: '现场走访', any: '联系' } as const;

/**
 * 走访提醒: in the last `reminderDaysBefore` days of a period, every steward gets one notification per enterprise still
 * due. Exactly once, whatever runs it: a transaction-level advisory lock lets one instance work at a time (another
 * instance skips), and the dedupe key (period + enterprise, unique per person) makes a later run a no-op.
 */
export async function runCadenceReminders(db: DataSource, now = new Date()): Promise<{ skipped: boolean; sent: number }> {
  return db.transaction(async (em) => {
    const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [LOCK_CLASS, LOCK_REMINDERS]);
    if (!locked) return { skipped: true, sent: 0 };
    let sent = 0;
    const districts: { id: string }[] = await em.query(`SELECT id FROM district ORDER BY id`);
    for (const d of districts) {
      const settings = await getVisitSettings(em, d.id);
      if (settings.reminderDaysBefore === 0) continue;
      const rows = await evaluateCadence(em, d.id, { periodOf: now, now, settings });
      for (const r of rows.filter((x) => x.remind)) {
        sent += await notify(em, {
          districtId: d.id,
          personIds: [r.steward.id],
          kind: 'visit.cadence_reminder',
          title: `走访提醒：${r.enterprise.name}`,
          body: `本期（${r.period.from} 至 ${r.period.to}）还需${KIND_TEXT[r.rule.requiredKind]} ${r.remaining} 次（要求 ${r.required} 次，已完成 ${r.done} 次）。`,
          entityType: 'enterprise',
          entityId: r.enterprise.id,
          dedupeKey: `visit-cadence:${r.rule.period}:${r.period.from}:${r.enterprise.id}`,
        });
      }
    }
    return { skipped: false, sent };
  });
}

/**
 * PIPL: check-in and check-out coordinates are kept `retentionDays` and then erased (the fence verdict, flags and
 * times stay, so coverage statistics do not change). Proposals past the period lose their point too; a still-pending
 * one is closed as rejected, since nobody can confirm a point that is gone.
 */
export async function purgeVisitLocations(db: DataSource, retentionDays: number, now = new Date()): Promise<{ skipped: boolean; visits: number; proposals: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  return db.transaction(async (em) => {
    const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [LOCK_CLASS, LOCK_PURGE]);
    if (!locked) return { skipped: true, visits: 0, proposals: 0 };
    const [, visits] = await em.query(
      `UPDATE visit SET checkin_lat = NULL, checkin_lng = NULL, distance_m = NULL, checkout_lat = NULL, checkout_lng = NULL,
          location_purged_at = now(), updated_at = now()
        WHERE checkin_at < $1 AND location_purged_at IS NULL`,
      [cutoff],
    );
    const [, proposals] = await em.query(
      `UPDATE enterprise_location_proposal SET lat = NULL, lng = NULL,
          status = CASE WHEN status = 'pending' THEN 'rejected' ELSE status END,
          decided_at = CASE WHEN status = 'pending' THEN now() ELSE decided_at END,
          decision_note = CASE WHEN status = 'pending' THEN '超过位置信息保存期限，已自动清除' ELSE decision_note END
        WHERE created_at < $1 AND lat IS NOT NULL`,
      [cutoff],
    );
    return { skipped: false, visits, proposals };
  });
}

/**
 * Open visits left behind: an on-site visit still checked in `autoCheckoutHours` (district setting, default 8) after
 * its check-in is closed by the system at that limit, flagged `auto_closed` (shown to coordinators for review), with
 * a notification to its steward and an audit row — one transaction, one instance at a time (advisory lock).
 */
export async function autoCheckoutVisits(db: DataSource, now = new Date()): Promise<{ skipped: boolean; closed: number }> {
  return db.transaction(async (em) => {
    const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [LOCK_CLASS, LOCK_AUTO_CHECKOUT]);
    if (!locked) return { skipped: true, closed: 0 };
    let closed = 0;
    const districts: { id: string }[] = await em.query(`SELECT DISTINCT district_id AS id FROM visit WHERE status = 'checked_in'`);
    for (const d of districts) {
      const hours = (await getVisitSettings(em, d.id)).autoCheckoutHours;
      const [rows]: [{ id: string; steward_id: string; name: string; checkin_at: Date }[], number] = await em.query(
        `UPDATE visit v SET status = 'completed', checkout_at = v.checkin_at + make_interval(hours => $2),
            flags = CASE WHEN 'auto_closed' = ANY(v.flags) THEN v.flags ELSE v.flags || '{auto_closed}'::text[] END,
            reviewed_at = NULL, version = v.version + 1, updated_at = now()
          FROM enterprise e
         WHERE e.id = v.enterprise_id AND v.district_id = $1 AND v.status = 'checked_in' AND v.kind = 'onsite'
           AND v.checkin_at < $3::timestamptz - make_interval(hours => $2)
        RETURNING v.id, v.steward_id, e.name, v.checkin_at`,
        [d.id, hours, now],
      );
      for (const r of rows) {
        await em.query(
          `INSERT INTO audit_event (district_id, actor_id, action, entity_type, entity_id, data) VALUES ($1, NULL, 'visit.auto_checked_out', 'visit', $2, $3)`,
          [d.id, r.id, JSON.stringify({ hours })],
        );
        await notify(em, {
          districtId: d.id, personIds: [r.steward_id], kind: 'visit.auto_closed', title: `走访已自动签退：${r.name}`.slice(0, 64),
          body: `签到后超过 ${hours} 小时未签退，系统已自动签退并标记，调度员将复核。请补充走访记录。`,
          entityType: 'visit', entityId: r.id, dedupeKey: `visit-auto-closed:${r.id}`,
        });
      }
      closed += rows.length;
    }
    return { skipped: false, closed };
  });
}

/** Reminders go out in office hours (from 08:00 Beijing time); the job itself runs hourly. */
export const isReminderHour = (now: Date) => Number(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(11, 13)) >= 8;

/** The visits module's scheduled work (listed in jobs/index.ts). */
export const visitJobs: Job[] = [
  {
    // ADR 0019: builds districts (first run, or new key-enterprise criteria), moves the horizon, folds the deltas
    name: 'cadence-counts',
    everyMs: 60_000,
    run: async (app) => {
      const r = await maintainCadenceCounts(app.db);
      if (r.built || r.moved) app.log.info({ job: 'cadence-counts', ...r }, 'cadence counts built or moved');
    },
  },
  {
    name: 'visit-cadence-reminders',
    everyMs: 60 * 60_000,
    run: async (app) => {
      if (!isReminderHour(new Date())) return;
      const r = await runCadenceReminders(app.db);
      if (r.sent) app.log.info({ job: 'visit-cadence-reminders', sent: r.sent }, 'cadence reminders sent');
    },
  },
  {
    name: 'visit-auto-checkout',
    everyMs: 15 * 60_000,
    run: async (app) => {
      const r = await autoCheckoutVisits(app.db);
      if (r.closed) app.log.info({ job: 'visit-auto-checkout', closed: r.closed }, 'open visits closed');
    },
  },
  {
    name: 'visit-location-purge',
    everyMs: 6 * 60 * 60_000,
    run: async (app) => {
      const r = await purgeVisitLocations(app.db, app.config.locationRetentionDays);
      retentionRemoved.inc({ job: 'visit-location-purge', kind: 'visit_location' }, r.visits);
      retentionRemoved.inc({ job: 'visit-location-purge', kind: 'location_proposal' }, r.proposals);
      // Logged on every run, zero included: the log proves the purge ran (PIPL retention), not only that it found rows.
      if (!r.skipped) app.log.info({ job: 'visit-location-purge', retentionDays: app.config.locationRetentionDays, ...r }, 'check-in location retention: erased old coordinates');
    },
  },
];
