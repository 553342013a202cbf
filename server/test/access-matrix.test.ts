import crypto from 'node:crypto';
import { createTestApp, type TestApp } from './helper';
import { auth, type SeedPerson } from './factories';
import { fileTicket, seedTicketWorld, type TicketWorld } from './ticket-factories';
import { insertVisit } from './visit-helpers';

/**
 * Who-may-touch-what, generated from the route list (the OpenAPI document): every route that names an object by
 * id is tried with district A's objects by people who must not reach them — anonymous, every role of another
 * district, and, for tickets, enterprises and visits, the wrong enterprise, department or steward of district A.
 * None may get a 2xx; anonymous always gets 401. A new route is covered the day it is added.
 */
let t: TestApp;
let a: TicketWorld;
let b: TicketWorld;
const ids = new Map<string, string>();
type Op = { method: string; path: string; secured: boolean };
let ops: Op[] = [];

/** The table behind each first path segment, to find one of district A's rows for the `{id}`. */
const TABLE_OF: Record<string, string> = {
  tickets: 'ticket', enterprises: 'enterprise', visits: 'visit', people: 'person', departments: 'department', areas: 'area',
  assignments: 'assignment', supervisions: 'supervision', 'return-visits': 'return_visit', 'ticket-categories': 'ticket_category',
  'routing-rules': 'routing_rule', attachments: 'ticket_attachment', notifications: 'notification', projects: 'project',
  'project-batches': 'project_batch', 'project-meetings': 'project_meeting', 'location-proposals': 'enterprise_location_proposal',
  rankings: 'ranking_snapshot',
  policies: 'policy', surveys: 'survey',
  imports: 'import_run', 'join-requests': 'join_request',
};

