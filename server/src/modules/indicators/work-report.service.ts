import type { DataSource } from 'typeorm';
import { sqlParams } from '../../lib/sql';
import { monthlyParagraph, type IndicatorSummary, type StatsScope, type WorkReport } from '@guanjia/shared';
import type { AuthUser } from '../../lib/principal';
import { projectParagraphFor } from '../projects/project-stats.service';
import { getIndicatorSettings } from './indicator-settings';
import { periodOf, resolveScope, summaryFor, type Period, type Scope } from './indicators.service';
import { departmentRanking } from './rankings.service';
import { overdueSql, receivedSql } from './indicator-sql';

/** At most this many items are listed under 存在问题 (the rest are counted). */
export const PROBLEM_ITEMS_MAX = 20;

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const CN_SUB = ['（一）', '（二）', '（三）', '（四）', '（五）'];

/** "2026年3月份" for a whole month, "2026年1月1日至3月31日" otherwise (year repeated only when it changes). */
export function periodWords(from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (fy === ty && fm === tm && fd === 1 && td === lastOfMonth) return `${fy}年${fm}月份`;
  return `${fy}年${fm}月${fd}日至${fy === ty ? '' : `${ty}年`}${tm}月${td}日`;
}

const pctText = (x: number | null) => (x === null ? null : `${x}%`);

/** The 诉求办理情况 sentences, every number from the summary (rates left out when they have no denominator). */
export function ticketSentences(s: IndicatorSummary): string[] {
  const t = s.tickets;
  if (t.received === 0 && t.withdrawn === 0) return [];
  const out: string[] = [];
  out.push(`共受理企业诉求${t.received}件，涉及企业${t.enterprises}家。`);
  const handled = [`已办结${t.handled}件`];
  if (t.handledRate !== null) handled.push(`办结率${pctText(t.handledRate)}`);
  handled.push(`已解决${t.solved}件`);
  if (t.inCoordination > 0) handled.push(`正在协调解决${t.inCoordination}件`);
  if (t.solveRate !== null) handled.push(`解决率${pctText(t.solveRate)}`);
  out.push(`${handled.join('，')}。`);
  const rates: string[] = [];
  if (t.acceptOnTimeRate !== null) rates.push(`及时签收率${pctText(t.acceptOnTimeRate)}`);
  if (t.replyOnTimeRate !== null) rates.push(`按时办结率${pctText(t.replyOnTimeRate)}`);
  const verdicts = t.satisfied + t.basicallySatisfied + t.dissatisfied;
  if (t.satisfactionRate !== null) rates.push(`满意率${pctText(t.satisfactionRate)}（有效回访${verdicts}件，其中满意${t.satisfied}件、基本满意${t.basicallySatisfied}件、不满意${t.dissatisfied}件）`);
  if (rates.length) out.push(`${rates.join('，')}。`);
  if (t.score !== null) out.push(`按“响应率×${s.weights.response}＋解决率×${s.weights.solve}＋满意率×${s.weights.satisfaction}”计算，综合得分${t.score}分。`);
  const days: string[] = [];
  if (t.avgAcceptDays !== null) days.push(`平均签收用时${t.avgAcceptDays}个工作日`);
  if (t.avgReplyDays !== null) days.push(`平均答复用时${t.avgReplyDays}个工作日`);
  if (days.length) out.push(`${days.join('，')}。`);
  const other = [
    ...(t.returned ? [`退回${t.returned}件（回退率${pctText(t.returnRate)}）`] : []),
    ...(t.reopened ? [`重办${t.reopened}件（重办率${pctText(t.reopenRate)}）`] : []),
    ...(t.extended ? [`延期${t.extended}件`] : []),
    ...(t.withdrawn ? [`企业撤回${t.withdrawn}件`] : []),
  ];
  if (other.length) out.push(`${other.join('，')}。`);
  const esc = [
    ...(t.escalations.level2 ? [`升级至部门层面${t.escalations.level2}件`] : []),
    ...(t.escalations.level3 ? [`提请县级帮扶责任人协调${t.escalations.level3}件`] : []),
    ...(t.escalations.level4 ? [`提交协调会研究${t.escalations.level4}件`] : []),
  ];
  if (esc.length) out.push(`分级调度方面，${esc.join('，')}。`);
  if (t.supervisions.issued) out.push(`下发督办单${t.supervisions.issued}份，已办结${t.supervisions.done}份。`);
  return out;
}

