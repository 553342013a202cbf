import type { ProjectStats } from '../schemas/projects';
import { formatPercent, projectMoneyFigures } from './project-money';
import { scheduleShare } from './project-light';
import { PROJECT_STAGES } from './project-machine';

/**
 * The project figures of several districts as one (a city, ADR 0008): every count and amount is the sum of the
 * districts' (a project belongs to one district); the percentages are recomputed from the sums. The time schedule is
 * the calendar one (elapsed months ÷ 12) — districts may keep their own schedule mode, and figures summed across
 * them are measured against one schedule, as the city scores every district with the same weights.
 * `from`/`to` are the period every part was counted for.
 */
export function sumProjectStats(parts: readonly ProjectStats[], from: string, to: string): ProjectStats {
  const n = (f: (p: ProjectStats) => number) => parts.reduce((s, p) => s + f(p), 0);
  const yuan = (f: (p: ProjectStats) => string) => parts.reduce((s, p) => s + BigInt(f(p)), 0n);
  const total = yuan((p) => p.totalInvestment);
  const plan = yuan((p) => p.annualPlan);
  const completed = yuan((p) => p.completedYtd);
  const share = scheduleShare(to, 'calendar', undefined, true);
  const started = n((p) => p.startRate.started);
  const due = n((p) => p.startRate.due);
  return {
    period: { from, to },
    year: Number(to.slice(0, 4)),
    projects: n((p) => p.projects),
    byStage: Object.fromEntries(PROJECT_STAGES.map((s) => [s, n((p) => p.byStage[s])])) as ProjectStats['byStage'],
    byKind: { new: n((p) => p.byKind.new), continuing: n((p) => p.byKind.continuing), expansion: n((p) => p.byKind.expansion) },
    byLight: { green: n((p) => p.byLight.green), yellow: n((p) => p.byLight.yellow), red: n((p) => p.byLight.red), none: n((p) => p.byLight.none) },
    halted: n((p) => p.halted),
    active: n((p) => p.active),
    newStarts: n((p) => p.newStarts),
    restarts: n((p) => p.restarts),
    completions: n((p) => p.completions),
    startRate: { started, due, percent: due ? formatPercent(BigInt(started), BigInt(due)) : null },
    ...projectMoneyFigures(total, plan, completed, share),
  };
}
