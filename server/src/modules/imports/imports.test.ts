import { makeCreditCode } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, seedDistrict, type SeedPerson, type World } from '../../../test/factories';
import { csvOf, multipartBody, readXlsx, xlsxOf } from '../../../test/import-helpers';

let t: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211103');
  other = await seedDistrict(t.db, '211104');
});
afterAll(() => t.close());

const upload = (who: SeedPerson, kind: string, name: string, buf: Buffer, query = '') => {
  const m = multipartBody(name, buf);
  return t.app.inject({ method: 'POST', url: `/api/v1/imports/${kind}${query}`, headers: { ...auth(t.app, who), ...m.headers }, payload: m.payload });
};
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].n);
const areaName = () => `一号镇${w.code}`;

const code = (n: number) => makeCreditCode(5000 + n);
const badCheck = (c: string) => c.slice(0, 17) + (c[17] === '0' ? '1' : '0');
const PEOPLE_HEAD = ['序号', '姓名', '手机号', '角色', '所属部门', '职务'];
const ENT_HEAD = ['序号', '企业名称', '统一社会信用代码', '所属乡镇/街道', '行业', '规模', '地址', '经纬度', '联系人', '联系电话', '包保干部', '干部电话'];

describe('people import', () => {
  it('dry run reports and writes nothing; the import creates; re-import is a no-op; an updated file updates by phone', async () => {
    const rows = [
      [1, '公共管家一', '13911110001', '管家', '', '科员'],
      [2, '公共管家二', '139 1111 0002', '公共管家', '', ''],
      [3, '人社办理人二', '13911110003', '部门办理人', '人社局', ''],
      [4, '无部门', '13911110004', '部门办理人', '', ''], // department missing
      [5, '坏电话', '1391111', '管家', '', ''], // phone format
      [6, '重复者', '13911110001', '管家', '', ''], // duplicate of row 2 (sheet row numbers: header is 1)
      [7, '不认识的部门', '13911110007', '部门办理人', '不存在局', ''],
    ];
    const file = await xlsxOf(PEOPLE_HEAD, rows);
    const before = await count(`SELECT count(*) AS n FROM person WHERE district_id = $1`, [w.districtId]);
    const dry = await upload(w.coordinator, 'people', 'people.xlsx', file);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, totalRows: 7, created: 3, updated: 0, unchanged: 0, rejected: 4 });
    expect(dry.json().problems).toEqual(expect.arrayContaining([
      { row: 5, column: '所属部门', reason: '部门办理人须填写所属部门' },
      { row: 6, column: '手机号', reason: '手机号应为 11 位' },
      { row: 7, column: '手机号', reason: '与第 2 行手机号重复' },
      { row: 8, column: '所属部门', reason: '部门“不存在局”不存在，请先在部门页录入' },
    ]));
    expect(await count(`SELECT count(*) AS n FROM person WHERE district_id = $1`, [w.districtId])).toBe(before);

    const real = await upload(w.coordinator, 'people', 'people.xlsx', file, '?dryRun=false');
    expect(real.json()).toMatchObject({ dryRun: false, created: 3, rejected: 4 });
    expect(await count(`SELECT count(*) AS n FROM person WHERE district_id = $1`, [w.districtId])).toBe(before + 3);
    const [p2] = await t.db.query(`SELECT name, roles FROM person WHERE district_id = $1 AND phone = '13911110002'`, [w.districtId]);
    expect(p2).toEqual({ name: '公共管家二', roles: ['steward'] });
    const audit = await t.db.query(`SELECT data FROM audit_event WHERE action = 'import.people' AND district_id = $1`, [w.districtId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].data).toMatchObject({ rows: 7, created: 3, updated: 0, rejected: 4 });

    const again = await upload(w.coordinator, 'people', 'people.xlsx', file, '?dryRun=false');
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 4 });

    // updated file: a new title and an added role for one person, by phone; nothing removed
    const changed = await xlsxOf(PEOPLE_HEAD, [[1, '公共管家一', '13911110001', '管家、领导', '', '副科长'], [2, '公共管家二', '13911110002', '管家', '', '']]);
    const upd = await upload(w.admin, 'people', 'people2.xlsx', changed, '?dryRun=false');
    expect(upd.json()).toMatchObject({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    const [p1] = await t.db.query(`SELECT title, roles, token_version FROM person WHERE district_id = $1 AND phone = '13911110001'`, [w.districtId]);
    expect(p1).toEqual({ title: '副科长', roles: ['steward', 'leader'], token_version: 2 });
  });
});

