import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ticketIndicatorTrackSql } from './1764900000000-IndicatorLive';

/**
 * ADR 0011, third amendment, revised: ticket writes no longer take the district's advisory lock (shared) in the
 * indicator trigger. The job rebuilt a district's delta rows under that lock exclusive, so every filing and action
 * of the district waited for the rebuild: 16 s quiet and 40 s at load 10 at 1,000,000 tickets — after any calendar
 * edit, for every district the edit concerns (a national holiday change: all of them). The rebuild now deletes and
 * inserts in one statement, whose one snapshot deletes exactly the delta rows of the writes it counts; writes that
 * commit meanwhile keep theirs and are counted once (the pattern of ticket_stat, migration 1765000000000). The lock
 * stays between the rebuild and the compaction, both in the job.
 */
export class IndicatorLiveNoWriterLock1765200000000 implements MigrationInterface {
  name = 'IndicatorLiveNoWriterLock1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ticketIndicatorTrackSql(false));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ticketIndicatorTrackSql(true));
  }
}
