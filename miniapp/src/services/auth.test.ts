import { createAuthService } from './auth';
import { createDraftStore, openDraft } from './draft';
import { createHttpClient } from './http';
import { createMemoryStorage } from './storage';
import { createTokenStore } from './token-store';
import { errorResponse, fakeTransport, type Step } from '../test-support/fake-transport';

const USER = {
  id: '00000000-0000-4000-8000-000000000001',
  name: '张三',
  roles: ['steward'],
  title: null,
  phoneMasked: '138****0000',
  district: { id: '00000000-0000-4000-8000-0000000000d1', code: '211103', name: '兴隆台区' },
  enterprise: null,
  department: null,
  wechatBound: false,
};
const TOKENS = { accessToken: 'a1', refreshToken: 'r1', expiresIn: 900 };
const ok = (body: unknown) => ({ status: 200, body });

function setup(script: Record<string, Step[]>, code = 'wx-code-1') {
  const fake = fakeTransport(script);
  const storage = createMemoryStorage();
  const tokens = createTokenStore(storage);
  const expired: unknown[] = [];
  const http = createHttpClient({ baseUrl: '/api/v1', transport: fake.transport, tokens, sleep: async () => undefined, onSessionExpired: (e) => expired.push(e) });
  const auth = createAuthService({ http, tokens, storage, wechatCode: async () => code });
  return { fake, auth, tokens, storage, expired };
}