type ProblemRow = { no: string; title: string; enterprise: string; department: string | null; level: number; overdue: boolean };

/** Overdue (now) and escalated (level ≥ 3, still open) tickets of the period and scope, oldest first, at most N each. */
async function problemItems(db: DataSource, districtId: string, period: Period, scope: Scope): Promise<{ overdue: ProblemRow[]; escalated: ProblemRow[] }> {
  const { params, p } = sqlParams([districtId, period.start, period.endEx, period.now, PROBLEM_ITEMS_MAX]);
  const id = scope.kind === 'district' ? '' : p(scope.id);
  const cond = scope.kind === 'district' ? 'true'
    : scope.kind === 'area' ? `t.area_id = ${id}`
      : scope.kind === 'department' ? `t.lead_department_id = ${id}`
        : scope.kind === 'steward' ? `t.submitted_by = ${id} AND t.submitted_role = 'steward'`
          : `(t.category_id = ${id} OR t.category_id IN (SELECT id FROM ticket_category WHERE parent_id = ${id}))`;
  const q = (extra: string) => db.query(
    `SELECT t.no, t.title, e.name AS enterprise, d.name AS department, t.escalation_level AS level, ${overdueSql('$4')} AS overdue
       FROM ticket t JOIN enterprise e ON e.id = t.enterprise_id LEFT JOIN department d ON d.id = t.lead_department_id
      WHERE t.district_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND ${receivedSql('t')} AND ${cond} AND ${extra}
      ORDER BY t.created_at, t.id LIMIT $5`,
    params,
  ) as Promise<ProblemRow[]>;
  const [overdue, escalated] = await Promise.all([
    q(overdueSql('$4')),
    q(`t.escalation_level >= 3 AND t.state NOT IN ('confirmed','closed')`),
  ]);
  return { overdue, escalated };
}

const LEVEL_WORDS: Record<number, string> = { 2: '部门层面', 3: '县级帮扶责任人', 4: '协调会' };

/**
 * The period's work report in the seeds' style (docs/metrics.md). Every number is taken from the indicator summary (the
 * `/stats/summary` answer for the same period and scope), the project paragraph, and the month's department ranking;
 * sections with nothing to say are left out.
 */
