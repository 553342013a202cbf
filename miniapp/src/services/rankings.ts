/**
 * 考核排名 (docs/metrics.md): the month's department and steward rankings for district-wide people, and the published
 * (frozen) rankings for the departments and stewards concerned. Charts and dashboards are another page's job.
 */
import type { Static } from '@sinclair/typebox';
import type {
  DepartmentRanking as DepartmentRankingSchema, IndicatorSettingsBody, IndicatorSettingsUpdate, PublishedRanking as PublishedRankingSchema, StewardRanking as StewardRankingSchema,
} from '@guanjia/shared/schemas/stats';
import type { HttpClient } from './http';
import { PAGES } from './pages';

export type DepartmentRanking = Static<typeof DepartmentRankingSchema>;
export type StewardRanking = Static<typeof StewardRankingSchema>;
export type PublishedRanking = Static<typeof PublishedRankingSchema>;
export type PublishedItem = { id: string; kind: 'department' | 'steward'; month: string; publishedAt: string; rows: number };
export type RankingKind = 'department' | 'steward';

export const RANKING_PAGE = PAGES.stats.ranking;
export const SETTINGS_PAGE = PAGES.stats.settings;

/** 考核设置 as the form edits it: every value a string the person typed. */
export type SettingsForm = { basicallySatisfied: string; response: string; solve: string; satisfaction: string; redBlackN: string };
export const SETTINGS_FIELDS = ['basicallySatisfied', 'response', 'solve', 'satisfaction', 'redBlackN', 'weights'] as const;

export function settingsForm(s: IndicatorSettingsBody): SettingsForm {
  return {
    basicallySatisfied: String(s.weights.basicallySatisfied), response: String(s.weights.response), solve: String(s.weights.solve),
    satisfaction: String(s.weights.satisfaction), redBlackN: String(s.redBlackN),
  };
}

/**
 * The PATCH body of the form, or the fields that are not numbers at all. Ranges and the sum of the three weights
 * are the server's checks (their messages come back through formErrors), so the rules live in one place.
 */
export function settingsBody(f: SettingsForm): { body: IndicatorSettingsUpdate } | { errors: Partial<Record<keyof SettingsForm, string>> } {
  const errors: Partial<Record<keyof SettingsForm, string>> = {};
  const num = (k: keyof SettingsForm) => {
    const t = f[k].trim();
    const v = Number(t);
    if (!t || !Number.isFinite(v)) errors[k] = '请输入数字';
    return v;
  };
  const weights = { basicallySatisfied: num('basicallySatisfied'), response: num('response'), solve: num('solve'), satisfaction: num('satisfaction') };
  const n = num('redBlackN');
  if (!errors.redBlackN && !Number.isInteger(n)) errors.redBlackN = '请输入整数';
  return Object.keys(errors).length ? { errors } : { body: { weights, redBlackN: n } };
}

/** One row as the page shows it, whichever the kind. */
export type RankLine = {
  id: string; name: string; rank: number | null; score: number | null; change: string;
  /** the figures behind the score, already worded: '解决率 96.5%' … */
  facts: string[];
};

const rate = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

/** Department or steward rows → lines for the page (the same for a live and a published ranking). */
export function rankLines(kind: RankingKind, rows: readonly unknown[]): RankLine[] {
  return rows.map((x) => {
    if (kind === 'department') {
      const r = x as DepartmentRanking['rows'][number];
      return {
        id: r.department.id, name: r.department.name, rank: r.rank, score: r.score, change: r.change?.text ?? '',
        facts: [`受理 ${r.received} 件`, `解决率 ${rate(r.solveRate)}`, `满意率 ${rate(r.satisfactionRate)}`, `及时签收率 ${rate(r.acceptOnTimeRate)}`, `按时办结率 ${rate(r.replyOnTimeRate)}`, `超期 ${r.overdue} 件`],
      };
    }
    const r = x as StewardRanking['rows'][number];
    return {
      id: r.steward.id, name: r.steward.name, rank: r.rank, score: r.score, change: r.change?.text ?? '',
      facts: [`走访 ${r.contacts} 次`, `覆盖率 ${rate(r.coverageRate)}`, `提出问题 ${r.problemsRaised} 项`, `解决 ${r.problemsSolved} 项`, `满意率 ${rate(r.satisfactionRate)}`],
    };
  });
}

export function createRankingsApi(http: HttpClient) {
  return {
    live: (kind: RankingKind, month: string) =>
      http.get<DepartmentRanking | StewardRanking>(kind === 'department' ? '/stats/rankings/departments' : '/stats/rankings/stewards', { month }),
    published: (kind?: RankingKind) => http.get<{ items: PublishedItem[]; nextCursor: string | null }>('/rankings', kind ? { kind } : {}),
    get: (id: string) => http.get<PublishedRanking>(`/rankings/${id}`),
    publish: (kind: RankingKind, month: string) => http.post<PublishedRanking>('/rankings', { kind, month }),
    settings: () => http.get<IndicatorSettingsBody>('/indicator-settings'),
    saveSettings: (body: IndicatorSettingsUpdate) => http.patch<IndicatorSettingsBody>('/indicator-settings', body),
  };
}
