import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { Client } from 'pg';
import { repoRoot } from '../lib/paths';
import { migrationStatus } from './migration-status';

/**
 * Backups (docs/operations.md, docs/operations.md, ADR 0015): a logical dump of the database (pg_dump custom format, one
 * snapshot, so consistent) and a copy of the uploads folder, with a manifest holding time, commit, schema version
 * and the SHA-256 of every file. Restore verifies the manifest first and refuses a non-empty target unless forced.
 */

export const MANIFEST = 'manifest.json';
export const DUMP_FILE = 'database.dump';
export const UPLOADS_DIR = 'uploads';
/** Upload folders that are never part of a backup: half-received files (lib/files.ts storeUpload writes every upload there first). */
const SKIP_DIRS = new Set(['tmp']);

export type FileEntry = { path: string; bytes: number; sha256: string };

export type Manifest = {
  format: 'guanjia-backup/1';
  createdAt: string;
  finishedAt: string;
  gitCommit: string;
  /** the newest applied migration: a restore into older code than this is refused */
  schemaVersion: string | null;
  database: { file: string; bytes: number; sha256: string; serverVersion: string; pgDump: string; dumpMs: number };
  uploads: { files: number; bytes: number; copyMs: number; entries: FileEntry[] };
};

type Log = (line: string) => void;

/** Connection pieces for libpq tools: the URL without its password (argv is visible in `ps`), the password in env. */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)).length > 20_000 && (err = err.slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} exited with ${code}: ${err.trim().slice(-2000)}`))));
  });
}

function versionOf(bin: string): Promise<{ text: string; major: number } | null> {
  return new Promise((resolve) => {
    execFile(bin, ['--version'], (e, out) => {
      if (e) return resolve(null);
      const m = /(\d+)(?:\.(\d+))?/.exec(String(out));
      resolve(m ? { text: String(out).trim(), major: Number(m[1]) } : null);
    });
  });
}

/**
 * A pg_dump / pg_restore able to read this server: PG_DUMP / PG_RESTORE when set, else the newest of the one on
 * PATH and Debian's /usr/lib/postgresql/<major>/bin. pg_dump refuses a server newer than itself, so the tool's
 * major version must be at least the server's (the embedded PostgreSQL 18 needs client tools 18).
 */
export async function findPgTool(tool: 'pg_dump' | 'pg_restore', serverMajor: number): Promise<{ bin: string; version: string }> {
  const explicit = process.env[tool === 'pg_dump' ? 'PG_DUMP' : 'PG_RESTORE'];
  const candidates = explicit ? [explicit] : [tool];
  if (!explicit && fs.existsSync('/usr/lib/postgresql'))
    for (const v of fs.readdirSync('/usr/lib/postgresql')) candidates.push(path.join('/usr/lib/postgresql', v, 'bin', tool));
  let best: { bin: string; version: string; major: number } | null = null;
  for (const bin of candidates) {
    const v = await versionOf(bin);
    if (v && (!best || v.major > best.major)) best = { bin, version: v.text, major: v.major };
  }
  if (!best) throw new Error(`${tool} not found: install the PostgreSQL client tools (major version ≥ ${serverMajor}) or set ${tool === 'pg_dump' ? 'PG_DUMP' : 'PG_RESTORE'}`);
  if (best.major < serverMajor)
    throw new Error(`${best.bin} is ${best.version}, older than the database server (${serverMajor}); install postgresql-client-${serverMajor} or set ${tool === 'pg_dump' ? 'PG_DUMP' : 'PG_RESTORE'} to a ${tool} ≥ ${serverMajor}`);
  return { bin: best.bin, version: best.version };
}

async function serverVersion(url: string): Promise<{ text: string; major: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT current_setting('server_version') AS text, current_setting('server_version_num')::int AS num`);
    return { text: r.rows[0].text, major: Math.floor(r.rows[0].num / 10000) };
  } finally {
    await c.end();
  }
}

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), async (src: AsyncIterable<Buffer>) => {
    for await (const chunk of src) h.update(chunk);
  });
  return h.digest('hex');
}

