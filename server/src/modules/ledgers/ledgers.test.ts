import ExcelJS from 'exceljs';
import { shanghaiDate } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { apiAs, seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import type { SeedPerson } from '../../../test/factories';
import type { AuthUser } from '../../lib/principal';
import { createTicket, getTicket } from '../tickets/lifecycle/ticket.service';
import { performAction } from '../tickets/lifecycle/ticket-actions';

jest.setTimeout(120_000);

let t: TestApp;
let w: TicketWorld;
let other: TicketWorld;
let api: ReturnType<typeof apiAs>;
const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });
const at = (s: string) => ({ now: new Date(`${s}+08:00`) });

async function step(id: string, who: SeedPerson, action: Parameters<typeof performAction>[3], when: string, body: Record<string, unknown> = {}) {
  const cur = await getTicket(t.db, as(who), id, at(when));
  return performAction(t.db, as(who), id, action, { version: cur.version, ...body }, at(when));
}

/** Reads an .xlsx response back: header row, data rows (values) and the sheet's view/widths. */
async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((r, n) => { if (n > 1) rows.push((r.values as unknown[]).slice(1)); });
  return { ws, header: (ws.getRow(1).values as unknown[]).slice(1), rows };
}

// A random but reproducible month of tickets: categories, enterprises, days and outcomes drawn from a seeded generator.
let seed = 12345;
const rnd = (n: number) => ((seed = (seed * 48271) % 2147483647), seed % n);

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211201');
  other = await seedTicketWorld(t.db, '211202');
  api = apiAs(t);
  const cats = ['人才用工', '人才用工/招工用工', '融资信贷', '融资信贷/融资担保', '政务服务'];
  for (let i = 0; i < 24; i++) {
    const day = String(1 + rnd(27)).padStart(2, '0');
    const contact = rnd(2) ? w.contact1 : w.contact2;
    const tk = await createTicket(t.db, as(contact), { categoryId: w.cat(i < 4 ? '人才用工' : cats[rnd(cats.length)]), title: `第${i}件诉求`, description: `企业反映的困难，编号${i}` }, at(`2026-03-${day}T09:00:00`));
    const fate = i < 4 ? i : rnd(4);
    if (fate >= 1 && tk.leadDepartment) {
      const staff = tk.leadDepartment.id === w.departments[0] ? w.staff1 : w.staff2;
      await step(tk.id, staff, 'accept', `2026-03-${day}T10:00:00`);
      if (fate >= 2) {
        await step(tk.id, staff, 'reply', `2026-03-${day}T11:00:00`, { outcome: 'solved', text: '已解决' });
        if (fate === 3) await step(tk.id, contact, 'confirm', `2026-03-${day}T12:00:00`, { verdict: rnd(2) ? 'satisfied' : 'basically_satisfied', rating: 5 });
      }
    }
  }
  // One in April, outside the period; one in the other district.
  await createTicket(t.db, as(w.contact1), { categoryId: w.cat('人才用工'), title: '四月诉求', description: '四月份的诉求内容' }, at('2026-04-02T09:00:00'));
  await createTicket(t.db, as(other.contact1), { categoryId: other.cat('人才用工'), title: '外区诉求', description: '另一个区的诉求' }, at('2026-03-05T09:00:00'));
});
afterAll(() => t.close());

const HEADERS = ['序号', '受理编号', '企业', '诉求类别', '诉求内容', '提出时间', '责任单位', '办理时限', '办理情况', '是否解决', '企业评价', '销号时间'];

