import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, seedDistrict, type SeedPerson, type World } from '../../../test/factories';
import { multipartBody, readXlsx, xlsxOf } from '../../../test/import-helpers';

let t: TestApp;
let w: World;
let other: World;
let ent1Code: string;
let ent2Code: string;
let otherCode: string;
let leaderPhone: string;
let stewardPhone: string;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211103');
  other = await seedDistrict(t.db, '211104');
  [ent1Code, ent2Code, otherCode] = [w.enterprises[0]!.creditCode, w.enterprises[1]!.creditCode, other.enterprises[0]!.creditCode];
  [leaderPhone, stewardPhone] = ['13712340001', '13912340001'];
  await t.db.query(`UPDATE person SET phone = $2 WHERE id = $1`, [w.leader.id, leaderPhone]);
  await t.db.query(`UPDATE person SET phone = $2 WHERE id = $1`, [w.steward.id, stewardPhone]);
});
afterAll(() => t.close());

const upload = (who: SeedPerson, name: string, buf: Buffer, query = '') => {
  const m = multipartBody(name, buf);
  return t.app.inject({ method: 'POST', url: `/api/v1/imports/projects${query}`, headers: { ...auth(t.app, who), ...m.headers }, payload: m.payload });
};
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].n);

const HEAD = ['序号', '项目名称', '业主单位信用代码', '建设地点', '项目性质', '项目级别', '建设性质', '建设年限起', '建设年限止', '计划开工日期', '计划竣工日期',
  '总投资（万元）', '财政资金（万元）', '企业自筹（万元）', '包联领导电话', '项目管家电话', '责任单位', '阶段'];
type Over = Partial<Record<string, string>>;
const row = (n: number, o: Over = {}) => {
  const base: Record<string, string> = {
    序号: String(n), 项目名称: `示范项目${n}`, 业主单位信用代码: ent1Code, 建设地点: `一号镇${w.code}`, 项目性质: '产业', 项目级别: '市重点、县重点',
    建设性质: '新建', 建设年限起: '2026', 建设年限止: '2027', 计划开工日期: '2026-03-01', 计划竣工日期: '2027-10-31',
    '总投资（万元）': '2505.37', '财政资金（万元）': '505.37', '企业自筹（万元）': '2000', 包联领导电话: leaderPhone, 项目管家电话: stewardPhone,
    责任单位: '人社局', 阶段: '谋划',
  };
  return HEAD.map((h) => o[h] ?? base[h]!);
};
const projects = () => count(`SELECT count(*) AS n FROM project WHERE district_id = $1`, [w.districtId]);

