/**
 * Going live (ADR 0010) on the mini-app side: the setup checklist, roster import (upload, dry run, confirm,
 * downloads), enterprise self-join and its approvals, an enterprise's own contacts. Pure TS over the HTTP and file
 * clients; the form rules are plain functions tested without Taro.
 */
import type { Static } from '@sinclair/typebox';
import type {
  EnterpriseContact as EnterpriseContactSchema, ImportResult, JoinRequest, JoinStatus as JoinStatusSchema, SetupChecklist,
} from '@guanjia/shared/schemas/going-live';
import type { TokenResponse } from '@guanjia/shared/schemas/auth';
import { isValidCreditCode, normalizeCreditCode } from '@guanjia/shared/enterprise/credit-code';
import type { ImportKind } from '@guanjia/shared/import/import-columns';
import type { FileClient } from './files';
import type { HttpClient } from './http';

export type { ImportKind, ImportResult, JoinRequest, SetupChecklist };
export type JoinStatus = Static<typeof JoinStatusSchema>;
export type EnterpriseContact = Static<typeof EnterpriseContactSchema>;
export type JoinForm = { district: string; creditCode: string; companyName: string; contactName: string; phone: string };
export type JoinAnswer = { status: 'linked'; tokens: TokenResponse } | { status: 'pending'; message: string };

/** Storage key of the bindToken handed from the login page to the self-join page (10 minutes of validity). */
export const JOIN_BIND_KEY = 'join.bindToken';

/** The kinds the desk offers (projects come when the server imports them). */
export const DESK_IMPORT_KINDS: readonly ImportKind[] = ['enterprises', 'people', 'assignments', 'projects'];

/** Largest import file (the server's limit). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function createGoingLiveApi(http: HttpClient, files: FileClient) {
  return {
    checklist: () => http.get<SetupChecklist>('/setup-checklist'),
    /** Uploads a roster; a dry run unless `confirm`. */
    importFile: (kind: ImportKind, file: { path: string; name?: string }, o: { confirm: boolean; createMissingAreas: boolean }) =>
      files.upload<ImportResult>(`/imports/${kind}?dryRun=${o.confirm ? 'false' : 'true'}&createMissingAreas=${o.createMissingAreas ? 'true' : 'false'}`, file),
    templateUrl: (kind: ImportKind) => `/api/v1/import-templates/${kind}`,
    rejectedUrl: (runId: string) => `/api/v1/imports/${runId}/rejected`,
    download: (url: string) => files.download(url),
    join: (bindToken: string, f: JoinForm) => http.post<JoinAnswer>('/enterprise-join', joinBody(bindToken, f), { auth: false, idempotencyKey: false }),
    joinStatus: (bindToken: string) => http.post<JoinStatus>('/enterprise-join/status', { bindToken }, { auth: false, idempotencyKey: false }),
    joinRequests: (status: JoinRequest['status'] = 'pending', cursor?: string) =>
      http.get<{ items: JoinRequest[]; nextCursor: string | null }>('/join-requests', { status, limit: 50, ...(cursor ? { cursor } : {}) }),
    decide: (r: Pick<JoinRequest, 'id' | 'version'>, action: 'approve' | 'reject', reason?: string) =>
      http.post<JoinRequest>(`/join-requests/${r.id}/${action}`, { version: r.version, ...(reason ? { reason } : {}) }),
    contacts: () => http.get<{ items: EnterpriseContact[] }>('/enterprise-contacts'),
    removeContact: (id: string) => http.post<void>(`/enterprise-contacts/${id}/remove`),
  };
}
export type GoingLiveApi = ReturnType<typeof createGoingLiveApi>;

/** Field problems of the self-join form, in Chinese (the check digit is checked here too, before sending). */
export function validateJoinForm(f: JoinForm): Record<string, string> {
  const e: Record<string, string> = {};
  if (!/^\d{6}$/.test(f.district.trim())) e.district = '请输入 6 位区县代码';
  const code = normalizeCreditCode(f.creditCode);
  if (!code) e.creditCode = '请输入统一社会信用代码';
  else if (code.length !== 18) e.creditCode = `统一社会信用代码应为 18 位（已输入 ${code.length} 位）`;
  else if (!isValidCreditCode(code)) e.creditCode = '统一社会信用代码校验位不正确，请对照营业执照核对';
  if (f.companyName.trim().length < 2) e.companyName = '请输入营业执照上的企业名称';
  if (!f.contactName.trim()) e.contactName = '请输入您的姓名';
  if (f.phone.trim() && !/^1\d{10}$/.test(f.phone.trim())) e.phone = '请输入 11 位手机号';
  return e;
}

/** The request body of a valid form. */
export function joinBody(bindToken: string, f: JoinForm) {
  return {
    bindToken, district: f.district.trim(), creditCode: normalizeCreditCode(f.creditCode), companyName: f.companyName.trim(),
    contactName: f.contactName.trim(), ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
  };
}

/** The one-line summary of a run, as the desk shows it above the table. */
export function importSummary(r: Pick<ImportResult, 'dryRun' | 'totalRows' | 'created' | 'updated' | 'unchanged' | 'rejected' | 'areasCreated' | 'assignmentsStarted' | 'assignmentsEnded' | 'kind'>): string {
  const verb = r.dryRun ? '将' : '已';
  const parts = r.kind === 'assignments'
    ? [`${verb}新建包保 ${r.assignmentsStarted} 条`, `${verb}结束包保 ${r.assignmentsEnded} 条`, `无变化 ${r.unchanged} 行`]
    : [`${verb}新增 ${r.created}`, `${verb}更新 ${r.updated}`, `无变化 ${r.unchanged}`];
  if (r.kind === 'enterprises' && (r.assignmentsStarted || r.assignmentsEnded)) parts.push(`包保新建 ${r.assignmentsStarted}、结束 ${r.assignmentsEnded}`);
  if (r.areasCreated) parts.push(`${verb}新建属地 ${r.areasCreated}`);
  return `共 ${r.totalRows} 行：${parts.join('，')}，未导入 ${r.rejected} 行`;
}
