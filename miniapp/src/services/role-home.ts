import { ROLE_LABELS, type PrincipalRole } from '@guanjia/shared/roles';
import { PAGES } from './pages';

/**
 * What the home screen shows for each role: the subpackage that holds its screens and the work it will list.
 * Role codes and their Chinese names come from @guanjia/shared, like the server's.
 */

/** One entry of a role's work list on the home screen; counts arrive with the APIs. */
export type WorkItem = {
  key: string;
  title: string;
  description: string;
  /** Page this item opens when it is not the role's entry page (`?role=&item=` are appended either way). */
  url?: string;
};

export type RoleInfo = {
  code: PrincipalRole;
  label: string;
  /** Page of the role's subpackage that opens its work. */
  entry: string;
  work: WorkItem[];
};

const ENTERPRISE = PAGES.enterprise.index;
const STEWARD = PAGES.steward.index;
const DEPARTMENT = PAGES.department.index;
const COORDINATOR = PAGES.coordinator.index;
const NOTIFICATIONS = PAGES.ticket.notifications;
/** 查找诉求: number, enterprise, text, department, state, area, category, dates, overdue (every staff role). */
export const TICKET_SEARCH = PAGES.ticket.search;
/** 调度中心: month figures, people and invitation codes, assignments, rules, holidays, visit review. */
const HUB = { key: 'hub', title: '调度中心', description: '本月情况、人员与邀请码、包保、交办规则、节假日、走访督查', url: COORDINATOR } as const;
/** The leader's hub: the same screen without people management (issue 13: not a leader's tool). */
const LEADER_HUB = { ...HUB, description: '本月情况、升级事项、走访督查' } as const;
const SEARCH = { key: 'search', title: '查找诉求', description: '按编号、企业、部门、状态、属地、类别、日期筛选', url: TICKET_SEARCH } as const;
/** 重点项目: `item=projects` lists the caller's own projects, `item=ledger` the district's ledger. */
const PROJECTS = PAGES.project.list;
/** 考核排名 (docs/metrics.md): the month's department and steward rankings, 红榜 / 黑榜. */
const RANKING = PAGES.stats.ranking;
/** 政策直达: `item=policies` (enterprise), `item=deliver` (steward), `item=manage` (coordinator, department). */
const POLICIES = PAGES.policy.list;
const SURVEYS = PAGES.policy.surveys;
/** Going live (ADR 0010): the setup checklist, roster import, self-join approvals, an enterprise's contacts. */
export const SETUP_PAGE = PAGES.coordinator.setup;
export const IMPORT_PAGE = PAGES.coordinator.import;
export const JOIN_REQUESTS_PAGE = PAGES.coordinator.joinRequests;
export const CONTACTS_PAGE = PAGES.enterprise.contacts;
export const JOIN_PAGE = PAGES.enterprise.join;
const SETUP_WORK: WorkItem[] = [
  { key: 'setup', title: '开通清单', description: '属地、部门、类别、交办规则、人员、企业、包保是否齐全', url: SETUP_PAGE },
  { key: 'import', title: '批量导入', description: '从 Excel / CSV 导入企业、人员、包保名单', url: IMPORT_PAGE },
  { key: 'join', title: '企业加入申请', description: '企业联系人自助加入，待审核', url: JOIN_REQUESTS_PAGE },
];
/** 数据看板 and the leader's cockpit (issue 12). */
const DASHBOARD = PAGES.dashboard.index;
const COCKPIT = PAGES.dashboard.cockpit;

