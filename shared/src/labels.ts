/**
 * THE table of Chinese labels for every code a person can see (docs/screens.md): roles, ticket states and actions,
 * escalation levels, verdicts, 督办单, 回访, visits, areas, calendar sources, and (re-exported) the project labels.
 * The server's messages and the mini-app's screens print the same words; the browser tests hold every screen to
 * showing none of these codes (`KNOWN_CODES`). The modules that own the enums re-export their tables from here, so
 * older imports keep working.
 */
import type { PrincipalRole, Scope } from './roles';
import type { EscalationLevel, ReplyOutcome, TicketAction, TicketState, Verdict } from './ticket/ticket-machine';
import type { PlausibilityFlag, VisitFlag } from './visit/cadence';
import { PROJECT_LABELS } from './project/project-labels';

export { PROJECT_LABELS };

/** Roles (人). */
export const ROLE_LABELS: Record<PrincipalRole, string> = {
  enterprise: '企业联系人',
  steward: '管家',
  department: '部门办理人',
  coordinator: '调度员',
  leader: '领导',
  admin: '管理员',
  operator: '平台运维',
};

/** Where a person's authority reaches (ADR 0008). */
export const SCOPE_LABELS: Record<Scope, string> = { district: '区县', city: '市级', platform: '平台' };

/** 诉求 states. */
export const TICKET_STATE_LABELS: Record<TicketState, string> = {
  submitted: '已提交',
  pending_dispatch: '待交办',
  assigned: '已交办',
  accepted: '已签收',
  in_progress: '办理中',
  awaiting_info: '待企业补充材料',
  replied: '已答复',
  awaiting_visit: '待回访',
  confirmed: '企业已确认',
  closed: '已销号',
  withdrawn: '已撤回',
  merged: '已并单',
};

/** 诉求 actions (button captions and timeline lines). */
export const TICKET_ACTION_LABELS: Record<TicketAction | 'submit', string> = {
  submit: '提交诉求',
  route: '自动交办',
  dispatch: '交办',
  accept: '签收',
  return: '退回',
  reassign: '改派',
  add_note: '办理进展',
  request_info: '请企业补充材料',
  provide_info: '补充材料',
  request_extension: '申请延期',
  approve_extension: '同意延期',
  reject_extension: '不同意延期',
  reply: '答复',
  confirm: '确认办理结果',
  open_visit: '发起回访',
  record_visit: '记录回访',
  close: '销号',
  withdraw: '撤回',
  merge: '并单',
  escalate: '升级',
  supervise: '督办',
};

/**
 * Timeline steps that are not machine actions (a meeting, a recomputed deadline, the enterprise's 催办): their
 * timeline label.
 */
export const TICKET_EVENT_LABELS = { meeting: '召开协调会', deadline_recomputed: '期限调整', urge: '企业催办' } as const;

/** Escalation levels 1–4: 属地 → 部门 → 县级帮扶责任人 → 协调会. */
export const ESCALATION_LEVEL_LABELS: Record<EscalationLevel, string> = {
  1: '属地',
  2: '部门',
  3: '县级帮扶责任人',
  4: '协调会',
};

/** The enterprise's (or 回访's) verdict. */
export const VERDICT_LABELS: Record<Verdict, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };

/** How the department says it handled the request. */
export const REPLY_OUTCOME_LABELS: Record<ReplyOutcome, string> = { solved: '已解决', explained: '无法解决，已解释说明', partly_solved: '部分解决' };

/** Urgency of a 诉求. */
export const URGENCY_LABELS = { normal: '一般', urgent: '紧急' } as const;

/** A 督办单's status as its department sees it. */
export const SUPERVISION_STATUS_LABELS = { issued: '待签收', acknowledged: '办理中', done: '已办结', closed: '已关闭' } as const;
/** A 督办单's status as the issuing office sees it. */
export const SUPERVISION_ISSUER_STATUS_LABELS = { issued: '已下发', acknowledged: '已签收', done: '已办结', closed: '已关闭' } as const;
/** Why a 督办单 was issued. */
export const SUPERVISION_KIND_LABELS = { overdue_accept: '超期未签收', overdue_reply: '超期未答复', manual: '人工督办' } as const;

