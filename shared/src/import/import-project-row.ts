/**
 * Pure row validation of a 重点项目 import (ADR 0010): amounts in 万元 become integer 元 exactly (the decimal string
 * is parsed, never a float), funding columns must add up to 总投资, years and dates in order, known labels. The
 * server then checks what needs the database (owner enterprise, area, leader, stewards, department).
 */
import { isValidCreditCode, normalizeCreditCode } from '../enterprise/credit-code';
import { FUNDING_SOURCES, PROJECT_KINDS, PROJECT_LABELS, type FundingSource, type ProjectKind } from '../project/project-labels';
import { PROJECT_STAGES, type ProjectStage } from '../project/project-machine';
import { formatYuan } from '../project/project-money';
import { wanToYuan } from '../report/money';
import { importColumnLabel } from './import-columns';
import { normalizePhone, parseDateCell, type RawRow, type RowProblem } from './import-rows';

/** A valid project row; money in integer 元 as decimal strings. */
export type ProjectImportRow = {
  row: number; name: string; creditCode: string; ownerName: string | null; area: string; location: string | null;
  nature: string; levels: string[]; kind: ProjectKind; startYear: number; endYear: number;
  plannedStartOn: string | null; plannedEndOn: string | null; totalInvestment: string;
  funding: { source: FundingSource; amount: string }[]; leaderPhone: string; stewardPhones: string[];
  department: string; stage: ProjectStage; industry: string | null; scaleContent: string | null;
};

/** The district's configurable options a row is checked against. */
export type ProjectRowOptions = { natures: readonly string[]; levels: readonly string[] };

/**
 * A 万元 cell as written ("2505.37", "2,505.37", full-width digits) → integer 元 as a string, exactly (the decimal
 * string is parsed, never a float; up to 4 decimals, 1 元 = 0.0001 万元), or null. "2505.37" → "25053700".
 */
export function parseWanCell(s: string): string | null {
  const t = s.normalize('NFKC').replace(/[\s,，]/g, '');
  if (!/^\d{1,11}(?:\.\d{1,4})?$/.test(t)) return null;
  return wanToYuan(t).toString();
}

const KIND_WORDS: Record<string, ProjectKind> = {
  ...Object.fromEntries(PROJECT_KINDS.map((k) => [PROJECT_LABELS.kind[k], k])), '扩建': 'expansion', '改建': 'expansion', '续建项目': 'continuing', '新建项目': 'new',
};
const STAGE_WORDS: Record<string, ProjectStage> = {
  ...Object.fromEntries(PROJECT_STAGES.map((s) => [PROJECT_LABELS.stage[s], s])), '谋划': 'planning', '储备': 'planning',
};

const split = (s: string) => s.normalize('NFKC').split(/[、,，;；/\s]+/).filter(Boolean);

