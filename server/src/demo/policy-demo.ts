import type { DataSource } from 'typeorm';
import { addCalendarDays, shanghaiDate, type Eligibility, type SurveyCreate } from '@guanjia/shared';
import type { AuthUser } from '../lib/principal';
import { confirmPolicy, createPolicy, deliverPolicy, markRead, publishPolicy, redeemPolicy } from '../modules/policies/policy.service';
import { answerSurvey, createSurvey, publishSurvey } from '../modules/surveys/survey.service';
import { createLibrary } from '../modules/policies/profile.service';

/**
 * 政策直达 and 问卷 for the demo district (ADR 0014): profiles filled in (about a quarter left unknown, so the
 * 待核实 lists have something), certifications, three 培育库, four published policies and one draft, deliveries,
 * reads, 免申即享 confirmations and 兑现, and two surveys with answers. Built through the real services where a
 * person acts, in bulk SQL for the profile fields. Skipped when the district already has policies.
 */

/** GB/T 4754 大类 for the demo's industries (the free-text label stays as it was). */
const DIVISION_OF: Record<string, string> = {
  石油装备制造: '35', 石油化工: '25', 新材料: '30', 精细化工: '26', 现代物流: '59', 软件和信息服务: '65', 农产品加工: '13', 商贸服务: '51',
  建筑安装: '49', 新能源: '38', 生物医药: '27', 文化旅游: '88',
};
const SECTION_OF: Record<string, string> = {
  '35': 'C', '25': 'C', '30': 'C', '26': 'C', '59': 'G', '65': 'I', '13': 'C', '51': 'F', '49': 'E', '38': 'C', '27': 'C', '88': 'R',
};

