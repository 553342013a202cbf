import crypto from 'node:crypto';
import { createTestApp, type TestApp } from '../../../test/helper';
import { buildPerson, PASSWORD, seedDistrict, type World } from '../../../test/factories';
import { configurePasswordHashing, hashPassword, passwordHashing, verifyStats } from './auth.service';
import { HttpWechatClient } from '../wechat/wechat-client';
import { DEV_JWT_SECRET } from '../../config';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
  w = await seedDistrict(t.db, '211104');
});
afterAll(() => t.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url, payload, headers, remoteAddress });

describe('password login', () => {
  it('logs in by username and by phone, and /me tells who and which district', async () => {
    const p = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward', 'leader'], phone: '13900001111', name: '双角色' });
    const byName = await post('/api/v1/auth/login', { username: p.username, password: PASSWORD });
    expect(byName.statusCode).toBe(200);
    const byPhone = await post('/api/v1/auth/login', { username: '13900001111', password: PASSWORD });
    expect(byPhone.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${byPhone.json().accessToken}` } });
    expect(me.json()).toMatchObject({ id: p.id, name: '双角色', roles: ['steward', 'leader'], phoneMasked: '139****1111', district: { code: '211104' } });
    expect(JSON.stringify(me.json())).not.toContain('13900001111');
  });

  it('rejects a wrong password and an unknown account the same way', async () => {
    const wrong = await post('/api/v1/auth/login', { username: w.coordinator.username, password: 'nope-nope' });
    const unknown = await post('/api/v1/auth/login', { username: 'nobody-here', password: 'nope-nope' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks one client address out of an account after repeated failures; the real user elsewhere still logs in', async () => {
    const p = await buildPerson(t.db, { districtId: w.districtId, roles: ['admin'] });
    const attacker = (password: string) => post('/api/v1/auth/login', { username: p.username, password }, {}, '203.0.113.7');
    // LOGIN_MAX_FAILURES=3: the third failure locks, and still answers exactly like an unknown account
    for (let i = 0; i < 3; i++) {
      const r = await attacker('bad');
      expect([r.statusCode, r.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    }
    const more = await attacker('still-bad');
    expect([more.statusCode, more.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    // only the right password learns of the lock
    const right = await attacker(PASSWORD);
    expect([right.statusCode, right.json().error.code]).toEqual([423, 'ACCOUNT_LOCKED']);
    // the real admin, from the office, is not locked out
    const office = await post('/api/v1/auth/login', { username: p.username, password: PASSWORD }, {}, '198.51.100.20');
    expect(office.statusCode).toBe(200);
    const [f] = await t.db.query(`SELECT host(client_ip) AS ip, failures, locked_until > now() AS locked FROM login_failure WHERE person_id = $1`, [p.id]);
    expect(f).toEqual({ ip: '203.0.113.7', failures: 3, locked: true });
    // an admin's password reset clears the counters (trigger on person.password_hash)
    await t.db.query(`UPDATE person SET password_hash = $2 WHERE id = $1`, [p.id, await hashPassword(PASSWORD)]);
    expect(await t.db.query(`SELECT 1 FROM login_failure WHERE person_id = $1`, [p.id])).toHaveLength(0);
    expect((await attacker(PASSWORD)).statusCode).toBe(200);
  }, 90_000); // nine argon2 checks on a busy machine

  it('answers unknown, wrong, locked and disabled the same way, after one password check each', async () => {
    const disabled = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'] });
    await t.db.query(`UPDATE person SET disabled = true WHERE id = $1`, [disabled.id]);
    const locked = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'] });
    await t.db.query(`INSERT INTO login_failure (person_id, client_ip, failures, locked_until) VALUES ($1, '127.0.0.1', 3, now() + interval '10 minutes')`, [locked.id]);
    const cases = [
      { username: 'nobody-at-all', password: 'wrong-pass' },
      { username: w.coordinator.username, password: 'wrong-pass' },
      { username: locked.username, password: 'wrong-pass' },
      { username: disabled.username, password: 'wrong-pass' },
    ];
    for (const c of cases) {
      const before = verifyStats.count;
      const r = await post('/api/v1/auth/login', c);
      expect({ who: c.username, status: r.statusCode, body: r.json() }).toEqual({ who: c.username, status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: '账号或密码错误' } } });
      expect(verifyStats.count - before).toBe(1);
    }
    // the right password may say why
    expect((await post('/api/v1/auth/login', { username: disabled.username, password: PASSWORD })).json().error.code).toBe('ACCOUNT_DISABLED');
    expect((await post('/api/v1/auth/login', { username: locked.username, password: PASSWORD })).json().error.code).toBe('ACCOUNT_LOCKED');
  }, 90_000); // six argon2 checks on a busy machine

  it('rate-limits login attempts per client', async () => {
    const limited = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x', password: 'y' } })).statusCode);
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[4]).toBe(429);
    } finally {
      await limited.close();
    }
  }, 90_000); // an extra app (database) and argon2 checks

  it('a made-up X-Forwarded-For does not escape the rate limit; a configured proxy is believed', async () => {
    // An empty body: the limit counts it (onRequest) and validation answers 400 without an argon2 check (fast).
    const attempt = (app: TestApp['app'], remoteAddress: string, xff: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {}, remoteAddress, headers: { 'x-forwarded-for': xff } });
    const direct = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    const proxied = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '10.0.0.0/8' } });
    try {
      const spoofed = [];
      for (let i = 0; i < 5; i++) spoofed.push((await attempt(direct.app, '198.51.100.9', `203.0.113.${i}`)).statusCode);
      expect(spoofed).toEqual([400, 400, 400, 429, 429]);
      // behind the configured proxy, each forwarded client has its own budget…
      const viaProxy = [];
      for (let i = 0; i < 5; i++) viaProxy.push((await attempt(proxied.app, '10.1.2.3', `203.0.113.${i}`)).statusCode);
      expect(viaProxy).toEqual([400, 400, 400, 400, 400]);
      // …but the same header from anywhere else is ignored
      const notProxy = [];
      for (let i = 0; i < 5; i++) notProxy.push((await attempt(proxied.app, '198.51.100.10', `203.0.113.${i + 10}`)).statusCode);
      expect(notProxy).toEqual([400, 400, 400, 429, 429]);
    } finally {
      await direct.close();
      await proxied.close();
    }
  }, 90_000); // two extra apps (databases) on a busy machine

  it('hashes passwords with argon2id at the production cost, and a login verifies such a hash', async () => {
    const hash = await hashPassword(PASSWORD);
    // 64 MiB, three passes, four lanes (the seeded people's test-cost hash is factories.ts's, not this)
    const [, kind, version, params] = hash.split('$');
    expect({ kind, version, params: Object.fromEntries(params!.split(',').map((kv) => kv.split('='))) }).toEqual({ kind: 'argon2id', version: 'v=19', params: { m: '65536', t: '3', p: '4' } });
    const p = await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'] });
    await t.db.query(`UPDATE person SET password_hash = $2 WHERE id = $1`, [p.id, hash]);
    expect((await post('/api/v1/auth/login', { username: p.username, password: PASSWORD })).statusCode).toBe(200);
    expect((await post('/api/v1/auth/login', { username: p.username, password: `${PASSWORD}x` })).statusCode).toBe(401);
  }, 90_000); // three argon2 computations at the production cost

  it('caps concurrent password checks; beyond the queue a login is refused at once with LOGIN_BUSY', async () => {
    const capped = await createTestApp({ env: { PASSWORD_HASH_CONCURRENCY: '2', PASSWORD_HASH_QUEUE: '3' } });
    try {
      passwordHashing.peak = 0;
      // w.steward is not in capped's own database: each login checks the dummy hash, at the production cost
      const results = await Promise.all(
        Array.from({ length: 10 }, () => capped.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: w.steward.username, password: 'wrong-wrong' } })),
      );
      const codes = results.map((r) => r.statusCode);
      expect(passwordHashing.peak).toBe(2);
      // all ten arrive within milliseconds, a check takes far longer: 2 running + 3 queued answer 401, the rest 503
      // (on a very fast machine a slot may free up before the last arrivals, hence the bounds)
      const n401 = codes.filter((c) => c === 401).length;
      expect(n401).toBeGreaterThanOrEqual(5);
      expect(codes.filter((c) => c === 503).length).toBe(10 - n401);
      expect(n401).toBeLessThan(10);
      expect(results.find((r) => r.statusCode === 503)!.json()).toEqual({ error: { code: 'LOGIN_BUSY', message: '当前登录人数较多，请稍后再试' } });
    } finally {
      await capped.close();
      configurePasswordHashing(t.config.passwordHashConcurrency, t.config.passwordHashQueue);
    }
  }, 90_000); // ten argon2 checks, two at a time
});

describe('refresh tokens', () => {
  const age = (token: string, seconds: number) =>
    t.db.query(`UPDATE refresh_token SET used_at = used_at - make_interval(secs => $2) WHERE token_hash = $1`, [crypto.createHash('sha256').update(token).digest('hex'), seconds]);

  it('rotates, and a token reused after the grace period revokes the whole family', async () => {
    const login = (await post('/api/v1/auth/login', { username: w.steward.username, password: PASSWORD })).json();
    const r1 = await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken });
    expect(r1.statusCode).toBe(200);
    expect(r1.json().refreshToken).not.toBe(login.refreshToken);
    await age(login.refreshToken, t.config.refreshGraceSeconds + 1);
    const replay = await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('REFRESH_TOKEN_INVALID');
    // the legitimate holder's newer token is now revoked too
    expect((await post('/api/v1/auth/refresh', { refreshToken: r1.json().refreshToken })).statusCode).toBe(401);
  });

  it('a refresh whose answer was lost, or two tabs at once, keep the device logged in (grace period)', async () => {
    const login = (await post('/api/v1/auth/login', { username: w.steward2.username, password: PASSWORD })).json();
    // two tabs refresh with the same token at the same moment: both get a working pair of the same family
    const [a, b] = await Promise.all([post('/api/v1/auth/refresh', { refreshToken: login.refreshToken }), post('/api/v1/auth/refresh', { refreshToken: login.refreshToken })]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().refreshToken).not.toBe(b.json().refreshToken);
    // the first answer was lost: retried 10 s later, still inside the grace period
    await age(login.refreshToken, 10);
    const retry = await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken });
    expect(retry.statusCode).toBe(200);
    const families = await t.db.query(
      `SELECT count(DISTINCT family_id)::int AS n, count(*) FILTER (WHERE revoked_at IS NOT NULL)::int AS revoked FROM refresh_token WHERE person_id = $1`,
      [w.steward2.id],
    );
    expect(families[0]).toEqual({ n: 1, revoked: 0 });
    for (const r of [a, b, retry]) expect((await post('/api/v1/auth/refresh', { refreshToken: r.json().refreshToken })).statusCode).toBe(200);
    // the grace period runs from the first rotation, not from the last retry: 25 s more and the old token is theft
    await age(login.refreshToken, t.config.refreshGraceSeconds - 10 + 1);
    expect((await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken })).statusCode).toBe(401);
    const after = await t.db.query(`SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS live FROM refresh_token WHERE person_id = $1`, [w.steward2.id]);
    expect(after[0].live).toBe(0);
  });

  it('a logged-out family stays logged out, even inside the grace period', async () => {
    const login = (await post('/api/v1/auth/login', { username: w.staff1.username, password: PASSWORD })).json();
    const r1 = (await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken })).json();
    expect((await post('/api/v1/auth/logout', { refreshToken: r1.refreshToken }, { authorization: `Bearer ${r1.accessToken}` })).statusCode).toBe(204);
    expect((await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken })).statusCode).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const login = (await post('/api/v1/auth/login', { username: w.leader.username, password: PASSWORD })).json();
    const out = await post('/api/v1/auth/logout', { refreshToken: login.refreshToken }, { authorization: `Bearer ${login.accessToken}` });
    expect(out.statusCode).toBe(204);
    expect((await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken })).statusCode).toBe(401);
  });

  it('an expired or forged access token is refused with a stable code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    const expired = t.app.jwt.sign({ sub: w.steward.id, did: w.districtId, roles: ['steward'], eid: null, dep: null, typ: 'access' }, { expiresIn: -10 });
    const res2 = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${expired}` } });
    expect(res2.json().error.code).toBe('TOKEN_EXPIRED');
  });
});

