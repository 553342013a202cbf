import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: a policy question (咨询政策) is a 诉求 linked to the policy it asks about, so the policy's desk view can
 * list its questions. Partial index: only a few tickets are policy questions.
 */
export class PolicyQuestions1764500000010 implements MigrationInterface {
  name = 'PolicyQuestions1764500000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket ADD COLUMN policy_id uuid REFERENCES policy(id)`);
    await q.query(`CREATE INDEX ix_ticket_policy ON ticket (policy_id, created_at DESC, id DESC) WHERE policy_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_ticket_policy`);
    await q.query(`ALTER TABLE ticket DROP COLUMN policy_id`);
  }
}
