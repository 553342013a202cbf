import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task assigned at the weekly 调度会 may become a 诉求 (ADR 0009): the task keeps the ticket it became, so the
 * meeting shows the 诉求's progress and the next agenda drops the task once the 诉求 is closed. One ticket per task.
 */
export class MeetingTaskTicket1764460000000 implements MigrationInterface {
  name = 'MeetingTaskTicket1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE project_meeting_task ADD COLUMN ticket_id uuid REFERENCES ticket(id)`);
    await q.query(`CREATE UNIQUE INDEX uq_project_meeting_task_ticket ON project_meeting_task (ticket_id) WHERE ticket_id IS NOT NULL`);
    // the tasks of one project (its detail page lists them)
    await q.query(`CREATE INDEX ix_project_meeting_task_project ON project_meeting_task (project_id, due_on) WHERE project_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_project_meeting_task_project`);
    await q.query(`DROP INDEX IF EXISTS uq_project_meeting_task_ticket`);
    await q.query(`ALTER TABLE project_meeting_task DROP COLUMN IF EXISTS ticket_id`);
  }
}
