import type {
  EnterprisePolicy, EnterpriseProfile, MatchPreview, Policy, PolicyCreate, PolicyFigures, PolicyMatch, PolicyQuestion,
} from '@guanjia/shared/schemas/policies';
import type { Eligibility, Condition } from '@guanjia/shared/policy/eligibility';
import {
  BENEFIT_TYPE_LABELS, CERTIFICATION_LABELS, CONFIRMATION_LABELS, POLICY_MODE_LABELS, POLICY_STATUS_LABELS, REVENUE_BAND_LABELS, SIZE_CLASS_LABELS,
  TAX_BAND_LABELS, type CertificationKind, type SizeClass,
} from '@guanjia/shared/policy/policy-labels';
import type { HttpClient, QueryValue } from './http';
import { PAGES } from './pages';

/**
 * 政策直达 / 免申即享 (ADR 0014) as the mini-app uses them: the enterprise's 惠企政策 (政策计算器), a policy's detail,
 * read receipt and 意愿确认, the steward's 送政策上门 list, the coordinator's editor (live count) and figures.
 */

export type { EnterprisePolicy, EnterpriseProfile, MatchPreview, Policy, PolicyFigures, PolicyMatch, PolicyQuestion };
export type Page<T> = { items: T[]; nextCursor: string | null };
export { BENEFIT_TYPE_LABELS, CERTIFICATION_LABELS, CONFIRMATION_LABELS, POLICY_MODE_LABELS, POLICY_STATUS_LABELS, REVENUE_BAND_LABELS, SIZE_CLASS_LABELS, TAX_BAND_LABELS };

export function createPolicyService(http: HttpClient) {
  const id = encodeURIComponent;
  return {
    list: (q: { status?: Policy['status']; cursor?: string; limit?: number }) => http.get<Page<Policy>>('/policies', q as Record<string, QueryValue>),
    get: (policyId: string) => http.get<Policy>(`/policies/${id(policyId)}`),
    forEnterprise: (enterpriseId: string) => http.get<EnterprisePolicy[]>(`/enterprises/${id(enterpriseId)}/policies`),
    read: (policyId: string) => http.post<PolicyMatch>(`/policies/${id(policyId)}/read`, undefined),
    confirm: (policyId: string, decision: 'confirmed' | 'declined', version: number, idempotencyKey?: string) =>
      http.post<PolicyMatch>(`/policies/${id(policyId)}/confirm`, { decision, version }, idempotencyKey ? { idempotencyKey } : {}),
    deliveries: (cursor?: string) => http.get<Page<PolicyMatch>>('/policies/deliveries', cursor ? { cursor } : {}),
    deliver: (policyId: string, enterpriseId: string, kind: 'phone' | 'wechat', idempotencyKey?: string) =>
      http.post<PolicyMatch>(`/policies/${id(policyId)}/deliveries`, { enterpriseId, kind }, idempotencyKey ? { idempotencyKey } : {}),
    redeem: (policyId: string, body: { enterpriseId: string; redeemedOn: string; amount: string; version: number }, idempotencyKey: string) =>
      http.post<PolicyMatch>(`/policies/${id(policyId)}/redemptions`, body, { idempotencyKey }),
    figures: (policyId: string) => http.get<PolicyFigures>(`/policies/${id(policyId)}/figures`),
    matches: (policyId: string, outcome: 'met' | 'unknown', cursor?: string) =>
      http.get<Page<PolicyMatch>>(`/policies/${id(policyId)}/matches`, { outcome, ...(cursor ? { cursor } : {}), limit: 30 }),
    questions: (policyId: string, cursor?: string) =>
      http.get<Page<PolicyQuestion>>(`/policies/${id(policyId)}/questions`, { ...(cursor ? { cursor } : {}), limit: 30 }),
    preview: (eligibility: Eligibility) => http.post<MatchPreview>('/policies/preview', { eligibility }),
    create: (body: PolicyCreate, idempotencyKey?: string) => http.post<Policy>('/policies', body, idempotencyKey ? { idempotencyKey } : {}),
    publish: (policyId: string, version: number, idempotencyKey?: string) =>
      http.post<Policy>(`/policies/${id(policyId)}/publish`, { version }, idempotencyKey ? { idempotencyKey } : {}),
  };
}
export type PolicyService = ReturnType<typeof createPolicyService>;

/** The policy editor's simple form (the conditions offices use most); `eligibilityOf` turns it into the document. */
export type EditorForm = {
  match: 'all' | 'any';
  certifications: CertificationKind[];
  aboveScale: '' | 'yes' | 'no';
  sizes: SizeClass[];
  minEmployees: string;
  foundedBefore: string;
};
export const EMPTY_EDITOR: EditorForm = { match: 'all', certifications: [], aboveScale: '', sizes: [], minEmployees: '', foundedBefore: '' };

/** Builds the eligibility document from the editor form (one condition per filled field). */
export function eligibilityOf(f: EditorForm): Eligibility {
  const conditions: Condition[] = [];
  for (const kind of f.certifications) conditions.push({ field: 'certification', kind });
  if (f.aboveScale) conditions.push({ field: 'above_scale', equals: f.aboveScale === 'yes' });
  if (f.sizes.length) conditions.push({ field: 'size_class', in: f.sizes });
  const n = Number(f.minEmployees);
  if (f.minEmployees.trim() !== '' && Number.isInteger(n) && n >= 0) conditions.push({ field: 'employees_at_least', value: n });
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.foundedBefore)) conditions.push({ field: 'founded_before', date: f.foundedBefore });
  return { match: f.match, conditions };
}

