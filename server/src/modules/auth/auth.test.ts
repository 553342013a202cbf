import { createTestApp, type TestApp } from '../../../test/helper';
import { buildPerson, PASSWORD, seedDistrict, type World } from '../../../test/factories';
import { HttpWechatClient } from '../wechat/wechat-client';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
  w = await seedDistrict(t.db, '211104');
});
afterAll(() => t.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers });

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

  it('locks the account after repeated failures, even for the right password', async () => {
    const p = await buildPerson(t.db, { districtId: w.districtId, roles: ['coordinator'] });
    for (let i = 0; i < 2; i++) expect((await post('/api/v1/auth/login', { username: p.username, password: 'bad' })).statusCode).toBe(401);
    const third = await post('/api/v1/auth/login', { username: p.username, password: 'bad' });
    expect(third.statusCode).toBe(423);
    expect(third.json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await post('/api/v1/auth/login', { username: p.username, password: PASSWORD });
    expect(right.statusCode).toBe(423);
  });

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
  });
});

describe('refresh tokens', () => {
  it('rotates, and a reused token revokes the whole family', async () => {
    const login = (await post('/api/v1/auth/login', { username: w.steward.username, password: PASSWORD })).json();
    const r1 = await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken });
    expect(r1.statusCode).toBe(200);
    expect(r1.json().refreshToken).not.toBe(login.refreshToken);
    const replay = await post('/api/v1/auth/refresh', { refreshToken: login.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('REFRESH_TOKEN_INVALID');
    // the legitimate holder's newer token is now revoked too
    expect((await post('/api/v1/auth/refresh', { refreshToken: r1.json().refreshToken })).statusCode).toBe(401);
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
