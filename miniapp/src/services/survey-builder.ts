import type { Survey, SurveyCreate } from '@guanjia/shared/schemas/surveys';
import { validateQuestions, type Question, type QuestionKind, type SurveyTargetKind } from '@guanjia/shared/survey/survey';

/**
 * The survey builder's form (问卷编辑, issue 14): what the coordinator types, kept as strings until saved, and the
 * pure edits on it (add / remove / move questions and options), so the screen only wires taps to these.
 */

export type BuilderQuestion = { id: string; kind: QuestionKind; title: string; options: string[]; required: boolean };
export type BuilderForm = {
  title: string; intro: string; anonymous: boolean; targetKind: SurveyTargetKind; targetIds: string[]; tag: string;
  opensOn: string; closesOn: string; questions: BuilderQuestion[];
};
export type BuilderErrors = Partial<Record<'title' | 'opensOn' | 'closesOn' | 'target' | 'questions', string>> & { byQuestion?: Record<number, string> };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isChoice = (k: QuestionKind) => k === 'single' || k === 'multi';

export function emptyBuilder(today: string, closeOn: string): BuilderForm {
  return { title: '', intro: '', anonymous: false, targetKind: 'all', targetIds: [], tag: '', opensOn: today, closesOn: closeOn, questions: [] };
}

/** The next free question id (q1, q2, …): ids stay stable when questions move or are removed. */
export function nextQuestionId(qs: { id: string }[]): string {
  const n = qs.reduce((m, q) => Math.max(m, /^q(\d+)$/.test(q.id) ? Number(q.id.slice(1)) : 0), 0);
  return `q${n + 1}`;
}

export function addQuestion(f: BuilderForm, kind: QuestionKind): BuilderForm {
  const q: BuilderQuestion = { id: nextQuestionId(f.questions), kind, title: '', options: isChoice(kind) ? ['', ''] : [], required: true };
  return { ...f, questions: [...f.questions, q] };
}

export function updateQuestion(f: BuilderForm, i: number, patch: Partial<BuilderQuestion>): BuilderForm {
  return {
    ...f,
    questions: f.questions.map((q, k) => {
      if (k !== i) return q;
      const next = { ...q, ...patch };
      // switching kind: choices get two blank options, the others none
      if (patch.kind && isChoice(patch.kind) !== isChoice(q.kind)) next.options = isChoice(patch.kind) ? ['', ''] : [];
      return next;
    }),
  };
}

const move = <T>(xs: T[], i: number, d: -1 | 1): T[] => {
  const j = i + d;
  if (i < 0 || i >= xs.length || j < 0 || j >= xs.length) return xs;
  const out = [...xs];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
};

export const moveQuestion = (f: BuilderForm, i: number, d: -1 | 1): BuilderForm => ({ ...f, questions: move(f.questions, i, d) });
export const removeQuestion = (f: BuilderForm, i: number): BuilderForm => ({ ...f, questions: f.questions.filter((_, k) => k !== i) });
export const addOption = (f: BuilderForm, i: number): BuilderForm =>
  updateQuestion(f, i, { options: f.questions[i].options.length >= 20 ? f.questions[i].options : [...f.questions[i].options, ''] });
export const removeOption = (f: BuilderForm, i: number, o: number): BuilderForm => updateQuestion(f, i, { options: f.questions[i].options.filter((_, k) => k !== o) });
export const moveOption = (f: BuilderForm, i: number, o: number, d: -1 | 1): BuilderForm => updateQuestion(f, i, { options: move(f.questions[i].options, o, d) });
export const setOption = (f: BuilderForm, i: number, o: number, text: string): BuilderForm =>
  updateQuestion(f, i, { options: f.questions[i].options.map((x, k) => (k === o ? text : x)) });

/** A saved draft back into the form (editing it later). */
export function builderFromSurvey(s: Survey): BuilderForm {
  return {
    title: s.title, intro: s.intro, anonymous: s.anonymous, targetKind: s.target.kind, targetIds: s.target.ids ?? [], tag: s.target.tag ?? '',
    opensOn: s.opensOn, closesOn: s.closesOn,
    questions: s.questions.map((q) => ({ id: q.id, kind: q.kind, title: q.title, options: q.options ?? [], required: q.required })),
  };
}

/** The form as the API takes it, or the problems in Chinese (the same question rules as the server's). */
export function builderBody(f: BuilderForm): { ok: true; body: SurveyCreate } | { ok: false; errors: BuilderErrors } {
  const errors: BuilderErrors = {};
  const title = f.title.trim();
  if (title.length < 4 || title.length > 128) errors.title = '问卷标题为4–128个字';
  if (!DATE.test(f.opensOn)) errors.opensOn = '请填写开始日期（年-月-日）';
  if (!DATE.test(f.closesOn)) errors.closesOn = '请填写截止日期（年-月-日）';
  else if (DATE.test(f.opensOn) && f.closesOn < f.opensOn) errors.closesOn = '截止日期不能早于开始日期';
  if (f.targetKind === 'tag' && !f.tag.trim()) errors.target = '请填写企业标签';
  if ((f.targetKind === 'area' || f.targetKind === 'library' || f.targetKind === 'policy') && !f.targetIds.length)
    errors.target = f.targetKind === 'area' ? '请选择属地' : f.targetKind === 'library' ? '请选择培育库' : '请选择政策';
  const questions: Question[] = f.questions.map((q) => ({
    id: q.id, kind: q.kind, title: q.title.trim(), required: q.required, ...(isChoice(q.kind) ? { options: q.options.map((o) => o.trim()) } : {}),
  }));
  const byQuestion: Record<number, string> = {};
  questions.forEach((q, i) => {
    if (!q.title) byQuestion[i] = `第${i + 1}题：请填写题目`;
    else if (q.options?.some((o) => !o)) byQuestion[i] = `第${i + 1}题：选项不能为空`;
  });
  for (const issue of validateQuestions(questions)) {
    const m = /^\/body\/questions\/(\d+)$/.exec(issue.path);
    if (m) byQuestion[Number(m[1])] ??= issue.message;
    else errors.questions = issue.message;
  }
  if (Object.keys(byQuestion).length) errors.byQuestion = byQuestion;
  if (Object.keys(errors).length) return { ok: false, errors };
  const target = f.targetKind === 'all' ? { kind: 'all' as const }
    : f.targetKind === 'tag' ? { kind: 'tag' as const, tag: f.tag.trim() }
    : { kind: f.targetKind, ids: [...new Set(f.targetIds)] };
  return { ok: true, body: { title, intro: f.intro.trim(), anonymous: f.anonymous, target, opensOn: f.opensOn, closesOn: f.closesOn, questions } };
}
