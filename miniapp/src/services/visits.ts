/**
 * The steward's side of the visits API (ADR 0006): cadence, visits, on-site check-in/out with the camera photo,
 * phone/WeChat contacts, and the pure rules the screens show (distance preview, 外勤, list order, captions).
 * Every call goes through the one HTTP client; the photo upload (multipart, which Taro.request cannot send) goes
 * through the app's one file client (files.ts), with the same rules: bearer token, Idempotency-Key, one refresh on
 * expiry, the stored login cleared when the session is over, ApiError with a Chinese message.
 */
import type { Static } from '@sinclair/typebox';
import type { Assignment, Enterprise } from '@guanjia/shared/schemas/org';
import type { DuplicateCandidate, TicketCreate, TicketDetail, TicketSummary } from '@guanjia/shared/schemas/tickets';
import type {
  CadenceItem, CheckInBody, CheckOutBody, StewardCadence, Visit, VisitCreate, VisitListQuery, VisitPhoto, VisitSettings,
} from '@guanjia/shared/schemas/visits';
import { distanceMeters, toWgs84, type Datum } from '@guanjia/shared/geo/coords';
import { CONTACT_STATUS_LABELS as SHARED_CONTACT_STATUS_LABELS, VISIT_FLAG_LABELS } from '@guanjia/shared/labels';
import type { VisitFlag } from '@guanjia/shared/visit/cadence';
import { isApiError, toApiError } from './api-error';
import { createCategoryEndpoints, createTicketEndpoints, validateTicketForm } from './tickets';
import type { HttpClient } from './http';
import type { FileClient } from './files';

export type { Visit, VisitPhoto, StewardCadence, CadenceItem, VisitSettings, Enterprise, Assignment, TicketSummary, TicketDetail };
export type { CategoryNode } from './tickets';
import type { CategoryNode } from './tickets';
export type Duplicate = Static<typeof DuplicateCandidate>;

/** One page of a keyset-paginated list. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** A position the phone reported, in the datum it reported. */
export type GeoFix = { lat: number; lng: number; datum: Datum; accuracyM: number };

/** Everything the steward screens call. */
export type VisitsApi = {
  cadence(stewardId: string, date?: string): Promise<StewardCadence>;
  assignments(stewardId: string): Promise<Assignment[]>;
  /** The steward's active assignments nearest first from a WGS-84 point, each with its distance (one bounded page). */
  nearest(stewardId: string, at: { lat: number; lng: number }): Promise<Assignment[]>;
  enterprise(id: string): Promise<Enterprise>;
  settings(): Promise<VisitSettings>;
  list(query: Partial<VisitListQuery>): Promise<Page<Visit>>;
  get(id: string): Promise<Visit>;
  create(body: VisitCreate, idempotencyKey?: string): Promise<Visit>;
  uploadPhoto(filePath: string, idempotencyKey: string): Promise<VisitPhoto>;
  checkIn(id: string, body: CheckInBody, idempotencyKey?: string): Promise<Visit>;
  checkOut(id: string, body: CheckOutBody, idempotencyKey?: string): Promise<Visit>;
  cancel(id: string): Promise<Visit>;
  /** URL of a check-in photo (needs the bearer token: load it through a request, not an <img src>). */
  photoPath(id: string): string;
  /** The enterprise's 诉求 (a steward sees those of the enterprises assigned to them). */
  enterpriseTickets(enterpriseId: string): Promise<Page<TicketSummary>>;
  categories(): Promise<CategoryNode[]>;
  similarTickets(q: { enterpriseId: string; categoryId: string; text: string }): Promise<Duplicate[]>;
  /** Files a 诉求 on the enterprise's behalf (POST /tickets with enterpriseId and, from a visit, visitId). */
  fileTicket(body: TicketCreate, idempotencyKey?: string): Promise<TicketDetail & { possibleDuplicates: Duplicate[] }>;
};

/**
 * Builds the API over the app's HTTP client and file client (services/index.ts); `photoName` is the file name the
 * photo is sent under (the server decides the type by content).
 */
