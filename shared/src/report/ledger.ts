/**
 * 台账 (Excel ledgers): the Chinese column headers, the labels of the values they print, and the pure helpers
 * that shape a cell (column width for Chinese text, 万元 with two decimals, the 办理情况 summary of a timeline).
 * The server writes the workbook; these live here so the mini-app and tests read the same words.
 */
import { TICKET_ACTION_LABELS, TICKET_STATE_LABELS, type TicketAction, type TicketState, type Verdict } from '../ticket/ticket-machine';
import { VERDICT_LABELS } from '../labels';

/** One column of a ledger: its header and a width in Excel character units (a CJK character counts two). */
export type LedgerColumn = { key: string; header: string; width: number; kind?: 'text' | 'date' | 'datetime' | 'money' | 'int' | 'percent' };

/** The ledgers the office keeps. */
export type LedgerKind = 'tickets' | 'visits' | 'projects' | 'departmentRanking' | 'stewardRanking';

/** Sheet title and file name stem of each ledger. */
export const LEDGER_TITLES: Record<LedgerKind, string> = {
  tickets: '诉求台账', visits: '走访台账', projects: '项目台账', departmentRanking: '部门考核排名表', stewardRanking: '管家考核排名表',
};

/** What both ranking tables open with: the rank, its change from last month and the 红黑榜 mark. */
const RANK_COLUMNS: LedgerColumn[] = [
  { key: 'rank', header: '名次', width: 8, kind: 'int' },
  { key: 'change', header: '较上月', width: 10 },
  { key: 'list', header: '红黑榜', width: 10 },
];

/** 部门考核排名表: the rank, its change and 红黑榜 mark, then the indicators behind the composite score. */
export const DEPARTMENT_RANKING_COLUMNS: LedgerColumn[] = [
  ...RANK_COLUMNS,
  { key: 'name', header: '责任单位', width: 24 },
  { key: 'score', header: '综合得分', width: 12, kind: 'percent' },
  { key: 'acceptOnTimeRate', header: '响应率（及时签收率）%', width: 12, kind: 'percent' },
  { key: 'solveRate', header: '解决率%', width: 10, kind: 'percent' },
  { key: 'satisfactionRate', header: '满意率%', width: 10, kind: 'percent' },
  { key: 'received', header: '受理诉求', width: 10, kind: 'int' },
  { key: 'solved', header: '已解决', width: 10, kind: 'int' },
  { key: 'accepted', header: '已签收', width: 10, kind: 'int' },
  { key: 'acceptedOnTime', header: '按时签收', width: 10, kind: 'int' },
  { key: 'satisfied', header: '满意', width: 8, kind: 'int' },
  { key: 'basicallySatisfied', header: '基本满意', width: 10, kind: 'int' },
  { key: 'dissatisfied', header: '不满意', width: 8, kind: 'int' },
  { key: 'replyOnTimeRate', header: '按时办结率%', width: 12, kind: 'percent' },
  { key: 'overdue', header: '超期未办结', width: 12, kind: 'int' },
  { key: 'previousRank', header: '上月名次', width: 10, kind: 'int' },
];

/** 管家考核排名表. */
export const STEWARD_RANKING_COLUMNS: LedgerColumn[] = [
  ...RANK_COLUMNS,
  { key: 'name', header: '管家', width: 14 },
  { key: 'score', header: '得分', width: 10, kind: 'percent' },
  { key: 'contacts', header: '对接企业次数', width: 14, kind: 'int' },
  { key: 'enterprisesAssigned', header: '包保企业', width: 10, kind: 'int' },
  { key: 'assignedContacted', header: '走访覆盖企业', width: 14, kind: 'int' },
  { key: 'coverageRate', header: '覆盖率%', width: 10, kind: 'percent' },
  { key: 'problemsRaised', header: '提出问题', width: 10, kind: 'int' },
  { key: 'problemsSolved', header: '解决问题', width: 10, kind: 'int' },
  { key: 'solveRate', header: '解决率%', width: 10, kind: 'percent' },
  { key: 'satisfactionRate', header: '满意率%', width: 10, kind: 'percent' },
  { key: 'previousRank', header: '上月名次', width: 10, kind: 'int' },
];

/** 诉求台账: the columns offices keep by hand (序号 … 销号时间), in their order. */
export const TICKET_LEDGER_COLUMNS: LedgerColumn[] = [
  { key: 'seq', header: '序号', width: 8, kind: 'int' },
  { key: 'no', header: '受理编号', width: 14 },
  { key: 'enterprise', header: '企业', width: 30 },
  { key: 'category', header: '诉求类别', width: 20 },
  { key: 'content', header: '诉求内容', width: 50 },
  { key: 'submittedAt', header: '提出时间', width: 18, kind: 'datetime' },
  { key: 'department', header: '责任单位', width: 20 },
  { key: 'dueAt', header: '办理时限', width: 14, kind: 'date' },
  { key: 'progress', header: '办理情况', width: 60 },
  { key: 'solved', header: '是否解决', width: 10 },
  { key: 'verdict', header: '企业评价', width: 12 },
  { key: 'closedAt', header: '销号时间', width: 18, kind: 'datetime' },
];

