/**
 * 问卷 (ADR 0014): question kinds, answer validation and result tallies — pure, shared by the server (enforce,
 * results) and the mini-app (the form's required marks and its submit check).
 *
 * One answer per enterprise: a second submission is refused (SURVEY_ALREADY_ANSWERED), not merged. Refusing is
 * what keeps anonymous surveys anonymous: an update would need a link from the answer back to the enterprise
 * (ADR 0014). The same Idempotency-Key replays the first response, and a double tap is stopped by the
 * one-respondent-per-survey key in the database.
 */

export const QUESTION_KINDS = ['single', 'multi', 'rating', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = { single: '单选', multi: '多选', rating: '评分（1–5）', text: '填空' };

export const SURVEY_TARGET_KINDS = ['all', 'library', 'tag', 'area', 'policy'] as const;
export type SurveyTargetKind = (typeof SURVEY_TARGET_KINDS)[number];
export const SURVEY_TARGET_LABELS: Record<SurveyTargetKind, string> = {
  all: '全部企业', library: '培育库企业', tag: '带标签的企业', area: '指定属地企业', policy: '政策匹配企业（政策反馈）',
};
export const SURVEY_STATUSES = ['draft', 'open'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];
export const SURVEY_STATUS_LABELS: Record<SurveyStatus | 'closed', string> = { draft: '草稿', open: '进行中', closed: '已结束' };

export type Question = { id: string; kind: QuestionKind; title: string; options?: string[]; required: boolean };
/** Answers by question id: option index (single), indexes (multi), 1–5 (rating), text. */
export type Answers = Record<string, number | number[] | string>;
export type AnswerIssue = { path: string; message: string };

/** Checks the questions a coordinator wrote: kinds, options for choices, unique ids. */
export function validateQuestions(qs: Question[]): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const seen = new Set<string>();
  if (!qs.length) issues.push({ path: '/body/questions', message: '问卷至少需要一道题' });
  qs.forEach((q, i) => {
    const path = `/body/questions/${i}`;
    if (seen.has(q.id)) issues.push({ path, message: `第${i + 1}题：题目编号重复` });
    seen.add(q.id);
    const choice = q.kind === 'single' || q.kind === 'multi';
    if (choice && (!q.options || q.options.length < 2)) issues.push({ path, message: `第${i + 1}题：选择题至少需要两个选项` });
    if (!choice && q.options?.length) issues.push({ path, message: `第${i + 1}题：只有选择题可以设置选项` });
    if (choice && q.options && new Set(q.options).size !== q.options.length) issues.push({ path, message: `第${i + 1}题：选项不能重复` });
  });
  return issues;
}

/** Checks one response against the questions: required answered, values in range, no unknown question. */
export function validateAnswers(qs: Question[], a: Answers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const byId = new Map(qs.map((q) => [q.id, q]));
  for (const k of Object.keys(a)) if (!byId.has(k)) issues.push({ path: `/body/answers/${k}`, message: '问卷中没有这道题' });
  qs.forEach((q, i) => {
    const v = a[q.id];
    const path = `/body/answers/${q.id}`;
    const empty = v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length);
    if (empty) {
      if (q.required) issues.push({ path, message: `第${i + 1}题为必答题` });
      return;
    }
    const n = q.options?.length ?? 0;
    const okIndex = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < n;
    if (q.kind === 'single' && !okIndex(v)) issues.push({ path, message: `第${i + 1}题：请选择一个选项` });
    if (q.kind === 'multi' && !(Array.isArray(v) && v.every(okIndex) && new Set(v).size === v.length)) issues.push({ path, message: `第${i + 1}题：选项不正确` });
    if (q.kind === 'rating' && !(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5)) issues.push({ path, message: `第${i + 1}题：评分须为1–5分` });
    if (q.kind === 'text' && !(typeof v === 'string' && v.length <= 1000)) issues.push({ path, message: `第${i + 1}题：回答不超过1000字` });
  });
  return issues;
}

/** Whether a survey accepts answers on `today` (YYYY-MM-DD, Asia/Shanghai): open and within its dates. */
export function surveyPhase(s: { status: SurveyStatus; opensOn: string; closesOn: string }, today: string): 'draft' | 'not_open' | 'open' | 'closed' {
  if (s.status === 'draft') return 'draft';
  if (today < s.opensOn) return 'not_open';
  if (today > s.closesOn) return 'closed';
  return 'open';
}
