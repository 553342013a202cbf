import type { KeyValueStorage } from './storage';

/** The pair the API issues at login and rotates at every refresh. */
export type Tokens = { accessToken: string; refreshToken: string };

/** Where the current tokens live; the HTTP client reads it per request and replaces it after a refresh. */
export type TokenStore = {
  get(): Tokens | undefined;
  set(tokens: Tokens): void;
  clear(): void;
};

const TOKENS_KEY = 'auth.tokens';

/** Tokens persisted in storage, so a restarted app stays logged in until the refresh token dies. */
export function createTokenStore(storage: KeyValueStorage, key = TOKENS_KEY): TokenStore {
  return {
    get() {
      const t = storage.get<Tokens>(key);
      return t && typeof t.accessToken === 'string' && typeof t.refreshToken === 'string' ? t : undefined;
    },
    set(tokens) {
      storage.set(key, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    },
    clear() {
      storage.remove(key);
    },
  };
}
