import { ApiError, networkError, toApiError } from './api-error';
import { buildUrl, type HttpClient } from './http';
import type { TokenStore } from './token-store';

/**
 * Uploads (multipart) and authenticated downloads: the two requests Taro.request cannot make, and the one path
 * every upload takes (attachments, check-in and project photos, roster imports). They follow the same rules as
 * http.ts — bearer token, Idempotency-Key when given, one refresh on TOKEN_EXPIRED, the stored login cleared when
 * the session is over, every failure an ApiError with a Chinese message — so a photo upload on a weak network
 * fails the same way a JSON call does.
 */

/** Largest file the server takes (shared ATTACHMENT_MAX_BYTES; not imported to keep TypeBox out of the bundle). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** One multipart upload as the platform sends it: a local file (temp path, or blob URL on H5) under `name`. */
export type UploadRequest = { url: string; filePath: string; name: string; fileName?: string; headers: Record<string, string>; timeoutMs: number };
/** Fetch of a protected file into a local temp path (blob URL on H5). */
export type DownloadRequest = { url: string; headers: Record<string, string>; timeoutMs: number };

/** Platform pieces: resolve with any HTTP status, reject only when no response arrived. */
export type FileTransport = {
  upload(req: UploadRequest): Promise<{ status: number; body: unknown }>;
  download(req: DownloadRequest): Promise<{ status: number; tempFilePath: string }>;
};

/** Per-upload options. */
export type UploadOptions = {
  /** The submission's Idempotency-Key (kept on a retry after refresh and on a thrown ApiError). */
  idempotencyKey?: string;
};

export type FileClient = {
  /** POSTs the file as multipart field `file` to `path` (e.g. `/attachments`) and returns the JSON answer. */
  upload<T>(path: string, file: { path: string; name?: string; size?: number }, options?: UploadOptions): Promise<T>;
  /** Downloads a file the API serves only with a token (attachment URLs) to a local path for Image/preview. */
  download(url: string): Promise<string>;
};

export type FileClientOptions = {
  http: Pick<HttpClient, 'baseUrl' | 'refresh'>;
  tokens: TokenStore;
  transport: FileTransport;
  /** Origin the API's absolute paths (`/api/v1/attachments/…`) are relative to: '' on H5. */
  origin: string;
  onSessionExpired?: (error: ApiError) => void;
  timeoutMs?: number;
};

function parse(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Builds the file client; see FileClient. */
export function createFileClient({ http, tokens, transport, origin, onSessionExpired, timeoutMs = 60_000 }: FileClientOptions): FileClient {
  /** Sends with the current token; on TOKEN_EXPIRED refreshes once and sends again. */
  async function withAuth<R extends { status: number }>(
    send: (headers: Record<string, string>) => Promise<R>, bodyOf: (r: R) => unknown, idempotencyKey?: string,
  ): Promise<R> {
    for (let attempt = 0; ; attempt += 1) {
      const t = tokens.get();
      const headers: Record<string, string> = t ? { Authorization: `Bearer ${t.accessToken}` } : {};
      if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
      let res: R;
      try {
        res = await send(headers);
      } catch {
        throw networkError(idempotencyKey);
      }
      if (res.status >= 200 && res.status < 300) return res;
      const error = toApiError(res.status, parse(bodyOf(res)), idempotencyKey);
      if (res.status === 401) {
        if (error.code === 'TOKEN_EXPIRED' && attempt === 0 && t) {
          // same key: the server did not apply a request it refused with 401; a dead refresh token ends the
          // session inside http.refresh (stored login cleared, login page)
          await http.refresh();
          continue;
        }
        tokens.clear();
        onSessionExpired?.(error);
      }
      throw error;
    }
  }

  return {
    async upload<T>(path: string, file: { path: string; name?: string; size?: number }, options: UploadOptions = {}) {
      if (file.size !== undefined && file.size > MAX_UPLOAD_BYTES) {
        throw new ApiError('ATTACHMENT_TOO_LARGE', '附件不能超过 10MB', 413);
      }
      const url = buildUrl(http.baseUrl, path);
      const res = await withAuth(
        (headers) => transport.upload({ url, filePath: file.path, name: 'file', fileName: file.name, headers: { Accept: 'application/json', ...headers }, timeoutMs }),
        (r) => r.body,
        options.idempotencyKey,
      );
      return parse(res.body) as T;
    },
    async download(url: string) {
      const absolute = /^https?:\/\//.test(url) ? url : `${origin.replace(/\/+$/, '')}${url}`;
      const res = await withAuth((headers) => transport.download({ url: absolute, headers, timeoutMs }), () => undefined);
      return res.tempFilePath;
    },
  };
}