beforeAll(async () => {
  t = await createTestApp();
  a = await seedTicketWorld(t.db, '211103');
  b = await seedTicketWorld(t.db, '211104');
  const tk = await fileTicket(t, a.contact1, { categoryId: a.cat('人才用工') });
  ids.set('tickets', tk.id);
  ids.set('visits', await insertVisit(t.db, { districtId: a.districtId, stewardId: a.steward.id, enterpriseId: a.enterprises[0].id, kind: 'onsite', at: new Date() }));
  ids.set('enterprises', a.enterprises[0].id);
  // a published ranking of district A (issue 12), so /rankings/{id} is tried with a real id
  await t.db.query(
    `INSERT INTO ranking_snapshot (district_id, kind, month, weights, red_black_n, rows, published_by, published_at)
     VALUES ($1, 'department', '2026-01-01', '{}', 3, '[]', $2, now())`,
    [a.districtId, a.coordinator.id],
  );
  ids.set('people', a.steward.id);
  // a published policy of district A (issue 14), so the policy routes are tried on a real row
  await t.db.query(
    `INSERT INTO policy (district_id, title, department_id, benefit_type, mode, eligibility, status, publish_on, published_at)
     SELECT $1, '访问矩阵测试政策', id, 'subsidy', 'no_application', '{"match":"all","conditions":[]}', 'published', current_date, now() FROM department WHERE district_id = $1 LIMIT 1`,
    [a.districtId]);
  await t.db.query(
    `INSERT INTO survey (district_id, title, anonymous, target, opens_on, closes_on, questions, status)
     VALUES ($1, '访问矩阵测试问卷', false, '{"kind":"all"}', current_date, current_date + 30, '[{"id":"q1","kind":"text","title":"意见","required":false}]', 'open')`,
    [a.districtId]);
  // rows of district A for the going-live routes (an import run, a join request naming A's first enterprise)
  await t.db.query(`INSERT INTO import_run (district_id, kind, dry_run, file_name, file_sha256, total_rows, created, updated, unchanged, rejected, headers, rejected_rows)
                    VALUES ($1, 'people', true, 'a.xlsx', repeat('0', 64), 0, 0, 0, 0, 0, '[]', '[]')`, [a.districtId]);
  await t.db.query(`INSERT INTO join_request (district_id, wechat_openid, credit_code, company_name, contact_name) VALUES ($1, 'matrix-openid', $2, '某公司', '某人')`,
    [a.districtId, a.enterprises[0].creditCode]);
  for (const [seg, table] of Object.entries(TABLE_OF)) {
    if (ids.has(seg)) continue;
    const exists = await t.db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = 'district_id'`, [table]);
    if (!exists.length) continue;
    const [row] = await t.db.query(`SELECT id::text AS id FROM ${table} WHERE district_id = $1 LIMIT 1`, [a.districtId]);
    if (row) ids.set(seg, row.id);
  }
  const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, op]) => ({ method: m.toUpperCase(), path, secured: !(Array.isArray(op.security) && op.security.length === 0) })),
  );
});
const counts: Record<string, number> = {};
afterAll(async () => {
  if (process.env.ACCESS_MATRIX_REPORT) console.info(`access matrix: ${JSON.stringify(counts)} requests, ${idRoutes().length} id routes`);
  await t.close();
});

/** The concrete URL for a route: `{id}` → district A's object of that resource (or a random id), other params filled. */
function urlOf(path: string): string {
  const seg = path.replace(/^\/api\/v1\//, '').split('/')[0];
  return path
    .replace('{id}', ids.get(seg) ?? crypto.randomUUID())
    .replace(/\{year\}/g, '2026')
    .replace(/\{date\}/g, '2026-11-04')
    .replace(/\{[^}]+\}/g, crypto.randomUUID());
}

const idRoutes = () => ops.filter((o) => o.path.startsWith('/api/v1/') && o.path.includes('{id}'));

async function call(o: Op, who: SeedPerson | null) {
  return t.app.inject({
    method: o.method as 'GET', url: urlOf(o.path), headers: who ? auth(t.app, who) : {},
    ...(['POST', 'PUT', 'PATCH'].includes(o.method) ? { payload: {} } : {}),
  });
}

describe('access matrix', () => {
  it('the route list is read from the OpenAPI document', () => {
    expect(idRoutes().length).toBeGreaterThan(30);
    expect(ids.get('tickets')).toBeDefined();
  });

  it('anonymous: 401 on every secured route', async () => {
    const leaks: string[] = [];
    const secured = ops.filter((o) => o.secured && o.path.startsWith('/api/v1/'));
    for (const o of secured) {
      const res = await call(o, null);
      if (res.statusCode !== 401) leaks.push(`${o.method} ${o.path} → ${res.statusCode}`);
    }
    expect(leaks).toEqual([]);
    expect(secured.length).toBeGreaterThan(80);
    counts.anonymous = secured.length;
  });

  it('every role of another district: no 2xx on any of district A\'s objects', async () => {
    const who = [b.coordinator, b.admin, b.leader, b.steward, b.staff1, b.contact1];
    const leaks: string[] = [];
    let tried = 0;
    for (const o of idRoutes()) {
      for (const p of who) {
        tried++;
        const res = await call(o, p);
        if (res.statusCode < 300) leaks.push(`${o.method} ${o.path} as ${p.roles.join('+')} of B → ${res.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(tried).toBeGreaterThan(150);
    counts.otherDistrict = tried;
  });

  it('inside district A: the wrong enterprise, department and steward reach no ticket, enterprise or visit of another', async () => {
    const outsiders: Record<string, SeedPerson[]> = {
      tickets: [a.contact2, a.staff2, a.steward2],
      enterprises: [a.contact2],
      visits: [a.contact2, a.staff1, a.steward2], // the visited enterprise's own contact may read its visit
    };
    const leaks: string[] = [];
    let tried = 0;
    for (const o of idRoutes()) {
      const seg = o.path.replace(/^\/api\/v1\//, '').split('/')[0];
      for (const p of outsiders[seg] ?? []) {
        tried++;
        const res = await call(o, p);
        if (res.statusCode < 300) leaks.push(`${o.method} ${o.path} as ${p.roles.join('+')} → ${res.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(tried).toBeGreaterThan(40);
    counts.outsiders = tried;
  });
});
