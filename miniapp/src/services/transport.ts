/** HTTP verbs the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request as the HTTP client hands it to the platform. `url` is absolute (or same-origin on H5). */
export type TransportRequest = {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** JSON body for POST/PUT/PATCH/DELETE; GET parameters are already in the URL. */
  body?: unknown;
  timeoutMs: number;
};

/** A response of any status: non-2xx statuses resolve too, they are not transport failures. */
export type TransportResponse = { status: number; body: unknown };

/**
 * Sends one request. Resolves with any HTTP response; rejects (with anything) only when no response arrived.
 * Taro.request in the app (taro-adapters.ts), a scripted fake in tests.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;