describe('staff login', () => {
  it('logs in by username or phone, stores the tokens, then loads the person with the new token', async () => {
    const { fake, auth, tokens } = setup({ 'POST /api/v1/auth/login': [ok(TOKENS)], 'GET /api/v1/me': [ok(USER)] });
    await expect(auth.login(' 13800000000 ', 'secret')).resolves.toEqual(USER);
    const [login, me] = fake.calls;
    expect(login.body).toEqual({ username: '13800000000', password: 'secret' });
    expect(login.headers.Authorization).toBeUndefined();
    expect(login.headers['Idempotency-Key']).toBeUndefined();
    expect(me.headers.Authorization).toBe('Bearer a1');
    expect(tokens.get()).toEqual({ accessToken: 'a1', refreshToken: 'r1' });
    expect(auth.cachedUser()).toEqual(USER);
    expect(auth.isSignedIn()).toBe(true);
  });

  it('reports wrong credentials in Chinese and stays signed out', async () => {
    const { auth, expired } = setup({ 'POST /api/v1/auth/login': [errorResponse(401, 'INVALID_CREDENTIALS', 'bad password')] });
    await expect(auth.login('zhangsan', 'x')).rejects.toMatchObject({ message: '账号或密码错误' });
    expect(auth.isSignedIn()).toBe(false);
    expect(expired).toEqual([]);
  });

  it('leaves nothing behind when the person cannot be loaded after login', async () => {
    const { auth } = setup({ 'POST /api/v1/auth/login': [ok(TOKENS)], 'GET /api/v1/me': ['network-failure', 'network-failure'] });
    await expect(auth.login('zhangsan', 'pw')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(auth.isSignedIn()).toBe(false);
  });
});

describe('WeChat login', () => {
  it('signs in when the WeChat user is already bound', async () => {
    const { fake, auth } = setup({ 'POST /api/v1/auth/wechat': [ok(TOKENS)], 'GET /api/v1/me': [ok(USER)] });
    await expect(auth.loginWithWechat()).resolves.toEqual({ status: 'signed-in', user: USER });
    expect(fake.calls[0].body).toEqual({ code: 'wx-code-1' });
  });

  it('asks for binding, then binds by invitation code or by the phone WeChat vouches for', async () => {
    const { fake, auth } = setup({
      'POST /api/v1/auth/wechat': [ok({ bindingRequired: true, bindToken: 'bind-token-1' })],
      'POST /api/v1/auth/wechat/bind': [errorResponse(400, 'INVITATION_INVALID'), ok(TOKENS)],
      'GET /api/v1/me': [ok(USER)],
    });
    await expect(auth.loginWithWechat()).resolves.toEqual({ status: 'binding-required', bindToken: 'bind-token-1' });
    expect(auth.isSignedIn()).toBe(false);
    await expect(auth.bindWechat({ bindToken: 'bind-token-1', invitationCode: ' ABC123 ' })).rejects.toMatchObject({ message: '邀请码无效、已使用或已过期' });
    await expect(auth.bindWechat({ bindToken: 'bind-token-1', phoneCode: 'phone-code-1', invitationCode: '  ' })).resolves.toEqual(USER);
    expect(fake.callsTo('POST /api/v1/auth/wechat/bind').map((c) => c.body)).toEqual([
      { bindToken: 'bind-token-1', invitationCode: 'ABC123' },
      { bindToken: 'bind-token-1', phoneCode: 'phone-code-1' },
    ]);
    expect(auth.isSignedIn()).toBe(true);
  });
});

describe('session', () => {
  it('reloads the current user with the bearer token', async () => {
    const { fake, auth, tokens } = setup({ 'GET /api/v1/me': [ok({ ...USER, roles: ['steward', 'coordinator'] })] });
    tokens.set({ accessToken: 'a1', refreshToken: 'r1' });
    await expect(auth.me()).resolves.toMatchObject({ roles: ['steward', 'coordinator'] });
    expect(fake.calls[0].headers.Authorization).toBe('Bearer a1');
    expect(auth.cachedUser()?.roles).toEqual(['steward', 'coordinator']);
  });

  it('revokes the refresh token on logout with the bearer token', async () => {
    const { fake, auth, tokens, storage } = setup({ 'POST /api/v1/auth/logout': [{ status: 204, body: '' }] });
    tokens.set({ accessToken: 'a1', refreshToken: 'r1' });
    storage.set('auth.user', USER);
    await auth.logout();
    expect(fake.calls[0]).toMatchObject({ body: { refreshToken: 'r1' }, headers: { Authorization: 'Bearer a1' } });
    expect(auth.isSignedIn()).toBe(false);
    expect(auth.cachedUser()).toBeUndefined();
  });

  it('refreshes first when the access token expired, then revokes the rotated refresh token', async () => {
    const { fake, auth, tokens } = setup({
      'POST /api/v1/auth/logout': [errorResponse(401, 'TOKEN_EXPIRED'), { status: 204, body: '' }],
      'POST /api/v1/auth/refresh': [ok({ accessToken: 'a2', refreshToken: 'r2', expiresIn: 900 })],
    });
    tokens.set({ accessToken: 'a1', refreshToken: 'r1' });
    await auth.logout();
    expect(fake.calls.map((c) => [c.url, c.body])).toEqual([
      ['/api/v1/auth/logout', { refreshToken: 'r1' }],
      ['/api/v1/auth/refresh', { refreshToken: 'r1' }],
      ['/api/v1/auth/logout', { refreshToken: 'r2' }],
    ]);
    expect(fake.calls[2].headers.Authorization).toBe('Bearer a2');
    expect(auth.isSignedIn()).toBe(false);
    expect(fake.unexpected).toEqual([]);
  });

  it('clearSession forgets tokens and the cached person without calling the server', () => {
    const { fake, auth, tokens, storage } = setup({});
    tokens.set({ accessToken: 'a1', refreshToken: 'r1' });
    storage.set('auth.user', USER);
    auth.clearSession();
    expect(tokens.get()).toBeUndefined();
    expect(storage.get('auth.user')).toBeUndefined();
    expect(fake.calls).toEqual([]);
  });

  it('clears the drafts at logout (they hold enterprises\' data), even offline, but not when the session merely expires', async () => {
    for (const answer of [{ status: 204, body: '' }, 'network-failure'] as const) {
      const fake = fakeTransport({ 'POST /api/v1/auth/logout': [answer] });
      const storage = createMemoryStorage();
      const tokens = createTokenStore(storage);
      const http = createHttpClient({ baseUrl: '/api/v1', transport: fake.transport, tokens, sleep: async () => undefined });
      const drafts = createDraftStore({ storage });
      const auth = createAuthService({ http, tokens, storage, wechatCode: async () => 'c', onLogout: () => drafts.clearAll() });
      tokens.set({ accessToken: 'a1', refreshToken: 'r1' });
      openDraft(drafts, 'u1:ticket-new', { text: '' }).update({ text: '甲公司：厂区停电' });
      auth.clearSession();
      expect(storage.keys()).toEqual(['draft:u1:ticket-new']);
      tokens.set({ accessToken: 'a1', refreshToken: 'r1' });
      await auth.logout();
      expect(storage.keys()).toEqual([]);
    }
  });

  it('logs out locally even when the server cannot be reached', async () => {
    const { auth, tokens } = setup({ 'POST /api/v1/auth/logout': ['network-failure'] });
    tokens.set({ accessToken: 'a1', refreshToken: 'r1' });
    await expect(auth.logout()).resolves.toBeUndefined();
    expect(auth.isSignedIn()).toBe(false);
  });
});
