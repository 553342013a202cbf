import type { DataSource } from 'typeorm';
import { shanghaiDate, startOfShanghaiDay, type TicketAction } from '@guanjia/shared';
import type { AuthUser } from '../lib/principal';
import { AppError } from '../lib/app-error';
import { seedDefaultCategories } from '../modules/tickets/config/category.service';
import { createTicket, getTicket } from '../modules/tickets/lifecycle/ticket.service';
import { performAction, recordMeeting } from '../modules/tickets/lifecycle/ticket-actions';
import { runTicketDeadlines } from '../modules/tickets/ticket.jobs';
import { advanceSupervision } from '../modules/tickets/supervision/supervision.service';
import { lcg } from './random';

/**
 * 诉求 as the seeds describe them (S0's categories; 排水管网泄漏 and 新厂区建设用地 from 营口; 贴息补助 and 通行证
 * from 兴隆台; 融资、基建、环保 from 固镇; 历史遗留问题 and 供水 from 淮南): title, description, category path.
 */
const PROBLEMS: [string, string, string][] = [
  ['一线操作工缺口约30人', '企业订单增加，一线操作工缺口约30人，本地招聘困难，希望协助组织专场招聘。', '人才用工/招工用工'],
  ['急需数控技师', '新上数控生产线，急需数控技师5名，本地人才市场招聘不到，希望协调职业院校定向培养。', '人才用工/人才引进'],
  ['高校毕业生见习补贴', '企业接收高校毕业生见习12人，咨询见习补贴申领条件和流程。', '人才用工/社保医保'],
  ['员工技能培训', '希望将企业职工纳入职业技能提升行动，组织焊工、电工培训取证。', '人才用工/技能培训'],
  ['流动资金贷款续贷', '500万元流动资金贷款下月到期，受回款周期影响，希望协调银行办理续贷。', '融资信贷/银行贷款'],
  ['技改项目贷款贴息', '按照全面开放资金实施细则，申请技改项目贷款贴息补助，不清楚申报材料。', '政策兑现/资金申报'],
  ['融资担保费用高', '申请政府性融资担保，担保费率偏高，希望了解降费政策。', '融资信贷/融资担保'],
  ['拟在新三板挂牌', '企业拟在新三板挂牌，希望对接券商并了解上市奖补政策。', '融资信贷/上市挂牌'],
  ['供应商合同纠纷', '与外地供应商发生买卖合同纠纷，对方拖欠货款80万元，需要法律指导。', '涉法涉诉/合同纠纷'],
  ['商标被抢注', '企业主打产品商标在外省被抢注，希望获得知识产权维权指导。', '涉法涉诉/知识产权'],
  ['重复执法检查', '一个月内被不同部门重复检查三次，影响正常生产，希望统筹安排检查。', '涉法涉诉/执法检查'],
  ['参加省外展会', '希望参加省外装备制造展会，拓展销售渠道，咨询展位补贴政策。', '市场开拓/展会推介'],
  ['产品进入本地采购目录', '本地油田配套产品希望进入采购目录，推动产销对接。', '市场开拓/产销对接'],
  ['出口退税进度慢', '出口退税办理周期长，资金占用大，希望加快办理。', '市场开拓/外贸出口'],
  ['新厂区建设用地', '新厂区建设用地手续尚未办结，影响项目开工，希望协调加快审批。', '用地规划/土地审批'],
  ['二期厂房施工许可', '二期厂房施工许可办理进度慢，设计图审意见反复修改，希望协调。', '项目建设/施工许可'],
  ['项目前期手续', '技改项目需要办理节能审查和环评，希望提供并联审批帮办服务。', '项目建设/前期手续'],
  ['竣工验收', '新建车间已完工，消防、规划等联合验收需要多部门协调。', '项目建设/竣工验收'],
  ['不动产权证办理', '历史遗留问题导致厂房不动产权证一直未办理，影响融资抵押。', '用地规划/不动产登记'],
  ['规划条件调整', '厂区内部道路规划与实际不符，申请调整规划条件。', '用地规划/规划调整'],
  ['营业执照变更', '企业名称和经营范围变更，希望一次办结相关证照。', '政务服务/证照办理'],
  ['审批事项多次跑', '办理食品生产许可需多次往返，希望推行帮办代办。', '政务服务/审批提速'],
  ['涉企收费咨询', '对污水处理费收费标准有疑问，希望核实收费依据。', '政务服务/涉企收费'],
  ['排水管网泄漏', '厂区外排水管网泄漏，雨天积水倒灌车间，严重时可能停产，希望市政部门尽快修缮。', '水电气暖/供水排水'],
  ['变压器扩容', '新增生产线需增加用电容量，变压器需扩容，希望协调供电公司加快办理。', '水电气暖/供电增容'],
  ['天然气管道接入', '新厂区尚未接通天然气管道，冬季供暖和生产用气困难。', '水电气暖/供气供暖'],
  ['工业聚集区供水', '工业聚集区供水压力不足，高峰时段影响生产用水。', '水电气暖/供水排水'],
  ['环评手续变更', '生产工艺调整，咨询环评手续是否需要变更及办理流程。', '环保能耗/环评审批'],
  ['排污许可证延续', '排污许可证即将到期，需办理延续，材料准备有疑问。', '环保能耗/排污许可'],
  ['能耗指标不足', '新上项目所需能耗指标不足，影响项目备案，希望协调解决。', '环保能耗/能耗指标'],
  ['重点物资运输通行', '保障重点生产物资运输，申请办理工业重点物资保供车辆通行证。', '物流运输/货运通行'],
  ['厂区门前道路破损', '厂区门前道路破损严重，大型货车通行困难，希望纳入维修计划。', '物流运输/道路交通'],
  ['专精特新奖补', '企业已认定省级专精特新，奖补资金尚未兑现。', '政策兑现/奖补兑现'],
  ['研发费用加计扣除', '咨询研发费用加计扣除政策适用范围和申报方式。', '政策兑现/税费减免'],
  ['高新技术企业认定', '拟申报高新技术企业认定，希望得到申报辅导。', '政策兑现/资金申报'],
  ['企业升规入统', '产值已接近规上标准，希望了解升规入统奖励和所需材料。', '政策兑现/奖补兑现'],
  ['员工子女入学', '外地技术骨干子女入学需协调学位。', '其他'],
  ['厂区周边治安', '厂区周边夜间治安问题，希望加强巡逻。', '其他'],
];