/** Validates one project row (format and cross-column rules; references are checked with the database). */
export function validateProjectRow(r: RawRow, o: ProjectRowOptions): { value: ProjectImportRow | null; problems: RowProblem[] } {
  const c = r.cells;
  const problems: RowProblem[] = [];
  const add = (key: string, reason: string) => problems.push({ row: r.row, column: importColumnLabel('projects', key), reason });
  const opt = (k: string) => (c[k] && c[k]!.trim() ? c[k]!.trim() : null);

  const name = (c.name ?? '').trim();
  if (!name) add('name', '项目名称不能为空');
  else if (name.length > 128) add('name', '项目名称不能超过 128 个字');
  const creditCode = normalizeCreditCode((c.creditCode ?? '').normalize('NFKC'));
  if (!creditCode) add('creditCode', '业主单位信用代码不能为空');
  else if (creditCode.length !== 18) add('creditCode', `统一社会信用代码应为 18 位（现为 ${creditCode.length} 位）`);
  else if (!isValidCreditCode(creditCode)) add('creditCode', '统一社会信用代码校验位不正确，请核对');
  const area = (c.area ?? '').trim();
  if (!area) add('area', '建设地点（属地）不能为空');

  const nature = (c.nature ?? '').trim();
  if (!o.natures.includes(nature)) add('nature', `项目性质应为：${o.natures.join('、')}`);
  const levels = [...new Set(split(c.levels ?? ''))];
  if (!levels.length) add('levels', '项目级别不能为空');
  const badLevel = levels.find((l) => !o.levels.includes(l));
  if (badLevel) add('levels', `项目级别“${badLevel}”不可用，应为：${o.levels.join('、')}`);
  const kind = KIND_WORDS[(c.kind ?? '').trim()];
  if (!kind) add('kind', `建设性质应为：${PROJECT_KINDS.map((k) => PROJECT_LABELS.kind[k]).join('、')}`);
  let stage: ProjectStage = 'planning';
  if (opt('stage')) {
    const s = STAGE_WORDS[opt('stage')!];
    if (!s) add('stage', '阶段应为：谋划、签约、开工、竣工、投产、达效');
    else stage = s;
  }

  const year = (k: string) => {
    const t = (c[k] ?? '').normalize('NFKC').trim().replace(/年$/, '');
    const y = /^\d{4}$/.test(t) ? Number(t) : NaN;
    if (!(y >= 2000 && y <= 2100)) { add(k, '应为 2000–2100 之间的年份'); return null; }
    return y;
  };
  const startYear = year('startYear');
  const endYear = year('endYear');
  if (startYear && endYear && endYear < startYear) add('endYear', '建设年限止不能早于建设年限起');
  const date = (k: string) => {
    if (!opt(k)) return null;
    const d = parseDateCell(opt(k)!);
    if (!d) add(k, '日期应写成 2026-03-01');
    return d;
  };
  const plannedStartOn = date('plannedStartOn');
  const plannedEndOn = date('plannedEndOn');
  if (plannedStartOn && plannedEndOn && plannedEndOn < plannedStartOn) add('plannedEndOn', '计划竣工日期不能早于计划开工日期');

  const money = (k: string, required: boolean) => {
    const t = opt(k);
    if (!t) { if (required) add(k, '总投资不能为空'); return null; }
    const y = parseWanCell(t);
    if (y === null) add(k, '金额应为万元数，最多 4 位小数（如 2505.37）');
    return y;
  };
  const total = money('totalInvestment', true);
  const funding: { source: FundingSource; amount: string }[] = [];
  let fundingOk = true;
  for (const s of FUNDING_SOURCES) {
    if (!opt(s)) continue;
    const y = money(s, false);
    if (y === null) fundingOk = false;
    else if (y !== '0') funding.push({ source: s, amount: y });
  }
  if (total !== null && fundingOk) {
    const sum = funding.reduce((a, f) => a + BigInt(f.amount), 0n);
    if (!funding.length) add('fiscal', '至少填写一项资金来源，合计等于总投资');
    else if (sum !== BigInt(total))
      add('fiscal', `资金来源合计${formatYuan(sum)}与总投资${formatYuan(total)}不一致`);
  }

  const leaderPhone = normalizePhone(c.leaderPhone ?? '');
  if (!leaderPhone) add('leaderPhone', '包联领导电话应为 11 位手机号');
  const stewardPhones: string[] = [];
  for (const p of split(c.stewardPhones ?? '')) {
    const n = normalizePhone(p);
    if (!n) add('stewardPhones', `项目管家电话“${p}”不是 11 位手机号`);
    else if (!stewardPhones.includes(n)) stewardPhones.push(n);
  }
  if (stewardPhones.length > 10) add('stewardPhones', '项目管家最多 10 人');
  const department = (c.department ?? '').trim();
  if (!department) add('department', '责任单位不能为空');

  if (problems.length) return { value: null, problems };
  return {
    value: {
      row: r.row, name, creditCode, ownerName: opt('ownerName'), area, location: opt('location'), nature, levels, kind: kind!,
      startYear: startYear!, endYear: endYear!, plannedStartOn, plannedEndOn, totalInvestment: total!, funding,
      leaderPhone: leaderPhone!, stewardPhones, department, stage, industry: opt('industry'), scaleContent: opt('scaleContent'),
    },
    problems,
  };
}