/** Copies a file and returns the SHA-256 of what was read (one pass over the bytes). */
async function copyHashed(src: string, dest: string): Promise<{ bytes: number; sha256: string }> {
  const h = crypto.createHash('sha256');
  let bytes = 0;
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tap = new Transform({ transform(chunk: Buffer, _e, cb) { h.update(chunk); bytes += chunk.length; cb(null, chunk); } });
  await pipeline(fs.createReadStream(src), tap, fs.createWriteStream(dest, { flags: 'wx' }));
  return { bytes, sha256: h.digest('hex') };
}

/** Every regular file under `root` (relative, '/'-separated, sorted), skipping SKIP_DIRS at the top. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!rel && SKIP_DIRS.has(e.name)) continue;
        await walk(r);
      } else if (e.isFile()) out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

/** The commit this code was built from: GIT_COMMIT (images without .git), else `git rev-parse HEAD`. */
export function gitCommit(): string {
  if (process.env.GIT_COMMIT) return process.env.GIT_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export type BackupOptions = {
  databaseUrl: string;
  uploadDir: string;
  /** the folder backups go to; each backup is a sub-folder guanjia-<UTC time> */
  outDir: string;
  /** Prometheus node_exporter textfile-collector file to write on success (BACKUP_METRICS_FILE) */
  metricsFile?: string | null;
  /** keep this many newest backups in outDir, remove older ones (BACKUP_KEEP); 0 = keep all */
  keep?: number;
  log?: Log;
};

/**
 * Writes one backup: database first (one consistent snapshot), then the uploads. Files are immutable once written
 * and written before the row that names them commits, so every file the dump refers to exists when the copy
 * starts. Written into `<name>.partial` and renamed at the end: a folder without `.partial` is complete.
 */
export async function createBackup(o: BackupOptions): Promise<{ dir: string; manifest: Manifest; ms: number }> {
  const log = o.log ?? (() => {});
  const t0 = Date.now();
  const createdAt = new Date();
  const name = `guanjia-${stamp(createdAt)}`;
  const partial = path.join(o.outDir, `${name}.partial`);
  const dir = path.join(o.outDir, name);
  await fs.promises.mkdir(partial, { recursive: true });
  try {
    const server = await serverVersion(o.databaseUrl);
    const pgDump = await findPgTool('pg_dump', server.major);
    const c = new Client({ connectionString: o.databaseUrl });
    await c.connect();
    let schemaVersion: string | null;
    try {
      schemaVersion = (await migrationStatus({ query: (sql: string) => c.query(sql).then((r) => r.rows) })).schemaVersion;
    } finally {
      await c.end();
    }
    log(`database: PostgreSQL ${server.text}, schema ${schemaVersion}; ${pgDump.bin} (${pgDump.version})`);
    const dumpFile = path.join(partial, DUMP_FILE);
    const tDump = Date.now();
    const target = libpqTarget(o.databaseUrl);
    await run(pgDump.bin, ['--format=custom', '--compress=6', '--no-password', `--file=${dumpFile}`, `--dbname=${target.dbname}`], target.env);
    const dumpMs = Date.now() - tDump;
    const dumpBytes = (await fs.promises.stat(dumpFile)).size;
    const dumpSha = await sha256File(dumpFile);
    log(`database dump: ${(dumpBytes / 1048576).toFixed(1)} MiB in ${(dumpMs / 1000).toFixed(1)} s`);

    const tCopy = Date.now();
    const entries: FileEntry[] = [];
    for (const rel of await listFiles(o.uploadDir)) {
      try {
        const r = await copyHashed(path.join(o.uploadDir, rel), path.join(partial, UPLOADS_DIR, rel));
        entries.push({ path: rel, ...r });
      } catch (e) {
        // removed since the listing (the orphan-attachment cleanup): not referenced by the dump's live rows
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    const copyMs = Date.now() - tCopy;
    const uploadBytes = entries.reduce((s, e) => s + e.bytes, 0);
    log(`uploads: ${entries.length} files, ${(uploadBytes / 1048576).toFixed(1)} MiB in ${(copyMs / 1000).toFixed(1)} s`);

    const manifest: Manifest = {
      format: 'guanjia-backup/1',
      createdAt: createdAt.toISOString(),
      finishedAt: new Date().toISOString(),
      gitCommit: gitCommit(),
      schemaVersion,
      database: { file: DUMP_FILE, bytes: dumpBytes, sha256: dumpSha, serverVersion: server.text, pgDump: pgDump.version, dumpMs },
      uploads: { files: entries.length, bytes: uploadBytes, copyMs, entries },
    };
    await fs.promises.writeFile(path.join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { flag: 'wx' });
    await fs.promises.rename(partial, dir);
    const ms = Date.now() - t0;
    if (o.metricsFile) await writeBackupMetrics(o.metricsFile, manifest, ms);
    if (o.keep) await pruneBackups(o.outDir, o.keep, log);
    return { dir, manifest, ms };
  } catch (e) {
    await fs.promises.rm(partial, { recursive: true, force: true });
    throw e;
  }
}

/** node_exporter textfile collector: the alert "backup older than a day" reads the timestamp (docs/alerts.yml). */
export async function writeBackupMetrics(file: string, m: Manifest, ms: number): Promise<void> {
  const lines = [
    '# HELP guanjia_backup_last_success_timestamp_seconds When the last complete backup finished (Unix time).',
    '# TYPE guanjia_backup_last_success_timestamp_seconds gauge',
    `guanjia_backup_last_success_timestamp_seconds ${Math.floor(new Date(m.finishedAt).getTime() / 1000)}`,
    '# HELP guanjia_backup_size_bytes Size of the last backup (dump plus uploads).',
    '# TYPE guanjia_backup_size_bytes gauge',
    `guanjia_backup_size_bytes ${m.database.bytes + m.uploads.bytes}`,
    '# HELP guanjia_backup_duration_seconds How long the last backup took.',
    '# TYPE guanjia_backup_duration_seconds gauge',
    `guanjia_backup_duration_seconds ${(ms / 1000).toFixed(3)}`,
    '',
  ];
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, lines.join('\n'));
  await fs.promises.rename(tmp, file); // atomic: the collector never reads half a file
}

/** Removes complete backups beyond the newest `keep` (folders guanjia-<time> with a manifest). */
export async function pruneBackups(outDir: string, keep: number, log: Log = () => {}): Promise<string[]> {
  const names = (await fs.promises.readdir(outDir)).filter((n) => /^guanjia-\d{8}T\d{6}Z$/.test(n) && fs.existsSync(path.join(outDir, n, MANIFEST))).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const n of old) {
    await fs.promises.rm(path.join(outDir, n), { recursive: true, force: true });
    log(`removed old backup ${n}`);
  }
  return old;
}

/** Reads a backup's manifest and checks every checksum; `problems` empty means the backup is intact. */
export async function verifyBackup(dir: string): Promise<{ manifest: Manifest; problems: string[] }> {
  const manifest = JSON.parse(await fs.promises.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  if (manifest.format !== 'guanjia-backup/1') throw new Error(`${dir}: unknown backup format ${String(manifest.format)}`);
  const problems: string[] = [];
  const check = async (rel: string, want: { sha256: string; bytes: number }) => {
    const file = path.join(dir, rel);
    try {
      const st = await fs.promises.stat(file);
      if (st.size !== want.bytes) problems.push(`${rel}: ${st.size} bytes, manifest says ${want.bytes}`);
      else if ((await sha256File(file)) !== want.sha256) problems.push(`${rel}: checksum differs`);
    } catch {
      problems.push(`${rel}: missing`);
    }
  };
  await check(manifest.database.file, manifest.database);
  for (const e of manifest.uploads.entries) await check(`${UPLOADS_DIR}/${e.path}`, e);
  const extra = (await listFiles(path.join(dir, UPLOADS_DIR))).filter((f) => !manifest.uploads.entries.some((e) => e.path === f));
  for (const f of extra) problems.push(`uploads/${f}: not in the manifest`);
  return { manifest, problems };
}

export class RestoreRefused extends Error {}

export type RestoreOptions = {
  dir: string;
  /** the target database; created when it does not exist */
  databaseUrl: string;
  uploadDir: string;
  /** replace a non-empty target (drops the public schema, empties the uploads folder) */
  force?: boolean;
  /** skip GRANT/REVOKE in the dump (a server without the guanjia_owner/guanjia_app roles; re-run scripts/db/roles.sql) */
  noAcl?: boolean;
  /** the migrations this code knows: a backup of a newer schema is refused (restore it with its own release) */
  knownMigrations: string[];
  log?: Log;
};

/**
 * Restores a verified backup into an empty database and an empty uploads folder. The database is restored in one
 * transaction (pg_restore --single-transaction --exit-on-error): it ends complete or unchanged. Files are copied and
 * each copy's checksum compared with the manifest.
 */
export async function restoreBackup(o: RestoreOptions): Promise<{ manifest: Manifest; ms: number; dbMs: number; filesMs: number }> {
  const log = o.log ?? (() => {});
  const t0 = Date.now();
  const { manifest, problems } = await verifyBackup(o.dir);
  if (problems.length) throw new RestoreRefused(`backup ${o.dir} is damaged, nothing restored:\n  ${problems.slice(0, 20).join('\n  ')}`);
  if (manifest.schemaVersion && !o.knownMigrations.includes(manifest.schemaVersion))
    throw new RestoreRefused(`backup schema ${manifest.schemaVersion} is newer than this release knows; restore with the release of commit ${manifest.gitCommit}`);

  // Both targets are checked before anything is changed: the folder first, then the database.
  const existing = await listFiles(o.uploadDir);
  const folderFull = fs.existsSync(o.uploadDir) && (await fs.promises.readdir(o.uploadDir)).length > 0;
  if (folderFull && !o.force) throw new RestoreRefused(`uploads folder ${o.uploadDir} is not empty (${existing.length} files); restore into an empty folder, or pass --force to replace it`);
  // Target database: create it when missing; refuse one that holds anything unless forced.
  const u = new URL(o.databaseUrl);
  const dbName = decodeURIComponent(u.pathname.slice(1));
  const adminUrl = new URL(o.databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const r = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!r.rowCount) {
      await admin.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
      log(`created database ${dbName}`);
    }
  } finally {
    await admin.end();
  }
  const c = new Client({ connectionString: o.databaseUrl });
  await c.connect();
  let serverMajor: number;
  try {
    serverMajor = Math.floor(Number((await c.query(`SELECT current_setting('server_version_num') AS n`)).rows[0].n) / 10000);
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM pg_class k JOIN pg_namespace s ON s.oid = k.relnamespace WHERE s.nspname = 'public'`)).rows;
    if (n > 0) {
      if (!o.force) throw new RestoreRefused(`database ${dbName} is not empty (${n} objects in schema public); restore into an empty database, or pass --force to replace it`);
      log(`--force: dropping schema public of ${dbName} (${n} objects)`);
      await c.query(`DROP SCHEMA public CASCADE`);
      await c.query(`CREATE SCHEMA public`);
    }
  } finally {
    await c.end();
  }

  if (folderFull) {
    log(`--force: emptying ${o.uploadDir}`);
    for (const e of await fs.promises.readdir(o.uploadDir)) await fs.promises.rm(path.join(o.uploadDir, e), { recursive: true, force: true });
  }
  const pgRestore = await findPgTool('pg_restore', serverMajor);
  const tDb = Date.now();
  const target = libpqTarget(o.databaseUrl);
  await run(pgRestore.bin, [
    '--single-transaction', '--exit-on-error', '--no-owner', '--no-password', ...(o.noAcl ? ['--no-acl'] : []),
    `--dbname=${target.dbname}`, path.join(o.dir, manifest.database.file),
  ], target.env);
  const dbMs = Date.now() - tDb;
  log(`database restored in ${(dbMs / 1000).toFixed(1)} s (${pgRestore.bin})`);

  const tFiles = Date.now();
  await fs.promises.mkdir(o.uploadDir, { recursive: true });
  for (const e of manifest.uploads.entries) {
    const r = await copyHashed(path.join(o.dir, UPLOADS_DIR, e.path), path.join(o.uploadDir, e.path));
    if (r.sha256 !== e.sha256) throw new Error(`uploads/${e.path}: the copy's checksum differs from the manifest (disk problem?)`);
  }
  const filesMs = Date.now() - tFiles;
  log(`uploads restored: ${manifest.uploads.files} files in ${(filesMs / 1000).toFixed(1)} s, checksums match`);
  return { manifest, ms: Date.now() - t0, dbMs, filesMs };
}
