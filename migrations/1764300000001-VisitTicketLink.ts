import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A 诉求 raised from a visit points at it (`ticket.source_visit_id`, created by the tickets migration before the visit
 * table existed): now that both exist, the link gets its foreign key and the index the visit detail and coverage use.
 */
export class VisitTicketLink1764300000001 implements MigrationInterface {
  name = 'VisitTicketLink1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_ticket_source_visit ON ticket (source_visit_id) WHERE source_visit_id IS NOT NULL`);
    await q.query(`ALTER TABLE ticket ADD CONSTRAINT fk_ticket_source_visit FOREIGN KEY (source_visit_id) REFERENCES visit(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP CONSTRAINT IF EXISTS fk_ticket_source_visit`);
    await q.query(`DROP INDEX IF EXISTS ix_ticket_source_visit`);
  }
}