/** Routing for the demo: category → department (by a word of its name), optional assisting department. */
const RULES: [string, string, string | null][] = [
  ['人才用工', '人力资源', null], ['融资信贷', '金融', null], ['涉法涉诉', '司法', null], ['市场开拓', '商务', null],
  ['项目建设', '发展和改革', '住房和城乡建设'], ['政务服务', '行政审批', null], ['用地规划', '自然资源', null],
  ['环保能耗', '生态环境', null], ['环保能耗/能耗指标', '发展和改革', '生态环境'], ['水电气暖', '住房和城乡建设', null],
  ['物流运输', '交通运输', null], ['政策兑现', '工业和信息化', '金融'],
];

type Person = { id: string; roles: string[]; enterprise_id: string | null; department_id: string | null };
const asAuth = (p: Person, districtId: string): AuthUser => ({ id: p.id, districtId, roles: p.roles as AuthUser['roles'], enterpriseId: p.enterprise_id, departmentId: p.department_id });

/** The fate of a demo ticket: the actions after submission, by whom. */
type Plan = 'pending' | 'assigned' | 'accepted' | 'in_progress' | 'awaiting_info' | 'extension' | 'replied' | 'confirmed' | 'closed'
  | 'closed_by_visit' | 'reopened' | 'withdrawn' | 'merged' | 'escalated';
const PLAN_WEIGHTS: [Plan, number][] = [
  ['closed', 26], ['closed_by_visit', 12], ['confirmed', 12], ['replied', 14], ['in_progress', 18], ['extension', 5], ['awaiting_info', 7],
  ['accepted', 12], ['assigned', 14], ['reopened', 6], ['withdrawn', 6], ['merged', 4], ['escalated', 5],
];

