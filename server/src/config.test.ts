import { DEV_JWT_SECRET, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives working defaults for an explicit development start, and says so', () => {
    const c = loadConfig({ GUANJIA_DEV: '1' });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.wechat.mode).toBe('dev');
    expect(c.jwtSecret).toBe(DEV_JWT_SECRET);
    expect(c.dev).toBe(true);
    expect(c.warnings.join('\n')).toMatch(/GUANJIA_DEV=1: using the PUBLIC development JWT secret/);
    expect(c.warnings.join('\n')).toMatch(/WeChat dev mode/);
    expect(c.trustProxy).toEqual([]);
    expect(c.refreshGraceSeconds).toBe(30);
    expect(c.passwordHashConcurrency).toBe(2);
  });

  it('without GUANJIA_DEV=1 refuses to start on the public secret or WeChat dev codes, whatever NODE_ENV says', () => {
    for (const NODE_ENV of [undefined, 'development', 'test', 'staging']) {
      const env = NODE_ENV ? { NODE_ENV } : {};
      expect(() => loadConfig(env)).toThrow(/JWT_SECRET is required/);
      expect(() => loadConfig({ ...env, JWT_SECRET: DEV_JWT_SECRET, WECHAT_APPID: 'a', WECHAT_SECRET: 'b' })).toThrow(/JWT_SECRET is the public development secret/);
      expect(() => loadConfig({ ...env, JWT_SECRET: 'x'.repeat(40), WECHAT_MODE: 'dev' })).toThrow(/WECHAT_MODE=dev needs GUANJIA_DEV=1/);
      expect(() => loadConfig({ ...env, JWT_SECRET: 'x'.repeat(40) })).toThrow(/WECHAT_APPID and WECHAT_SECRET are required/);
      const ok = loadConfig({ ...env, JWT_SECRET: 'x'.repeat(40), WECHAT_APPID: 'a', WECHAT_SECRET: 'b' });
      expect(ok).toMatchObject({ dev: false, warnings: [], wechat: { mode: 'real' } });
    }
    expect(() => loadConfig({ NODE_ENV: 'production', GUANJIA_DEV: '1' })).toThrow(/GUANJIA_DEV=1 is not allowed when NODE_ENV=production/);
  });

  it('TRUST_PROXY takes addresses and CIDRs, nothing else', () => {
    const dev = { GUANJIA_DEV: '1' };
    expect(loadConfig({ ...dev, TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,::1,fd00::/8' }).trustProxy).toEqual(['10.0.0.1', '172.16.0.0/12', '::1', 'fd00::/8']);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1'])
      expect(() => loadConfig({ ...dev, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY entries must be IP addresses or CIDRs/);
  });

  it('lists every bad value at once', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const problem of [/PORT must be an integer/, /DATABASE_URL must be a postgres:\/\/ URL/, /JWT_SECRET must be at least 32/, /LOG_LEVEL must be one of/])
      expect(message).toMatch(problem);
  });

  it('refuses development shortcuts in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WECHAT_MODE: 'dev' })).toThrow(/JWT_SECRET is required[\s\S]*WECHAT_MODE=dev is not allowed/);
    expect(() => loadConfig({ NODE_ENV: 'production', MIGRATION_DATABASE_URL: 'postgres://o@h/db' })).toThrow(/MIGRATION_DATABASE_URL needs DATABASE_URL/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/WECHAT_APPID and WECHAT_SECRET are required/);
  });

  it('a read replica, unnamed statements (old PgBouncer) and a drill job interval, each validated', () => {
    const base = { GUANJIA_DEV: '1', DATABASE_URL: 'postgres://a@h/db' };
    const c = loadConfig(base);
    expect([c.readDatabaseUrl, c.preparedStatements, c.jobIntervalMs]).toEqual([null, true, null]);
    const r = loadConfig({ ...base, READ_DATABASE_URL: 'postgres://a@replica/db', DB_PREPARED_STATEMENTS: 'false', JOB_INTERVAL_MS: '2000' });
    expect([r.readDatabaseUrl, r.preparedStatements, r.jobIntervalMs]).toEqual(['postgres://a@replica/db', false, 2000]);
    expect(() => loadConfig({ GUANJIA_DEV: '1', READ_DATABASE_URL: 'postgres://a@replica/db' })).toThrow(/READ_DATABASE_URL needs DATABASE_URL/);
    expect(() => loadConfig({ ...base, READ_DATABASE_URL: 'mysql://x' })).toThrow(/READ_DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => loadConfig({ ...base, DB_PREPARED_STATEMENTS: 'no' })).toThrow(/DB_PREPARED_STATEMENTS must be "true" or "false"/);
    expect(() => loadConfig({ ...base, JOB_INTERVAL_MS: '10' })).toThrow(/JOB_INTERVAL_MS must be an integer/);
  });
});
