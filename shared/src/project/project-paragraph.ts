/**
 * The project paragraph of the monthly report, in the seeds' wording (S4 and S0):
 *   "共实施省市重点项目56个，总投资796.5亿元，年度计划投资343.4亿元，其中新建项目36个、续建项目20个。截至目前，
 *    已完成投资128.4亿元，占年度计划投资的37.41%。"
 *   "实施5000万元以上项目22项，其中新开工7项，复工15项。竣工项目5项。"
 * Punctuation is full-width as in S0 and the monthly paragraph (GB/T 15834); S4's half-width commas
 * are a typesetting artefact. This function owns the wording; the server computes the figures (the same figures
 * `/project-stats` returns), so the paragraph can never disagree with the numbers.
 */
import { formatWan } from '../report/money';
import { formatPercent } from './project-money';

/** Part one: the key-project ledger for the year (figures of a level-filtered scope). */
export type LedgerFigures = {
  projects: number;
  totalInvestment: bigint;
  annualPlan: bigint;
  byKind: { new: number; continuing: number; expansion: number };
  completedYtd: bigint;
};

/** Part two: the large projects (total ≥ threshold) in the period. */
export type LargeProjectFigures = { threshold: bigint; active: number; newStarts: number; restarts: number; completions: number };

/** Input of `projectParagraph`. */
export type ProjectParagraphInput = {
  /** level tags of part one, as configured (省重点, 市重点 …); empty = all key projects */
  levels: readonly string[];
  ledger: LedgerFigures;
  large: LargeProjectFigures | null;
  /** opening phrase of the completion sentence; default 截至目前 */
  asOf?: string;
};

/** "省重点"+"市重点" → "省市重点项目"; none → "重点项目". */
export function levelWord(levels: readonly string[]): string {
  const prefix = levels.map((l) => l.replace(/重点(项目)?$/, '')).join('');
  return `${prefix}重点项目`;
}

function count(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
  return n;
}

/** Writes the paragraph; throws on figures that cannot all be true (kinds not adding up to the projects). */
export function projectParagraph(input: ProjectParagraphInput): string {
  const l = input.ledger;
  const n = count(l.projects, 'projects');
  const kinds: [string, number][] = [
    ['新建项目', count(l.byKind.new, 'new')],
    ['续建项目', count(l.byKind.continuing, 'continuing')],
    ['改扩建项目', count(l.byKind.expansion, 'expansion')],
  ];
  if (kinds.reduce((s, [, k]) => s + k, 0) !== n) throw new RangeError('projects by kind do not add up');
  const out: string[] = [];
  if (n === 0) {
    out.push(`暂无${levelWord(input.levels)}。`);
  } else {
    const kindText = kinds.filter(([, k]) => k > 0).map(([w, k]) => `${w}${k}个`).join('、');
    out.push(`共实施${levelWord(input.levels)}${n}个，总投资${formatWan(l.totalInvestment)}，年度计划投资${formatWan(l.annualPlan)}，其中${kindText}。`);
    const completed = `已完成投资${formatWan(l.completedYtd)}`;
    const share = l.annualPlan > 0n ? `，占年度计划投资的${formatPercent(l.completedYtd, l.annualPlan)}` : '';
    out.push(`${input.asOf ?? '截至目前'}，${completed}${share}。`);
  }
  const g = input.large;
  if (g) {
    const parts = [
      ...(count(g.newStarts, 'newStarts') > 0 ? [`新开工${g.newStarts}项`] : []),
      ...(count(g.restarts, 'restarts') > 0 ? [`复工${g.restarts}项`] : []),
    ];
    out.push(`实施${formatWan(g.threshold)}以上项目${count(g.active, 'active')}项${parts.length ? `，其中${parts.join('，')}` : ''}。`);
    out.push(`竣工项目${count(g.completions, 'completions')}项。`);
  }
  return out.join('');
}
