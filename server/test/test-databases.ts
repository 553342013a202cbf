import crypto from 'node:crypto';

/** The run's id in its template's name, `guanjia_tpl_<globalSetup's pid>`. */
function runOf(template: string): string {
  const run = /^guanjia_tpl_(\d+)$/.exec(template)?.[1];
  if (!run) throw new Error(`unexpected template name ${template}`);
  return run;
}

/** Prefix of the run's test databases: globalTeardown drops them all at once. */
export const testDatabasePrefix = (template: string) => `guanjia_t_${runOf(template)}_`;

/**
 * A test database's name: `guanjia_t_<globalSetup's pid>_<worker pid>_<random>`. The run's id comes first, so
 * globalTeardown drops the run's databases by prefix and a later run drops those of a killed run (global-setup.ts).
 */
export function testDatabaseName(template: string): string {
  return `${testDatabasePrefix(template)}${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Test databases do not wait for the WAL flush on commit: a test's many small commits each cost an fsync otherwise
 * (the embedded test PostgreSQL runs with fsync off altogether). Visibility and locking are unchanged; only a crash
 * of the server could lose the last commits, of a database that is thrown away anyway.
 */
export const TEST_DATABASE_SETTINGS = (name: string) => `ALTER DATABASE "${name}" SET synchronous_commit = off`;
