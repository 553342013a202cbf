import { makeWorkCalendar } from '../calendar/working-days';
import { addMonths, computeLight, DEFAULT_LIGHT_SETTINGS, scheduleShare, type LightInput } from './project-light';

const base: LightInput = {
  asOf: '2026-07-15', stage: 'started', plannedStartOn: '2026-03-01',
  annualPlan: 1_000_000n, completedYtd: 500_000n, share: { num: 6, den: 12 }, overdueMilestones: [],
};

describe('project light (序时进度)', () => {
  test('schedule share counts whole months elapsed', () => {
    expect(scheduleShare('2026-01-31', 'calendar')).toEqual({ num: 0, den: 12 });
    expect(scheduleShare('2026-06-30', 'calendar')).toEqual({ num: 5, den: 12 });
    expect(scheduleShare('2026-07-01', 'calendar')).toEqual({ num: 6, den: 12 });
    expect(scheduleShare('2026-06-30', 'calendar', undefined, true)).toEqual({ num: 6, den: 12 });
    expect(scheduleShare('2026-06-29', 'calendar', undefined, true)).toEqual({ num: 5, den: 12 });
    expect(scheduleShare('2026-12-31', 'calendar', undefined, true)).toEqual({ num: 12, den: 12 });
    expect(scheduleShare('2026-12-31', 'working_days', makeWorkCalendar({ holidays: [], makeUpWorkdays: [] }), true)).toEqual({ num: 261, den: 261 });
    const cal = makeWorkCalendar({ holidays: [], makeUpWorkdays: [] });
    const s = scheduleShare('2026-02-10', 'working_days', cal);
    expect(s.num).toBe(22); // January 2026 has 22 weekdays
    expect(s.den).toBe(261);
  });

  test.each([
    // completed of 1,000,000 at schedule 50%
    [500_000n, 'green'],
    [400_001n, 'green'], // 9.9999 behind
    [400_000n, 'yellow'], // exactly 10 behind
    [200_000n, 'yellow'], // exactly 30 behind
    [199_999n, 'red'], // just over 30 behind
    [0n, 'red'],
    [900_000n, 'green'],
  ] as const)('completed %s → %s', (completed, light) => {
    expect(computeLight({ ...base, completedYtd: completed }).light).toBe(light);
  });

  test('at a month boundary the same figures can turn the light, and catching up lifts it', () => {
    const june30 = { ...base, asOf: '2026-06-30', share: scheduleShare('2026-06-30', 'calendar'), completedYtd: 300_000n };
    const july1 = { ...june30, asOf: '2026-07-01', share: scheduleShare('2026-07-01', 'calendar') };
    expect(computeLight(june30).light).toBe('yellow'); // 30 vs 41.67: 11.67 behind
    expect(computeLight(july1)).toMatchObject({ light: 'yellow', reasons: ['落后时间进度20个百分点'] });
    expect(computeLight({ ...july1, completedYtd: 150_000n }).light).toBe('red'); // 35 behind
    expect(computeLight({ ...july1, completedYtd: 500_000n }).light).toBe('green');
  });

  test('no plan skips the schedule rule', () => {
    expect(computeLight({ ...base, annualPlan: 0n, completedYtd: 0n })).toEqual({ light: 'green', reasons: [], deviationBp: null });
  });

  test('red when 开工 is more than 3 months late', () => {
    const notStarted = { ...base, stage: 'signed' as const, annualPlan: 0n, plannedStartOn: '2026-03-15' };
    expect(computeLight({ ...notStarted, asOf: '2026-06-15' }).light).toBe('green');
    expect(computeLight({ ...notStarted, asOf: '2026-06-16' })).toMatchObject({ light: 'red', reasons: ['计划2026-03-15开工，逾期超过3个月未开工'] });
    expect(computeLight({ ...notStarted, stage: 'started', asOf: '2026-09-01' }).light).toBe('green');
    expect(computeLight({ ...notStarted, asOf: '2026-06-16' }, { ...DEFAULT_LIGHT_SETTINGS, startLateMonths: 6 }).light).toBe('green');
  });

  test('yellow for an overdue milestone; the worst light wins and keeps only its reasons', () => {
    expect(computeLight({ ...base, overdueMilestones: ['环评', '施工许可'] })).toMatchObject({ light: 'yellow', reasons: ['节点逾期：环评、施工许可'] });
    const r = computeLight({ ...base, completedYtd: 0n, overdueMilestones: ['环评'] });
    expect(r.light).toBe('red');
    expect(r.reasons).toEqual(['落后时间进度50个百分点']);
  });

  test('thresholds are configurable', () => {
    const strict = { ...DEFAULT_LIGHT_SETTINGS, yellowPoints: 5, redPoints: 15 };
    expect(computeLight({ ...base, completedYtd: 440_000n }, strict).light).toBe('yellow');
    expect(computeLight({ ...base, completedYtd: 340_000n }, strict).light).toBe('red');
  });

  test('addMonths clamps to the end of the month', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-15', 3)).toBe('2026-06-15');
  });
});
