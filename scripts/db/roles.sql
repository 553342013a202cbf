-- Two roles for production (docs/security-auth.md): run as a superuser, connected to the application's database.
--   guanjia_owner  owns the schema and runs the migrations (MIGRATION_DATABASE_URL)
--   guanjia_app    the server's role (DATABASE_URL): reads and writes business tables, but on the audit tables
--                  (audit_event, ticket_event, location_access_log) only INSERT and SELECT; it cannot drop or alter
--                  anything, nor disable the append-only triggers, since it owns nothing.
-- Idempotent: safe to run again (e.g. after restoring a backup). Passwords are set separately (init-roles.sh).
-- Tests substitute the two role names, so keep them spelt exactly guanjia_owner and guanjia_app.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'guanjia_owner') THEN CREATE ROLE guanjia_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'guanjia_app') THEN CREATE ROLE guanjia_app LOGIN; END IF;
  EXECUTE format('ALTER DATABASE %I OWNER TO guanjia_owner', current_database());
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO guanjia_app', current_database());
END $$;

ALTER SCHEMA public OWNER TO guanjia_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO guanjia_app;

-- Tables and sequences the owner creates from now on (every migration).
ALTER DEFAULT PRIVILEGES FOR ROLE guanjia_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO guanjia_app;
ALTER DEFAULT PRIVILEGES FOR ROLE guanjia_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO guanjia_app;

-- A database migrated before the split: the same rights on what exists now.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO guanjia_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO guanjia_app;

-- Audit tables: append and read only (the AuthHardening migration revokes this too when it runs after this script).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['audit_event', 'ticket_event', 'location_access_log'] LOOP
    IF to_regclass('public.' || t) IS NOT NULL THEN
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM guanjia_app', t);
    END IF;
  END LOOP;
END $$;
