import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * docs/metrics.md: published rankings (考核, 红黑榜) frozen as snapshots — the rows as computed at publication, with the
 * weights and N they used, so later edits to tickets or settings never change what was announced. One per district,
 * kind and month. Indicator weights live in `district.settings.indicators` (no schema change). The indicators read
 * a period's tickets by the existing (district_id, created_at) index (ADR 0011).
 */
export class Indicators1764480000000 implements MigrationInterface {
  name = 'Indicators1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ranking_snapshot (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        kind varchar(12) NOT NULL CHECK (kind IN ('department','steward')),
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        note varchar(200),
        weights jsonb NOT NULL,
        red_black_n smallint NOT NULL CHECK (red_black_n BETWEEN 1 AND 20),
        rows jsonb NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
        published_by uuid NOT NULL REFERENCES person(id),
        published_at timestamptz NOT NULL,
        CONSTRAINT uq_ranking_snapshot UNIQUE (district_id, kind, month)
      )`);
    await q.query(`CREATE INDEX ix_ranking_snapshot_list ON ranking_snapshot (district_id, month DESC, id DESC)`);
    // Contacts of a period (summary, series, steward ranking) as an index-only scan: visits rarely change once
    // done, so the visibility map holds; at 500,000 visits the month's contacts took 1.2 s of scattered heap reads
    // on the bench, 25 ms from this index (ADR 0011).
    await q.query(`CREATE INDEX ix_visit_district_time_cover ON visit (district_id, occurred_at) INCLUDE (status, kind, enterprise_id, steward_id, problem_count)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_visit_district_time_cover`);
    await q.query(`DROP TABLE ranking_snapshot`);
  }
}
