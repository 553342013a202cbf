import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './lib/paths';

/** Validated runtime configuration; everything the server reads from the environment goes through here. */
export type Config = {
  host: string;
  port: number;
  /** null → start the embedded PostgreSQL */
  databaseUrl: string | null;
  /** owner role that runs migrations (MIGRATION_DATABASE_URL); null → migrations run on databaseUrl */
  migrationDatabaseUrl: string | null;
  /**
   * READ_DATABASE_URL: a streaming replica for the report reads that tolerate lag (ticket stats, monthly report,
   * coverage, cadence, city view); null → they read the primary. Work lists, detail and every write stay on DATABASE_URL.
   */
  readDatabaseUrl: string | null;
  /**
   * DB_PREPARED_STATEMENTS=false: hot queries are sent unnamed. Needed behind PgBouncer in transaction mode older
   * than 1.21 (or without max_prepared_statements), where a named statement may meet a server connection that never
   * parsed it.
   */
  preparedStatements: boolean;
  /** JOB_INTERVAL_MS: every scheduled job runs at this interval instead of its own (scale drills and tests only) */
  jobIntervalMs: number | null;
  embeddedPgPort: number;
  dataDir: string;
  uploadDir: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRateLimitPerMinute: number;
  /** proxies whose X-Forwarded-For is believed (addresses/CIDRs); empty → the socket address is the client */
  trustProxy: string[];
  /** password hashes/verifications running at once, and how many more may wait before login answers 503 */
  passwordHashConcurrency: number;
  passwordHashQueue: number;
  /** a rotated refresh token still works this long (lost answer, two tabs), returning a fresh pair */
  refreshGraceSeconds: number;
  /** an Idempotency-Key claim without a stored answer is taken over by a retry after this long */
  idempotencyLeaseSeconds: number;
  idempotencyRetentionDays: number;
  /** GUANJIA_DEV=1: public development JWT secret and WeChat dev codes allowed (never in production) */
  dev: boolean;
  /** to be logged at warn level once the logger exists (the server logs them at start) */
  warnings: string[];
  wechat: {
    mode: 'real' | 'dev'; appId: string; appSecret: string; apiBase: string;
    /** subscribe-message template (诉求进度通知: thing1 标题, thing2 内容, time3 时间); null → the relay skips WeChat */
    subscribeTemplateId: string | null;
  };
  logLevel: string;
  h5Dir: string | null;
  /** how long check-in locations are kept (PIPL: no longer than needed) */
  locationRetentionDays: number;
  runJobs: boolean;
  /** bearer token for GET /metrics; null → the endpoint does not exist */
  metricsToken: string | null;
  /** SIGTERM: how long in-flight requests and job runs may take to finish before the process exits anyway */
  shutdownTimeoutMs: number;
  /** false → the server does not migrate at start (the operator ran `npm run migrate` first; rolling upgrades) */
  migrateOnStart: boolean;
};

export class ConfigError extends Error {}

/** Public (it is in the repository): accepted only with GUANJIA_DEV=1. */
export const DEV_JWT_SECRET = 'guanjia-development-secret-change-me-0123456789';

