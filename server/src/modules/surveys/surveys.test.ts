import { Workbook } from 'exceljs';
import { addCalendarDays, shanghaiDate } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { auth, buildEnterprise, buildPerson, seedDistrict, type SeedPerson, type World } from '../../../test/factories';

jest.setTimeout(120_000);

let t: TestApp;
let w: World;
let other: World;
const TODAY = shanghaiDate(new Date());

beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
  other = await seedDistrict(t.db);
});
afterAll(async () => t.close());

const api = (who: SeedPerson, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(t.app, who), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

const questions = [
  { id: 'q1', kind: 'single', title: '您是否了解本区惠企政策', options: ['了解', '部分了解', '不了解'], required: true },
  { id: 'q2', kind: 'multi', title: '希望通过哪些渠道获取政策', options: ['管家上门', '电话', '微信'], required: false },
  { id: 'q3', kind: 'rating', title: '对政策执行的满意度', required: true },
  { id: 'q4', kind: 'text', title: '请您对该政策的制定及执行提出宝贵的意见', required: false },
];
const body = (over: Record<string, unknown> = {}) => ({
  title: '惠企政策落实情况调查问卷', intro: '感谢参与', anonymous: false, target: { kind: 'all' }, opensOn: TODAY, closesOn: addCalendarDays(TODAY, 30), questions, ...over,
});

async function published(over: Record<string, unknown> = {}) {
  const c = await api(w.coordinator, 'POST', '/surveys', body(over));
  expect(c.statusCode).toBe(201);
  const p = await api(w.coordinator, 'POST', `/surveys/${c.json().id}/publish`, { version: 1 });
  expect(p.statusCode).toBe(200);
  return p.json() as { id: string };
}

describe('surveys', () => {
  test('bad surveys and answers are refused in Chinese', async () => {
    let res = await api(w.coordinator, 'POST', '/surveys', body({ closesOn: addCalendarDays(TODAY, -1), questions: [{ id: 'a', kind: 'single', title: 'x', options: ['一'], required: true }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { message: string }) => d.message)).toEqual(['第1题：选择题至少需要两个选项', '截止日期不能早于开始日期']);
    res = await api(w.coordinator, 'POST', '/surveys', body({ target: { kind: 'area', ids: [other.areas[0]] } }));
    expect(res.statusCode).toBe(400);
    expect((await api(w.contact1, 'POST', '/surveys', body())).statusCode).toBe(403);
    const s = await published();
    res = await api(w.contact1, 'POST', `/surveys/${s.id}/responses`, { answers: { q3: 9 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { message: string }) => d.message)).toEqual(['第1题为必答题', '第3题：评分须为1–5分']);
    // closed: dates moved into the past
    await t.db.query(`UPDATE survey SET opens_on = $2, closes_on = $2 WHERE id = $1`, [s.id, addCalendarDays(TODAY, -3)]);
    res = await api(w.contact1, 'POST', `/surveys/${s.id}/responses`, { answers: { q1: 0, q3: 4 } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('问卷未开始或已截止');
  });

  test('one answer per enterprise: same Idempotency-Key replays, a double tap stores once, a second submit is refused', async () => {
    const s = await published();
    const key = { 'idempotency-key': `ans-${s.id}` };
    const a = await api(w.contact1, 'POST', `/surveys/${s.id}/responses`, { answers: { q1: 0, q3: 5 } }, key);
    const b = await api(w.contact1, 'POST', `/surveys/${s.id}/responses`, { answers: { q1: 0, q3: 5 } }, key);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const tap = await Promise.all([1, 2].map(() => api(w.contact2, 'POST', `/surveys/${s.id}/responses`, { answers: { q1: 1, q3: 3 } })));
    expect(tap.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM survey_response WHERE survey_id = $1`, [s.id]))[0].n).toBe(2);
    const again = await api(w.contact1, 'POST', `/surveys/${s.id}/responses`, { answers: { q1: 2, q3: 1 } });
    expect(again.json().error.code).toBe('SURVEY_ALREADY_ANSWERED');
    const list = (await api(w.contact1, 'GET', '/surveys')).json().items.find((x: { id: string }) => x.id === s.id);
    expect(list.answered).toBe(true);
    expect((await api(other.contact1, 'GET', `/surveys/${s.id}`)).statusCode).toBe(404);
    expect((await api(other.coordinator, 'GET', `/surveys/${s.id}/results`)).statusCode).toBe(404);
  });

  test('results equal independent counts; named export lists enterprises; targeting by area', async () => {
    const extra: SeedPerson[] = [];
    for (let i = 0; i < 4; i++) {
      const e = await buildEnterprise(t.db, { districtId: w.districtId, areaId: w.areas[i % 2] });
      extra.push(await buildPerson(t.db, { districtId: w.districtId, roles: ['enterprise'], enterpriseId: e.id }));
    }
    const s = await published({ target: { kind: 'area', ids: [w.areas[0]] } });
    // publishing told the targeted enterprises' contacts, and only them
    const told = (await t.db.query(`SELECT person_id FROM notification WHERE entity_id = $1`, [s.id])).map((r: { person_id: string }) => r.person_id).sort();
    expect(told).toEqual([w.contact1.id, extra[0].id, extra[2].id].sort());
    const answers = [{ q1: 0, q2: [0, 2], q3: 5, q4: '希望多上门' }, { q1: 2, q3: 2 }, { q1: 0, q2: [2], q3: 4, q4: '=1+1' }];
    const inArea0 = [w.contact1, extra[0], extra[2]];
    for (let i = 0; i < 3; i++) expect((await api(inArea0[i], 'POST', `/surveys/${s.id}/responses`, { answers: answers[i] })).statusCode).toBe(201);
    expect((await api(extra[1], 'POST', `/surveys/${s.id}/responses`, { answers: answers[0] })).statusCode).toBe(404); // not targeted
    const r = (await api(w.coordinator, 'GET', `/surveys/${s.id}/results`)).json();
    expect(r.responses).toBe(3);
    const [a0, a1] = r.byArea;
    const [{ n: targeted0 }] = await t.db.query(`SELECT count(*)::int AS n FROM enterprise WHERE area_id = $1`, [w.areas[0]]);
    expect(a0).toMatchObject({ targeted: targeted0, responded: 3 });
    expect(a1).toMatchObject({ targeted: 0, responded: 0, rate: '—' });
    expect(r.questions[0].options.map((o: { count: number }) => o.count)).toEqual([2, 0, 1]);
    expect(r.questions[1].options.map((o: { count: number }) => o.count)).toEqual([1, 0, 2]);
    expect(r.questions[2].average).toBe('3.67');
    expect(r.questions[3].texts.map((x: { text: string; enterprise: string | null }) => x.enterprise !== null)).toEqual([true, true]);
    const res = await api(w.coordinator, 'GET', `/surveys/${s.id}/export`);
    expect(res.statusCode).toBe(200);
    const wb = new Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('答卷明细')!;
    expect(ws.rowCount).toBe(5);
    expect(ws.getRow(2).values).toContain('企业');
    const cells = [3, 4, 5].map((i) => ws.getRow(i).getCell(5).value);
    expect(cells.sort()).toEqual(['不了解', '了解', '了解']);
    expect([3, 4, 5].map((i) => ws.getRow(i).getCell(8).value)).toContain("'=1+1");
  });

  test('an anonymous survey never reveals the enterprise: no link stored, results and export without it', async () => {
    const s = await published({ anonymous: true });
    const [ent] = await t.db.query(`SELECT name FROM enterprise WHERE id = $1`, [w.enterprises[0].id]);
    expect((await api(w.contact1, 'POST', `/surveys/${s.id}/responses`, { answers: { q1: 1, q3: 4, q4: '手续太多' } })).statusCode).toBe(201);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM survey_response WHERE survey_id = $1 AND enterprise_id IS NOT NULL`, [s.id]))[0].n).toBe(0);
    const audit = await t.db.query(`SELECT actor_id, data FROM audit_event WHERE action = 'survey.answered' AND entity_id = $1`, [s.id]);
    expect(audit).toEqual([{ actor_id: null, data: {} }]);
    for (const url of [`/surveys/${s.id}/results`, `/surveys/${s.id}`, '/surveys']) {
      const text = (await api(w.coordinator, 'GET', url)).body;
      expect(text).not.toContain(ent.name);
      expect(text).not.toContain(w.enterprises[0].id);
    }
    const r = (await api(w.coordinator, 'GET', `/surveys/${s.id}/results`)).json();
    expect(r.questions[3].texts).toEqual([{ text: '手续太多', enterprise: null }]);
    const ex = await api(w.coordinator, 'GET', `/surveys/${s.id}/export`);
    expect(ex.statusCode).toBe(409);
    expect(ex.json().error.message).toBe('匿名问卷不能导出答卷明细');
  });
});
