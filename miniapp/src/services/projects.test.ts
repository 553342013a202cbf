import { defaultReportMonth, glance, money, monthlyBars, stageBar, validateReportForm } from './projects';

describe('project view logic', () => {
  test('money prints the seeds’ way from integer 元 strings', () => {
    expect(money('79650000000')).toBe('796.5亿元');
    expect(money('25050000')).toBe('2505万元');
    expect(money(null)).toBe('—');
  });

  test('the stage bar marks done, current and todo', () => {
    expect(stageBar('started').map((s) => `${s.label}:${s.state}`)).toEqual(['谋划(储备):done', '签约:done', '开工:current', '竣工:todo', '投产:todo', '达效:todo']);
  });

  test('glance shows stage, light and % of plan', () => {
    expect(glance({ stage: 'started', halted: true, light: 'red', figures: { percentOfPlan: '37.41%' } as never })).toBe('开工·停工中 · 红灯 · 完成年计划37.41%');
    expect(glance({ stage: 'signed', halted: false, light: null, figures: { percentOfPlan: null } as never })).toBe('签约 · 未评价 · 未下达年度计划');
  });

  test('the 调度 form: 万元 to exact 元, no future month, progress required', () => {
    expect(defaultReportMonth('2026-01-15')).toBe('2025-12');
    expect(defaultReportMonth('2026-11-30')).toBe('2026-10');
    expect(validateReportForm({ month: '2026-10', amountWan: '1234.5678', progress: ' 主体施工 ', problems: '' }, '2026-11-30'))
      .toEqual({ ok: true, body: { month: '2026-10', amount: '12345678', progress: '主体施工' } });
    const bad = validateReportForm({ month: '2026-12', amountWan: '1.23456', progress: '', problems: '' }, '2026-11-30');
    expect(bad).toEqual({ ok: false, errors: { month: '不能填报2026-12（未来月份）的调度信息', amountWan: '请填写本月完成投资（万元，最多4位小数）', progress: '请填写形象进度' } });
    expect(validateReportForm({ month: '2026-10', amountWan: '-1', progress: 'x', problems: '' }, '2026-11-30').ok).toBe(false);
  });

  test('monthly bars scale to the largest month', () => {
    expect(monthlyBars([{ month: '2026-01', amount: '50' }, { month: '2026-02', amount: '200' }, { month: '2026-03', amount: '0' }]).map((b) => b.percent)).toEqual([25, 100, 0]);
  });
});
