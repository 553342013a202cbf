import type { Survey, SurveyCreate, SurveyResults } from '@guanjia/shared/schemas/surveys';
import { validateAnswers, type Answers, type Question } from '@guanjia/shared/survey/survey';
import type { HttpClient } from './http';

/** 问卷 (ADR 0014) as the mini-app uses them: my surveys, the answer form (a draft), results. */
export type { Survey, SurveyResults, Answers, Question };
export type Page<T> = { items: T[]; nextCursor: string | null };

export function createSurveyService(http: HttpClient) {
  const id = encodeURIComponent;
  return {
    list: () => http.get<Page<Survey>>('/surveys', { limit: 50 }),
    get: (surveyId: string) => http.get<Survey>(`/surveys/${id(surveyId)}`),
    answer: (surveyId: string, answers: Answers, idempotencyKey: string) =>
      http.post<{ surveyId: string; submittedOn: string }>(`/surveys/${id(surveyId)}/responses`, { answers }, { idempotencyKey }),
    create: (body: SurveyCreate, idempotencyKey: string) => http.post<Survey>('/surveys', body, { idempotencyKey }),
    update: (surveyId: string, body: SurveyCreate & { version: number }) => http.patch<Survey>(`/surveys/${id(surveyId)}`, body),
    publish: (surveyId: string, version: number, idempotencyKey: string) =>
      http.post<Survey>(`/surveys/${id(surveyId)}/publish`, { version }, { idempotencyKey }),
    results: (surveyId: string) => http.get<SurveyResults>(`/surveys/${id(surveyId)}/results`),
  };
}

/** The answers as sent: empty text and empty multi-choice left out; the same check as the server's. */
export function answersToSend(qs: Question[], a: Answers): { ok: true; answers: Answers } | { ok: false; errors: Record<string, string> } {
  const out: Answers = {};
  for (const q of qs) {
    const v = a[q.id];
    if (v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length)) continue;
    out[q.id] = typeof v === 'string' ? v.trim() : v;
  }
  const issues = validateAnswers(qs, out);
  if (issues.length) return { ok: false, errors: Object.fromEntries(issues.map((i) => [i.path.split('/').pop()!, i.message])) };
  return { ok: true, answers: out };
}

/** A bar's width in percent of the largest count (the results' bar charts). */
export function barPercent(count: number, counts: number[]): number {
  const max = Math.max(0, ...counts);
  return max ? Math.round((count * 100) / max) : 0;
}