export async function seedPolicyDemo(db: DataSource, districtId: string, opts: { now?: Date } = {}): Promise<{ policies: number }> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM policy WHERE district_id = $1`, [districtId]);
  if (n > 0) return { policies: 0 };
  const now = opts.now ?? new Date();
  const today = shanghaiDate(now);
  const people: { id: string; username: string; roles: string[]; enterprise_id: string | null; department_id: string | null }[] = await db.query(
    `SELECT id, username, roles, enterprise_id, department_id FROM person WHERE district_id = $1 ORDER BY username`, [districtId]);
  const coordRow = people.find((p) => p.username === 'coordinator') ?? people.find((p) => p.roles.includes('coordinator'));
  if (!coordRow) return { policies: 0 };
  const coord: AuthUser = { id: coordRow.id, districtId, roles: ['coordinator'], enterpriseId: null, departmentId: null };
  const asPerson = (p: (typeof people)[number]): AuthUser => ({ id: p.id, districtId, roles: p.roles as AuthUser['roles'], enterpriseId: p.enterprise_id, departmentId: p.department_id });

  // Profiles: deterministic from the id (md5), ~75% of the optional fields known.
  const divisions = Object.entries(DIVISION_OF);
  await db.query(
    `UPDATE enterprise e SET
        industry_division = d.division, industry_section = d.section,
        size_class = CASE WHEN h % 100 < 75 THEN CASE WHEN e.scale = 'above' THEN (ARRAY['large','medium','medium','small'])[1 + h % 4] ELSE (ARRAY['small','micro','micro'])[1 + h % 3] END END,
        founded_on = CASE WHEN (h / 7) % 100 < 80 THEN date '2000-01-01' + ((h / 13) % 9000)::int END,
        employees = CASE WHEN (h / 11) % 100 < 70 THEN CASE WHEN e.scale = 'above' THEN 80 + (h / 3) % 900 ELSE 3 + (h / 3) % 90 END END,
        revenue_band = CASE WHEN (h / 17) % 100 < 65 THEN CASE WHEN e.scale = 'above' THEN (ARRAY['20m_100m','100m_400m','ge400m','20m_100m'])[1 + (h / 5) % 4] ELSE (ARRAY['lt5m','lt5m','5m_20m'])[1 + (h / 5) % 3] END END,
        tax_band = CASE WHEN (h / 19) % 100 < 55 THEN (ARRAY['lt500k','500k_2m','2m_10m','ge10m'])[1 + (h / 23) % 4] END
       FROM (SELECT id, ('x' || substr(md5(id::text), 1, 7))::bit(28)::int AS h FROM enterprise WHERE district_id = $1) x
       LEFT JOIN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) AS t(label, division, section)) d ON true
      WHERE e.id = x.id AND d.label = e.industry`,
    [districtId, divisions.map(([l]) => l), divisions.map(([, d]) => d), divisions.map(([, d]) => SECTION_OF[d])]);
  // Certifications: the 专精特新-tagged ones are certified; some above-scale enterprises are 高新技术企业.
  await db.query(
    `INSERT INTO enterprise_certification (district_id, enterprise_id, kind, certified_on, expires_on)
     SELECT $1, id, 'specialized', d, d + 3 * 365 FROM (SELECT id, date '2023-03-15' + (('x' || substr(md5(id::text), 8, 4))::bit(16)::int % 900) AS d
       FROM enterprise WHERE district_id = $1 AND '专精特新' = ANY(tags)) s`, [districtId]);
  await db.query(
    `INSERT INTO enterprise_certification (district_id, enterprise_id, kind, certified_on, expires_on)
     SELECT $1, id, 'high_tech', d, d + 3 * 365 FROM (SELECT id, date '2022-11-01' + (('x' || substr(md5(id::text), 12, 4))::bit(16)::int % 1000) AS d
       FROM enterprise WHERE district_id = $1 AND scale = 'above' AND ('x' || substr(md5(id::text), 16, 2))::bit(8)::int < 90) s`, [districtId]);

  const keyLib = await createLibrary(db, coord, { name: '重点企业培育库', description: '规模以上重点企业，区领导包联' });
  const rdLib = await createLibrary(db, coord, { name: '研发投入型企业培育库', description: '研发投入占营收3%以上' });
  await createLibrary(db, coord, { name: '专精特新企业培育库', description: '拟申报省级专精特新的企业' });
  await db.query(`INSERT INTO library_membership (district_id, library_id, enterprise_id, joined_on)
    SELECT $1, $2, id, date '2025-01-10' FROM enterprise WHERE district_id = $1 AND '重点企业' = ANY(tags)`, [districtId, keyLib.id]);
  await db.query(`INSERT INTO library_membership (district_id, library_id, enterprise_id, joined_on, left_on)
    SELECT $1, $2, id, date '2024-03-01', CASE WHEN ('x' || substr(md5(id::text), 3, 2))::bit(8)::int < 40 THEN date '2025-12-31' END
      FROM enterprise WHERE district_id = $1 AND industry_section IN ('C','I') AND scale = 'above'`, [districtId, rdLib.id]);

  // The first demo enterprise contact (ent001) gets a profile that meets the 免申即享 policy, so its screens show a match.
  const ent001 = people.find((p) => p.username === 'ent001');
  if (ent001?.enterprise_id) {
    await db.query(`UPDATE enterprise SET scale = 'above', size_class = 'medium', employees = 260, revenue_band = '100m_400m', founded_on = '2012-06-18', industry_division = '35', industry_section = 'C' WHERE id = $1`, [ent001.enterprise_id]);
    await db.query(`INSERT INTO enterprise_certification (district_id, enterprise_id, kind, certified_on, expires_on) VALUES ($1,$2,'specialized','2025-03-12','2028-03-11') ON CONFLICT DO NOTHING`, [districtId, ent001.enterprise_id]);
  }

  const dep = async (name: string) => (await db.query(`SELECT id FROM department WHERE district_id = $1 AND name = $2`, [districtId, name]))[0]?.id as string;
  const gxj = await dep('工业和信息化局');
  const rsj = await dep('人力资源和社会保障局');
  const jrb = await dep('金融发展服务中心');
  const policies: { title: string; dept: string; docNo: string; benefitType: 'subsidy' | 'tax' | 'finance' | 'talent'; mode: 'no_application' | 'fast_application' | 'inform'; summary: string; eligibility: Eligibility; publish: boolean }[] = [
    { title: '专精特新中小企业一次性奖励', dept: gxj, docNo: '兴政发〔2026〕12号', benefitType: 'subsidy', mode: 'no_application',
      summary: '对有效期内的专精特新中小企业、且为规模以上工业企业的，给予一次性奖励30万元，免申即享。',
      eligibility: { match: 'all', conditions: [{ field: 'certification', kind: 'specialized' }, { field: 'above_scale', equals: true }, { field: 'industry_section', in: ['C'] }] }, publish: true },
    { title: '高新技术企业研发费用后补助', dept: gxj, docNo: '兴科发〔2026〕5号', benefitType: 'subsidy', mode: 'fast_application',
      summary: '高新技术企业上年营收2000万元以上的，按研发投入的10%给予后补助，最高100万元。',
      eligibility: { match: 'all', conditions: [{ field: 'certification', kind: 'high_tech' }, { field: 'revenue_at_least', band: '20m_100m' }] }, publish: true },
    { title: '小微企业稳岗就业补贴', dept: rsj, docNo: '兴人社发〔2026〕8号', benefitType: 'talent', mode: 'no_application',
      summary: '小型、微型企业吸纳就业且从业人数10人以上的，按每人1000元给予稳岗补贴。',
      eligibility: { match: 'all', conditions: [{ field: 'size_class', in: ['small', 'micro'] }, { field: 'employees_at_least', value: 10 }] }, publish: true },
    { title: '重点企业"助企贷"贴息政策', dept: jrb, docNo: '兴金发〔2026〕3号', benefitType: 'finance', mode: 'inform',
      summary: '重点企业培育库、研发投入型企业培育库内企业通过“助企贷”融资的，给予50%贴息。',
      eligibility: { match: 'any', conditions: [{ field: 'library', libraryId: keyLib.id }, { field: 'library', libraryId: rdLib.id }] }, publish: true },
    { title: '新材料产业链企业用地支持（征求意见稿）', dept: gxj, docNo: '', benefitType: 'subsidy', mode: 'fast_application',
      summary: '新材料、精细化工企业2015年前成立、从业人数100人以上的，优先保障新增用地指标。',
      eligibility: { match: 'all', conditions: [{ field: 'industry_division', in: ['26', '30'] }, { field: 'founded_before', date: '2015-01-01' }, { field: 'employees_at_least', value: 100 }] }, publish: false },
  ];
  const ids: string[] = [];
  for (const p of policies) {
    const created = await createPolicy(db, coord, {
      title: p.title, departmentId: p.dept, ...(p.docNo ? { docNo: p.docNo } : {}), benefitType: p.benefitType, mode: p.mode, summary: p.summary,
      fullText: `${p.summary}\n\n一、适用对象\n符合上述条件的本区企业。\n\n二、兑现方式\n${p.mode === 'no_application' ? '由主管部门根据企业档案直接兑现，企业确认意愿后无需申报。' : p.mode === 'fast_application' ? '企业在申报截止日期前提交简易申报材料，主管部门5个工作日内审核兑现。' : '政策告知，详情咨询主管部门。'}`,
      contact: '区政务服务中心 0427-6661234', expiresOn: addCalendarDays(today, 300), eligibility: p.eligibility,
      ...(p.mode === 'fast_application' ? { applyDeadline: addCalendarDays(today, 60) } : {}),
    });
    ids.push(created.id);
    if (p.publish) await publishPolicy(db, coord, created.id, created.version, now);
  }

  // Deliveries by phone for the first matches of a few stewards; reads, confirmations and 兑现 by the demo contacts.
  const [special] = ids;
  const matches: { enterprise_id: string; steward_id: string | null }[] = await db.query(
    `SELECT m.enterprise_id, (SELECT steward_id FROM assignment s WHERE s.enterprise_id = m.enterprise_id AND s.ends_on IS NULL LIMIT 1) AS steward_id
       FROM policy_match m WHERE m.policy_id = $1 AND m.outcome = 'met' ORDER BY m.enterprise_id`, [special]);
  for (const [i, m] of matches.entries()) {
    const steward = people.find((p) => p.id === m.steward_id);
    if (steward && i % 3 !== 2 && m.enterprise_id !== ent001?.enterprise_id) await deliverPolicy(db, asPerson(steward), special, { enterpriseId: m.enterprise_id, kind: i % 2 ? 'phone' : 'wechat', notes: '讲解政策内容和兑现方式' });
  }
  const contacts = people.filter((p) => p.roles.includes('enterprise') && p.enterprise_id);
  const staffOf = [gxj, gxj, rsj, jrb].map((d) => people.find((p) => p.department_id === d));
  const amounts = ['300000', '', '12000', ''];
  for (const c of contacts) {
    for (const [k, pid] of ids.slice(0, 4).entries()) {
      const has = await db.query(`SELECT version FROM policy_match WHERE policy_id = $1 AND enterprise_id = $2 AND outcome = 'met'`, [pid, c.enterprise_id]);
      if (!has.length || c.username === 'ent001') continue;
      const read = await markRead(db, asPerson(c), pid);
      if (read.confirmation === 'pending' && Number(c.username.slice(3)) % 2 === 0) {
        const conf = await confirmPolicy(db, asPerson(c), pid, { decision: 'confirmed', version: read.version });
        const staff = staffOf[k];
        if (staff && amounts[k] && Number(c.username.slice(3)) % 4 === 0) await redeemPolicy(db, asPerson(staff), pid, { enterpriseId: c.enterprise_id!, redeemedOn: today, amount: amounts[k], version: conf.version });
      }
    }
  }

  // Surveys: a named one for every enterprise, an anonymous policy-feedback one for the 专精特新 policy's matches.
  const qs: SurveyCreate['questions'] = [
    { id: 'q1', kind: 'single', title: '您是否了解本区出台的惠企政策？', options: ['非常了解', '基本了解', '不太了解', '不了解'], required: true },
    { id: 'q2', kind: 'multi', title: '您希望通过哪些渠道获取政策信息？', options: ['管家上门讲解', '电话告知', '微信推送', '政策宣讲会'], required: true },
    { id: 'q3', kind: 'rating', title: '您对管家服务的总体满意度（1–5分）', required: true },
    { id: 'q4', kind: 'text', title: '请您对该政策的制定及执行提出宝贵的意见', required: false },
  ];
  const named = await createSurvey(db, coord, { title: '2026年惠企政策知晓度调查问卷', intro: '为了解企业对惠企政策的知晓和享受情况，请您抽出3分钟填写。', anonymous: false, target: { kind: 'all' }, opensOn: addCalendarDays(today, -10), closesOn: addCalendarDays(today, 20), questions: qs });
  await publishSurvey(db, coord, named.id, named.version);
  const anon = await createSurvey(db, coord, { title: '专精特新奖励政策执行情况反馈（匿名）', intro: '匿名填写，不记录企业名称。', anonymous: true, target: { kind: 'policy', ids: [special] }, opensOn: addCalendarDays(today, -5), closesOn: addCalendarDays(today, 25), questions: qs });
  await publishSurvey(db, coord, anon.id, anon.version);
  const texts = ['希望政策兑现再快一些', '管家上门讲解很清楚', '申报材料能否再简化', '', '建议定期举办政策宣讲会'];
  for (const [i, c] of contacts.entries()) {
    if (c.username === 'ent001' || i % 4 === 3) continue;
    await answerSurvey(db, asPerson(c), named.id, { answers: { q1: i % 4, q2: [i % 4, (i + 1) % 4].filter((x, k, a) => a.indexOf(x) === k), q3: 3 + (i % 3), q4: texts[i % 5] } }, now);
  }
  return { policies: ids.length };
}
