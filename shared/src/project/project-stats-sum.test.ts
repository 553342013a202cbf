import type { ProjectStats } from '../schemas/projects';
import { sumProjectStats } from './project-stats-sum';

const part = (o: { projects: number; red: number; total: string; plan: string; done: string; started: number; due: number; starts: number }): ProjectStats => ({
  period: { from: '2026-01-01', to: '2026-06-30' }, year: 2026, projects: o.projects,
  byStage: { planning: 0, signed: 0, started: o.projects, completed: 0, producing: 0, effective: 0 } as ProjectStats['byStage'],
  byKind: { new: o.projects, continuing: 0, expansion: 0 },
  byLight: { green: o.projects - o.red, yellow: 0, red: o.red, none: 0 },
  halted: 0, active: o.projects, newStarts: o.starts, restarts: 0, completions: 0,
  startRate: { started: o.started, due: o.due, percent: null },
  totalInvestment: o.total, annualPlan: o.plan, completedYtd: o.done, percentOfPlan: null,
  schedule: { num: 1, den: 2, percent: '50.00%' }, deviationPoints: null,
  text: { totalInvestment: '', annualPlan: '', completedYtd: '' },
});

describe('project figures summed over districts', () => {
  test('counts and amounts add up; percentages come from the sums against the calendar schedule', () => {
    const s = sumProjectStats([
      part({ projects: 3, red: 1, total: '300000000', plan: '100000000', done: '40000000', started: 2, due: 3, starts: 1 }),
      part({ projects: 2, red: 0, total: '50000000', plan: '100000000', done: '80000000', started: 1, due: 1, starts: 2 }),
    ], '2026-01-01', '2026-06-30');
    expect(s).toMatchObject({
      projects: 5, byLight: { green: 4, red: 1, yellow: 0, none: 0 }, byKind: { new: 5 }, active: 5, newStarts: 3,
      startRate: { started: 3, due: 4, percent: '75.00%' },
      totalInvestment: '350000000', annualPlan: '200000000', completedYtd: '120000000', percentOfPlan: '60.00%',
      // end of June: 6 of 12 months; 60% done → 10 points ahead
      schedule: { num: 6, den: 12, percent: '50.00%' }, deviationPoints: '10',
      text: { totalInvestment: '3.5亿元', annualPlan: '2亿元', completedYtd: '1.2亿元' },
      period: { from: '2026-01-01', to: '2026-06-30' }, year: 2026,
    });
    expect(s.byStage.started).toBe(5);
  });

  test('no districts, or none with a plan: zeros and no percentages', () => {
    const s = sumProjectStats([], '2026-03-01', '2026-03-31');
    expect(s.byStage).toEqual({ planning: 0, signed: 0, started: 0, completed: 0, producing: 0, effective: 0 });
    expect(s).toMatchObject({ projects: 0, totalInvestment: '0', percentOfPlan: null, deviationPoints: null, startRate: { started: 0, due: 0, percent: null } });
  });
});
