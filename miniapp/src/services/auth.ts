import type { MeResponse, TokenResponse } from '@guanjia/shared';
import { isApiError } from './api-error';
import type { HttpClient } from './http';
import type { KeyValueStorage } from './storage';
import type { TokenStore } from './token-store';

/** The signed-in person as `GET /me` returns them (shared schema: roles, district, enterprise, department). */
export type User = MeResponse;

/** `POST /auth/wechat` answers with tokens, or asks to bind this WeChat user to a person first. */
export type WechatLoginResponse = TokenResponse | { bindingRequired: true; bindToken: string };

/** What the login page does next after a WeChat login. */
export type WechatLoginResult = { status: 'signed-in'; user: User } | { status: 'binding-required'; bindToken: string };

/**
 * Binding proves who the WeChat user is: an invitation code, or the phone number WeChat vouches for (the
 * one-time `code` of a `getPhoneNumber` button; the server resolves it, the client never claims a number).
 */
export type BindInput = { bindToken: string; invitationCode?: string; phoneCode?: string };

export type AuthServiceOptions = {
  http: HttpClient;
  tokens: TokenStore;
  storage: KeyValueStorage;
  /** Returns a fresh one-time code from `wx.login` (Taro.login); the server exchanges it, never the client. */
  wechatCode: () => Promise<string>;
  /**
   * Runs when the person logs out (after the session is forgotten), e.g. to clear the form drafts that hold an
   * enterprise's data from a shared phone. Not run when a session merely expires: the same person signs in again
   * and finds their drafts.
   */
  onLogout?: () => void;
};

/** Login, binding, current user and logout: the only code that writes tokens, besides the refresh. */
export type AuthService = {
  /** Staff login by username or phone + password; resolves with the person once `/me` answered. */
  login(username: string, password: string): Promise<User>;
  loginWithWechat(): Promise<WechatLoginResult>;
  bindWechat(input: BindInput): Promise<User>;
  /** Signs in with tokens another call returned (an enterprise's self-join linked at once). */
  signInWithTokens(tokens: TokenResponse): Promise<User>;
  /** Reloads the current user from the server (roles may have changed) and caches it. */
  me(): Promise<User>;
  /** The cached user, for a first paint before `me()` answers. */
  cachedUser(): User | undefined;
  isSignedIn(): boolean;
  /** Revokes this device's refresh token on the server (best effort), forgets the session and runs `onLogout` in any case. */
  logout(): Promise<void>;
  /** Forgets tokens and the cached person locally (the HTTP client found the session dead). */
  clearSession(): void;
};

const USER_KEY = 'auth.user';
const NO_KEY = { auth: false, idempotencyKey: false } as const;

/** Creates the auth service over an HTTP client; see AuthService. */
export function createAuthService({ http, tokens, storage, wechatCode, onLogout }: AuthServiceOptions): AuthService {
  const forget = () => {
    tokens.clear();
    storage.remove(USER_KEY);
  };
  const me = async () => {
    const user = await http.get<User>('/me');
    storage.set(USER_KEY, user);
    return user;
  };
  /** Stores the new tokens, then loads the person; a half-finished login leaves nothing behind. */
  const signIn = async (res: TokenResponse): Promise<User> => {
    tokens.set({ accessToken: res.accessToken, refreshToken: res.refreshToken });
    try {
      return await me();
    } catch (error) {
      forget();
      throw error;
    }
  };

  return {
    async login(username, password) {
      return signIn(await http.post<TokenResponse>('/auth/login', { username: username.trim(), password }, NO_KEY));
    },

    async loginWithWechat() {
      const res = await http.post<WechatLoginResponse>('/auth/wechat', { code: await wechatCode() }, NO_KEY);
      if ('bindingRequired' in res && res.bindingRequired) return { status: 'binding-required', bindToken: res.bindToken };
      return { status: 'signed-in', user: await signIn(res as TokenResponse) };
    },

    async bindWechat({ bindToken, invitationCode, phoneCode }) {
      const body: BindInput = { bindToken };
      if (invitationCode?.trim()) body.invitationCode = invitationCode.trim();
      if (phoneCode) body.phoneCode = phoneCode;
      return signIn(await http.post<TokenResponse>('/auth/wechat/bind', body, NO_KEY));
    },

    signInWithTokens: (res) => signIn(res),

    me,

    clearSession: forget,

    cachedUser: () => (tokens.get() ? storage.get<User>(USER_KEY) : undefined),

    isSignedIn: () => !!tokens.get(),

    async logout() {
      // The body names the refresh token to revoke, so an expired access token is refreshed by hand first:
      // an automatic refresh would re-send the old (already rotated) token and leave the new one alive.
      const send = () => {
        const current = tokens.get();
        if (!current) return Promise.resolve();
        const opts = { idempotencyKey: false, networkRetries: 0, refreshOnExpiry: false } as const;
        return http.post<void>('/auth/logout', { refreshToken: current.refreshToken }, opts);
      };
      try {
        try {
          await send();
        } catch (error) {
          if (!isApiError(error) || error.code !== 'TOKEN_EXPIRED') throw error;
          await http.refresh();
          await send();
        }
      } catch {
        // Best effort: offline or already revoked. An unrevoked refresh token still expires on its own.
      } finally {
        forget();
        onLogout?.();
      }
    },
  };
}