describe('诉求台账 (.xlsx)', () => {
  it('has the Chinese headers, a frozen header row, one row per ticket of the period, values equal to the database', async () => {
    const res = await api('GET', '/ledgers/tickets?from=2026-03-01&to=2026-03-31', w.coordinator);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('诉求台账');
    const { ws, header, rows } = await readXlsx(res.rawPayload);
    expect(header).toEqual(HEADERS);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(5).width).toBeGreaterThanOrEqual(40); // 诉求内容 wide enough for Chinese text
    // Independent count and values straight from SQL.
    const expected: { no: string; ent: string; title: string; description: string; created_at: Date; dep: string | null; is_solved: boolean; verdict: string | null; reply_due: string | null }[] = await t.db.query(
      `SELECT t.no, e.name AS ent, t.title, t.description, t.created_at, d.name AS dep, t.is_solved, t.verdict,
              to_char(t.reply_due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reply_due
       FROM ticket t JOIN enterprise e ON e.id = t.enterprise_id LEFT JOIN department d ON d.id = t.lead_department_id
       WHERE t.district_id = $1 AND t.created_at >= '2026-03-01T00:00:00+08:00' AND t.created_at < '2026-04-01T00:00:00+08:00'
       ORDER BY t.created_at, t.id`,
      [w.districtId],
    );
    expect(expected.length).toBe(24);
    expect(rows.length).toBe(expected.length);
    expected.forEach((e, i) => {
      const r = rows[i];
      expect(r[0]).toBe(i + 1);
      expect(r[1]).toBe(e.no);
      expect(r[2]).toBe(e.ent);
      expect(r[4]).toBe(`${e.title}：${e.description}`);
      // Dates are real date cells holding Shanghai wall-clock time.
      expect(r[5]).toBeInstanceOf(Date);
      expect((r[5] as Date).getTime()).toBe(new Date(e.created_at).getTime() + 8 * 3600_000);
      expect(r[6] ?? '').toBe(e.dep ?? '');
      if (e.reply_due) expect((r[7] as Date).toISOString().slice(0, 10)).toBe(e.reply_due);
      expect(r[9]).toBe(e.is_solved ? '是' : '否');
      expect(r[10] ?? '').toBe({ satisfied: '满意', basically_satisfied: '基本满意' }[e.verdict ?? ''] ?? '');
      expect(String(r[8])).toMatch(/当前：/);
      if (e.is_solved) expect(String(r[8])).toContain(`${shanghaiDate(new Date(e.created_at)).slice(5)} 签收；`); // Shanghai month-day
      expect(String(r[8])).not.toMatch(/提交诉求|办理进展/); // the submission and notes are not summarised
    });
    // Every data cell carries its column's style (the writer hands each cell the column's style object).
    for (let n = 2; n <= rows.length + 1; n++) {
      const r = ws.getRow(n);
      expect(r.getCell(1).numFmt).toBe('0');
      expect(r.getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm');
      expect(r.getCell(8).numFmt).toBe('yyyy-mm-dd');
      expect(r.getCell(12).numFmt).toBe('yyyy-mm-dd hh:mm'); // empty for an open ticket, still formatted
      expect(r.getCell(9).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
      expect(r.getCell(2).alignment).toMatchObject({ vertical: 'top' });
      expect(r.getCell(2).alignment?.wrapText).toBeFalsy();
      expect(r.getCell(2).font?.bold).toBeFalsy();
    }
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getRow(1).getCell(9).alignment).toMatchObject({ horizontal: 'center' });
    const solvedRow = rows.find((r) => r[9] === '是')!;
    expect(String(solvedRow[8])).toMatch(/签收；.*答复；.*确认办理结果：(满意|基本满意)；当前：企业已确认/);
  });

  it('writes the export to the audit log: who, filters, rows', async () => {
    await api('GET', '/ledgers/tickets?from=2026-03-01&to=2026-03-31&solved=true', w.leader);
    // The audit row is written when the last row is out; inject resolves after the stream ends.
    let row: { actor_id: string; data: { ledger: string; filters: Record<string, unknown>; rows: number } } | undefined;
    for (let i = 0; i < 50 && !row; i++) {
      [row] = await t.db.query(`SELECT actor_id, data FROM audit_event WHERE action = 'ledger.export' AND actor_id = $1 ORDER BY created_at DESC LIMIT 1`, [w.leader.id]);
      if (!row) await new Promise((r) => setTimeout(r, 20));
    }
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ticket WHERE district_id = $1 AND is_solved AND created_at >= '2026-03-01T00:00:00+08:00' AND created_at < '2026-04-01T00:00:00+08:00'`, [w.districtId]);
    expect(row).toMatchObject({ actor_id: w.leader.id, data: { ledger: 'tickets', filters: { from: '2026-03-01', to: '2026-03-31', solved: true }, rows: n } });
  });

  it('a department exports only its own tickets; naming another department is refused', async () => {
    const res = await api('GET', '/ledgers/tickets', w.staff2);
    expect(res.statusCode).toBe(200);
    const { rows } = await readXlsx(res.rawPayload);
    const mine: { no: string }[] = await t.db.query(
      `SELECT no FROM ticket WHERE district_id = $1 AND (lead_department_id = $2 OR $2 = ANY(assisting_department_ids)) ORDER BY created_at, id`, [w.districtId, w.departments[1]]);
    expect(rows.map((r) => r[1])).toEqual(mine.map((m) => m.no));
    const theirs: { no: string }[] = await t.db.query(
      `SELECT no FROM ticket WHERE district_id = $1 AND lead_department_id = $2 AND NOT ($3 = ANY(assisting_department_ids))`, [w.districtId, w.departments[0], w.departments[1]]);
    expect(theirs.length).toBeGreaterThan(0);
    for (const x of theirs) expect(rows.map((r) => r[1])).not.toContain(x.no);
    const forbidden = await api('GET', `/ledgers/tickets?departmentId=${w.departments[0]}`, w.staff2);
    expect(forbidden.statusCode).toBe(403);
  });

  it('another district: its ids are unknown here (404) and its tickets never appear', async () => {
    const res = await api('GET', `/ledgers/tickets?departmentId=${other.departments[0]}`, w.coordinator);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('LEDGER_FILTER_NOT_FOUND');
    expect(res.json().error.message).toMatch(/不存在/);
    const all = await readXlsx((await api('GET', '/ledgers/tickets', w.coordinator)).rawPayload);
    expect(all.rows.map((r) => r[2])).not.toContain(other.enterprises[0].name);
    expect(all.rows.length).toBe(25);
  });

  it('the list\'s keyword filter (q) works here too: by title and by the enterprise\'s name', async () => {
    // q searches e.name: the page and the count must join the enterprise (without it the export was a 500)
    const byTitle = await api('GET', `/ledgers/tickets?q=${encodeURIComponent('第1件诉求')}`, w.coordinator);
    expect(byTitle.statusCode).toBe(200);
    expect((await readXlsx(byTitle.rawPayload)).rows.map((r) => String(r[4]).split('：')[0])).toEqual(['第1件诉求']);
    const name = w.enterprises[0].name;
    const byEnterprise = await api('GET', `/ledgers/tickets?q=${encodeURIComponent(name)}`, w.coordinator);
    expect(byEnterprise.statusCode).toBe(200);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM ticket t JOIN enterprise e ON e.id = t.enterprise_id WHERE t.district_id = $1 AND e.name = $2 AND t.state NOT IN ('withdrawn', 'merged')`, [w.districtId, name]);
    const rows = (await readXlsx(byEnterprise.rawPayload)).rows;
    expect(n).toBeGreaterThan(0);
    expect(rows.length).toBe(n);
    for (const r of rows) expect(r[2]).toBe(name);
    expect(byEnterprise.headers['x-ledger-rows']).toBe(String(n));
  });

  it('bad filters are 4xx with a Chinese message, never a broken file', async () => {
    const bad = [
      '/ledgers/tickets?from=2026-04-01&to=2026-03-01',
      '/ledgers/tickets?from=2026-13-01',
      '/ledgers/tickets?state=nonsense',
      '/ledgers/tickets?departmentId=not-a-uuid',
      '/ledgers/tickets?limit=5',
    ];
    for (const url of bad) {
      const res = await api('GET', url, w.coordinator);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await api('GET', '/ledgers/tickets?from=2026-04-01&to=2026-03-01', w.coordinator)).json().error.code).toBe('LEDGER_PERIOD_INVALID');
    // Roles without a ledger: enterprise contacts.
    expect((await api('GET', '/ledgers/tickets', w.contact1)).statusCode).toBe(403);
  });
});