describe('development secret', () => {
  it('a token forged with the public development secret is refused by a server with its own secret', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: w.admin.id, scp: 'district', did: w.districtId, cty: null, roles: ['admin'], eid: null, dep: null, ver: 1, typ: 'access', iat: now, exp: now + 600 })}`;
    const forged = `${unsigned}.${crypto.createHmac('sha256', DEV_JWT_SECRET).update(unsigned).digest('base64url')}`;
    expect(t.config.jwtSecret).not.toBe(DEV_JWT_SECRET);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${forged}` } });
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    // the same construction with the server's secret is accepted, so the refusal above is the secret's doing
    const genuine = `${unsigned}.${crypto.createHmac('sha256', t.config.jwtSecret).update(unsigned).digest('base64url')}`;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${genuine}` } })).statusCode).toBe(200);
  });
});

describe('WeChat login (development adapter)', () => {
  it('asks an unknown openid to bind, then binds by invitation code once', async () => {
    const p = await buildPerson(t.db, { districtId: w.districtId, roles: ['enterprise'], enterpriseId: w.enterprises[0].id, invitationCode: 'ABCD2345', withPassword: false });
    const first = await post('/api/v1/auth/wechat', { code: 'dev:alice' });
    expect(first.json()).toMatchObject({ bindingRequired: true });
    const bind = await post('/api/v1/auth/wechat/bind', { bindToken: first.json().bindToken, invitationCode: 'abcd2345' });
    expect(bind.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${bind.json().accessToken}` } });
    expect(me.json()).toMatchObject({ id: p.id, wechatBound: true, enterprise: { id: w.enterprises[0].id } });
    // next time the same WeChat user logs straight in
    const again = await post('/api/v1/auth/wechat', { code: 'dev:alice' });
    expect(again.json().accessToken).toBeDefined();
    // the invitation is spent
    const other = await post('/api/v1/auth/wechat', { code: 'dev:mallory' });
    const reuse = await post('/api/v1/auth/wechat/bind', { bindToken: other.json().bindToken, invitationCode: 'ABCD2345' });
    expect(reuse.json().error.code).toBe('INVITATION_INVALID');
  });

  it('binds by a WeChat-verified phone number', async () => {
    await buildPerson(t.db, { districtId: w.districtId, roles: ['steward'], phone: '13700007777' });
    const first = await post('/api/v1/auth/wechat', { code: 'dev:bob' });
    const bind = await post('/api/v1/auth/wechat/bind', { bindToken: first.json().bindToken, phoneCode: 'dev-phone:13700007777' });
    expect(bind.statusCode).toBe(200);
    const none = await post('/api/v1/auth/wechat', { code: 'dev:carol' });
    const miss = await post('/api/v1/auth/wechat/bind', { bindToken: none.json().bindToken, phoneCode: 'dev-phone:13700009999' });
    expect(miss.json().error.code).toBe('PHONE_NOT_MATCHED');
  });

  it('a bind token is not an access token', async () => {
    const first = await post('/api/v1/auth/wechat', { code: 'dev:dave' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${first.json().bindToken}` } });
    expect(res.statusCode).toBe(401);
  });
});

describe('HttpWechatClient (real implementation, HTTP layer stubbed)', () => {
  const cfg = { appId: 'wx123', appSecret: 's3cret', apiBase: 'https://api.weixin.qq.com' };
  const fake = (responses: unknown[]) => {
    const calls: { url: string; init?: { method?: string; body?: string } }[] = [];
    const fetchImpl = async (url: string, init?: { method?: string; body?: string }) => {
      calls.push({ url, init });
      const body = responses.shift();
      return { ok: true, status: 200, json: async () => body };
    };
    return { calls, fetchImpl };
  };

  it('calls jscode2session with the exact parameters and never exposes session_key', async () => {
    const f = fake([{ openid: 'o-1', session_key: 'SECRET' }]);
    const c = new HttpWechatClient(cfg, f.fetchImpl);
    const r = await c.code2Session('the-code');
    expect(r).toEqual({ openid: 'o-1', unionid: undefined });
    const u = new URL(f.calls[0].url);
    expect(u.origin + u.pathname).toBe('https://api.weixin.qq.com/sns/jscode2session');
    expect(Object.fromEntries(u.searchParams)).toEqual({ appid: 'wx123', secret: 's3cret', js_code: 'the-code', grant_type: 'authorization_code' });
  });

  it.each([
    [40029, 'WECHAT_CODE_INVALID'],
    [45011, 'WECHAT_RATE_LIMITED'],
    [40226, 'WECHAT_RISKY_USER'],
    [-1, 'WECHAT_UNAVAILABLE'],
  ])('maps errcode %i to %s', async (errcode, code) => {
    const c = new HttpWechatClient(cfg, fake([{ errcode, errmsg: 'x' }]).fetchImpl);
    await expect(c.code2Session('c')).rejects.toMatchObject({ code });
  });

  it('caches the access token across subscribe messages and sends the documented body', async () => {
    const f = fake([{ access_token: 'TOKEN', expires_in: 7200 }, { errcode: 0 }, { errcode: 0 }]);
    const c = new HttpWechatClient(cfg, f.fetchImpl);
    const msg = { openid: 'o-1', templateId: 'tpl', page: 'pages/home/index', data: { thing1: { value: '诉求已答复' } } };
    await Promise.all([c.sendSubscribeMessage(msg), c.sendSubscribeMessage(msg)]);
    expect(f.calls.filter((x) => x.url.includes('/cgi-bin/token')).length).toBe(1);
    const send = f.calls.find((x) => x.url.includes('/subscribe/send'))!;
    expect(send.url).toContain('access_token=TOKEN');
    expect(JSON.parse(send.init!.body!)).toEqual({ touser: 'o-1', template_id: 'tpl', page: 'pages/home/index', data: { thing1: { value: '诉求已答复' } }, miniprogram_state: 'formal', lang: 'zh_CN' });
  });
});
