import { batchLists, defaultReportMonth, deviationText, glance, money, monthlyBars, problemFormUrl, projectCheckInUrl, stageBar, stageNeedsReason, stageTargets, validateMeetingForm, validateReportForm, validateStageForm } from './projects';

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

describe('desk and stage helpers', () => {
  it('prints the schedule deviation the seeds’ way', () => {
    expect(deviationText('13.8')).toBe('超过时间进度13.8个百分点');
    expect(deviationText('-5')).toBe('落后时间进度5个百分点');
    expect(deviationText('0')).toBe('与时间进度持平');
    expect(deviationText(null)).toBe('未下达年度计划');
  });

  it('offers later stages to advance and earlier ones to revert', () => {
    expect(stageTargets('signed', 'advance').map((x) => x.label)).toEqual(['开工', '竣工', '投产', '达效']);
    expect(stageTargets('signed', 'revert').map((x) => x.value)).toEqual(['planning']);
    expect(stageTargets('started', 'halt')).toEqual([]);
  });

  it('asks for a reason as the machine does: revert, halt, a skipped stage', () => {
    expect(stageNeedsReason('signed', { action: 'advance', to: 'started' })).toBe(false);
    expect(stageNeedsReason('signed', { action: 'advance', to: 'completed' })).toBe(true);
    expect(stageNeedsReason('signed', { action: 'revert', to: 'planning' })).toBe(true);
    expect(stageNeedsReason('started', { action: 'halt', to: '' })).toBe(true);
    expect(stageNeedsReason('started', { action: 'resume', to: '' })).toBe(false);
  });

  it('validates the stage form and builds the body with version, date, reason and photos', () => {
    const p = { stage: 'signed' as const, version: 3 };
    const base = { action: 'advance' as const, to: 'completed' as const, on: '2026-10-01', reason: '', note: '' };
    expect(validateStageForm(p, base, '2026-10-15', [])).toEqual({ ok: false, errors: { reason: '跨阶段推进须填写原因' } });
    expect(validateStageForm(p, { ...base, on: '2026-10-16' }, '2026-10-15', [])).toMatchObject({ ok: false, errors: { on: '日期不能晚于今天' } });
    expect(validateStageForm(p, { ...base, to: '' }, '2026-10-15', [])).toMatchObject({ ok: false, errors: { to: '请选择目标阶段' } });
    expect(validateStageForm(p, { ...base, reason: ' 合并验收 ', note: '现场已竣工' }, '2026-10-15', ['a'])).toEqual({
      ok: true, action: 'advance', body: { version: 3, on: '2026-10-01', to: 'completed', reason: '合并验收', note: '现场已竣工', photoIds: ['a'] },
    });
    expect(validateStageForm({ stage: 'started', version: 1 }, { action: 'resume', to: '', on: '2026-10-01', reason: '', note: '' }, '2026-10-15', [])).toEqual({
      ok: true, action: 'resume', body: { version: 1, on: '2026-10-01' },
    });
  });

  it('splits a batch into its three lists with the 兑现 line', () => {
    const entry = (kind: 'sign' | 'start' | 'produce', name: string, fulfilled: boolean) => ({
      project: { id: name, name, stage: 'started' as const, totalInvestment: '100000000' }, kind, promisedOn: '2026-06-30', fulfilled, fulfilledOn: fulfilled ? '2026-05-01' : null, removed: false,
    });
    const b = {
      id: 'b', no: 8, name: '第8期', startsOn: '2026-01-01', endsOn: '2026-12-31',
      summary: { projects: 3, totalInvestment: '300000000', removed: 0, inLibrary: 3, inLibraryInvestment: '300000000', byKind: {
        sign: { projects: 2, fulfilled: 1, totalInvestment: '200000000' }, start: { projects: 1, fulfilled: 0, totalInvestment: '100000000' },
      } },
      entries: [entry('sign', 'A', true), entry('sign', 'B', false), entry('start', 'C', false)],
    };
    const lists = batchLists(b);
    expect(lists.map((l) => [l.title, l.fulfilment, l.entries.length])).toEqual([
      ['签约一批（2个，总投资2亿元）', '签约转开工 1/2', 2],
      ['开工一批（1个，总投资1亿元）', '开工转投产 0/1', 1],
      ['投产一批（0个）', '投产转达效 0/0', 0],
    ]);
  });

  it('validates the 调度会 form: a chair, task deadlines not before the meeting', () => {
    const f = { heldOn: '2026-10-12', chairId: '', attendeeIds: [], projectIds: ['p'], decisions: ' ', tasks: [{ title: '', projectId: '', departmentId: '', dueOn: '2026-10-11' }] };
    expect(validateMeetingForm(f)).toEqual({ ok: false, errors: { chairId: '请选择主持人', 'tasks.0.title': '请填写交办事项', 'tasks.0.dueOn': '办结期限不能早于会议日期' } });
    expect(validateMeetingForm({ ...f, chairId: 'c', decisions: '加快推进', tasks: [{ title: ' 协调用电 ', projectId: 'p', departmentId: 'd', dueOn: '2026-10-20' }] })).toEqual({
      ok: true, body: { heldOn: '2026-10-12', chairId: 'c', projectIds: ['p'], decisions: '加快推进', tasks: [{ title: '协调用电', dueOn: '2026-10-20', projectId: 'p', departmentId: 'd' }] },
    });
  });

  it('opens the 诉求 form for a project (and a 调度会 task)', () => {
    expect(problemFormUrl({ id: 'p1', enterpriseId: 'e1' })).toBe('/packages/enterprise/pages/new/index?enterpriseId=e1&projectId=p1');
    expect(problemFormUrl({ id: 'p1', enterpriseId: 'e1' }, { id: 't1', title: '协调用电' }))
      .toBe(`/packages/enterprise/pages/new/index?enterpriseId=e1&projectId=p1&meetingTaskId=t1&title=${encodeURIComponent('协调用电')}`);
  });
});

test('the project check-in opens the steward’s check-in at the owner with the project named', () => {
  expect(projectCheckInUrl({ id: 'p1', name: '冷链项目', enterpriseId: 'e1' }))
    .toBe(`/packages/steward/pages/checkin/index?enterpriseId=e1&projectId=p1&projectName=${encodeURIComponent('冷链项目')}`);
});