describe('走访台账 and 项目台账', () => {
  it('走访台账: one row per visit of the period, the steward sees only their own', async () => {
    const visit = (steward: SeedPerson, ent: string, kind: string, when: string) => t.db.query(
      `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, created_by, notes) VALUES ($1,$2,$3,$4,'completed',$5,$2,'了解企业用工情况')`,
      [w.districtId, steward.id, ent, kind, new Date(`${when}+08:00`)]);
    await visit(w.steward, w.enterprises[0].id, 'phone', '2026-03-03T10:00:00');
    await visit(w.steward, w.enterprises[0].id, 'onsite', '2026-03-20T15:00:00');
    await visit(w.steward2, w.enterprises[1].id, 'wechat', '2026-03-21T15:00:00');
    const res = await api('GET', '/ledgers/visits?from=2026-03-01&to=2026-03-31', w.coordinator);
    expect(res.statusCode).toBe(200);
    const { header, rows } = await readXlsx(res.rawPayload);
    expect(header.slice(0, 6)).toEqual(['序号', '走访时间', '管家', '企业', '属地', '方式']);
    expect(rows.map((r) => r[5])).toEqual(['电话沟通', '现场走访', '微信沟通']);
    const mine = await readXlsx((await api('GET', '/ledgers/visits', w.steward2)).rawPayload);
    expect(mine.rows.length).toBe(1);
    expect((await api('GET', '/ledgers/visits', w.staff1)).statusCode).toBe(403);
  });

  it('项目台账: one row per project, money in 万元 with two decimals', async () => {
    const y = Number(new Date().toISOString().slice(0, 4));
    const created = await api('POST', '/projects', w.coordinator, {
      name: '年产十万吨新材料项目', enterpriseId: w.enterprises[0].id, areaId: w.areas[0], location: '一号镇工业园', nature: '产业', levels: ['市重点'], kind: 'new',
      startYear: y - 1, endYear: y + 1, plannedStartOn: `${y + 1}-03-01`, plannedEndOn: `${y + 1}-06-30`, totalInvestment: '123456789',
      funding: [{ source: 'self_raised', amount: '123456789' }], leaderId: w.leader.id, leadDepartmentId: w.departments[0], helperDepartmentIds: [],
      stewardIds: [w.steward.id], contactPersonId: w.contact1.id, stage: 'signed', stageOn: `${y - 1}-01-05`,
    });
    expect(created.statusCode).toBe(201);
    const res = await api('GET', '/ledgers/projects', w.coordinator);
    expect(res.statusCode).toBe(200);
    const { ws, header, rows } = await readXlsx(res.rawPayload);
    expect(header.slice(0, 3)).toEqual(['序号', '项目编号', '项目名称']);
    expect(header).toContain('总投资（万元）');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM project WHERE district_id = $1`, [w.districtId]);
    expect(rows.length).toBe(n);
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => i + 1)); // 序号 counts 1, 2, 3…
    const row = rows.find((r) => r[2] === '年产十万吨新材料项目')!;
    const col = header.indexOf('总投资（万元）');
    expect(row[col]).toBe(12345.68); // 123456789 元 = 12345.6789 万元 → 12345.68
    expect(ws.getColumn(col + 1).numFmt).toBe('#,##0.00');
    const cell = ws.getRow(rows.indexOf(row) + 2).getCell(col + 1);
    expect(cell.numFmt).toBe('#,##0.00');
    expect(cell.type).toBe(ExcelJS.ValueType.Number);
    expect((await api('GET', '/ledgers/projects', other.coordinator)).statusCode).toBe(200);
    expect((await readXlsx((await api('GET', '/ledgers/projects', other.coordinator)).rawPayload)).rows.length).toBe(0);
  });
});

describe('考核排名表 (.xlsx)', () => {
  const DEPT_HEADERS = ['名次', '较上月', '红黑榜', '责任单位', '综合得分', '响应率（及时签收率）%', '解决率%', '满意率%', '受理诉求', '已解决', '已签收', '按时签收',
    '满意', '基本满意', '不满意', '按时办结率%', '超期未办结', '上月名次'];
  const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
  /** Independent count of March 2026 per department (SQL over the raw rows, JS arithmetic), ranked by the composite. */
  async function expectedDepartments() {
    const rows: { id: string; name: string; state: string | null; is_solved: boolean; solved_at: Date | null; accepted_at: Date | null; accept_due_at: Date | null; verdict: string | null }[] = await t.db.query(
      `SELECT d.id, d.name, t.state, t.is_solved, t.solved_at, t.accepted_at, t.accept_due_at, t.verdict
         FROM department d LEFT JOIN ticket t ON t.lead_department_id = d.id AND t.created_at >= '2026-03-01T00:00:00+08:00' AND t.created_at < '2026-04-01T00:00:00+08:00'
        WHERE d.district_id = $1 AND d.active`, [w.districtId]);
    const end = new Date('2026-04-01T00:00:00+08:00');
    const out = new Map<string, { name: string; score: number | null; received: number; solved: number; satisfied: number }>();
    for (const id of new Set(rows.map((r) => r.id))) {
      const mine = rows.filter((r) => r.id === id && r.state);
      const R = mine.filter((r) => r.state !== 'withdrawn' && r.state !== 'merged');
      const acc = mine.filter((r) => r.accepted_at && r.accepted_at < end && r.state !== 'merged');
      const solved = R.filter((r) => r.is_solved && r.solved_at! < end).length;
      const sat = R.filter((r) => r.verdict === 'satisfied').length;
      const bas = R.filter((r) => r.verdict === 'basically_satisfied').length;
      const dis = R.filter((r) => r.verdict === 'dissatisfied').length;
      const a = pct(acc.filter((r) => r.accepted_at! <= r.accept_due_at!).length, acc.length);
      const s = pct(solved, R.length);
      const m = pct(sat + 0.9 * bas, sat + bas + dis);
      out.set(id, { name: rows.find((r) => r.id === id)!.name, received: R.length, solved, satisfied: sat, score: R.length ? Math.round((0.1 * (a ?? 0) + 0.5 * (s ?? 0) + 0.4 * (m ?? 0)) * 10) / 10 : null });
    }
    const sorted = [...out.entries()].sort(([ia, x], [ib, y]) => (x.score === null ? 1 : 0) - (y.score === null ? 1 : 0) || (y.score ?? 0) - (x.score ?? 0) || (x.name < y.name ? -1 : x.name > y.name ? 1 : ia < ib ? -1 : 1));
    return sorted.map(([id, x]) => ({ id, ...x, rank: x.score === null ? null : 1 + sorted.filter(([, y]) => y.score !== null && y.score > x.score!).length }));
  }
  const get = (url: string, who: SeedPerson) => api('GET', url, who);
  /** The audit row is written when the last row is out: wait for it. */
  async function lastAudit(actorId: string, since: Date) {
    for (let i = 0; i < 100; i++) {
      const [row] = await t.db.query(`SELECT data FROM audit_event WHERE action = 'ledger.export' AND actor_id = $1 AND created_at >= $2 ORDER BY created_at DESC LIMIT 1`, [actorId, since]);
      if (row) return row;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  }

  it('the department ranking: Chinese headers, a frozen header row, one row per department as counted, 红黑榜 and ↑↓, audited', async () => {
    const [{ since }] = await t.db.query(`SELECT now() AS since`);
    const res = await get('/ledgers/rankings?month=2026-03&kind=department', w.coordinator);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('部门考核排名表');
    const { ws, header, rows } = await readXlsx(res.rawPayload);
    expect(ws.name).toBe('部门考核排名表');
    expect(header).toEqual(DEPT_HEADERS);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(6).width).toBeGreaterThanOrEqual(24); // the longest header fits (CJK counts two)
    const exp = await expectedDepartments();
    expect(exp.filter((x) => x.rank !== null).length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => [r[0] ?? null, r[3], r[4] ?? null, r[8], r[9], r[12]])).toEqual(exp.map((x) => [x.rank, x.name, x.score, x.received, x.solved, x.satisfied]));
    // the marks and the change are the ranking endpoint's: 红榜 the first N ranked; February had nothing → 新上榜
    const api_ = (await get('/stats/rankings/departments?month=2026-03', w.coordinator)).json();
    const red = new Set(api_.red.map((x: { department: { id: string } }) => x.department.id));
    const black = new Set(api_.black.map((x: { department: { id: string } }) => x.department.id));
    expect(rows.map((r) => r[2] ?? '')).toEqual(api_.rows.map((x: { department: { id: string } }) => (red.has(x.department.id) ? '红榜' : black.has(x.department.id) ? '黑榜' : '')));
    expect(rows.map((r) => r[2] ?? '')).toEqual(exp.map((x, i) => (x.rank !== null && i < 3 ? '红榜' : '')));
    expect(rows.filter((r) => r[0]).map((r) => r[1])).toEqual(exp.filter((x) => x.rank !== null).map(() => '新上榜'));
    const audit = await lastAudit(w.coordinator.id, since);
    expect(audit?.data).toMatchObject({ ledger: 'departmentRanking', title: '部门考核排名表', filters: { month: '2026-03', kind: 'department', published: null }, rows: rows.length });
  });

  it('the steward ranking carries the figures of /stats/rankings/stewards', async () => {
    const res = await get('/ledgers/rankings?month=2026-03&kind=steward', w.leader);
    expect(res.statusCode).toBe(200);
    const { header, rows } = await readXlsx(res.rawPayload);
    expect(header.slice(0, 6)).toEqual(['名次', '较上月', '红黑榜', '管家', '得分', '对接企业次数']);
    const r = (await get('/stats/rankings/stewards?month=2026-03', w.coordinator)).json();
    expect(rows.map((x) => [x[3], x[5] ?? 0, x[6] ?? 0, x[9] ?? 0])).toEqual(r.rows.map((x: { steward: { name: string }; contacts: number; enterprisesAssigned: number; problemsRaised: number }) => [x.steward.name, x.contacts, x.enterprisesAssigned, x.problemsRaised]));
  });

  it('a department exports only a published department ranking; stewards only a published steward ranking; other districts never see it', async () => {
    expect((await get('/ledgers/rankings?month=2026-03&kind=department', w.staff1)).statusCode).toBe(404);
    expect((await get('/ledgers/rankings?month=2026-03&kind=steward', w.staff1)).statusCode).toBe(403);
    expect((await get('/ledgers/rankings?month=2026-03&kind=department', w.steward)).statusCode).toBe(403);
    expect((await get('/ledgers/rankings?month=2026-03&kind=department', w.contact1)).statusCode).toBe(403);
    const pub = await api('POST', '/rankings', w.coordinator, { kind: 'department', month: '2026-03' });
    expect(pub.statusCode).toBe(201);
    const [{ since }] = await t.db.query(`SELECT now() AS since`);
    const res = await get('/ledgers/rankings?month=2026-03&kind=department', w.staff1);
    expect(res.statusCode).toBe(200);
    const { rows } = await readXlsx(res.rawPayload);
    expect(rows.map((r) => r[3])).toEqual(pub.json().rows.map((x: { department: { name: string } }) => x.department.name));
    const audit = await lastAudit(w.staff1.id, since);
    expect(audit?.data).toMatchObject({ ledger: 'departmentRanking', filters: { month: '2026-03', published: pub.json().id }, rows: rows.length });
    // another district's coordinator gets its own district's ranking, never this one's figures
    const theirs = await readXlsx((await get('/ledgers/rankings?month=2026-03&kind=department', other.coordinator)).rawPayload);
    expect(theirs.rows.reduce((s, r) => s + Number(r[8] ?? 0), 0)).toBe(1);
    expect((await get('/ledgers/rankings?month=2026-03&kind=department', other.staff1)).statusCode).toBe(404);
    // bad input: 4xx in Chinese
    for (const q of ['month=2026-13&kind=department', 'month=2026-03&kind=city', 'kind=department']) {
      const bad = await get(`/ledgers/rankings?${q}`, w.coordinator);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});

describe('诉求台账 agrees with the indicators', () => {
  const month = 'from=2026-03-01&to=2026-03-31';
  const rowsOf = async (who: SeedPerson, extra = '') => {
    const res = await api('GET', `/ledgers/tickets?${month}${extra}`, who);
    expect(res.statusCode).toBe(200);
    return (await readXlsx(res.rawPayload)).rows.length;
  };
  const received = async (who: SeedPerson, extra = '') => {
    const res = await api('GET', `/stats/summary?${month}${extra}`, who);
    expect(res.statusCode).toBe(200);
    return res.json().tickets.received as number;
  };
  const agree = async () => {
    const district = await received(w.coordinator);
    expect(district).toBeGreaterThan(20);
    expect(await rowsOf(w.coordinator)).toBe(district);
    for (const area of w.areas) expect(await rowsOf(w.coordinator, `&areaId=${area}`)).toBe(await received(w.coordinator, `&scope=area&scopeId=${area}`));
    // a department's figures are its lead-department 诉求 (its ledger without a filter also lists those it assists)
    for (const staff of [w.staff1, w.staff2]) expect(await rowsOf(staff, `&leadDepartmentId=${staff.departmentId}`)).toBe(await received(staff));
  };

  it('the month\'s ledger has exactly as many data rows as /stats/summary says received, for the district, each area and each department', agree);

  // received = not withdrawn or merged (docs/metrics.md): a ledger asked without a state filter leaves them out too
  it('still agrees once a 诉求 of the month is withdrawn (not received)', async () => {
    const gone = await createTicket(t.db, as(w.contact2), { categoryId: w.cat('政务服务'), title: '撤回的诉求', description: '企业自行解决后撤回' }, at('2026-03-12T09:00:00'));
    await step(gone.id, w.contact2, 'withdraw', '2026-03-12T10:00:00', { reason: '企业已自行解决' });
    await agree();
    // …and asked for by state, the withdrawn one is there
    expect(await rowsOf(w.coordinator, '&state=withdrawn')).toBeGreaterThanOrEqual(1);
  });
});