/**
 * Demo 诉求 for `npm run demo`: the default categories, routing rules mapped onto the district's departments, and
 * about `count` tickets submitted over the last three months by enterprise contacts (or stewards for enterprises
 * without one), taken through the real services with a moving clock — so every timeline, deadline, notification,
 * 督办单 and 回访 task is what the system itself would have produced. Ends with one run of the deadlines job.
 * Does nothing when the district already has tickets.
 */
export async function seedTicketDemo(db: DataSource, districtId: string, opts: { count?: number; now?: Date } = {}): Promise<{ created: number; byState: Record<string, number> }> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ticket WHERE district_id = $1`, [districtId]);
  if (n > 0) return { created: 0, byState: {} };
  const now = opts.now ?? new Date();
  const count = opts.count ?? 150;
  const r = lcg(20261126);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;

  await seedDefaultCategories(db, districtId);
  const cats: { id: string; path: string; parent_id: string | null }[] = await db.query(
    `SELECT c.id, CASE WHEN p.name IS NULL THEN c.name ELSE p.name || '/' || c.name END AS path, c.parent_id
       FROM ticket_category c LEFT JOIN ticket_category p ON p.id = c.parent_id WHERE c.district_id = $1`,
    [districtId],
  );
  const catId = new Map(cats.map((c) => [c.path, c.id]));
  const deps: { id: string; name: string }[] = await db.query(`SELECT id, name FROM department WHERE district_id = $1 AND active`, [districtId]);
  const depBy = (word: string | null) => (word ? deps.find((d) => d.name.includes(word)) : undefined);
  for (const [cat, lead, assist] of RULES) {
    const l = depBy(lead);
    const a = depBy(assist);
    if (!l || !catId.has(cat)) continue;
    await db.query(
      `INSERT INTO routing_rule (district_id, category_id, lead_department_id, assisting_department_ids, note) VALUES ($1,$2,$3,$4,'演示规则') ON CONFLICT DO NOTHING`,
      [districtId, catId.get(cat), l.id, a && a.id !== l.id ? [a.id] : []],
    );
  }

  const people: Person[] = await db.query(`SELECT id, roles, enterprise_id, department_id FROM person WHERE district_id = $1 AND NOT disabled ORDER BY username NULLS LAST, id`, [districtId]);
  const coordinator = people.find((p) => p.roles.includes('coordinator'));
  const leader = people.find((p) => p.roles.includes('leader'));
  const staffOf = (depId: string | null) => people.find((p) => p.roles.includes('department') && p.department_id === depId);
  const contacts = people.filter((p) => p.roles.includes('enterprise') && p.enterprise_id);
  const stewarded: { steward_id: string; enterprise_id: string }[] = await db.query(
    `SELECT DISTINCT ON (enterprise_id) steward_id, enterprise_id FROM assignment WHERE district_id = $1 AND ends_on IS NULL ORDER BY enterprise_id, starts_on`,
    [districtId],
  );
  if (!coordinator || (!contacts.length && !stewarded.length)) return { created: 0, byState: {} };

  // Filers: every enterprise contact, plus stewards filing for a sample of their other enterprises.
  const filers: { who: Person; enterpriseId: string }[] = contacts.map((c) => ({ who: c, enterpriseId: c.enterprise_id! }));
  for (const s of stewarded.slice(0, 60)) {
    const p = people.find((x) => x.id === s.steward_id);
    if (p) filers.push({ who: p, enterpriseId: s.enterprise_id });
  }
  const totalWeight = PLAN_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const planOf = () => {
    let x = r() * totalWeight;
    for (const [p, w] of PLAN_WEIGHTS) if ((x -= w) < 0) return p;
    return 'closed' as Plan;
  };
  const horizon = 90 * 86_400_000;
  const created: string[] = [];
  const A = (p: Person) => asAuth(p, districtId);

  for (let i = 0; i < count; i++) {
    const [title, description, path] = pick(PROBLEMS);
    const filer = pick(filers);
    const categoryId = catId.get(path) ?? catId.get('其他')!;
    // Submitted between 90 and 2 days ago, during office hours; older tickets tend to be further along.
    const day = shanghaiDate(new Date(now.getTime() - horizon + Math.floor(r() * (horizon - 2 * 86_400_000))));
    const at = new Date(startOfShanghaiDay(day).getTime() + (9 + Math.floor(r() * 8)) * 3_600_000 + Math.floor(r() * 60) * 60_000);
    const age = (now.getTime() - at.getTime()) / horizon;
    let plan: Plan = age < 0.15 ? pick<Plan>(['assigned', 'accepted', 'in_progress', 'pending']) : planOf();
    // Most old tickets were dealt with; some stay stuck (those get the 督办单 and escalations a real district sees).
    if (age > 0.3 && ['assigned', 'accepted', 'in_progress'].includes(plan) && r() < 0.6) plan = pick<Plan>(['closed', 'confirmed', 'replied']);
    let tk;
    try {
      tk = await createTicket(db, A(filer.who), { enterpriseId: filer.enterpriseId, categoryId, title, description, urgency: r() < 0.1 ? 'urgent' : 'normal' }, { now: at });
    } catch (e) {
      if (e instanceof AppError) continue;
      throw e;
    }
    created.push(tk.id);
    const contact = contacts.find((c) => c.enterprise_id === filer.enterpriseId) ?? null;
    let clock = at.getTime();
    const later = (minH: number, maxH: number) => {
      clock = Math.min(clock + (minH + r() * (maxH - minH)) * 3_600_000, now.getTime() - 60_000);
      return new Date(clock);
    };
    const step = async (who: Person | null | undefined, action: TicketAction, body: Record<string, unknown> = {}) => {
      if (!who) return false;
      const when = later(2, 30);
      const cur = await getTicket(db, A(who), tk.id, { now: when }).catch(() => null);
      if (!cur || !cur.availableActions.includes(action)) return false;
      await performAction(db, A(who), tk.id, action, { version: cur.version, ...body }, { now: when });
      return true;
    };
    const lead = async () => staffOf((await db.query(`SELECT lead_department_id FROM ticket WHERE id = $1`, [tk.id]))[0]?.lead_department_id);

    if (tk.state === 'pending_dispatch' && plan !== 'withdrawn') {
      if (plan === 'pending') continue;
      const dep = pick(deps);
      await step(coordinator, 'dispatch', { leadDepartmentId: dep.id, note: '无匹配规则，人工交办' });
    }
    if (plan === 'pending' || plan === 'assigned') continue;
    if (plan === 'withdrawn') {
      if (contact) await step(contact, 'withdraw', { reason: pick(['企业已自行解决', '问题已不存在', '企业暂缓该事项']) });
      if (r() < 0.6) await step(coordinator, 'record_visit', { withdrawalVoluntary: true, method: 'phone', note: '电话回访，企业确认自愿撤回' });
      continue;
    }
    if (plan === 'merged') {
      const target = created.length > 1 ? created[created.length - 2] : undefined;
      if (target) await step(coordinator, 'merge', { intoTicketId: target }).catch(() => false);
      continue;
    }
    if (!(await step(await lead(), 'accept', { note: '已签收，安排专人办理' }))) continue;
    if (plan === 'accepted') continue;
    await step(await lead(), 'add_note', { text: pick(['已与企业电话沟通，了解具体情况', '已赴企业现场查看', '已会同属地街道研究解决方案']), visibility: 'public' });
    if (plan === 'in_progress') continue;
    if (plan === 'awaiting_info') {
      await step(await lead(), 'request_info', { text: '请企业补充相关证明材料和申请表' });
      continue;
    }
    if (plan === 'extension') {
      await step(await lead(), 'request_extension', { days: 3 + Math.floor(r() * 5), reason: '需要多部门会商，申请延期' });
      if (r() < 0.5) await step(coordinator, 'approve_extension', { note: '同意延期' });
      continue;
    }
    if (plan === 'escalated') {
      await step(await lead(), 'escalate', { level: 2, reason: '涉及多个部门，本部门难以单独解决' });
      if (leader) await step(leader, 'escalate', { level: 4, reason: '提请县级帮扶责任人召开协调会' });
      const cur = await getTicket(db, A(coordinator), tk.id, { now: later(24, 72) });
      if (cur.escalationLevel === 4) {
        await recordMeeting(db, A(coordinator), tk.id, {
          version: cur.version, heldOn: new Date(clock + 8 * 3_600_000).toISOString().slice(0, 10), location: '区政府会议室',
          attendees: [{ name: '县级帮扶责任人', title: '副区长' }, ...deps.slice(0, 3).map((d) => ({ name: `${d.name}负责同志`, departmentId: d.id }))],
          decisions: '明确牵头部门和完成时限，相关部门按职责分工配合，两周内反馈办理结果。',
          actions: deps.slice(0, 2).map((d) => ({ text: '按会议分工落实并反馈', departmentId: d.id })),
        }, { now: new Date(clock) }).catch(() => null);
      }
      continue;
    }
    const outcome = r() < 0.8 ? 'solved' : r() < 0.5 ? 'partly_solved' : 'explained';
    const text = outcome === 'solved' ? '经协调，问题已解决，具体办理情况已向企业反馈。' : outcome === 'partly_solved' ? '已解决主要问题，剩余事项纳入后续跟踪。' : '经核实该诉求不符合现行政策规定，已向企业做好沟通解释工作。';
    if (!(await step(await lead(), 'reply', { outcome, text }))) continue;
    if (plan === 'replied' || plan === 'closed_by_visit') continue; // the deadlines job opens 回访 tasks for the old ones
    if (!contact) continue;
    if (plan === 'reopened') {
      await step(contact, 'confirm', { verdict: 'dissatisfied', rating: 2, comment: '问题没有根本解决' });
      continue;
    }
    await step(contact, 'confirm', { verdict: r() < 0.8 ? 'satisfied' : 'basically_satisfied', rating: r() < 0.7 ? 5 : 4, comment: pick(['办理及时，非常满意', '感谢管家和部门的帮助', '基本解决了问题']) });
    if (plan === 'closed') await step(coordinator, 'close', { note: '企业确认满意，销号' });
  }

  // What the scheduled job would have done by now: 督办单 for missed deadlines, 回访 tasks for unconfirmed replies.
  await runTicketDeadlines(db, now);
  // Half of the 回访 already recorded (the older ones), the rest waiting in the coordinator's queue.
  const tasks: { ticket_id: string }[] = await db.query(
    `SELECT ticket_id FROM return_visit_task WHERE district_id = $1 AND status = 'open' AND kind = 'confirmation' ORDER BY created_at`,
    [districtId],
  );
  for (const [i, tsk] of tasks.slice(0, Math.ceil(tasks.length / 2)).entries()) {
    const cur = await getTicket(db, A(coordinator), tsk.ticket_id, { now });
    await performAction(db, A(coordinator), tsk.ticket_id, 'record_visit', {
      version: cur.version, verdict: i % 5 === 4 ? 'dissatisfied' : 'satisfied', method: 'phone', note: '电话回访企业负责人',
    }, { now }).catch(() => null);
  }
  // Departments have signed for half of the 督办单 and reported on a quarter.
  const sups: { id: string; department_id: string }[] = await db.query(`SELECT id, department_id FROM supervision WHERE district_id = $1 ORDER BY issued_at`, [districtId]);
  for (const [i, sp] of sups.entries()) {
    const staff = staffOf(sp.department_id);
    if (!staff || i % 2) continue;
    await advanceSupervision(db, A(staff), sp.id, 'acknowledge', { version: 1 }, now).catch(() => null);
    if (i % 4 === 0) await advanceSupervision(db, A(staff), sp.id, 'complete', { version: 2, response: '已召开专题会研究，明确专人限期办理' }, now).catch(() => null);
  }
  const rows: { state: string; n: number }[] = await db.query(`SELECT state, count(*)::int AS n FROM ticket WHERE district_id = $1 GROUP BY state`, [districtId]);
  return { created: created.length, byState: Object.fromEntries(rows.map((x) => [x.state, x.n])) };
}
