import type { DataSource } from 'typeorm';
import { addMonths, shanghaiDate, startOfShanghaiDay, type FundingSource, type LocalDate, type ProjectKind, type ProjectStage } from '@guanjia/shared';
import type { AuthUser } from '../lib/principal';
import { createProject, putPlan, stageAction } from '../modules/projects/project.service';
import { fileReport } from '../modules/projects/project-report.service';
import { addBatchEntry, createBatch } from '../modules/projects/project-batch.service';
import { createMeeting } from '../modules/projects/project-meeting.service';
import { runLightJob } from '../modules/projects/project-light.service';
import { mulberry32 } from './random';

/**
 * Key projects for the demo district, built through the real services (so every invariant holds): ≥ 60 projects
 * across all stages, 12 months of 调度 reports, annual plans for two years, halts and restarts, two 三个一批 batches,
 * weekly 调度会 and — because some projects report slowly or have not started on time — a few yellow and red lights.
 */

const CONTENT: [string, string, string][] = [
  // [name stem, nature, industry]
  ['年产10万吨新型环保建材项目', '产业', '建材'],
  ['高端石油装备制造基地项目', '产业', '装备制造'],
  ['智能仓储冷链物流园项目', '产业', '物流'],
  ['精细化工新材料一体化项目', '产业', '化工'],
  ['光伏组件及储能系统生产项目', '产业', '新能源'],
  ['食品精深加工产业园项目', '产业', '食品加工'],
  ['数字经济产业园（一期）项目', '产业', '信息技术'],
  ['油田伴生气综合利用项目', '产业', '能源'],
  ['汽车零部件智能制造项目', '产业', '装备制造'],
  ['生物医药中试基地项目', '产业', '医药'],
  ['城区雨污分流改造工程', '基础设施', '市政'],
  ['工业园区污水处理厂提标改造工程', '基础设施', '市政'],
  ['主干道快速化改造工程', '基础设施', '交通'],
  ['集中供热管网改扩建工程', '基础设施', '市政'],
  ['老旧小区改造工程', '社会民生', '住房'],
  ['第二实验学校新建工程', '社会民生', '教育'],
  ['区人民医院住院综合楼项目', '社会民生', '卫生'],
  ['养老服务中心建设项目', '社会民生', '养老'],
];

const WAN = 10_000n;
const noon = (d: LocalDate) => new Date(startOfShanghaiDay(d).getTime() + 12 * 3_600_000);
const monthStart = (d: LocalDate) => `${d.slice(0, 7)}-01`;

type Plan = { stage: ProjectStage; kind: ProjectKind; pace: number; halt?: 'resumed' | 'halted'; lateStart?: boolean };

/** The stage mix: 64 projects. `pace` scales monthly investment against plan/12 (0.45 → red, 0.75 → yellow). */
function plans(): Plan[] {
  const out: Plan[] = [];
  const add = (n: number, p: Plan) => { for (let i = 0; i < n; i++) out.push({ ...p }); };
  add(4, { stage: 'planning', kind: 'new', pace: 1 });
  add(6, { stage: 'signed', kind: 'new', pace: 1 });
  add(2, { stage: 'signed', kind: 'new', pace: 1, lateStart: true });
  add(12, { stage: 'started', kind: 'new', pace: 1.05 });
  add(10, { stage: 'started', kind: 'continuing', pace: 1.1 });
  add(3, { stage: 'started', kind: 'continuing', pace: 0.75 });
  add(2, { stage: 'started', kind: 'new', pace: 0.45 });
  add(5, { stage: 'started', kind: 'continuing', pace: 1, halt: 'resumed' });
  add(1, { stage: 'started', kind: 'expansion', pace: 0.6, halt: 'halted' });
  add(6, { stage: 'completed', kind: 'continuing', pace: 1 });
  add(2, { stage: 'completed', kind: 'expansion', pace: 1 });
  add(7, { stage: 'producing', kind: 'continuing', pace: 1 });
  add(4, { stage: 'effective', kind: 'continuing', pace: 1 });
  return out;
}

