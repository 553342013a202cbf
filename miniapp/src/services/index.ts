import Taro from '@tarojs/taro';
import { createAuthService } from './auth';
import { createDraftStore } from './draft';
import { createHttpClient } from './http';
import { taroStorage, taroTransport, wechatCode } from './taro-adapters';
import { createTokenStore } from './token-store';
import { createFileClient } from './files';
import { taroFileTransport } from './taro-files';
import { createTicketService } from './tickets';
import { createProjectService } from './projects';
import { createPolicyService, createProfileService } from './policies';
import { createSurveyService } from './surveys';
import { createGoingLiveApi } from './going-live';
import { createEverydayService } from './everyday';
import { PAGES } from './pages';

/**
 * The app's service singletons, wired to Taro. Pages and hooks import from here; the modules they are built
 * from take their platform pieces as arguments and are tested without Taro.
 */

/** API origin ('' = same origin, the H5 build served by the server) + the version prefix. */
export const API_BASE = `${(process.env.TARO_APP_API_BASE ?? '').replace(/\/+$/, '')}/api/v1`;

export const LOGIN_PAGE = PAGES.login;
export const HOME_PAGE = PAGES.home;

let redirecting = false;

/** Sends the user to the login page once, however many requests fail together. */
export function goToLogin(): void {
  if (redirecting) return;
  const pages = Taro.getCurrentPages();
  const current = pages[pages.length - 1]?.route ?? '';
  if (`/${current}`.startsWith(LOGIN_PAGE)) return;
  redirecting = true;
  void Taro.reLaunch({ url: LOGIN_PAGE }).finally(() => {
    redirecting = false;
  });
}

export const storage = taroStorage;
export const tokens = createTokenStore(storage);
export const http = createHttpClient({
  baseUrl: API_BASE,
  transport: taroTransport,
  tokens,
  onSessionExpired: () => {
    auth.clearSession();
    goToLogin();
  },
});
/** Form drafts; expired ones are pruned when the app starts (this module loads with the first page). */
export const drafts = createDraftStore({ storage, pruneAtStart: true });
/** Logging out clears every draft: they hold enterprises' data, and a phone may be shared. */
export const auth = createAuthService({ http, tokens, storage, wechatCode, onLogout: () => drafts.clearAll() });
/** Multipart uploads and token-protected downloads (attachments), with the same refresh rules as `http`. */
export const files = createFileClient({
  http,
  tokens,
  transport: taroFileTransport,
  origin: API_BASE.replace(/\/api\/v1$/, ''),
  onSessionExpired: () => {
    auth.clearSession();
    goToLogin();
  },
});
/** 诉求 API (tickets, categories, attachments, notifications, 督办单). */
export const tickets = createTicketService(http, files);
/** 重点项目 API (ledger, detail, monthly 调度). */
export const projects = createProjectService(http);
/** 政策直达 / 免申即享 API (ADR 0014). */
export const policies = createPolicyService(http);
/** 企业档案 (profile, certifications, 培育库). */
export const profiles = createProfileService(http);
/** 问卷 API (ADR 0014). */
export const surveys = createSurveyService(http);
/** Going live: setup checklist, roster import, self-join and its approvals, an enterprise's contacts. */
export const goingLive = createGoingLiveApi(http, files);

/** Issue 13's everyday tools: 催办, 联系管家, steward ratings, 常用语, a department's figures. */
export const everyday = createEverydayService(http);

export { ApiError, isApiError, messageOf, NETWORK_ERROR_MESSAGE } from './api-error';
export { formErrors, splitFormErrors } from './form-errors';
export type { User } from './auth';