/** The badge of a policy in the enterprise's list: 符合 / 待核实 / 不符合 with its colour class. */
export function outcomeBadge(outcome: string): { text: string; tone: 'ok' | 'warn' | 'muted' } {
  if (outcome === 'met') return { text: '符合', tone: 'ok' };
  if (outcome === 'unknown') return { text: '待核实', tone: 'warn' };
  return { text: '不符合', tone: 'muted' };
}

/** One line under a policy's title: mode · benefit · department. */
export function policyLine(p: Pick<Policy, 'mode' | 'benefitType' | 'department'>): string {
  return `${POLICY_MODE_LABELS[p.mode]} · ${BENEFIT_TYPE_LABELS[p.benefitType]} · ${p.department.name}`;
}

/** The profile API (一企一档): read, edit (version-guarded), certifications, library membership. */
export function createProfileService(http: HttpClient) {
  const id = encodeURIComponent;
  return {
    get: (enterpriseId: string) => http.get<EnterpriseProfile>(`/enterprises/${id(enterpriseId)}/profile`),
    update: (enterpriseId: string, body: Record<string, unknown>) => http.patch<EnterpriseProfile>(`/enterprises/${id(enterpriseId)}/profile`, body),
    addCertification: (enterpriseId: string, body: { kind: CertificationKind; certifiedOn: string; expiresOn?: string }, idempotencyKey: string) =>
      http.post<EnterpriseProfile>(`/enterprises/${id(enterpriseId)}/certifications`, body, { idempotencyKey }),
    libraries: () => http.get<{ id: string; name: string; members: number }[]>('/libraries'),
    join: (enterpriseId: string, libraryId: string, joinedOn: string, idempotencyKey: string) =>
      http.post<EnterpriseProfile>(`/enterprises/${id(enterpriseId)}/libraries`, { libraryId, joinedOn }, { idempotencyKey }),
    leave: (enterpriseId: string, membershipId: string, leftOn: string) =>
      http.post<EnterpriseProfile>(`/enterprises/${id(enterpriseId)}/libraries/${id(membershipId)}/leave`, { leftOn }),
  };
}

/** The profile form as typed (strings), and the PATCH body it becomes: '' clears a field (= not known). */
export type ProfileForm = { industryDivision: string; sizeClass: string; aboveScale: 'yes' | 'no'; foundedOn: string; employees: string; revenueBand: string; taxBand: string };
export function profileForm(p: EnterpriseProfile): ProfileForm {
  return {
    industryDivision: p.industryDivision ?? '', sizeClass: p.sizeClass ?? '', aboveScale: p.aboveScale ? 'yes' : 'no', foundedOn: p.foundedOn ?? '',
    employees: p.employees === null ? '' : String(p.employees), revenueBand: p.revenueBand ?? '', taxBand: p.taxBand ?? '',
  };
}
export function profilePatch(f: ProfileForm, version: number): { ok: true; body: Record<string, unknown> } | { ok: false; errors: Partial<Record<keyof ProfileForm, string>> } {
  const errors: Partial<Record<keyof ProfileForm, string>> = {};
  if (f.industryDivision && !/^\d{2}$/.test(f.industryDivision)) errors.industryDivision = '行业大类为两位数字代码（国民经济行业分类）';
  if (f.foundedOn && !/^\d{4}-\d{2}-\d{2}$/.test(f.foundedOn)) errors.foundedOn = '日期格式为 年-月-日，如 2020-01-01';
  if (f.employees && !/^\d{1,7}$/.test(f.employees)) errors.employees = '从业人数为非负整数';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    body: {
      version, industryDivision: f.industryDivision || null, sizeClass: f.sizeClass || null, aboveScale: f.aboveScale === 'yes', foundedOn: f.foundedOn || null,
      employees: f.employees ? Number(f.employees) : null, revenueBand: f.revenueBand || null, taxBand: f.taxBand || null,
    },
  };
}

/**
 * 申请更正: the enterprise cannot edit its profile (its stewards and the coordinator do), so it asks with a 诉求 in
 * 其他 (no 企业信息更正 category exists), the form prefilled through `?category=&title=&description=` with every
 * field as it stands, for the enterprise to correct in place.
 */
export function correctionRequestUrl(p: EnterpriseProfile): string {
  const v = (x: string | number | null | undefined) => (x === null || x === undefined || x === '' ? '未填' : String(x));
  const lines = [
    '申请更正本企业档案中的以下信息（请在有误的项目后写明正确内容）：',
    `行业：${v(p.industry)}${p.industryDivision ? `（大类 ${p.industryDivision}）` : ''}`,
    `企业规模：${p.sizeClass ? SIZE_CLASS_LABELS[p.sizeClass] : '未填'}`,
    `是否规模以上：${p.aboveScale ? '是' : '否'}`,
    `成立日期：${v(p.foundedOn)}`,
    `从业人数：${v(p.employees)}`,
    `上年营业收入：${p.revenueBand ? REVENUE_BAND_LABELS[p.revenueBand] : '未填'}`,
    `上年纳税：${p.taxBand ? TAX_BAND_LABELS[p.taxBand] : '未填'}`,
    `资质认定：${p.certifications.map((c) => `${CERTIFICATION_LABELS[c.kind]}（${c.certifiedOn} 认定${c.expiresOn ? `，${c.expiresOn} 到期` : ''}）`).join('、') || '无'}`,
    `培育库：${p.libraries.filter((m) => !m.leftOn).map((m) => m.library.name).join('、') || '无'}`,
  ];
  const q = (k: string, x: string) => `${k}=${encodeURIComponent(x)}`;
  return `${PAGES.enterprise.new}?${[q('category', '其他'), q('title', '企业档案更正申请'), q('description', lines.join('\n'))].join('&')}`;
}
