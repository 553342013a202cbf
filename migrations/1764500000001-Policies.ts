import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 政策直达 / 免申即享 (ADR 0014, ADR 0014). The enterprise profile grows the fields a policy can depend on (the
 * existing `scale` column stays the 规模以上 flag; `industry` stays the free-text label beside the GB/T 4754 codes),
 * certifications with dates, district-defined libraries (培育库) with membership history, policies with their
 * eligibility document, and one row per (policy, matched enterprise) carrying the match, its explanation, the
 * delivery (notified, read, delivered), the 免申即享 willingness and the 兑现 (integer 元).
 */
export class Policies1764500000001 implements MigrationInterface {
  name = 'Policies1764500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE enterprise
        ADD COLUMN industry_section char(1) CHECK (industry_section ~ '^[A-T]$'),
        ADD COLUMN industry_division char(2) CHECK (industry_division ~ '^[0-9]{2}$'),
        ADD COLUMN size_class varchar(8) CHECK (size_class IN ('large','medium','small','micro')),
        ADD COLUMN founded_on date,
        ADD COLUMN employees integer CHECK (employees >= 0),
        ADD COLUMN revenue_band varchar(12) CHECK (revenue_band IN ('lt5m','5m_20m','20m_100m','100m_400m','ge400m')),
        ADD COLUMN tax_band varchar(12) CHECK (tax_band IN ('lt500k','500k_2m','2m_10m','ge10m'))`);
    await q.query(`
      CREATE TABLE enterprise_certification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('high_tech','specialized','little_giant','tech_sme','gazelle','unicorn')),
        certified_on date NOT NULL,
        expires_on date,
        certificate_no varchar(64),
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_certification_dates CHECK (expires_on IS NULL OR expires_on >= certified_on),
        CONSTRAINT uq_certification UNIQUE (enterprise_id, kind, certified_on)
      )`);
    await q.query(`
      CREATE TABLE enterprise_library (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        name varchar(64) NOT NULL,
        description varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_library_name UNIQUE (district_id, name)
      )`);
    await q.query(`
      CREATE TABLE library_membership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        library_id uuid NOT NULL REFERENCES enterprise_library(id),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
        joined_on date NOT NULL,
        left_on date,
        note varchar(256),
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_membership_dates CHECK (left_on IS NULL OR left_on >= joined_on)
      )`);
    await q.query(`CREATE INDEX ix_membership_enterprise ON library_membership (enterprise_id)`);
    await q.query(`CREATE UNIQUE INDEX uq_membership_current ON library_membership (library_id, enterprise_id) WHERE left_on IS NULL`);
    await q.query(`
      CREATE TABLE policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES district(id),
        title varchar(128) NOT NULL,
        department_id uuid NOT NULL REFERENCES department(id),
        doc_no varchar(64),
        publish_on date,
        expires_on date,
        summary varchar(2000) NOT NULL DEFAULT '',
        full_text text NOT NULL DEFAULT '',
        benefit_type varchar(8) NOT NULL CHECK (benefit_type IN ('subsidy','tax','finance','talent','land','other')),
        mode varchar(16) NOT NULL CHECK (mode IN ('no_application','fast_application','inform')),
        apply_deadline date,
        contact varchar(128),
        eligibility jsonb NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','withdrawn')),
        published_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_by uuid REFERENCES person(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_policy_dates CHECK (expires_on IS NULL OR publish_on IS NULL OR expires_on >= publish_on),
        CONSTRAINT ck_policy_published CHECK (status = 'draft' OR (published_at IS NOT NULL AND publish_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_policy_district_list ON policy (district_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_policy_department ON policy (department_id)`);
    await q.query(`
      CREATE TABLE policy_match (
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES district(id),
        area_id uuid NOT NULL REFERENCES area(id),
        outcome varchar(8) NOT NULL CHECK (outcome IN ('met','unknown')),
        explanation varchar(1000) NOT NULL,
        matched_at timestamptz NOT NULL DEFAULT now(),
        notified_at timestamptz,
        read_at timestamptz,
        delivered_at timestamptz,
        delivered_by uuid REFERENCES person(id),
        delivery_visit_id uuid REFERENCES visit(id),
        confirmation varchar(10) CHECK (confirmation IN ('pending','confirmed','declined')),
        confirmed_at timestamptz,
        confirmed_by uuid REFERENCES person(id),
        redeemed_on date,
        redeemed_amount bigint CHECK (redeemed_amount > 0),
        redeemed_by uuid REFERENCES person(id),
        version integer NOT NULL DEFAULT 1,
        PRIMARY KEY (policy_id, enterprise_id),
        CONSTRAINT ck_policy_match_redeem CHECK ((redeemed_on IS NULL) = (redeemed_amount IS NULL)),
        CONSTRAINT ck_policy_match_redeem_confirmed CHECK (redeemed_on IS NULL OR confirmation = 'confirmed')
      )`);
    await q.query(`CREATE INDEX ix_policy_match_enterprise ON policy_match (enterprise_id, policy_id)`);
    await q.query(`CREATE INDEX ix_policy_match_area ON policy_match (policy_id, area_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['policy_match', 'policy', 'library_membership', 'enterprise_library', 'enterprise_certification']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`ALTER TABLE enterprise DROP COLUMN industry_section, DROP COLUMN industry_division, DROP COLUMN size_class, DROP COLUMN founded_on,
      DROP COLUMN employees, DROP COLUMN revenue_band, DROP COLUMN tax_band`);
  }
}
