import {
  addOption, addQuestion, builderBody, builderFromSurvey, emptyBuilder, moveOption, moveQuestion, nextQuestionId, removeOption, removeQuestion, setOption, updateQuestion,
} from './survey-builder';

const base = () => ({ ...emptyBuilder('2026-12-01', '2026-12-31'), title: '惠企政策满意度调查' });

describe('survey builder', () => {
  test('questions get stable ids; options add, remove and reorder; switching kind resets options', () => {
    let f = addQuestion(addQuestion(base(), 'single'), 'text');
    expect(f.questions.map((q) => [q.id, q.options])).toEqual([['q1', ['', '']], ['q2', []]]);
    f = removeQuestion(f, 0);
    f = addQuestion(f, 'rating');
    expect(f.questions.map((q) => q.id)).toEqual(['q2', 'q3']);
    expect(nextQuestionId([{ id: 'q9' }, { id: 'x' }])).toBe('q10');
    f = updateQuestion(f, 0, { kind: 'multi', title: '您了解哪些政策？' });
    f = setOption(setOption(addOption(f, 0), 0, 0, '专精特新奖励'), 0, 1, '技改贴息');
    f = setOption(f, 0, 2, '人才补贴');
    f = moveOption(f, 0, 2, -1);
    expect(f.questions[0].options).toEqual(['专精特新奖励', '人才补贴', '技改贴息']);
    expect(moveOption(f, 0, 0, -1).questions[0].options).toEqual(f.questions[0].options); // the first cannot go up
    f = removeOption(f, 0, 1);
    expect(f.questions[0].options).toEqual(['专精特新奖励', '技改贴息']);
    f = moveQuestion(f, 1, -1);
    expect(f.questions.map((q) => q.id)).toEqual(['q3', 'q2']);
    expect(updateQuestion(f, 1, { kind: 'text' }).questions[1].options).toEqual([]);
  });

  test('the body: trimmed, target by kind; problems in Chinese', () => {
    let f = addQuestion(base(), 'single');
    let r = builderBody(f);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.byQuestion).toEqual({ 0: '第1题：请填写题目' });
    f = updateQuestion(f, 0, { title: ' 总体满意度 ', options: ['满意', '满意'] });
    r = builderBody(f);
    if (!r.ok) expect(r.errors.byQuestion![0]).toBe('第1题：选项不能重复');
    f = updateQuestion(f, 0, { options: ['满意', '不满意'] });
    expect(builderBody({ ...f, questions: [] })).toMatchObject({ ok: false, errors: { questions: '问卷至少需要一道题' } });
    expect(builderBody({ ...f, closesOn: '2026-11-01' })).toMatchObject({ ok: false, errors: { closesOn: '截止日期不能早于开始日期' } });
    expect(builderBody({ ...f, targetKind: 'area' })).toMatchObject({ ok: false, errors: { target: '请选择属地' } });
    expect(builderBody({ ...f, targetKind: 'tag', tag: ' ' })).toMatchObject({ ok: false, errors: { target: '请填写企业标签' } });
    expect(builderBody({ ...f, title: '调查' })).toMatchObject({ ok: false, errors: { title: '问卷标题为4–128个字' } });
    r = builderBody({ ...f, targetKind: 'policy', targetIds: ['p', 'p'], anonymous: true });
    expect(r).toEqual({
      ok: true,
      body: {
        title: '惠企政策满意度调查', intro: '', anonymous: true, target: { kind: 'policy', ids: ['p'] }, opensOn: '2026-12-01', closesOn: '2026-12-31',
        questions: [{ id: 'q1', kind: 'single', title: '总体满意度', required: true, options: ['满意', '不满意'] }],
      },
    });
    if (r.ok) {
      const back = builderFromSurvey({ ...r.body, intro: '', id: 's', status: 'draft', phase: 'draft', answered: null, version: 1, createdAt: '' } as never);
      expect(builderBody(back)).toEqual(r);
    }
    expect(builderBody({ ...f, targetKind: 'tag', tag: '外资' })).toMatchObject({ ok: true, body: { target: { kind: 'tag', tag: '外资' } } });
  });
});
