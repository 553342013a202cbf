import type { DataSource } from 'typeorm';
import { makeCreditCode } from '@guanjia/shared';
import { hashPassword } from '../modules/auth/auth.service';
import { lcg } from './random';

/** The demo district: 盘锦市兴隆台区 (S4 describes its 588 public stewards). */
export const DEMO_DISTRICT = { code: '211103', name: '盘锦市兴隆台区' };
export const DEMO_PASSWORD = 'Guanjia@2026';

const AREAS: [string, string, 'street' | 'township' | 'park'][] = [
  ['211103001', '兴隆街道', 'street'], ['211103002', '渤海街道', 'street'], ['211103003', '振兴街道', 'street'],
  ['211103004', '友谊街道', 'street'], ['211103005', '创新街道', 'street'], ['211103006', '新工街道', 'street'],
  ['211103101', '兴盛街道', 'street'], ['211103401', '辽河口生态经济区', 'park'],
];
const DEPARTMENTS: [string, string][] = [
  ['工业和信息化局', '工业运行、技术改造、专精特新培育'], ['商务局', '招商引资、市场开拓、外贸'], ['发展和改革局', '重点项目、能耗指标、价格'],
  ['自然资源局', '用地规划、土地审批、不动产登记'], ['人力资源和社会保障局', '人才引进、用工招聘、社保'], ['金融发展服务中心', '融资信贷、企业上市'],
  ['生态环境分局', '环评审批、排污许可、环保督察'], ['住房和城乡建设局', '施工许可、市政配套、排水'], ['行政审批局', '政务服务、证照办理'],
  ['市场监督管理局', '市场主体登记、质量标准'], ['司法局', '涉法涉诉、法律服务'], ['交通运输局', '物流运输、道路交通'],
];
const INDUSTRIES = ['石油装备制造', '石油化工', '新材料', '精细化工', '现代物流', '软件和信息服务', '农产品加工', '商贸服务', '建筑安装', '新能源', '生物医药', '文化旅游'];
const PREFIX = ['辽河', '盘锦', '兴隆', '渤海', '振兴', '鼎盛', '华锦', '北方', '中油', '宏达', '恒通', '瑞丰', '金海', '海鑫', '佳和', '三友', '天润', '同益', '长城', '锦程'];
const MIDDLE = ['石油', '装备', '化工', '科技', '能源', '物流', '建材', '新材', '机械', '环保', '电气', '农业', '信息', '医药', '食品'];
const SUFFIX = ['有限公司', '股份有限公司', '有限责任公司', '集团有限公司'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕文博宇航晓东春梅';

export type DemoLogins = { role: string; username: string; name: string }[];

/** Creates the demo district with ~2,000 enterprises and ~60 stewards in a few bulk statements. */
export async function seedOrgDemo(db: DataSource): Promise<{ districtId: string; logins: DemoLogins; created: boolean }> {
  const [existing] = await db.query(`SELECT id FROM district WHERE code = $1`, [DEMO_DISTRICT.code]);
  if (existing) return { districtId: existing.id, logins: await demoLogins(db, existing.id), created: false };
  const r = lcg(20261125);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const personName = () => pick([...SURNAMES]) + pick([...GIVEN]) + (r() < 0.5 ? pick([...GIVEN]) : '');
  const hash = await hashPassword(DEMO_PASSWORD);

  return db.transaction(async (em) => {
    const [d] = await em.query(`INSERT INTO district (code, name, settings) VALUES ($1,$2,$3) RETURNING id`, [DEMO_DISTRICT.code, DEMO_DISTRICT.name, JSON.stringify({ fenceRadiusM: 300 })]);
    const districtId: string = d.id;
    const areas: { id: string }[] = await em.query(
      `INSERT INTO area (district_id, code, name, kind) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]) RETURNING id`,
      [districtId, AREAS.map((a) => a[0]), AREAS.map((a) => a[1]), AREAS.map((a) => a[2])],
    );
    const deps: { id: string }[] = await em.query(
      `INSERT INTO department (district_id, name, functions) SELECT $1, * FROM unnest($2::text[], $3::text[]) RETURNING id`,
      [districtId, DEPARTMENTS.map((x) => x[0]), DEPARTMENTS.map((x) => x[1])],
    );

    // Enterprises scattered around Panjin's centre (WGS-84 ≈ 41.12 N, 122.07 E), a few without a location yet.
    const N = 2000;
    const names = new Set<string>();
    const ent = { area: [] as string[], name: [] as string[], code: [] as string[], lat: [] as (number | null)[], lng: [] as (number | null)[], industry: [] as string[], scale: [] as string[], tags: [] as string[], contact: [] as string[], phone: [] as string[] };
    for (let i = 0; i < N; i++) {
      let name: string;
      do name = `${pick(PREFIX)}${pick(MIDDLE)}${pick(['', '科技', '实业', '工贸', '发展'])}${pick(SUFFIX)}`;
      while (names.has(name) && (name = `${name.replace(/(有限|股份|集团).*$/, '')}${names.size}${pick(SUFFIX)}`) && names.has(name));
      names.add(name);
      const located = r() > 0.03;
      const above = r() < 0.18;
      ent.area.push(areas[Math.floor(r() * areas.length)].id);
      ent.name.push(name);
      ent.code.push(makeCreditCode(100000 + i, DEMO_DISTRICT.code));
      ent.lat.push(located ? 41.12 + (r() - 0.5) * 0.16 : null);
      ent.lng.push(located ? 122.07 + (r() - 0.5) * 0.22 : null);
      ent.industry.push(pick(INDUSTRIES));
      ent.scale.push(above ? 'above' : 'below');
      ent.tags.push(JSON.stringify([...(above && r() < 0.5 ? ['重点企业'] : []), ...(r() < 0.06 ? ['专精特新'] : [])]));
      ent.contact.push(personName());
      ent.phone.push(`13${String(Math.floor(r() * 1e9)).padStart(9, '0')}`);
    }
    const enterprises: { id: string }[] = await em.query(
      `INSERT INTO enterprise (district_id, area_id, name, credit_code, lat, lng, location_confirmed, industry, scale, tags, contact_name, contact_phone)
       SELECT $1, a, n, c, la, lo, la IS NOT NULL, ind, sc, ARRAY(SELECT jsonb_array_elements_text(t::jsonb)), cn, cp
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS x(a, n, c, la, lo, ind, sc, t, cn, cp)
       RETURNING id`,
      [districtId, ent.area, ent.name, ent.code, ent.lat, ent.lng, ent.industry, ent.scale, ent.tags, ent.contact, ent.phone],
    );

    type P = { name: string; username: string; roles: string[]; title: string | null; enterprise: string | null; department: string | null; phone: string };
    const people: P[] = [];
    let phoneSeq = 0;
    const phone = () => `186${String(20000000 + ++phoneSeq).padStart(8, '0')}`;
    people.push({ name: '系统管理员', username: 'admin', roles: ['admin', 'coordinator'], title: '营商环境建设局', enterprise: null, department: null, phone: phone() });
    people.push({ name: personName(), username: 'coordinator', roles: ['coordinator'], title: '营商环境建设局调度员', enterprise: null, department: null, phone: phone() });
    people.push({ name: personName(), username: 'coordinator2', roles: ['coordinator'], title: '领导小组办公室', enterprise: null, department: null, phone: phone() });
    people.push({ name: personName(), username: 'leader', roles: ['leader'], title: '副区长（县级帮扶责任人）', enterprise: null, department: null, phone: phone() });
    people.push({ name: personName(), username: 'leader2', roles: ['leader'], title: '区委常委', enterprise: null, department: null, phone: phone() });
    DEPARTMENTS.forEach((_, i) => {
      people.push({ name: personName(), username: `dept${String(i + 1).padStart(2, '0')}`, roles: ['department'], title: '部门办理人', enterprise: null, department: deps[i].id, phone: phone() });
    });
    for (let i = 0; i < 60; i++)
      people.push({ name: personName(), username: `steward${String(i + 1).padStart(2, '0')}`, roles: ['steward'], title: i < 20 ? '项目管家' : '助企干部', enterprise: null, department: null, phone: phone() });
    for (let i = 0; i < 40; i++)
      people.push({ name: ent.contact[i], username: `ent${String(i + 1).padStart(3, '0')}`, roles: ['enterprise'], title: '企业联系人', enterprise: enterprises[i].id, department: null, phone: phone() });
    const inserted: { id: string; username: string }[] = await em.query(
      `INSERT INTO person (district_id, name, username, phone, password_hash, roles, title, enterprise_id, department_id)
       SELECT $1, n, u, ph, $2, ARRAY(SELECT jsonb_array_elements_text(r::jsonb)), t, e, dp
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[]) AS x(n, u, ph, r, t, e, dp)
       RETURNING id, username`,
      [districtId, hash, people.map((p) => p.name), people.map((p) => p.username), people.map((p) => p.phone), people.map((p) => JSON.stringify(p.roles)),
       people.map((p) => p.title), people.map((p) => p.enterprise), people.map((p) => p.department)],
    );
    const stewards = inserted.filter((p) => p.username.startsWith('steward'));
    // Every enterprise gets one steward; the first 20 stewards (项目管家) also share the key enterprises.
    await em.query(
      `INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on)
       SELECT $1, s, e, '2026-01-01' FROM unnest($2::uuid[], $3::uuid[]) AS x(s, e)`,
      [districtId, enterprises.map((_, i) => stewards[i % stewards.length].id), enterprises.map((e) => e.id)],
    );
    return { districtId, logins: await demoLogins(em, districtId), created: true };
  });
}

async function demoLogins(db: Pick<DataSource, 'query'>, districtId: string): Promise<DemoLogins> {
  const rows: { username: string; name: string; roles: string[] }[] = await db.query(
    `SELECT username, name, roles FROM person WHERE district_id = $1 AND username IN ('admin','coordinator','leader','dept01','dept05','steward01','steward02','ent001','ent002') ORDER BY username`,
    [districtId],
  );
  return rows.map((r) => ({ role: r.roles.join('+'), username: r.username, name: r.name }));
}
