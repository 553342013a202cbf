import path from 'node:path';
import { repoRoot } from './lib/paths';

/** Validated runtime configuration; everything the server reads from the environment goes through here. */
export type Config = {
  host: string;
  port: number;
  /** null → start the embedded PostgreSQL */
  databaseUrl: string | null;
  embeddedPgPort: number;
  dataDir: string;
  uploadDir: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRateLimitPerMinute: number;
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
};

export class ConfigError extends Error {}

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
  let jwtSecret = env.JWT_SECRET ?? '';
  if (!jwtSecret) {
    if (production) problems.push('JWT_SECRET is required in production');
    jwtSecret = 'guanjia-development-secret-change-me-0123456789';
  } else if (jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  const wechatMode = env.WECHAT_MODE ?? (production ? 'real' : 'dev');
  if (wechatMode !== 'real' && wechatMode !== 'dev') problems.push('WECHAT_MODE must be "real" or "dev"');
  if (wechatMode === 'dev' && production) problems.push('WECHAT_MODE=dev is not allowed in production');
  if (wechatMode === 'real' && (!env.WECHAT_APPID || !env.WECHAT_SECRET))
    problems.push('WECHAT_APPID and WECHAT_SECRET are required when WECHAT_MODE=real');
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(ROOT, '.data'));
  const cfg: Config = {
    host: env.HOST ?? '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: url('DATABASE_URL'),
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54320, 1024, 65535),
    dataDir,
    uploadDir: path.resolve(env.UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    jwtSecret,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    refreshTokenTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: int('LOGIN_LOCK_MINUTES', 15, 1, 1440),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 100000),
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
  };
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(cfg.logLevel))
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return cfg;
}