/** 回访 tasks and methods. */
export const RETURN_VISIT_KIND_LABELS = { confirmation: '答复后企业未确认', withdrawal: '核实撤回是否自愿' } as const;
export const CONTACT_METHOD_LABELS = { phone: '电话', onsite: '现场', wechat: '微信' } as const;
export const VISIT_METHOD_LABELS = { phone: '电话回访', onsite: '现场回访', wechat: '微信回访' } as const;

/** Areas (属地). */
export const AREA_KIND_LABELS = { township: '乡镇', street: '街道', park: '园区', other: '其他' } as const;

/** Stewards' contacts (走访). */
export const VISIT_KIND_LABELS = { onsite: '现场走访', phone: '电话沟通', wechat: '微信沟通', meeting: '座谈会' } as const;
export const VISIT_STATUS_LABELS = { planned: '待签到', checked_in: '已签到', completed: '已完成', cancelled: '已取消', rejected: '复核驳回' } as const;
export const CONTACT_STATUS_LABELS = { overdue: '已逾期', due: '待走访', done: '已完成', none: '不考核' } as const;

/** Flags on an on-site check-in. */
export const PLAUSIBILITY_FLAG_LABELS: Record<PlausibilityFlag, string> = {
  outside_fence: '外勤（不在企业范围内）',
  too_fast: '移动速度异常',
  photo_reused: '照片重复使用',
  low_accuracy: '定位精度差',
  no_enterprise_location: '企业无坐标',
};

/** Every flag a visit can carry, check-in's and later ones. */
export const VISIT_FLAG_LABELS: Record<VisitFlag, string> = {
  ...PLAUSIBILITY_FLAG_LABELS,
  short_visit: '走访时长不足1分钟',
  auto_closed: '超时未签退，系统自动签退',
};

/** Short flag captions for tags (the captions above are sentences). */
export const PLAUSIBILITY_FLAG_TAGS: Record<VisitFlag, string> = {
  outside_fence: '外勤', too_fast: '速度异常', photo_reused: '照片重复', low_accuracy: '定位精度差', no_enterprise_location: '企业无坐标',
  short_visit: '时长过短', auto_closed: '自动签退',
};

/** Where a year of the holiday calendar comes from (never the package's name). */
export const CALENDAR_SOURCE_LABELS = { package: '内置节假日数据', official: '平台按国务院办公厅通知录入' } as const;

/** Why a 督办单 exists, in a timeline or notification (the machine's `reason` codes). */
export const SUPERVISE_REASON_LABELS = { overdue: '超期自动督办', manual: '人工督办' } as const;

/**
 * Every code of the tables above that a screen must never show raw: the multi-letter keys (ids and one-letter
 * keys excluded). The browser tests check rendered text against this list.
 */
export const KNOWN_CODES: readonly string[] = [...new Set(
  [
    ROLE_LABELS, SCOPE_LABELS, TICKET_STATE_LABELS, TICKET_ACTION_LABELS, TICKET_EVENT_LABELS, VERDICT_LABELS, REPLY_OUTCOME_LABELS, URGENCY_LABELS,
    SUPERVISION_STATUS_LABELS, SUPERVISION_KIND_LABELS, RETURN_VISIT_KIND_LABELS, CONTACT_METHOD_LABELS, AREA_KIND_LABELS,
    VISIT_KIND_LABELS, VISIT_STATUS_LABELS, CONTACT_STATUS_LABELS, VISIT_FLAG_LABELS, CALENDAR_SOURCE_LABELS, SUPERVISE_REASON_LABELS,
    ...Object.values(PROJECT_LABELS).filter((t): t is Record<string, string> => typeof t === 'object'),
  ].flatMap((t) => Object.keys(t)).filter((k) => /^[a-z][a-z_-]{2,}$/.test(k)),
)];