describe('enterprise import', () => {
  const good = (n: number, extra: Partial<Record<number, string>> = {}) => {
    const row: (string | number)[] = [n, `示范企业${n}有限公司`, code(n), areaName(), '装备制造', '规下', `示范路${n}号`, '122.0701,41.1199', '王经理', '13800000001', '', ''];
    for (const [i, v] of Object.entries(extra)) row[Number(i)] = v!;
    return row;
  };

  it('xlsx with good and bad rows: dry run writes nothing, rejected rows download with reasons, re-import no-op, update by credit code', async () => {
    const rows = [
      good(1), good(2, { 10: '公共管家一', 11: '13911110001' }), good(3),
      good(4, { 2: badCheck(code(4)) }), // check digit
      good(5, { 3: '不存在街道' }), // unknown area
      good(6, { 9: '0427-123' }), // phone
      good(7, { 2: code(1) }), // duplicate credit code in the file
      good(8, { 7: '2.35,48.85' }), // outside China
    ];
    const file = await xlsxOf(ENT_HEAD, rows);
    const before = await count(`SELECT count(*) AS n FROM enterprise WHERE district_id = $1`, [w.districtId]);
    const dry = await upload(w.coordinator, 'enterprises', 'ents.xlsx', file);
    expect(dry.json()).toMatchObject({ dryRun: true, totalRows: 8, created: 3, rejected: 5, assignmentsStarted: 1 });
    expect(await count(`SELECT count(*) AS n FROM enterprise WHERE district_id = $1`, [w.districtId])).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM audit_event WHERE action = 'import.enterprises'`)).toBe(0);

    const real = await upload(w.coordinator, 'enterprises', 'ents.xlsx', file, '?dryRun=false');
    const r = real.json();
    expect(r).toMatchObject({ created: 3, updated: 0, rejected: 5, assignmentsStarted: 1 });
    expect(await count(`SELECT count(*) AS n FROM enterprise WHERE district_id = $1`, [w.districtId])).toBe(before + 3);
    const [e1] = await t.db.query(`SELECT lat, lng, scale, location_confirmed FROM enterprise WHERE credit_code = $1`, [code(1)]);
    expect(e1.lng).toBeLessThan(122.0701); // stored WGS-84, converted from GCJ-02
    expect(e1.lng).toBeGreaterThan(122.05);
    const reasons = Object.fromEntries(r.problems.map((p: { row: number; reason: string }) => [p.row, p.reason]));
    expect(reasons[5]).toContain('校验位');
    expect(reasons[6]).toContain('属地“不存在街道”不存在');
    expect(reasons[7]).toContain('11 位手机号');
    expect(reasons[8]).toBe('与第 2 行统一社会信用代码重复');
    expect(reasons[9]).toContain('中国境内');

    const dl = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${r.id}/rejected`, headers: auth(t.app, w.coordinator) });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toContain('spreadsheetml');
    const back = await readXlsx(dl.rawPayload);
    expect(back[0]).toEqual([...ENT_HEAD, '原因', '原行号']);
    expect(back.slice(1).map((x) => x[0])).toEqual(['4', '5', '6', '7', '8']);
    expect(back[1]![ENT_HEAD.length]).toContain('统一社会信用代码：');
    expect(back.slice(1).every((x) => x[ENT_HEAD.length]!.length > 0)).toBe(true);
    expect(back[1]![2]).toBe(badCheck(code(4)));

    const again = await upload(w.coordinator, 'enterprises', 'ents.xlsx', file, '?dryRun=false');
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 5, assignmentsStarted: 0, assignmentsEnded: 0 });
    const [v] = await t.db.query(`SELECT version FROM enterprise WHERE credit_code = $1`, [code(1)]);
    expect(v.version).toBe(1);

    // the office fixes the rejected rows and adds an address change: only those change
    const fixed = await xlsxOf(ENT_HEAD, [good(1, { 6: '新地址1号' }), good(4), good(5)]);
    const upd = await upload(w.coordinator, 'enterprises', 'fixed.xlsx', fixed, '?dryRun=false');
    expect(upd.json()).toMatchObject({ created: 2, updated: 1, unchanged: 0, rejected: 0 });
    const [e1b] = await t.db.query(`SELECT address, version, contact_phone FROM enterprise WHERE credit_code = $1`, [code(1)]);
    expect(e1b).toEqual({ address: '新地址1号', version: 2, contact_phone: '13800000001' });
  });

  it('GBK and UTF-8-BOM CSV; missing areas created on request; an empty cell never clears a field', async () => {
    const head = ['企业名称', '统一社会信用代码', '属地', '联系电话'];
    const gbk = csvOf(head, [['盘锦（示范）化工有限公司', code(20), '新兴镇', '13800000020'], ['兴隆"引号",公司', code(21), '石油装备产业园', '']], 'gbk');
    const refused = await upload(w.coordinator, 'enterprises', 'gbk.csv', gbk, '?dryRun=false');
    expect(refused.json()).toMatchObject({ created: 0, rejected: 2 });
    const ok = await upload(w.coordinator, 'enterprises', 'gbk.csv', gbk, '?dryRun=false&createMissingAreas=true');
    expect(ok.json()).toMatchObject({ created: 2, rejected: 0, areasCreated: 2 });
    const names = await t.db.query(`SELECT e.name, a.name AS area, a.kind FROM enterprise e JOIN area a ON a.id = e.area_id WHERE e.credit_code = ANY($1) ORDER BY e.credit_code`, [[code(20), code(21)]]);
    expect(names).toEqual(expect.arrayContaining([
      { name: '盘锦（示范）化工有限公司', area: '新兴镇', kind: 'township' },
      { name: '兴隆"引号",公司', area: '石油装备产业园', kind: 'park' },
    ]));
    const bom = csvOf(head, [['盘锦（示范）化工有限公司', code(20), '新兴镇', '']], 'utf8-bom');
    expect((await upload(w.coordinator, 'enterprises', 'bom.csv', bom, '?dryRun=false')).json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const [e] = await t.db.query(`SELECT contact_phone FROM enterprise WHERE credit_code = $1`, [code(20)]);
    expect(e.contact_phone).toBe('13800000020');
  });

  it('a fault on the last row leaves nothing written', async () => {
    await t.db.query(`CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = '故障企业' THEN RAISE EXCEPTION 'fault'; END IF; RETURN NEW; END $$`);
    await t.db.query(`CREATE TRIGGER tr_test_fault BEFORE INSERT ON enterprise FOR EACH ROW EXECUTE FUNCTION test_fault()`);
    try {
      const file = await xlsxOf(ENT_HEAD, [good(30), good(31), [3, '故障企业', code(32), areaName()]]);
      const before = await count(`SELECT count(*) AS n FROM enterprise`);
      const runs = await count(`SELECT count(*) AS n FROM import_run`);
      const audits = await count(`SELECT count(*) AS n FROM audit_event`);
      const res = await upload(w.coordinator, 'enterprises', 'fault.xlsx', file, '?dryRun=false');
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.json().error.code).toBeDefined();
      expect(await count(`SELECT count(*) AS n FROM enterprise`)).toBe(before);
      expect(await count(`SELECT count(*) AS n FROM import_run`)).toBe(runs);
      expect(await count(`SELECT count(*) AS n FROM audit_event`)).toBe(audits);
    } finally {
      await t.db.query(`DROP TRIGGER tr_test_fault ON enterprise; DROP FUNCTION test_fault()`);
    }
  });

  it('bad files: wrong headers, empty, not a spreadsheet', async () => {
    const noHead = await upload(w.coordinator, 'enterprises', 'x.csv', csvOf(['名称X', '其他'], [['a', 'b']], 'utf8'));
    expect(noHead.statusCode).toBe(400);
    expect(noHead.json().error.code).toBe('IMPORT_HEADERS_MISSING');
    expect(noHead.json().error.details.map((d: { message: string }) => d.message)).toEqual(['缺少“企业名称”列', '缺少“统一社会信用代码”列', '缺少“所属乡镇/街道”列']);
    expect((await upload(w.coordinator, 'enterprises', 'e.csv', Buffer.from('企业名称,统一社会信用代码\r\n'))).json().error.code).toBe('IMPORT_FILE_EMPTY');
    expect((await upload(w.coordinator, 'enterprises', 'p.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).json().error.code).toBe('IMPORT_FILE_UNREADABLE');
    expect((await upload(w.coordinator, 'enterprises', 'z.xlsx', Buffer.from('PK\u0003\u0004garbage'))).json().error.code).toBe('IMPORT_FILE_UNREADABLE');
    expect((await upload(w.coordinator, 'nonsense', 'x.csv', Buffer.from('a'))).statusCode).toBe(400);
  });
});

describe('包保 import', () => {
  it('a change of steward ends the old assignment and starts a new one; history kept; re-import no-op; bad rows hold back their enterprise', async () => {
    const ent = w.enterprises[0]!; // assigned to w.steward in the seed
    await t.db.query(`UPDATE person SET phone = '13922220001' WHERE id = $1`, [w.steward.id]);
    await t.db.query(`UPDATE person SET phone = '13922220002' WHERE id = $1`, [w.steward2.id]);
    const head = ['统一社会信用代码', '企业名称', '包保干部', '干部电话'];
    const file = csvOf(head, [
      [ent.creditCode, ent.name, '管家李', '13922220002'],
      [code(1), '示范企业1有限公司', '管家李', '13922220002'],
      [code(2), '示范企业2有限公司', '管家张', '13922220001'],
      [code(2), '示范企业2有限公司', '不认识', '13900009999'], // unknown steward → both rows of this enterprise held back
      [code(3), '别的名字有限公司', '管家张', '13922220001'], // name mismatch
    ], 'gbk');
    const res = await upload(w.coordinator, 'assignments', 'baobao.csv', file, '?dryRun=false');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 2, updated: 1, rejected: 3, assignmentsStarted: 2, assignmentsEnded: 1 });
    const hist = await t.db.query(`SELECT p.name, a.ends_on IS NULL AS active FROM assignment a JOIN person p ON p.id = a.steward_id WHERE a.enterprise_id = $1 ORDER BY a.created_at`, [ent.id]);
    expect(hist).toEqual([{ name: '管家张', active: false }, { name: '管家李', active: true }]);
    // the enterprise of the bad rows kept its steward (公共管家一 from the enterprise import)
    const e2 = await t.db.query(`SELECT p.phone FROM assignment a JOIN person p ON p.id = a.steward_id JOIN enterprise e ON e.id = a.enterprise_id WHERE e.credit_code = $1 AND a.ends_on IS NULL`, [code(2)]);
    expect(e2).toEqual([{ phone: '13911110001' }]);
    const reasons = res.json().problems.map((p: { row: number; reason: string }) => `${p.row}:${p.reason}`);
    expect(reasons).toEqual(expect.arrayContaining([
      '4:同一企业的其他行有误，本企业的包保关系暂不导入', expect.stringMatching(/^5:未找到手机号为 13900009999 的管家/), expect.stringMatching(/^6:企业名称与系统中的/),
    ]));
    const again = await upload(w.coordinator, 'assignments', 'baobao.csv', file, '?dryRun=false');
    expect(again.json()).toMatchObject({ created: 0, updated: 0, assignmentsStarted: 0, assignmentsEnded: 0 });
  });
});

