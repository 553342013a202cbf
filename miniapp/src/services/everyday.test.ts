import { insertTemplate, rateText, yearToDate } from './everyday';
import { actionBody, actionForm, initialValues } from './ticket-action-forms';

describe('everyday tools (issue 13), client side', () => {
  it('inserts a 常用语 on its own line, or alone in an empty field', () => {
    expect(insertTemplate('', '已收悉')).toBe('已收悉');
    expect(insertTemplate('  ', '已收悉')).toBe('已收悉');
    expect(insertTemplate('您好。\n', '已收悉')).toBe('您好。\n已收悉');
  });
  it('prints rates and the year to date in Shanghai time', () => {
    expect(rateText(92.5)).toBe('92.5%');
    expect(rateText(null)).toBe('—');
    expect(yearToDate(new Date('2026-12-31T17:00:00Z'))).toEqual({ from: '2027-01-01', to: '2027-01-01' });
    expect(yearToDate(new Date('2026-11-30T10:00:00Z'))).toEqual({ from: '2026-01-01', to: '2026-11-30' });
  });
  it('offers the steward rating on the confirmation only when the enterprise has a steward, and sends it', () => {
    const ctx = { state: 'replied', escalationLevel: 1, extensionDaysGranted: 0 };
    expect(actionForm('confirm', ctx).fields.map((f) => f.name)).toEqual(['verdict', 'rating', 'comment']);
    const spec = actionForm('confirm', { ...ctx, stewardName: '张三' });
    expect(spec.fields.map((f) => f.name)).toEqual(['verdict', 'rating', 'comment', 'stewardRating', 'stewardComment']);
    expect(spec.fields[3].label).toBe('为管家张三评分（选填）');
    const v = { ...initialValues(spec), verdict: 'satisfied', stewardRating: 4, stewardComment: ' 很负责 ' };
    expect(actionBody(spec, v, 7)).toEqual({ version: 7, verdict: 'satisfied', stewardRating: 4, stewardComment: '很负责' });
    expect(actionBody(spec, { ...v, stewardRating: 0, stewardComment: '' }, 7)).toEqual({ version: 7, verdict: 'satisfied' });
  });
});