/** Roles in the order the home screen shows them (the people on site first). */
export const ROLE_HOME: readonly RoleInfo[] = [
  {
    code: 'enterprise',
    label: ROLE_LABELS.enterprise,
    entry: ENTERPRISE,
    work: [
      { key: 'file', title: '提交诉求', description: '选择类别、描述问题、上传照片', url: PAGES.enterprise.new },
      { key: 'mine', title: '我的诉求', description: '查看办理进度与时限' },
      { key: 'confirm', title: '待我确认', description: '对办理结果进行评价' },
      { key: 'info', title: '待补充材料', description: '部门请您补充的信息' },
      { key: 'policies', title: '惠企政策', description: '为本企业匹配的政策、免申即享确认', url: POLICIES },
      { key: 'surveys', title: '我的问卷', description: '政策意见征集与满意度调查', url: SURVEYS },
      { key: 'projects', title: '我的项目', description: '本企业的重点项目、月度调度与存在问题', url: PROJECTS },
      { key: 'contacts', title: '本企业联系人', description: '谁能代表本企业提交诉求；管理联系人可移除', url: CONTACTS_PAGE },
      { key: 'notifications', title: '消息通知', description: '办理进展提醒', url: NOTIFICATIONS },
    ],
  },
  {
    code: 'steward',
    label: ROLE_LABELS.steward,
    entry: STEWARD,
    work: [
      { key: 'enterprises', title: '我包保的企业', description: '本期走访情况：已走访 / 待走访 / 已逾期' },
      { key: 'checkin', title: '现场签到', description: '定位 + 拍照 + 走访记录' },
      { key: 'contact', title: '记录电话 / 微信沟通', description: '非现场对接也要留痕' },
      { key: 'projects', title: '我的项目', description: '红黄绿灯、项目阶段、完成年计划%，月度调度填报', url: PROJECTS },
      { key: 'ranking', title: '管家排名', description: '已发布的管家月度排名', url: RANKING },
      { key: 'deliver', title: '送政策上门', description: '包保企业符合的新政策，送达后计入走访', url: POLICIES },
      { key: 'join', title: '企业加入申请', description: '所包保企业的联系人申请加入，待您审核', url: JOIN_REQUESTS_PAGE },
    ],
  },
  {
    code: 'department',
    label: ROLE_LABELS.department,
    entry: DEPARTMENT,
    work: [
      { key: 'inbox', title: '待签收', description: '按办理时限排序，超期优先' },
      { key: 'handling', title: '办理中', description: '进展、补充材料、延期、答复' },
      SEARCH,
      { key: 'supervision', title: '督办单', description: '发给本部门的督办事项', url: PAGES.department.supervisions },
      { key: 'phrases', title: '常用语', description: '答复、办理进展时一键插入的本部门常用语', url: PAGES.department.phrases },
      { key: 'projects', title: '责任项目', description: '本部门牵头或配合的重点项目', url: PROJECTS },
      { key: 'ranking', title: '考核排名', description: '已发布的部门月度考核排名与红黑榜', url: RANKING },
      { key: 'manage', title: '本部门政策', description: '发布政策、免申即享兑现登记', url: POLICIES },
      { key: 'notifications', title: '消息通知', description: '新交办、督办、延期审批结果', url: NOTIFICATIONS },
    ],
  },
  {
    code: 'coordinator',
    label: ROLE_LABELS.coordinator,
    entry: COORDINATOR,
    work: [
      HUB,
      { key: 'dispatch', title: '待交办', description: '自动交办未能分派的诉求' },
      { key: 'returned', title: '被退回', description: '部门退回、需要改派的诉求' },
      { key: 'extensions', title: '延期审批', description: '部门申请的延期' },
      { key: 'overdue', title: '超期与督办', description: '超期诉求与督办单' },
      { key: 'followups', title: '回访任务', description: '办结后的回访与抽查' },
      { key: 'closing', title: '待销号', description: '企业已确认办理结果，等待销号' },
      SEARCH,
      { key: 'ledger', title: '项目台账', description: '重点项目：阶段、红黄绿灯、级别、属地、包联领导、批次筛选', url: PROJECTS },
      { key: 'ranking', title: '考核排名', description: '部门考核、管家排名、红黑榜与发布', url: RANKING },
      { key: 'project-due', title: '调度清单', description: '本月未填报调度信息的项目与管家，一键催报', url: PAGES.project.due },
      { key: 'project-batches', title: '三个一批', description: '签约一批、开工一批、投产一批及兑现情况', url: PAGES.project.batches },
      { key: 'project-meetings', title: '重点项目调度会', description: '议程（红黄灯项目、未办结事项）与会议记录', url: PAGES.project.meetings },
      { key: 'project-stats', title: '项目统计', description: '按阶段、类型，开工率、投资完成与时间进度，月报段落', url: PAGES.project.stats },
      { key: 'manage', title: '政策直达', description: '政策编辑（实时匹配企业数）、送达与兑现统计', url: POLICIES },
      { key: 'surveys', title: '问卷调查', description: '新建问卷（政策反馈、满意度），结果与分属地答卷率', url: SURVEYS },
      ...SETUP_WORK,
      { key: 'dashboard', title: '数据看板', description: '本月诉求趋势、类别、部门排名、走访与项目，导出台账', url: DASHBOARD },
    ],
  },
  {
    code: 'leader',
    label: ROLE_LABELS.leader,
    entry: COORDINATOR,
    work: [
      LEADER_HUB,
      { key: 'cockpit', title: '领导驾驶舱', description: '待我协调的升级事项、红灯项目、部门排名、本月情况', url: COCKPIT },
      { key: 'escalations', title: '升级事项', description: '需要领导协调的三、四级升级事项' },
      { key: 'projects', title: '我包联的项目', description: '红黄绿灯、阶段与投资完成', url: PROJECTS },
      { key: 'project-stats', title: '项目统计', description: '按阶段、类型，开工率、投资完成与时间进度', url: PAGES.project.stats },
      { key: 'dashboard', title: '数据看板', description: '走访、诉求、解决率', url: DASHBOARD },
      { key: 'ranking', title: '考核排名', description: '部门考核与红黑榜', url: RANKING },
      SEARCH,
    ],
  },
  {
    code: 'admin',
    label: ROLE_LABELS.admin,
    entry: COORDINATOR,
    work: [HUB, { key: 'org', title: '组织与人员', description: '部门、属地、人员与包保关系' }, ...SETUP_WORK],
  },
  {
    code: 'operator',
    label: ROLE_LABELS.operator,
    entry: PAGES.coordinator.districts,
    work: [
      { key: 'districts', title: '区县开通', description: '开通区县并生成首位管理员的邀请码' },
      { key: 'calendar', title: '全国节假日', description: '录入国务院办公厅发布的节假日安排', url: PAGES.coordinator.calendar },
    ],
  },
];

const BY_CODE = new Map(ROLE_HOME.map((r) => [r.code as string, r]));

/** The known roles among `codes`, in display order; unknown codes are skipped (a newer server). */
export function rolesOf(codes: readonly string[]): RoleInfo[] {
  const held = new Set(codes);
  return ROLE_HOME.filter((r) => held.has(r.code));
}

/** Chinese name of a role code ('其他角色' for a code this build does not know yet). */
export function roleLabel(code: string): string {
  return BY_CODE.get(code)?.label ?? '其他角色';
}