export async function workReport(db: DataSource, auth: AuthUser, q: { from: string; to: string; scope?: StatsScope; scopeId?: string }, now = new Date()): Promise<WorkReport> {
  const period = periodOf(q.from, q.to, now);
  const scope = await resolveScope(db, auth, q.scope, q.scopeId);
  const settings = await getIndicatorSettings(db, auth.districtId);
  const summary = await summaryFor(db, auth, period, scope, settings);
  const [district] = await db.query(`SELECT name FROM district WHERE id = $1`, [auth.districtId]);
  const when = periodWords(period.from, period.to);
  const t = summary.tickets;
  const sections: WorkReport['sections'] = [];
  const add = (key: WorkReport['sections'][number]['key'], title: string, paragraphs: WorkReport['sections'][number]['paragraphs']) => {
    sections.push({ key, heading: `${CN_NUM[sections.length]}、${title}`, paragraphs });
  };

  // 一、总体情况: the monthly paragraph's wording over this period's figures.
  if (t.received > 0 || (summary.visits?.contacts ?? 0) > 0) {
    let text = monthlyParagraph({
      asOf: when,
      contacts: summary.visits?.byChannel ?? {},
      enterprisesWithRequests: t.enterprises,
      requestsByCategory: t.byCategory.map((c) => ({ category: c.category.name, count: c.received })),
      solved: t.solved,
      inProgress: t.inCoordination,
    });
    if (!summary.visits) text = text.slice(text.indexOf('。') + 1); // no contacts in a department or category scope
    const cov = summary.visits && summary.visits.enterprisesAssigned > 0
      ? `包保企业${summary.visits.enterprisesAssigned}家，期间走访覆盖${summary.visits.assignedContacted}家，覆盖率${summary.visits.coverageRate}%。` : '';
    add('overview', '总体情况', [{ text: `${text}${cov}` }]);
  }

  // 二、诉求办理情况
  const ts = ticketSentences(summary);
  if (ts.length) add('tickets', '诉求办理情况', [{ text: `${when}，${ts.join('')}` }]);

  // 三、项目推进情况
  if (summary.projects && summary.projects.projects > 0) {
    const pp = await projectParagraphFor(db, auth, {
      from: period.from, to: period.to,
      ...(scope.kind === 'area' ? { areaId: scope.id! } : scope.kind === 'department' ? { departmentId: scope.id! } : {}),
    }, now);
    add('projects', '项目推进情况', [{ text: pp.text }]);
  }

  // 四、考核排名情况: the department ranking of a whole month (the published snapshot once published).
  const whole = /月份$/.test(when);
  if (whole && scope.kind === 'district') {
    const ranking = await departmentRanking(db, auth, period.from.slice(0, 7), now);
    const line = (r: (typeof ranking.rows)[number]) =>
      `${r.department.name}，综合得分${r.score}分（解决率${r.solveRate ?? '—'}${r.solveRate === null ? '' : '%'}，满意率${r.satisfactionRate ?? '—'}${r.satisfactionRate === null ? '' : '%'}）${r.change && r.change.direction !== 'new' ? `，较上月${r.change.text}` : ''}`;
    const paras: WorkReport['sections'][number]['paragraphs'] = [];
    const ranked = ranking.rows.filter((r) => r.rank !== null).length;
    if (ranking.red.length) paras.push({ heading: `${CN_SUB[paras.length]}红榜`, text: `本月参与考核的责任单位${ranked}个，综合得分前${ranking.red.length}名为：`, items: ranking.red.map(line) });
    if (ranking.black.length) paras.push({ heading: `${CN_SUB[paras.length]}黑榜`, text: `综合得分后${ranking.black.length}名为：`, items: ranking.black.map(line) });
    if (paras.length) add('rankings', '考核排名情况', paras);
  }

  // 五、存在问题: overdue and escalated items, listed.
  const items = await problemItems(db, auth.districtId, period, scope);
  const probs: WorkReport['sections'][number]['paragraphs'] = [];
  const item = (r: ProblemRow) => `${r.no} ${r.enterprise}：${r.title}${r.department ? `（${r.department}）` : ''}`;
  if (t.overdue > 0) {
    probs.push({
      heading: `${CN_SUB[probs.length]}超期未办结`, text: `超期未办结诉求${t.overdue}件${t.overdue > items.overdue.length ? `，列出最早的${items.overdue.length}件` : ''}：`,
      items: items.overdue.map(item),
    });
  }
  if (items.escalated.length) {
    probs.push({
      heading: `${CN_SUB[probs.length]}升级调度未办结`, text: '以下诉求已提请县级帮扶责任人或协调会研究，尚未办结：',
      items: items.escalated.map((r) => `${item(r)}，${LEVEL_WORDS[r.level] ?? ''}`),
    });
  }
  if (probs.length) add('problems', '存在问题', probs);

  // 六、下步工作: left for the office to write.
  add('next', '下步工作', [{ text: '（此处填写下步工作安排。）' }]);

  const scopeWords = scope.kind === 'district' ? '' : scope.name;
  return {
    title: `${district?.name ?? ''}${scopeWords}${when}助企服务工作情况报告`,
    period: { from: period.from, to: period.to },
    scope,
    sections,
    figures: summary,
  };
}

/** The report as Markdown (headings as in the document) or as a .docx (GB/T 9704 layout). */
export async function renderWorkReport(r: WorkReport, format: 'md' | 'docx'): Promise<Buffer | string> {
  // docx and jszip load on the first .docx asked for, not at start (lib/lazy-modules.ts)
  if (format === 'docx') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderDocx } = require('./work-report.docx') as typeof import('./work-report.docx');
    return renderDocx(r);
  }
  const lines = [`# ${r.title}`, ''];
  for (const s of r.sections) {
    lines.push(`## ${s.heading}`, '');
    for (const p of s.paragraphs) {
      if (p.heading) lines.push(`### ${p.heading}`, '');
      lines.push(p.text, '');
      if (p.items?.length) {
        p.items.forEach((it, i) => lines.push(`${i + 1}. ${it}`));
        lines.push('');
      }
    }
  }
  return lines.join('\n');
}