/** Seeds the projects once (a district that already has projects is left alone). */
export async function seedProjectDemo(db: DataSource, districtId: string, opts: { now?: Date } = {}): Promise<{ created: number; reports: number }> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM project WHERE district_id = $1`, [districtId]);
  if (n > 0) return { created: 0, reports: 0 };
  const now = opts.now ?? new Date();
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const r = mulberry32(20261130);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;

  const people: { id: string; roles: string[]; username: string | null }[] = await db.query(
    `SELECT id, roles, username FROM person WHERE district_id = $1 AND NOT disabled ORDER BY username NULLS LAST, id`, [districtId]);
  const coord = people.find((p) => p.roles.includes('coordinator'));
  const leaders = people.filter((p) => p.roles.includes('leader'));
  const stewards = people.filter((p) => p.roles.includes('steward')).slice(0, 20);
  if (!coord || !leaders.length || !stewards.length) return { created: 0, reports: 0 };
  const auth: AuthUser = { id: coord.id, districtId, roles: ['coordinator'], enterpriseId: null, departmentId: null };
  const deps: { id: string }[] = await db.query(`SELECT id FROM department WHERE district_id = $1 AND active ORDER BY name`, [districtId]);
  const ents: { id: string; name: string; area_id: string; contact: string | null }[] = await db.query(
    `SELECT e.id, e.name, e.area_id, (SELECT p.id FROM person p WHERE p.enterprise_id = e.id AND 'enterprise' = ANY(p.roles) ORDER BY p.username LIMIT 1) AS contact
       FROM enterprise e WHERE e.district_id = $1 ORDER BY (SELECT count(*) FROM person p WHERE p.enterprise_id = e.id) DESC, e.name LIMIT 80`, [districtId]);

  const created: { id: string; plan: Plan; total: bigint; startOn: LocalDate | null }[] = [];
  const list = plans();
  for (let i = 0; i < list.length; i++) {
    const plan = list[i]!;
    const [stem, nature, industry] = CONTENT[i % CONTENT.length]!;
    const ent = ents[i % ents.length]!;
    const short = ent.name.replace(/(股份)?有限(责任)?公司$/, '').slice(0, 8);
    // 总投资: 5000万 to ~50亿, in whole 万元
    const total = BigInt(Math.round(5000 + r() * r() * 495_000)) * WAN;
    const fiscalShare = nature === '产业' ? 0n : 40n;
    const sources: { source: FundingSource; amount: string }[] = [];
    const fiscal = (total * fiscalShare) / 100n;
    const loan = (total * BigInt(Math.floor(r() * 40))) / 100n;
    if (fiscal > 0n) sources.push({ source: nature === '基础设施' ? 'special_bond' : 'fiscal', amount: fiscal.toString() });
    if (loan > 0n) sources.push({ source: 'bank_loan', amount: loan.toString() });
    sources.push({ source: 'self_raised', amount: (total - fiscal - loan).toString() });
    const levels = total >= 200_000n * WAN ? ['省重点'] : total >= 30_000n * WAN ? ['市重点'] : ['县重点'];
    // Timeline, relative to today: every project was in the ledger 16 months ago.
    const createdOn = addMonths(monthStart(today), -16);
    const startOn = plan.kind === 'continuing' ? createdOn : addMonths(monthStart(today), -13 + Math.floor(r() * 3));
    const plannedStart = plan.lateStart ? addMonths(today, -5) : plan.stage === 'planning' || plan.stage === 'signed' ? addMonths(today, 2 + Math.floor(r() * 6)) : startOn;
    const project = await createProject(db, auth, {
      name: `${short}${stem}`,
      enterpriseId: ent.id, areaId: ent.area_id, location: `${short}厂区`, scaleContent: `${stem.replace(/项目|工程/g, '')}，总建筑面积约${Math.round(2 + r() * 30)}万平方米。`,
      industry, nature, levels, kind: plan.kind, startYear: year - 1, endYear: year + 1 + Math.floor(r() * 2),
      plannedStartOn: plannedStart, plannedEndOn: addMonths(plannedStart < today ? today : plannedStart, 18),
      totalInvestment: total.toString(), funding: sources,
      leaderId: leaders[i % leaders.length]!.id, leadDepartmentId: deps[i % deps.length]!.id,
      helperDepartmentIds: deps.length > 2 ? [deps[(i + 3) % deps.length]!.id].filter((d) => d !== deps[i % deps.length]!.id) : [],
      stewardIds: [...new Set([stewards[i % stewards.length]!.id, ...(r() < 0.4 ? [stewards[(i + 7) % stewards.length]!.id] : [])])],
      ...(ent.contact ? { contactPersonId: ent.contact } : {}),
      stage: plan.stage === 'planning' ? 'planning' : plan.kind === 'continuing' ? 'started' : 'signed',
      stageOn: createdOn,
    }, noon(createdOn));
    let v = project.version;
    const act = async (action: 'advance' | 'halt' | 'resume', on: LocalDate, extra: { to?: ProjectStage; reason?: string; note?: string } = {}) => {
      const p = await stageAction(db, auth, project.id, action, { version: v, on, ...extra }, noon(on));
      v = p.version;
    };
    const started = plan.stage !== 'planning' && plan.stage !== 'signed';
    if (started && plan.kind !== 'continuing') await act('advance', startOn, { to: 'started', note: '举行集中开工仪式' });
    if (plan.halt) {
      await act('halt', addMonths(today, -5), { reason: '冬季施工条件受限，暂停室外作业' });
      if (plan.halt === 'resumed') await act('resume', addMonths(today, -3), { note: '气温回升，全面复工' });
    }
    if (plan.stage === 'completed') await act('advance', addMonths(today, -2), { to: 'completed', note: '通过竣工验收' });
    if (plan.stage === 'producing' || plan.stage === 'effective') {
      await act('advance', addMonths(today, -9), { to: 'completed' });
      await act('advance', addMonths(today, -6), { to: 'producing', note: '首批产品下线' });
    }
    if (plan.stage === 'effective') await act('advance', addMonths(today, -1), { to: 'effective', note: '经省认定达效' });
    created.push({ id: project.id, plan, total, startOn: started ? startOn : null });
  }

  // Annual plans (last year and this year) and 12 months of 调度 reports for projects under way.
  let reports = 0;
  for (const c of created) {
    if (!c.startOn) continue;
    const yearly = (c.total * BigInt(30 + Math.floor(r() * 15))) / 100n;
    for (const y of [year - 1, year]) await putPlan(db, auth, c.id, y, yearly.toString(), now);
    let since = 0n;
    for (let k = 12; k >= 1; k--) {
      const m = addMonths(monthStart(today), -k);
      if (m < monthStart(c.startOn)) continue;
      if (c.plan.halt && m >= monthStart(addMonths(today, -5)) && (c.plan.halt === 'halted' || m < monthStart(addMonths(today, -3)))) continue;
      const monthly = (yearly * BigInt(Math.round(c.plan.pace * 100 * (0.8 + r() * 0.4)))) / 1200n;
      const amount = monthly - (monthly % WAN); // whole 万元, as offices report
      if (since + amount > c.total) break;
      since += amount;
      await fileReport(db, { id: stewardOf(c.id), districtId, roles: ['steward'], enterpriseId: null, departmentId: null }, c.id, {
        month: m.slice(0, 7), amount: amount.toString(), progress: pick(['主体结构施工', '设备安装调试', '厂房钢结构吊装', '室外管网施工', '基础桩基施工', '装饰装修']),
        ...(r() < 0.15 ? { problems: pick(['施工用电增容待办理', '部分地块征迁未完成', '原材料价格上涨，资金压力较大', '施工许可办理进度慢']) } : {}),
      }, noon(addMonths(m, 1)));
      reports++;
    }
  }

  // Two 三个一批 batches: last year's (第6期) and this year's (第7期).
  const byStage = (s: ProjectStage[]) => created.filter((c) => s.includes(c.plan.stage));
  const b6 = await createBatch(db, auth, { no: 6, startsOn: `${year - 1}-01-01`, endsOn: `${year - 1}-12-31` });
  const b7 = await createBatch(db, auth, { no: 7, startsOn: `${year}-01-01`, endsOn: `${year}-12-31` });
  const entries: [string, { id: string }[], 'sign' | 'start' | 'produce'][] = [
    [b6.id, byStage(['producing', 'effective']).slice(0, 8), 'produce'],
    [b6.id, byStage(['completed']).slice(0, 6), 'start'],
    [b6.id, byStage(['started']).slice(0, 6), 'sign'],
    [b7.id, byStage(['signed', 'planning']).slice(0, 7), 'sign'],
    [b7.id, byStage(['started']).slice(6, 22), 'start'],
    [b7.id, byStage(['producing']).slice(0, 3), 'produce'],
  ];
  for (const [batch, ps, kind] of entries) {
    for (const p of ps) {
      await addBatchEntry(db, auth, batch, { projectId: p.id, kind, promisedOn: batch === b6.id ? `${year - 1}-12-31` : `${year}-12-31` });
    }
  }

  // Lights as of today, then the last four weekly 调度会 on the red and yellow projects.
  await runLightJob(db, now);
  const hot: { id: string }[] = await db.query(`SELECT id FROM project WHERE district_id = $1 AND light IN ('red','yellow') ORDER BY light DESC, name LIMIT 6`, [districtId]);
  for (let wk = 4; wk >= 1; wk--) {
    const held = shanghaiDate(new Date(now.getTime() - wk * 7 * 86_400_000));
    await createMeeting(db, auth, {
      heldOn: held, chairId: leaders[0]!.id, attendeeIds: [coord.id, ...leaders.slice(1).map((l) => l.id)], projectIds: hot.map((h) => h.id),
      decisions: '逐个过堂红黄灯项目，明确责任单位和完成时限。',
      tasks: hot.slice(0, 2).map((h, j) => ({ projectId: h.id, title: j === 0 ? '协调解决施工用电增容' : '加快办理施工许可', departmentId: deps[j % deps.length]!.id, dueOn: shanghaiDate(new Date(noon(held).getTime() + 14 * 86_400_000)) })),
    });
  }
  return { created: created.length, reports };

  function stewardOf(projectId: string): string {
    const i = created.findIndex((c) => c.id === projectId);
    return stewards[i % stewards.length]!.id;
  }
}
