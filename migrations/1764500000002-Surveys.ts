import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 问卷 (ADR 0014, ADR 0014). `survey_respondent` records THAT an enterprise answered (one per survey: the key that
 * stops a second submission and a double tap, and the response-rate numerator); `survey_response` holds WHAT was
 * answered. For an anonymous survey the response row has no enterprise and only the day and the area, and the
 * respondent row no time, so the two cannot be joined back.
 */
export class Surveys1764500000002 implements MigrationInterface {
  name = 'Surveys1764500000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE survey (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        title varchar(128) NOT NULL,
        intro varchar(2000) NOT NULL DEFAULT '',
        anonymous boolean NOT NULL,
        target jsonb NOT NULL,
        opens_on date NOT NULL,
        closes_on date NOT NULL,
        questions jsonb NOT NULL CHECK (jsonb_typeof(questions) = 'array'),
        status varchar(8) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','open')),
        version integer NOT NULL DEFAULT 1,
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_survey_dates CHECK (closes_on >= opens_on)
      )`);
    await q.query(`CREATE INDEX ix_survey_district_list ON survey (district_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE survey_respondent (
        survey_id uuid NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
        PRIMARY KEY (survey_id, enterprise_id)
      )`);
    await q.query(`CREATE INDEX ix_survey_respondent_enterprise ON survey_respondent (enterprise_id)`);
    await q.query(`
      CREATE TABLE survey_response (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
        area_id uuid NOT NULL REFERENCES area(id),
        enterprise_id uuid REFERENCES enterprise(id) ON DELETE CASCADE,
        submitted_on date NOT NULL,
        answers jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_survey_response_survey ON survey_response (survey_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['survey_response', 'survey_respondent', 'survey']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