describe('project import', () => {
  it('good and bad rows: dry run writes nothing, reasons per row, exact money, another district rejected, re-import no-op', async () => {
    const file = await xlsxOf(HEAD, [
      row(1),
      row(2, { 业主单位信用代码: ent2Code, 建设地点: `经济开发区${w.code}`, 建设性质: '续建', 阶段: '开工' }),
      row(3, { 项目名称: '' }),
      row(4, { 业主单位信用代码: otherCode }),
      row(5, { '企业自筹（万元）': '1999.99' }),
      row(6, { 建设年限止: '2025' }),
      row(7, { 项目性质: '不知道', 项目级别: '国重点', 建设性质: '翻新' }),
      row(8, { 包联领导电话: stewardPhone, 项目管家电话: leaderPhone }),
      row(9, { '总投资（万元）': '2505.371234' }),
      row(10, { 计划竣工日期: '2026-01-01' }),
    ]);
    const before = await projects();
    const dry = await upload(w.coordinator, 'projects.xlsx', file);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, totalRows: 10, created: 2, updated: 0, unchanged: 0, rejected: 8 });
    expect(await projects()).toBe(before);
    const problems = dry.json().problems as { row: number; column: string; reason: string }[];
    expect(problems).toEqual(expect.arrayContaining([
      { row: 4, column: '项目名称', reason: '项目名称不能为空' },
      { row: 5, column: '业主单位信用代码', reason: '本区县没有该统一社会信用代码的企业，请先导入企业名录' },
      { row: 6, column: '财政资金（万元）', reason: expect.stringContaining('不一致') },
      { row: 7, column: '建设年限止', reason: '建设年限止不能早于建设年限起' },
      { row: 8, column: '项目性质', reason: expect.stringContaining('项目性质应为') },
      { row: 8, column: '项目级别', reason: expect.stringContaining('国重点') },
      { row: 8, column: '建设性质', reason: expect.stringContaining('建设性质应为') },
      { row: 9, column: '包联领导电话', reason: expect.stringContaining('领导') },
      { row: 9, column: '项目管家电话', reason: expect.stringContaining('管家') },
      { row: 10, column: '总投资（万元）', reason: expect.stringContaining('4 位小数') },
      { row: 11, column: '计划竣工日期', reason: '计划竣工日期不能早于计划开工日期' },
    ]));
    for (const p of problems) expect(p.reason).toMatch(/[\u4e00-\u9fff]/);

    const real = await upload(w.coordinator, 'projects.xlsx', file, '?dryRun=false');
    expect(real.json()).toMatchObject({ dryRun: false, created: 2, rejected: 8 });
    expect(await projects()).toBe(before + 2);
    const [p1] = await t.db.query(
      `SELECT p.total_investment::text AS total, p.kind, p.stage, p.levels, p.leader_id, p.no,
              (SELECT json_object_agg(source, amount::text) FROM project_funding f WHERE f.project_id = p.id) AS funding,
              (SELECT array_agg(person_id) FROM project_steward s WHERE s.project_id = p.id) AS stewards,
              (SELECT count(*)::int FROM project_stage_event e WHERE e.project_id = p.id) AS events
         FROM project p WHERE p.district_id = $1 AND p.name = '示范项目1'`, [w.districtId]);
    expect(p1).toMatchObject({ total: '25053700', kind: 'new', stage: 'planning', levels: ['市重点', '县重点'], leader_id: w.leader.id,
      funding: { fiscal: '5053700', self_raised: '20000000' }, stewards: [w.steward.id], events: 1 });
    const [p2] = await t.db.query(`SELECT kind, stage FROM project WHERE district_id = $1 AND name = '示范项目2'`, [w.districtId]);
    expect(p2).toEqual({ kind: 'continuing', stage: 'started' });
    const audit = await t.db.query(`SELECT data FROM audit_event WHERE action = 'import.projects' AND district_id = $1`, [w.districtId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].data).toMatchObject({ rows: 10, created: 2, updated: 0, rejected: 8 });
    expect(await count(`SELECT count(*) AS n FROM audit_event WHERE action = 'project.created' AND district_id = $1`, [w.districtId])).toBe(2);

    // the rejected rows download holds exactly the 8 bad rows with a 原因 column
    const rej = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${real.json().id}/rejected`, headers: auth(t.app, w.coordinator) });
    expect(rej.statusCode).toBe(200);
    const sheet = await readXlsx(rej.rawPayload);
    expect(sheet.length - 1).toBe(8);

    // re-import: nothing changes (matched by district, name, owner enterprise), even with an edited total
    const again = await upload(w.coordinator, 'projects.xlsx', file, '?dryRun=false');
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 8 });
    expect(await projects()).toBe(before + 2);
    const edited = await upload(w.coordinator, 'p2.xlsx', await xlsxOf(HEAD, [row(1, { '总投资（万元）': '3000', '企业自筹（万元）': '2494.63' })]), '?dryRun=false');
    expect(edited.json()).toMatchObject({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
    const [same] = await t.db.query(`SELECT total_investment::text AS total FROM project WHERE district_id = $1 AND name = '示范项目1'`, [w.districtId]);
    expect(same.total).toBe('25053700');

    // another district's coordinator importing the same file: its enterprises are unknown there, nothing created
    const theirs = await upload(other.coordinator, 'projects.xlsx', await xlsxOf(HEAD, [row(1)]), '?dryRun=false');
    expect(theirs.json()).toMatchObject({ created: 0, rejected: 1 });
  });

  it('a fault on the last row leaves nothing written', async () => {
    await t.db.query(`CREATE FUNCTION test_pfault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = '故障项目' THEN RAISE EXCEPTION 'fault'; END IF; RETURN NEW; END $$`);
    await t.db.query(`CREATE TRIGGER tr_test_pfault BEFORE INSERT ON project FOR EACH ROW EXECUTE FUNCTION test_pfault()`);
    try {
      const file = await xlsxOf(HEAD, [row(21), row(22), row(23, { 项目名称: '故障项目' })]);
      const before = await count(`SELECT count(*) AS n FROM project`);
      const runs = await count(`SELECT count(*) AS n FROM import_run`);
      const audits = await count(`SELECT count(*) AS n FROM audit_event`);
      const res = await upload(w.coordinator, 'fault.xlsx', file, '?dryRun=false');
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(await count(`SELECT count(*) AS n FROM project`)).toBe(before);
      expect(await count(`SELECT count(*) AS n FROM project_funding`)).toBe(await count(`SELECT count(*) AS n FROM project_funding f JOIN project p ON p.id = f.project_id`));
      expect(await count(`SELECT count(*) AS n FROM import_run`)).toBe(runs);
      expect(await count(`SELECT count(*) AS n FROM audit_event`)).toBe(audits);
    } finally {
      await t.db.query(`DROP TRIGGER tr_test_pfault ON project; DROP FUNCTION test_pfault()`);
    }
  });

  it('the template lists the project columns; a steward may not import', async () => {
    const tpl = await t.app.inject({ method: 'GET', url: '/api/v1/import-templates/projects', headers: auth(t.app, w.coordinator) });
    expect(tpl.statusCode).toBe(200);
    const sheet = await readXlsx(tpl.rawPayload);
    expect(sheet[0]).toEqual(expect.arrayContaining(['项目名称', '业主单位信用代码', '总投资（万元）', '财政资金（万元）', '包联领导电话', '项目管家电话']));
    const file = await xlsxOf(HEAD, [row(31)]);
    expect((await upload(w.steward, 'p.xlsx', file)).statusCode).toBe(403);
  });
});