export function createVisitsApi(deps: { http: HttpClient; files: Pick<FileClient, 'upload'>; photoName?: string }): VisitsApi {
  const { http, files } = deps;
  const id = encodeURIComponent;
  const tickets = createTicketEndpoints(http);
  const categories = createCategoryEndpoints(http);

  async function uploadPhoto(filePath: string, idempotencyKey: string): Promise<VisitPhoto> {
    const body = await files.upload<unknown>('/visit-photos', { path: filePath, name: deps.photoName ?? 'checkin.jpg' }, { idempotencyKey });
    if (body && typeof body === 'object' && typeof (body as VisitPhoto).id === 'string') return body as VisitPhoto;
    throw toApiError(502, undefined, idempotencyKey);
  }

  return {
    cadence: (stewardId, date) => http.get<StewardCadence>(`/stewards/${id(stewardId)}/cadence`, { date }),
    nearest: async (stewardId, at) =>
      (await http.get<Page<Assignment>>('/assignments', { stewardId, active: true, limit: 200, near: `${at.lat.toFixed(6)},${at.lng.toFixed(6)}` })).items,
    assignments: async (stewardId) => {
      const out: Assignment[] = [];
      let cursor: string | undefined;
      // A steward has a handful to a few hundred enterprises: read them all (pages of 200).
      for (let i = 0; i < 10; i++) {
        const page = await http.get<Page<Assignment>>('/assignments', { stewardId, active: true, limit: 200, cursor });
        out.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return out;
    },
    enterprise: (enterpriseId) => http.get<Enterprise>(`/enterprises/${id(enterpriseId)}`),
    settings: () => http.get<VisitSettings>('/visit-settings'),
    list: (query) => http.get<Page<Visit>>('/visits', query as Record<string, string | number | boolean | undefined>),
    get: (visitId) => http.get<Visit>(`/visits/${id(visitId)}`),
    create: (body, key) => http.post<Visit>('/visits', body, key ? { idempotencyKey: key } : {}),
    uploadPhoto,
    checkIn: (visitId, body, key) => http.post<Visit>(`/visits/${id(visitId)}/check-in`, body, key ? { idempotencyKey: key } : {}),
    checkOut: (visitId, body, key) => http.post<Visit>(`/visits/${id(visitId)}/check-out`, body, key ? { idempotencyKey: key } : {}),
    cancel: (visitId) => http.post<Visit>(`/visits/${id(visitId)}/cancel`, {}),
    photoPath: (photoId) => `${http.baseUrl}/visit-photos/${id(photoId)}`,
    enterpriseTickets: (enterpriseId) => tickets.list({ enterpriseId, limit: 50 }),
    categories: async () => (await categories.tree()).items,
    similarTickets: tickets.similar,
    fileTicket: tickets.create,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// On-site check-in: three requests, resumable.

/** What a check-in attempt has achieved so far; kept in the form's draft so a retry never repeats a step. */
export type CheckInProgress = { visitId?: string; photoId?: string };

export type CheckInInput = {
  enterpriseId: string;
  /** 到重点项目现场: the project the visit is at (counts toward "每月到现场不少于N次") */
  projectId?: string;
  notes?: string;
  /** Local path of the camera photo (a blob: URL on H5). */
  photoPath: string;
  fix: GeoFix;
  /** The submission's Idempotency-Key; each step sends a key derived from it. */
  key: string;
  progress: CheckInProgress;
  /** Called after each step, so the caller can persist the progress before the next request. */
  onProgress?: (progress: CheckInProgress) => void;
  /** Why the steward checks in outside the fence (外勤); the server requires it there. */
  offsiteReason?: string;
};

/**
 * Plans the on-site visit (unless an earlier attempt did), uploads the photo (unless uploaded), then checks in.
 * Each step carries its own key derived from the submission's, so a retry after a lost response replays the
 * step instead of repeating it; the progress is reported before moving on, so a restart resumes too.
 * A photo the server will not take (used before, unreadable) is forgotten so the next attempt asks for a new one.
 */
export async function runCheckIn(api: VisitsApi, input: CheckInInput): Promise<Visit> {
  const progress: CheckInProgress = { ...input.progress };
  const report = () => input.onProgress?.({ ...progress });
  if (!progress.visitId) {
    const notes = input.notes?.trim();
    const visit = await api.create({ kind: 'onsite', enterpriseId: input.enterpriseId, ...(input.projectId ? { projectId: input.projectId } : {}), ...(notes ? { notes } : {}) }, `${input.key}-plan`);
    progress.visitId = visit.id;
    report();
  }
  if (!progress.photoId) {
    const photo = await api.uploadPhoto(input.photoPath, `${input.key}-photo`);
    progress.photoId = photo.id;
    report();
  }
  const { lat, lng, datum, accuracyM } = input.fix;
  try {
    const reason = input.offsiteReason?.trim();
    return await api.checkIn(progress.visitId, {
      location: { lat, lng, datum }, accuracyM: Math.max(0, Math.round(accuracyM * 10) / 10), photoId: progress.photoId, ...(reason ? { offsiteReason: reason } : {}),
    }, `${input.key}-checkin${reason ? '-r' : ''}`);
  } catch (error) {
    if (isApiError(error) && ['PHOTO_ALREADY_USED', 'PHOTO_REQUIRED', 'PHOTO_INVALID'].includes(error.code)) {
      delete progress.photoId;
      report();
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pure rules the screens show.

/** The datum the platform's getLocation reports: WeChat is asked for GCJ-02; Taro H5 only supports WGS-84. */
export function datumFor(taroEnv: string | undefined): Datum {
  return taroEnv === 'weapp' ? 'gcj02' : 'wgs84';
}

/** Distance preview before checking in. The server decides; this only warns early. */
export type FencePreview = { distanceM: number | null; inside: boolean | null };

/**
 * Distance from the reported position to the enterprise's stored (WGS-84) location and whether it lies inside
 * the district's fence radius. `null`s when the enterprise has no location (the server then flags it).
 */
export function fencePreview(fix: Pick<GeoFix, 'lat' | 'lng' | 'datum'>, enterprise: { lat: number; lng: number } | null | undefined, radiusM: number): FencePreview {
  if (!enterprise) return { distanceM: null, inside: null };
  const here = toWgs84(fix.lat, fix.lng, fix.datum);
  const distanceM = distanceMeters(here, enterprise);
  return { distanceM, inside: distanceM <= radiusM };
}

/** The verdict shown after a check-in, from the server's answer (not the preview). */
export function checkInVerdict(visit: Pick<Visit, 'checkIn' | 'flags'>): { outside: boolean; unknown: boolean; flags: string[] } {
  const inside = visit.checkIn?.insideFence;
  return {
    outside: inside === false,
    unknown: inside === null || inside === undefined,
    flags: visit.flags.filter((f) => f !== 'outside_fence').map((f) => VISIT_FLAG_LABELS[f as VisitFlag] ?? '异常'),
  };
}

/** 走访方式, visit status and short flag captions: the one table in @guanjia/shared/labels. */
export { PLAUSIBILITY_FLAG_TAGS as FLAG_TAGS, VISIT_KIND_LABELS, VISIT_STATUS_LABELS } from '@guanjia/shared/labels';

/** A contact status as the list shows it; `none` = no cadence rule applies to this enterprise. */
export type ContactStatus = CadenceItem['status'] | 'none';

export const CONTACT_STATUS_LABELS: Record<ContactStatus, string> = SHARED_CONTACT_STATUS_LABELS;

/** One row of "my enterprises". */
export type StewardRow = {
  enterprise: { id: string; name: string; areaName: string | null };
  status: ContactStatus;
  done: number;
  required: number;
  remind: boolean;
  rule: string;
  period: { from: string; to: string } | null;
  lastContactAt: string | null;
  enterpriseClass: 'key' | 'other' | null;
  /** From the steward's position, when the list is ordered nearest first (picking on site). */
  distanceM?: number | null;
};

/**
 * Rows nearest first (issue 13: picking the enterprise on site), by the server's distance order; rows the
 * distance list does not name (or without coordinates) keep their order after the located ones.
 */
export function nearestFirst(rows: readonly StewardRow[], byDistance: readonly Pick<Assignment, 'enterprise' | 'distanceM'>[]): StewardRow[] {
  const rank = new Map(byDistance.map((a, i) => [a.enterprise.id, { i, d: a.distanceM ?? null }]));
  const key = (r: StewardRow) => {
    const k = rank.get(r.enterprise.id);
    return k && k.d !== null ? k.i : Number.MAX_SAFE_INTEGER;
  };
  return rows
    .map((r, i) => ({ r: { ...r, distanceM: rank.get(r.enterprise.id)?.d ?? null }, i }))
    .sort((a, b) => key(a.r) - key(b.r) || a.i - b.i)
    .map((x) => x.r);
}

const PERIOD_NAMES = { week: '每周', month: '每月', quarter: '每季度' } as const;

/** `每月现场走访 2 次` / `每月联系 1 次`. */
export function ruleText(rule: Pick<CadenceItem['rule'], 'period' | 'requiredKind' | 'requiredCount'>): string {
  return `${PERIOD_NAMES[rule.period]}${rule.requiredKind === 'onsite' ? '现场走访' : '联系'} ${rule.requiredCount} 次`;
}

const ORDER: Record<ContactStatus, number> = { overdue: 0, due: 1, none: 2, done: 3 };

/**
 * The steward's list: every cadence item, plus assigned enterprises no rule covers (the cadence endpoint leaves
 * them out). Overdue first, then due (those in the reminder window first), untracked, done; by name within.
 */
export function stewardRows(cadence: Pick<StewardCadence, 'items'>, assignments: Pick<Assignment, 'enterprise'>[] = []): StewardRow[] {
  const rows: StewardRow[] = cadence.items.map((i) => ({
    enterprise: { id: i.enterprise.id, name: i.enterprise.name, areaName: i.enterprise.area.name },
    status: i.status,
    done: i.done,
    required: i.required,
    remind: i.remind,
    rule: ruleText(i.rule),
    period: i.period,
    lastContactAt: i.lastContactAt,
    enterpriseClass: i.enterpriseClass,
  }));
  const seen = new Set(rows.map((r) => r.enterprise.id));
  for (const a of assignments) {
    if (seen.has(a.enterprise.id)) continue;
    seen.add(a.enterprise.id);
    rows.push({ enterprise: { id: a.enterprise.id, name: a.enterprise.name, areaName: null }, status: 'none', done: 0, required: 0, remind: false, rule: '', period: null, lastContactAt: null, enterpriseClass: null });
  }
  return rows.sort((a, b) => ORDER[a.status] - ORDER[b.status] || Number(b.remind) - Number(a.remind) || a.enterprise.name.localeCompare(b.enterprise.name, 'zh-CN'));
}

/** Counts per status for the list's header and filter tabs. */
export function statusCounts(rows: Pick<StewardRow, 'status'>[]): Record<ContactStatus | 'all', number> {
  const out = { all: rows.length, overdue: 0, due: 0, done: 0, none: 0 };
  for (const r of rows) out[r.status] += 1;
  return out;
}

/** A phone/WeChat contact form. */
export type ContactForm = {
  kind: 'phone' | 'wechat';
  notes: string;
  problems: string[];
  /** Back-dating (issue 13): 0 = now; n = n days ago, at `part` of that day. Within the district's backdateDays. */
  daysAgo?: number;
  part?: ContactDayPart;
};

/** Part of a past day a back-dated contact is recorded at (the exact minute of a call rarely matters). */
export type ContactDayPart = 'am' | 'pm' | 'eve';
export const CONTACT_DAY_PARTS: readonly { value: ContactDayPart; label: string; hour: number }[] = [
  { value: 'am', label: '上午', hour: 10 },
  { value: 'pm', label: '下午', hour: 15 },
  { value: 'eve', label: '晚上', hour: 19 },
];

/** The day choices of the contact form: 今天, 昨天, 前天, then "n 天前", up to the window (at most 7 offered). */
export function contactDayOptions(backdateDays: number): { value: number; label: string }[] {
  const n = Math.max(0, Math.min(7, Math.floor(backdateDays)));
  const out: { value: number; label: string }[] = [];
  for (let d = 0; d <= n; d++) out.push({ value: d, label: d === 0 ? '今天' : d === 1 ? '昨天' : d === 2 ? '前天' : `${d} 天前` });
  return out;
}

/** The contact's time: now for today, else the chosen part of the chosen past day (device-local clock). */
export function contactOccurredAt(form: Pick<ContactForm, 'daysAgo' | 'part'>, now: Date, backdateDays?: number): Date | null {
  const days = form.daysAgo ?? 0;
  if (days <= 0) return null;
  const hour = CONTACT_DAY_PARTS.find((p) => p.value === form.part)?.hour ?? 10;
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() - days, hour, 0, 0, 0);
  // The last day of the window is open only from this hour on (the server counts the window in hours): clamp, and
  // never later than now (今天 is not a past day, but 昨天晚上 at 00:30 would be the future otherwise — it is not).
  if (backdateDays !== undefined) {
    const earliest = now.getTime() - backdateDays * 86_400_000 + 60_000;
    if (at.getTime() < earliest) return new Date(earliest);
  }
  return at.getTime() > now.getTime() ? now : at;
}

/** Client-side checks of the contact form, as field → Chinese message (empty when fine). */
export function validateContact(form: ContactForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.notes.trim().length < 2) errors.notes = '请填写沟通内容（至少 2 个字）';
  else if (form.notes.length > 2000) errors.notes = '沟通内容不能超过 2000 字';
  form.problems.forEach((p, i) => {
    if (p.length > 500) errors[`problems.${i}.description`] = '每个问题不超过 500 字';
  });
  return errors;
}

/** The POST /visits body of a contact form (blank problem lines dropped, texts trimmed). */
export function contactBody(enterpriseId: string, form: ContactForm, now: Date = new Date(), backdateDays?: number): VisitCreate {
  const problems = form.problems.map((p) => p.trim()).filter(Boolean).map((description) => ({ description }));
  const at = contactOccurredAt(form, now, backdateDays);
  return { kind: form.kind, enterpriseId, notes: form.notes.trim(), ...(problems.length ? { problems } : {}), ...(at ? { occurredAt: at.toISOString() } : {}) };
}

/** The steward's 诉求 form (on the enterprise's behalf, usually from a visit). */
export type StewardTicketForm = { parentCategoryId: string; categoryId: string; title: string; description: string; urgency: 'normal' | 'urgent' };

/** The filing form's own checks (one rule for enterprise and steward forms); a steward's form has no photos. */
export function validateStewardTicket(form: StewardTicketForm, categories: readonly CategoryNode[]): Record<string, string> {
  return validateTicketForm({ ...form, attachments: [] }, categories);
}

/** The POST /tickets body: the enterprise named, the visit linked when the problem was found at one. */
export function stewardTicketBody(form: StewardTicketForm, enterpriseId: string, visitId?: string): TicketCreate {
  return {
    enterpriseId,
    categoryId: form.categoryId,
    title: form.title.trim(),
    description: form.description.trim(),
    urgency: form.urgency,
    ...(visitId ? { visitId } : {}),
  };
}

/** A category chosen at the first level with no children is itself the category; otherwise a child must be picked. */
export function pickParentCategory(form: StewardTicketForm, parent: CategoryNode): StewardTicketForm {
  const active = parent.children.filter((c) => c.active);
  return { ...form, parentCategoryId: parent.id, categoryId: active.length ? '' : parent.id };
}

/** A title from a problem's text: its first clause, at most 20 characters. */
export function titleFromProblem(text: string): string {
  const first = text.trim().split(/[，。；,;.!！?？\n]/)[0] ?? '';
  return first.length > 20 ? `${first.slice(0, 20)}…` : first;
}

/**
 * The 诉求 already filed from one of a visit's problems (the ticket form titles it titleFromProblem(problem)), so the
 * visit page offers 查看 instead of 转为诉求 a second time.
 */
export function ticketOfProblem<T extends { title: string }>(problem: string, tickets: readonly T[] | undefined): T | undefined {
  const title = titleFromProblem(problem);
  return title ? tickets?.find((t) => t.title === title) : undefined;
}

/** Rows whose enterprise name contains every whitespace-separated part of `query` (case-insensitive). */
export function searchRows<T extends { enterprise: { name: string } }>(rows: readonly T[], query: string): T[] {
  const parts = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!parts.length) return [...rows];
  return rows.filter((r) => parts.every((p) => r.enterprise.name.toLowerCase().includes(p)));
}

/** The open visit's id named by a VISIT_ALREADY_OPEN refusal (its detail path is `/visits/<id>`). */
export function openVisitIdOf(e: unknown): string | null {
  if (!isApiError(e) || e.code !== 'VISIT_ALREADY_OPEN') return null;
  for (const d of e.details ?? []) {
    const m = /^\/visits\/([0-9a-f-]{36})$/.exec(d.path ?? '');
    if (m) return m[1];
  }
  return null;
}