describe('access and the setup checklist', () => {
  it('only coordinators and admins import; another district gets 404 on a run; anonymous 401', async () => {
    const file = csvOf(PEOPLE_HEAD, [[1, '甲', '13933330001', '管家', '', '']], 'utf8');
    expect((await upload(w.steward, 'people', 'p.csv', file)).statusCode).toBe(403);
    expect((await upload(w.staff1, 'people', 'p.csv', file)).statusCode).toBe(403);
    expect((await upload(w.contact1, 'people', 'p.csv', file)).statusCode).toBe(403);
    const mine = (await upload(w.coordinator, 'people', 'p.csv', file)).json();
    const theirs = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${mine.id}/rejected`, headers: auth(t.app, other.coordinator) });
    expect(theirs.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/imports/${mine.id}/rejected` })).statusCode).toBe(401);
    // a coordinator may not import admins; a role word outside the list is a row problem
    const admins = csvOf(PEOPLE_HEAD, [[1, '乙', '13933330002', '管理员', '', '']], 'utf8');
    expect((await upload(w.coordinator, 'people', 'a.csv', admins)).json().problems[0].reason).toContain('无法识别的角色');
  });

  it('templates download as xlsx with the headers the importer accepts', async () => {
    for (const kind of ['enterprises', 'people', 'assignments']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/import-templates/${kind}`, headers: auth(t.app, w.admin) });
      expect(res.statusCode).toBe(200);
      const rows = await readXlsx(res.rawPayload);
      // the template itself imports (its example row may be rejected for unknown references, never for headers)
      const dry = await upload(w.admin, kind, 't.xlsx', res.rawPayload);
      expect(dry.statusCode).toBe(200);
      expect(dry.json().unknownHeaders).toEqual([]);
      expect(rows.length).toBe(2);
    }
  });

  it('the checklist counts what a district has and says what is missing', async () => {
    const empty = await seedDistrict(t.db, '211105');
    await t.db.query(`DELETE FROM assignment WHERE district_id = $1`, [empty.districtId]);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/setup-checklist', headers: auth(t.app, empty.admin) });
    expect(res.statusCode).toBe(200);
    const items = Object.fromEntries(res.json().items.map((i: { key: string; count: number; done: boolean }) => [i.key, [i.count, i.done]]));
    expect(items).toMatchObject({ areas: [2, true], departments: [2, true], categories: [0, false], routingRules: [0, false], enterprises: [2, true], assignments: [0, false] });
    expect(res.json().done).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup-checklist', headers: auth(t.app, empty.steward) })).statusCode).toBe(403);
    const full = await t.app.inject({ method: 'GET', url: '/api/v1/setup-checklist', headers: auth(t.app, w.coordinator) });
    expect(full.json().items.find((i: { key: string }) => i.key === 'assignments').count).toBeGreaterThan(1);
  });
});
