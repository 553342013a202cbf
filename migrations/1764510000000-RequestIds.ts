import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * docs/operations.md: audit rows carry the id of the HTTP request that wrote them (the `reqId` of the JSON log line), so an
 * operator can follow one request from the log into audit_event, ticket_event and location_access_log. Rows written
 * by jobs and command-line tools have none (NULL).
 *
 * Expand only (docs/operations.md "Upgrades"): nullable columns without a default, so the previous release — whose
 * INSERTs name their columns and do not know this one — keeps working against this schema during a rolling upgrade.
 * The indexes are partial (most old rows are NULL) and are the way in from a log line.
 */
export class RequestIds1764510000000 implements MigrationInterface {
  name = 'RequestIds1764510000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of ['audit_event', 'ticket_event', 'location_access_log']) {
      await q.query(`ALTER TABLE ${t} ADD COLUMN request_id varchar(64)`);
      await q.query(`CREATE INDEX ix_${t}_request ON ${t} (request_id) WHERE request_id IS NOT NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_event', 'ticket_event', 'location_access_log']) await q.query(`ALTER TABLE ${t} DROP COLUMN request_id`);
  }
}