/** 走访台账. */
export const VISIT_LEDGER_COLUMNS: LedgerColumn[] = [
  { key: 'seq', header: '序号', width: 8, kind: 'int' },
  { key: 'occurredAt', header: '走访时间', width: 18, kind: 'datetime' },
  { key: 'steward', header: '管家', width: 12 },
  { key: 'enterprise', header: '企业', width: 30 },
  { key: 'area', header: '属地', width: 16 },
  { key: 'kind', header: '方式', width: 10 },
  { key: 'status', header: '状态', width: 10 },
  { key: 'fence', header: '是否在企业现场', width: 16 },
  { key: 'problems', header: '发现问题数', width: 12, kind: 'int' },
  { key: 'tickets', header: '转诉求数', width: 10, kind: 'int' },
  { key: 'notes', header: '走访记录', width: 50 },
];

/** 项目台账 (money in 万元, two decimals, ADR 0004 stores 元). */
export const PROJECT_LEDGER_COLUMNS: LedgerColumn[] = [
  { key: 'seq', header: '序号', width: 8, kind: 'int' },
  { key: 'no', header: '项目编号', width: 14 },
  { key: 'name', header: '项目名称', width: 36 },
  { key: 'enterprise', header: '业主单位', width: 30 },
  { key: 'area', header: '建设地点', width: 16 },
  { key: 'stage', header: '阶段', width: 10 },
  { key: 'light', header: '序时进度', width: 10 },
  { key: 'leader', header: '包联领导', width: 12 },
  { key: 'department', header: '责任单位', width: 20 },
  { key: 'totalInvestment', header: '总投资（万元）', width: 16, kind: 'money' },
  { key: 'annualPlan', header: '年度计划投资（万元）', width: 22, kind: 'money' },
  { key: 'completedYtd', header: '年初累计完成（万元）', width: 22, kind: 'money' },
  { key: 'planPct', header: '占年计划%', width: 12, kind: 'percent' },
  { key: 'completedTotal', header: '开工累计完成（万元）', width: 22, kind: 'money' },
  { key: 'plannedStartOn', header: '计划开工', width: 12, kind: 'date' },
  { key: 'plannedEndOn', header: '计划竣工', width: 12, kind: 'date' },
];

/** 是 / 否 cells. (Verdicts, visit kinds and visit states print through the one label table, ../labels.ts.) */
export const YES_NO = (b: boolean | null | undefined): string => (b === null || b === undefined ? '' : b ? '是' : '否');
/** Width of a text in Excel character units: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

/** A column's width: its planned width, widened so the header fits (plus padding for the filter arrow). */
export function columnWidth(c: LedgerColumn): number {
  return Math.max(c.width, displayWidth(c.header) + 4);
}

/** 元 (integer string or bigint) → 万元 as a number rounded half-up to two decimals (exact via bigint). */
export function yuanToWanNumber(yuan: string | bigint | number): number {
  const n = typeof yuan === 'bigint' ? yuan : BigInt(yuan);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const cents = (abs * 2n + 100n) / 200n; // 万元 × 100, half-up: abs / 100 rounded
  const v = Number(cents) / 100;
  return neg ? -v : v;
}

/** One step of a ticket's timeline as the ledger summarises it. */
export type LedgerStep = { action: TicketAction | 'submit'; at: string; department?: string | null; verdict?: Verdict | null };

/**
 * Actions worth a line in 办理情况 (notes and automatic housekeeping are left out). The server reads only these
 * events for the ledger (about two in seven events of a ticket are the submission and notes).
 */
export const LEDGER_SUMMARY_ACTIONS: readonly TicketAction[] = ['route', 'dispatch', 'accept', 'return', 'reassign', 'request_info', 'approve_extension', 'reply', 'confirm', 'record_visit', 'close', 'withdraw', 'merge', 'escalate', 'supervise'];
const SUMMARY_ACTIONS = new Set<string>(LEDGER_SUMMARY_ACTIONS);

/**
 * 办理情况: the timeline in one cell, "03-01 交办（区人社局）；03-02 签收；03-05 答复；03-08 确认办理结果：满意；当前：已销号".
 * Dates are Shanghai month-day; steps in order; the current state last.
 */
export function summarizeTimeline(steps: readonly LedgerStep[], state: TicketState, shanghaiMonthDay: (iso: string) => string): string {
  const parts: string[] = [];
  for (const s of steps) {
    if (!SUMMARY_ACTIONS.has(s.action)) continue;
    let text = `${shanghaiMonthDay(s.at)} ${TICKET_ACTION_LABELS[s.action]}`;
    if (s.department && (s.action === 'route' || s.action === 'dispatch' || s.action === 'reassign')) text += `（${s.department}）`;
    if (s.verdict && (s.action === 'confirm' || s.action === 'record_visit')) text += `：${VERDICT_LABELS[s.verdict]}`;
    parts.push(text);
  }
  parts.push(`当前：${TICKET_STATE_LABELS[state]}`);
  return parts.join('；');
}
