import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Audit tables: rows are appended, never changed or removed (by any role that cannot disable triggers). */
export const APPEND_ONLY_TABLES = ['audit_event', 'ticket_event', 'location_access_log'] as const;

/**
 * Login, idempotency and audit hardening.
 *
 * - `login_failure`: failed password attempts counted per person AND client address, so an attacker elsewhere can
 *   lock out only their own address, never the real user. A password change (admin reset) clears the person's rows.
 * - `idempotency_record` gets a lease: `claimed_at` (a retry after the lease takes a claim over — the first holder
 *   crashed or lost its database) and `claim_id` (only the current holder may store the answer or release the key).
 * - audit tables become append-only: triggers reject UPDATE, DELETE and TRUNCATE, and UPDATE/DELETE/TRUNCATE
 *   privileges granted to other roles (the application role of docs/security-auth.md) are revoked.
 *   `guanjia_append_only(table)` does both for a table a later migration adds.
 */
export class AuthHardening1764410000000 implements MigrationInterface {
  name = 'AuthHardening1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_failure (
        person_id uuid NOT NULL REFERENCES person(id),
        client_ip inet NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_failed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (person_id, client_ip)
      )`);
    await q.query(`CREATE INDEX ix_login_failure_time ON login_failure (last_failed_at)`);
    await q.query(`
      CREATE FUNCTION guanjia_clear_login_failures() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM login_failure WHERE person_id = NEW.id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_person_password_clears_lock AFTER UPDATE OF password_hash ON person
      FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash) EXECUTE FUNCTION guanjia_clear_login_failures()`);

    await q.query(`ALTER TABLE idempotency_record ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN claim_id uuid`);
    await q.query(`CREATE INDEX ix_idempotency_created ON idempotency_record (created_at)`);

    await q.query(`
      CREATE FUNCTION guanjia_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE FUNCTION guanjia_append_only(t regclass) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        EXECUTE format('CREATE TRIGGER tr_append_only_row BEFORE UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION guanjia_reject_change()', t);
        EXECUTE format('CREATE TRIGGER tr_append_only_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION guanjia_reject_change()', t);
        -- privileges other roles were given (default privileges, GRANT ON ALL TABLES): insert and read only
        FOR r IN SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
                  WHERE c.oid = t AND a.grantee <> c.relowner AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') LOOP
          IF r.grantee = 0 THEN
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM PUBLIC', t);
          ELSE
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM %I', t, (SELECT rolname FROM pg_roles WHERE oid = r.grantee));
          END IF;
        END LOOP;
      END $$`);
    for (const t of APPEND_ONLY_TABLES) await q.query(`SELECT guanjia_append_only($1::regclass)`, [t]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of APPEND_ONLY_TABLES) {
      await q.query(`DROP TRIGGER IF EXISTS tr_append_only_row ON ${t}`);
      await q.query(`DROP TRIGGER IF EXISTS tr_append_only_truncate ON ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS guanjia_append_only(regclass)`);
    await q.query(`DROP FUNCTION IF EXISTS guanjia_reject_change()`);
    await q.query(`DROP INDEX IF EXISTS ix_idempotency_created`);
    await q.query(`ALTER TABLE idempotency_record DROP COLUMN IF EXISTS claimed_at, DROP COLUMN IF EXISTS claim_id`);
    await q.query(`DROP TRIGGER IF EXISTS tr_person_password_clears_lock ON person`);
    await q.query(`DROP FUNCTION IF EXISTS guanjia_clear_login_failures()`);
    await q.query(`DROP TABLE IF EXISTS login_failure`);
  }
}
