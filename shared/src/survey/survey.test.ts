import { surveyPhase, validateAnswers, validateQuestions, type Question } from './survey';

const qs: Question[] = [
  { id: 'q1', kind: 'single', title: '政策是否清楚', options: ['清楚', '不清楚'], required: true },
  { id: 'q2', kind: 'multi', title: '希望的渠道', options: ['上门', '电话', '微信'], required: false },
  { id: 'q3', kind: 'rating', title: '满意度', required: true },
  { id: 'q4', kind: 'text', title: '意见建议', required: false },
];

describe('survey', () => {
  test('questions: choices need options, ids unique', () => {
    expect(validateQuestions(qs)).toEqual([]);
    expect(validateQuestions([]).map((i) => i.message)).toEqual(['问卷至少需要一道题']);
    expect(validateQuestions([{ id: 'a', kind: 'single', title: 'x', options: ['一'], required: true }, { id: 'a', kind: 'text', title: 'y', options: ['z'], required: false }]).map((i) => i.message))
      .toEqual(['第1题：选择题至少需要两个选项', '第2题：题目编号重复', '第2题：只有选择题可以设置选项']);
  });
  test('answers: required, ranges, unknown questions', () => {
    expect(validateAnswers(qs, { q1: 0, q3: 5 })).toEqual([]);
    expect(validateAnswers(qs, { q1: 0, q2: [0, 2], q3: 1, q4: '多上门' })).toEqual([]);
    expect(validateAnswers(qs, { q2: [0, 0], q3: 6, q9: 'x' }).map((i) => i.message)).toEqual([
      '问卷中没有这道题', '第1题为必答题', '第2题：选项不正确', '第3题：评分须为1–5分',
    ]);
    expect(validateAnswers(qs, { q1: 2, q3: 3 }).map((i) => i.message)).toEqual(['第1题：请选择一个选项']);
    expect(validateAnswers(qs, { q1: 0, q3: 3, q4: '   ' })).toEqual([]);
  });
  test('phase by date', () => {
    const s = { status: 'open' as const, opensOn: '2026-06-01', closesOn: '2026-06-30' };
    expect(surveyPhase(s, '2026-05-31')).toBe('not_open');
    expect(surveyPhase(s, '2026-06-30')).toBe('open');
    expect(surveyPhase(s, '2026-07-01')).toBe('closed');
    expect(surveyPhase({ ...s, status: 'draft' }, '2026-06-10')).toBe('draft');
  });
});
