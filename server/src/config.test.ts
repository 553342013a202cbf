import { loadConfig } from './config';

describe('loadConfig', () => {
  it('gives working defaults for development', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.wechat.mode).toBe('dev');
    expect(c.jwtSecret.length).toBeGreaterThanOrEqual(32);
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
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/WECHAT_APPID and WECHAT_SECRET are required/);
  });
});
