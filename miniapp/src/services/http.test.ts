import { ApiError, NETWORK_ERROR_MESSAGE } from './api-error';
import { buildUrl, createHttpClient, type HttpClientOptions } from './http';
import { createMemoryStorage } from './storage';
import { createTokenStore } from './token-store';
import { errorResponse, fakeTransport, keySequence, type Step } from '../test-support/fake-transport';

const BASE = 'https://gj.example.cn/api/v1';

function setup(script: Record<string, Step[]>, signedIn = true, extra: Partial<HttpClientOptions> = {}) {
  const fake = fakeTransport(script);
  const tokens = createTokenStore(createMemoryStorage());
  if (signedIn) tokens.set({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  const expired: ApiError[] = [];
  const http = createHttpClient({
    baseUrl: BASE,
    transport: fake.transport,
    tokens,
    onSessionExpired: (e) => expired.push(e),
    newKey: keySequence(),
    sleep: async () => undefined,
    ...extra,
  });
  return { http, fake, tokens, expired };
}

const ok = (body: unknown) => ({ status: 200, body });
const refreshed = (n: number) => ok({ accessToken: `access-${n}`, refreshToken: `refresh-${n}` });


describe('requests', () => {
  it('sends JSON with the bearer token to base URL + path + query', async () => {
    const { http, fake } = setup({ 'GET /api/v1/tickets': [ok({ items: [] })] });
    const res = await http.get<{ items: unknown[] }>('/tickets', { status: ['new', 'accepted'], q: '排水 问题', page: undefined });
    expect(res).toEqual({ items: [] });
    expect(fake.calls[0]).toMatchObject({
      url: `${BASE}/tickets?status=new&status=accepted&q=${encodeURIComponent('排水 问题')}`,
      method: 'GET',
      headers: { Accept: 'application/json', Authorization: 'Bearer access-1' },
    });
    expect(fake.calls[0].headers['Idempotency-Key']).toBeUndefined();
    expect(fake.calls[0].headers['Content-Type']).toBeUndefined();
  });

  it('returns undefined for 204', async () => {
    const { http } = setup({ 'DELETE /api/v1/drafts/1': [{ status: 204, body: '' }] });
    await expect(http.delete('/drafts/1')).resolves.toBeUndefined();
  });

  it('joins base and path with exactly one slash; same-origin base stays relative', () => {
    expect(buildUrl('/api/v1', 'me')).toBe('/api/v1/me');
    expect(buildUrl('/api/v1/', '/me', { a: 1, b: null, c: false })).toBe('/api/v1/me?a=1&c=false');
  });
});

describe('Idempotency-Key', () => {
  it('gives a mutating request a key and reuses it when re-sending after a network failure', async () => {
    const { http, fake } = setup({ 'POST /api/v1/tickets': ['network-failure', { status: 201, body: { id: 't1' } }] });
    await expect(http.post('/tickets', { title: '用电' })).resolves.toEqual({ id: 't1' });
    const keys = fake.callsTo('POST /api/v1/tickets').map((c) => c.headers['Idempotency-Key']);
    expect(keys).toEqual(['key-1', 'key-1']);
    expect(fake.calls[0].headers['Content-Type']).toBe('application/json');
    expect(fake.calls[0].body).toEqual({ title: '用电' });
  });

  it('uses the key the caller passes, and hands it back on a network error for a later retry', async () => {
    const { http, fake } = setup({ 'POST /api/v1/visits': ['network-failure', 'network-failure', ok({ id: 'v1' })] });
    const error = await http.post('/visits', { note: 'x' }, { idempotencyKey: 'submission-42' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0, message: NETWORK_ERROR_MESSAGE, idempotencyKey: 'submission-42' });
    expect((error as ApiError).outcomeUnknown).toBe(true);
    // The caller retries the same logical submission later: same key again.
    await http.post('/visits', { note: 'x' }, { idempotencyKey: (error as ApiError).idempotencyKey });
    expect(fake.calls.map((c) => c.headers['Idempotency-Key'])).toEqual(['submission-42', 'submission-42', 'submission-42']);
  });

  it('gives two separate submissions two different keys', async () => {
    const { http, fake } = setup({ 'POST /api/v1/tickets': [ok({}), ok({})] });
    await http.post('/tickets', {});
    await http.post('/tickets', {});
    expect(fake.calls.map((c) => c.headers['Idempotency-Key'])).toEqual(['key-1', 'key-2']);
  });

  it('sends no key when told not to, and does not re-send such a request after a network failure', async () => {
    const { http, fake } = setup({ 'POST /api/v1/auth/login': ['network-failure'] }, false);
    await expect(http.post('/auth/login', {}, { auth: false, idempotencyKey: false })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].headers['Idempotency-Key']).toBeUndefined();
    expect(fake.calls[0].headers.Authorization).toBeUndefined();
  });
});

describe('refresh on 401 TOKEN_EXPIRED', () => {
  it('refreshes, stores the rotated pair and re-sends with the new token and the same key', async () => {
    const { http, fake, tokens, expired } = setup({
      'POST /api/v1/tickets': [errorResponse(401, 'TOKEN_EXPIRED'), { status: 201, body: { id: 't1' } }],
      'POST /api/v1/auth/refresh': [refreshed(2)],
    });
    await expect(http.post('/tickets', { a: 1 })).resolves.toEqual({ id: 't1' });
    const sent = fake.callsTo('POST /api/v1/tickets');
    expect(sent.map((c) => c.headers.Authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(sent.map((c) => c.headers['Idempotency-Key'])).toEqual(['key-1', 'key-1']);
    const [refresh] = fake.callsTo('POST /api/v1/auth/refresh');
    expect(refresh.body).toEqual({ refreshToken: 'refresh-1' });
    expect(refresh.headers.Authorization).toBeUndefined();
    expect(refresh.headers['Idempotency-Key']).toBeUndefined();
    expect(tokens.get()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(expired).toEqual([]);
    expect(fake.unexpected).toEqual([]);
  });

  it('shares one refresh between concurrent requests (a rotated refresh token is single-use)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { http, fake } = setup({
      'GET /api/v1/me': [errorResponse(401, 'TOKEN_EXPIRED'), ok({ id: 'u1' })],
      'GET /api/v1/tickets': [errorResponse(401, 'TOKEN_EXPIRED'), ok([])],
      'POST /api/v1/auth/refresh': [async () => (await gate, refreshed(2))],
    });
    const both = Promise.all([http.get('/me'), http.get('/tickets')]);
    await new Promise((r) => setTimeout(r, 0));
    release();
    await expect(both).resolves.toEqual([{ id: 'u1' }, []]);
    expect(fake.callsTo('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(fake.unexpected).toEqual([]);
  });

  it('does not refresh again when another request already rotated the tokens', async () => {
    const { http, fake, tokens } = setup({
      'GET /api/v1/me': [
        () => {
          tokens.set({ accessToken: 'access-9', refreshToken: 'refresh-9' }); // another tab/request refreshed meanwhile
          return errorResponse(401, 'TOKEN_EXPIRED');
        },
        (req) => ok({ auth: req.headers.Authorization }),
      ],
    });
    await expect(http.get('/me')).resolves.toEqual({ auth: 'Bearer access-9' });
    expect(fake.unexpected).toEqual([]);
  });

  it('ends the session when the refresh token is refused', async () => {
    const { http, tokens, expired, fake } = setup({
      'GET /api/v1/me': [errorResponse(401, 'TOKEN_EXPIRED')],
      'POST /api/v1/auth/refresh': [errorResponse(401, 'REFRESH_TOKEN_INVALID', 'refresh token revoked')],
    });
    await expect(http.get('/me')).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID', message: '登录状态已失效，请重新登录' });
    expect(tokens.get()).toBeUndefined();
    expect(expired).toHaveLength(1);
    expect(fake.unexpected).toEqual([]);
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    const { http, tokens, expired } = setup({
      'GET /api/v1/me': [errorResponse(401, 'TOKEN_EXPIRED')],
      'POST /api/v1/auth/refresh': ['network-failure'],
    });
    await expect(http.get('/me')).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
    expect(tokens.get()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(expired).toEqual([]);
  });

  it('refreshes at most once per request: a second TOKEN_EXPIRED ends the session instead of looping', async () => {
    const { http, fake, expired } = setup({
      'GET /api/v1/me': [errorResponse(401, 'TOKEN_EXPIRED'), errorResponse(401, 'TOKEN_EXPIRED')],
      'POST /api/v1/auth/refresh': [refreshed(2)],
    });
    await expect(http.get('/me')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' });
    expect(fake.callsTo('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(expired).toHaveLength(1);
  });

  it('ends the session on any other 401 of an authenticated call', async () => {
    const { http, tokens, expired } = setup({ 'GET /api/v1/me': [errorResponse(401, 'UNAUTHENTICATED')] });
    await expect(http.get('/me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
    expect(tokens.get()).toBeUndefined();
    expect(expired).toHaveLength(1);
  });

  it('leaves a 401 of an unauthenticated call (a wrong password) to the caller', async () => {
    const { http, tokens, expired } = setup({ 'POST /api/v1/auth/login': [errorResponse(401, 'INVALID_CREDENTIALS', 'Invalid username or password')] });
    await expect(http.post('/auth/login', {}, { auth: false, idempotencyKey: false })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: '账号或密码错误',
      status: 401,
    });
    expect(tokens.get()).toBeDefined();
    expect(expired).toEqual([]);
  });
});