/** An address or CIDR (v4 or v6), as proxy-addr (Fastify's trustProxy) understands them. */
function validProxyEntry(entry: string): boolean {
  const [addr, bits, extra] = entry.split('/');
  const family = net.isIP(addr);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

const ROOT = repoRoot();

/** Parses and validates env; throws ConfigError listing every bad value so an operator fixes them in one go. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const url = (name: string): string | null => {
    const raw = env[name];
    if (!raw) return null;
    if (!/^postgres(ql)?:\/\//.test(raw)) problems.push(`${name} must be a postgres:// URL`);
    return raw;
  };
  const production = env.NODE_ENV === 'production';
  // Development shortcuts only when asked for explicitly (npm start on the embedded database sets it, tests too).
  const dev = env.GUANJIA_DEV === '1';
  if (env.GUANJIA_DEV !== undefined && env.GUANJIA_DEV !== '' && env.GUANJIA_DEV !== '0' && env.GUANJIA_DEV !== '1')
    problems.push('GUANJIA_DEV must be "1" or "0"');
  if (dev && production) problems.push('GUANJIA_DEV=1 is not allowed when NODE_ENV=production');
  const warnings: string[] = [];
  let jwtSecret = env.JWT_SECRET ?? '';
  if (!jwtSecret) {
    if (dev) {
      jwtSecret = DEV_JWT_SECRET;
      warnings.push('GUANJIA_DEV=1: using the PUBLIC development JWT secret — anyone can forge tokens; set JWT_SECRET for any shared or production use');
    } else problems.push('JWT_SECRET is required (at least 32 characters), or set GUANJIA_DEV=1 for a local development start');
  } else if (jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  else if (jwtSecret === DEV_JWT_SECRET && !dev) problems.push('JWT_SECRET is the public development secret; choose another');
  const wechatMode = env.WECHAT_MODE || (dev ? 'dev' : 'real');
  if (wechatMode !== 'real' && wechatMode !== 'dev') problems.push('WECHAT_MODE must be "real" or "dev"');
  if (wechatMode === 'dev' && production) problems.push('WECHAT_MODE=dev is not allowed in production');
  else if (wechatMode === 'dev' && !dev) problems.push('WECHAT_MODE=dev needs GUANJIA_DEV=1 (it lets anyone log in as any WeChat user)');
  else if (wechatMode === 'dev') warnings.push('GUANJIA_DEV=1: WeChat dev mode — codes "dev:<name>" log in without WeChat');
  if (wechatMode === 'real' && (!env.WECHAT_APPID || !env.WECHAT_SECRET))
    problems.push('WECHAT_APPID and WECHAT_SECRET are required when WECHAT_MODE=real (or set GUANJIA_DEV=1 for a local development start)');
  const trustProxy = (env.TRUST_PROXY ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  for (const entry of trustProxy) if (!validProxyEntry(entry)) problems.push(`TRUST_PROXY entries must be IP addresses or CIDRs (got "${entry}")`);
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(ROOT, '.data'));
  const cfg: Config = {
    host: env.HOST ?? '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL'),
    migrationDatabaseUrl: url('MIGRATION_DATABASE_URL'),
    readDatabaseUrl: url('READ_DATABASE_URL'),
    preparedStatements: env.DB_PREPARED_STATEMENTS !== 'false',
    jobIntervalMs: env.JOB_INTERVAL_MS ? int('JOB_INTERVAL_MS', 0, 500, 86_400_000) : null,
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54320, 1024, 65535),
    dataDir,
    uploadDir: path.resolve(env.UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    jwtSecret,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    refreshTokenTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: int('LOGIN_LOCK_MINUTES', 15, 1, 1440),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 100000),
    trustProxy,
    passwordHashConcurrency: int('PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
    passwordHashQueue: int('PASSWORD_HASH_QUEUE', 32, 0, 10000),
    refreshGraceSeconds: int('REFRESH_GRACE_SECONDS', 30, 0, 600),
    idempotencyLeaseSeconds: int('IDEMPOTENCY_LEASE_SECONDS', 60, 5, 3600),
    idempotencyRetentionDays: int('IDEMPOTENCY_RETENTION_DAYS', 7, 1, 365),
    wechat: {
      mode: wechatMode as 'real' | 'dev',
      appId: env.WECHAT_APPID ?? '',
      appSecret: env.WECHAT_SECRET ?? '',
      apiBase: env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com',
      subscribeTemplateId: env.WECHAT_SUBSCRIBE_TEMPLATE_ID || null,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    h5Dir: env.H5_DIR === '' ? null : path.resolve(env.H5_DIR ?? path.join(ROOT, 'miniapp/dist/h5')),
    locationRetentionDays: int('LOCATION_RETENTION_DAYS', 365, 1, 3650),
    runJobs: env.RUN_JOBS !== 'false',
    metricsToken: env.METRICS_TOKEN || null,
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 25_000, 100, 600_000),
    migrateOnStart: env.MIGRATE_ON_START !== 'false',
    dev,
    warnings,
  };
  if (env.DB_PREPARED_STATEMENTS !== undefined && !['', 'true', 'false'].includes(env.DB_PREPARED_STATEMENTS)) problems.push('DB_PREPARED_STATEMENTS must be "true" or "false"');
  if (cfg.readDatabaseUrl && !cfg.databaseUrl) problems.push('READ_DATABASE_URL needs DATABASE_URL (the embedded database has no replica)');
  if (cfg.metricsToken !== null && cfg.metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  if (!['true', 'false', undefined, ''].includes(env.MIGRATE_ON_START)) problems.push('MIGRATE_ON_START must be "true" or "false"');
  if (cfg.migrationDatabaseUrl && !cfg.databaseUrl) problems.push('MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded database has one role)');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(cfg.logLevel))
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return cfg;
}
