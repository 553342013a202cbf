import { errorMessage } from '@guanjia/shared/errors';
import { ApiError, networkError, toApiError } from './api-error';
import { newIdempotencyKey } from './idempotency';
import type { TokenStore, Tokens } from './token-store';
import type { HttpMethod, Transport } from './transport';

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** Per-request options; everything has a sensible default. */
export type RequestOptions = {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /**
   * The submission's Idempotency-Key. Pass the key of a submission being retried (see submission.ts and
   * use-draft.ts); omit it and POST/PUT/PATCH/DELETE get a fresh key, reused by this call's own retries and
   * exposed on a thrown ApiError; `false` sends none (login, refresh: nothing to replay there).
   */
  idempotencyKey?: string | false;
  /** Send the bearer token and refresh it once on TOKEN_EXPIRED. Default true. */
  auth?: boolean;
  /** Set false to get TOKEN_EXPIRED back instead of an automatic refresh (logout does its own). */
  refreshOnExpiry?: boolean;
  timeoutMs?: number;
  /** Automatic re-sends after a network failure. Default 1 for GET and for keyed requests, else 0. */
  networkRetries?: number;
};

export type HttpClientOptions = {
  /** Origin plus API prefix, e.g. `''+'/api/v1'` on H5 or `https://gj.example.cn/api/v1` in the mini-program. */
  baseUrl: string;
  transport: Transport;
  tokens: TokenStore;
  /** Called once the session cannot continue (refresh refused, 401 on an authenticated call): go to login. */
  onSessionExpired?: (error: ApiError) => void;
  refreshPath?: string;
  timeoutMs?: number;
  retryDelayMs?: number;
  newKey?: () => string;
  sleep?: (ms: number) => Promise<void>;
};

/** The one request layer of the mini-app: JSON in and out, typed results, ApiError on every failure. */
export type HttpClient = {
  request<T>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, query?: RequestOptions['query'], options?: Omit<RequestOptions, 'query' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T>;
  put<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T>;
  delete<T>(path: string, options?: RequestOptions): Promise<T>;
  /** Refreshes the tokens now (single flight: concurrent callers share one refresh). */
  refresh(): Promise<void>;
  readonly baseUrl: string;
};

/** `base + path + ?query`, skipping undefined/null values and repeating keys for arrays. */
export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  if (!query) return url;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`);
  }
  return parts.length ? `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}` : url;
}

function isTokens(value: unknown): value is Tokens {
  const v = value as Partial<Tokens> | null;
  return !!v && typeof v.accessToken === 'string' && typeof v.refreshToken === 'string';
}

/** Builds the client. All platform pieces (transport, token storage, timers) are injected. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const {
    baseUrl,
    transport,
    tokens,
    onSessionExpired,
    refreshPath = '/auth/refresh',
    timeoutMs: defaultTimeout = 15_000,
    retryDelayMs = 800,
    newKey = newIdempotencyKey,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  } = options;

  let refreshing: Promise<void> | undefined;

  function expire(error: ApiError) {
    tokens.clear();
    onSessionExpired?.(error);
  }

  async function doRefresh(refreshToken: string): Promise<void> {
    let res;
    try {
      res = await transport({
        url: buildUrl(baseUrl, refreshPath),
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: { refreshToken },
        timeoutMs: defaultTimeout,
      });
    } catch {
      throw networkError(); // keep the tokens: the refresh token may still be good once the network is back
    }
    if (res.status >= 200 && res.status < 300 && isTokens(res.body)) {
      tokens.set(res.body);
      return;
    }
    const error = res.status >= 200 && res.status < 300 ? toApiError(502, undefined) : toApiError(res.status, res.body);
    // 401/403 means the refresh token is dead (expired, revoked, reused): the session is over.
    if (res.status === 401 || res.status === 403) {
      const expired = new ApiError('REFRESH_TOKEN_INVALID', errorMessage('REFRESH_TOKEN_INVALID'), res.status);
      expire(expired);
      throw expired;
    }
    throw error;
  }

  /** Refreshes unless another call already replaced the tokens `used` was sent with. */
  async function refreshAfter(used: Tokens | undefined): Promise<void> {
    const current = tokens.get();
    if (!current) {
      const error = toApiError(401, { error: { code: 'UNAUTHENTICATED' } });
      expire(error);
      throw error;
    }
    if (used && current.accessToken !== used.accessToken) return;
    refreshing ??= doRefresh(current.refreshToken).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    const auth = opts.auth ?? true;
    const key =
      opts.idempotencyKey === false ? undefined : (opts.idempotencyKey ?? (method === 'GET' ? undefined : newKey()));
    const url = buildUrl(baseUrl, path, opts.query);
    const networkRetries = opts.networkRetries ?? (method === 'GET' || key ? 1 : 0);
    let networkFailures = 0;
    let refreshed = false;

    for (;;) {
      // Wait for a refresh another request started, so we do not send a token about to be rotated.
      if (auth && refreshing) await refreshing.catch(() => undefined);
      const used = auth ? tokens.get() : undefined;
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
      if (used) headers.Authorization = `Bearer ${used.accessToken}`;
      if (key) headers['Idempotency-Key'] = key;

      let res;
      try {
        res = await transport({ url, method, headers, body: opts.body, timeoutMs: opts.timeoutMs ?? defaultTimeout });
      } catch {
        if (networkFailures < networkRetries) {
          networkFailures += 1;
          await sleep(retryDelayMs * networkFailures);
          continue;
        }
        throw networkError(key);
      }

      if (res.status >= 200 && res.status < 300) {
        return (res.status === 204 || res.body === '' ? undefined : res.body) as T;
      }
      const error = toApiError(res.status, res.body, key);
      if (auth && res.status === 401) {
        const refreshable = error.code === 'TOKEN_EXPIRED' && !!used && !refreshed;
        if (refreshable && opts.refreshOnExpiry !== false) {
          refreshed = true;
          await refreshAfter(used);
          continue; // same key: the server has not applied a request it refused with 401
        }
        if (!refreshable) expire(error);
      }
      throw error;
    }
  }

  return {
    baseUrl,
    request,
    get: (path, query, o) => request('GET', path, { ...o, query }),
    post: (path, body, o) => request('POST', path, { ...o, body }),
    put: (path, body, o) => request('PUT', path, { ...o, body }),
    patch: (path, body, o) => request('PATCH', path, { ...o, body }),
    delete: (path, o) => request('DELETE', path, o),
    refresh: () => refreshAfter(undefined),
  };
}
