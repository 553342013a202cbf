import { buildApp } from '../app';
import { loadConfig } from '../config';
import { startJobs } from '../jobs';
import { createTestApp, TEST_ENV, type TestApp } from '../../test/helper';
import { auth } from '../../test/factories';
import { apiAs, fileTicket, seedTicketWorld, type TicketWorld } from '../../test/ticket-factories';
import { insertVisit } from '../../test/visit-helpers';
import { visitJobs } from '../modules/visits/visit.jobs';

/** docs/operations.md: /metrics (token, route templates, jobs, pool, outbox, logins), readyz's two parts, request ids in audit rows. */

const TOKEN = 'metrics-token-0123456789abcdef';
let t: TestApp;
let w: TicketWorld;
beforeAll(async () => {
  t = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
  w = await seedTicketWorld(t.db);
});
afterAll(() => t.close());

const scrape = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode).toBe(200);
  return res.body;
};
/** The value of one series in the exposition text (name plus every label given, in any order), or null. */
const value = (text: string, series: string): number | null => {
  const m = /^([^{]+)(?:\{(.*)\})?$/.exec(series)!;
  const want = m[2] ? m[2].split(/,(?=[a-z_]+=")/) : [];
  const line = text.split('\n').find((l) => {
    const sp = l.lastIndexOf(' ');
    const head = l.slice(0, sp);
    if (!(head === m[1] || head.startsWith(`${m[1]}{`))) return false;
    const labels = head.includes('{') ? head.slice(head.indexOf('{') + 1, -1).split(/,(?=[a-z_]+=")/) : [];
    return labels.length === want.length && want.every((x) => labels.includes(x));
  });
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
};

describe('/metrics', () => {
  it('needs the token; without METRICS_TOKEN it does not exist', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
    // a person's JWT is not the metrics token
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: auth(t.app, w.admin) })).statusCode).toBe(401);
    const off = await buildApp({ config: loadConfig({ ...TEST_ENV }), dataSource: t.db, logger: false });
    try {
      expect((await off.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
    expect(() => loadConfig({ ...TEST_ENV, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('counts requests and latency by route template, errors by status, login failures, pool and outbox', async () => {
    const ticket = await fileTicket(t, w.contact1, { categoryId: w.cat('人才用工') });
    const before = await scrape();
    const series = (status: number) => `guanjia_http_requests_total{route="/api/v1/tickets/:id",method="GET",status="${status}",app="guanjia"}`;
    const ok0 = value(before, series(200)) ?? 0;
    const nf0 = value(before, series(404)) ?? 0;
    for (let i = 0; i < 3; i++) expect((await apiAs(t)('GET', `/tickets/${ticket.id}`, w.contact1)).statusCode).toBe(200);
    expect((await apiAs(t)('GET', '/tickets/00000000-0000-4000-8000-000000000000', w.contact1)).statusCode).toBe(404);
    for (let i = 0; i < 2; i++) expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: w.staff1.username, password: 'wrong-password-1' } })).statusCode).toBe(401);
    const text = await scrape();
    expect(value(text, series(200))).toBe(ok0 + 3);
    expect(value(text, series(404))).toBe(nf0 + 1);
    // the raw URL (an id) never becomes a label
    expect(text).not.toContain(ticket.id);
    expect(value(text, 'guanjia_http_request_duration_seconds_count{route="/api/v1/tickets/:id",method="GET",app="guanjia"}')).toBeGreaterThanOrEqual(4);
    expect(value(text, 'guanjia_login_failures_total{reason="invalid_credentials",app="guanjia"}')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'guanjia_db_pool_connections{state="max",app="guanjia"}')).toBe(8);
    expect(value(text, 'guanjia_db_pool_connections{state="waiting",app="guanjia"}')).toBe(0);
    expect(value(text, 'guanjia_db_pool_wait_seconds_count{app="guanjia"}')).toBeGreaterThan(0);
    expect(value(text, 'guanjia_outbox_backlog{state="pending",app="guanjia"}')).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^guanjia_process_resident_memory_bytes\{app="guanjia"\} \d+/m);
  });

  it('counts a lockout where the lock is decided', async () => {
    const before = value(await scrape(), 'guanjia_login_lockouts_total{app="guanjia"}') ?? 0;
    for (let i = 0; i < t.config.loginMaxFailures; i++)
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: w.staff2.username, password: `wrong-password-${i}` } });
    expect(value(await scrape(), 'guanjia_login_lockouts_total{app="guanjia"}')).toBe(before + 1);
  });
});

describe('jobs and /readyz', () => {
  it('reports the database and the job runner apart; a failing job is "behind", warned once, and counted', async () => {
    let ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: { status: 'ok' }, jobs: { status: 'disabled' } });
    const warnings: unknown[] = [];
    const origWarn = t.app.log.warn.bind(t.app.log);
    t.app.log.warn = ((obj: unknown, msg?: string) => { warnings.push({ obj, msg }); return origWarn(obj as object, msg); }) as typeof t.app.log.warn;
    let calls = 0;
    const runner = startJobs(t.app, [
      // The healthy job is behind after two intervals without a success: at 20 ms, a busy machine's event-loop stall
      // (three test workers and others' benchmarks on two cores) made it "behind" too. 250 ms leaves it room.
      { name: 'test-ok', everyMs: 250, run: async () => void calls++ },
      { name: 'test-broken', everyMs: 20, run: async () => { throw new Error('boom'); } },
    ]);
    try {
      // until the healthy job has succeeded three times (the broken one has failed dozens of times by then)
      for (const until = Date.now() + 20_000; calls <= 2 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
      ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      // jobs behind do not take the node out of a load balancer: 200, with the job named
      expect(ready.statusCode).toBe(200);
      expect(ready.json().jobs).toMatchObject({ status: 'behind', count: 2, behind: [{ name: 'test-broken', lastSuccessAt: null, lastError: 'boom' }] });
      expect(calls).toBeGreaterThan(2);
      expect(warnings.filter((x) => (x as { msg: string }).msg === 'job is falling behind')).toHaveLength(1);
      const text = await scrape();
      expect(value(text, 'guanjia_job_runs_total{job="test-broken",result="failure",app="guanjia"}')).toBeGreaterThan(2);
      expect(value(text, 'guanjia_job_runs_total{job="test-ok",result="success",app="guanjia"}')).toBeGreaterThan(2);
      // a healthy job's lag is its last success's age (short; how short depends on the machine's load), below the
      // lag of the job that never succeeded since the runner started
      const okLag = value(text, 'guanjia_job_lag_seconds{job="test-ok",app="guanjia"}');
      const brokenLag = value(text, 'guanjia_job_lag_seconds{job="test-broken",app="guanjia"}');
      expect(brokenLag).toBeGreaterThan(0);
      expect(okLag).toBeLessThan(brokenLag!);
      expect(okLag).toBeLessThan(1);
      expect(value(text, 'guanjia_job_last_success_timestamp_seconds{job="test-ok",app="guanjia"}')).toBeGreaterThan(Date.now() / 1000 - 5);
    } finally {
      await runner.stop();
      t.app.jobRunner.current = null;
      t.app.log.warn = origWarn;
    }
    const n = calls;
    await new Promise((r) => setTimeout(r, 600));
    expect(calls).toBe(n); // stopped means stopped (two of the healthy job's intervals)
  });

  it('says why a job failed without echoing the values PostgreSQL puts in its messages (readyz is public)', async () => {
    const runner = startJobs(t.app, [{ name: 'test-leaky', everyMs: 15, run: async () => void (await t.db.query(`SELECT $1::int`, ['13512345678'])) }]);
    try {
      await new Promise((r) => setTimeout(r, 150));
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json().jobs.behind).toEqual([{ name: 'test-leaky', lastSuccessAt: null, lastError: 'QueryFailedError 22003' }]);
      expect(ready.body).not.toContain('13512345678');
    } finally {
      await runner.stop();
      t.app.jobRunner.current = null;
    }
  });

  it('stop() waits for a run in progress', async () => {
    let finished = false;
    const runner = startJobs(t.app, [{ name: 'test-slow', everyMs: 10, run: async () => { await new Promise((r) => setTimeout(r, 300)); finished = true; } }]);
    await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    t.app.jobRunner.current = null;
    expect(finished).toBe(true);
  });
});

describe('retention jobs', () => {
  it('the location purge says in the log and in /metrics how many coordinates it erased', async () => {
    const old = new Date(Date.now() - (t.config.locationRetentionDays + 3) * 86_400_000);
    for (let i = 0; i < 2; i++) await insertVisit(t.db, { districtId: w.districtId, stewardId: w.steward.id, enterpriseId: w.enterprises[0].id, kind: 'onsite', at: old });
    await insertVisit(t.db, { districtId: w.districtId, stewardId: w.steward.id, enterpriseId: w.enterprises[0].id, kind: 'onsite', at: new Date() });
    const series = 'guanjia_retention_removed_total{job="visit-location-purge",kind="visit_location",app="guanjia"}';
    const before = value(await scrape(), series) ?? 0;
    const logged: { obj: Record<string, unknown>; msg?: string }[] = [];
    const origInfo = t.app.log.info.bind(t.app.log);
    t.app.log.info = ((obj: Record<string, unknown>, msg?: string) => { logged.push({ obj, msg }); return origInfo(obj, msg); }) as typeof t.app.log.info;
    try {
      const job = visitJobs.find((j) => j.name === 'visit-location-purge')!;
      await job.run(t.app);
      await job.run(t.app); // nothing left: still logged (the purge ran), zero removed
    } finally {
      t.app.log.info = origInfo;
    }
    expect(value(await scrape(), series)).toBe(before + 2);
    expect(logged.map((l) => [l.obj.job, l.obj.visits])).toEqual([['visit-location-purge', 2], ['visit-location-purge', 0]]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM visit WHERE district_id = $1 AND checkin_lat IS NOT NULL`, [w.districtId]);
    expect(n).toBe(1);
  });
});

describe('request ids', () => {
  it('the id in the log and the response header is stamped on the audit and timeline rows of that request', async () => {
    const res = await apiAs(t)('POST', '/tickets', w.contact1, { categoryId: w.cat('人才用工'), title: '请求编号测试', description: '企业扩产，急需招聘熟练电焊工三十名，本地招聘困难。' });
    expect(res.statusCode).toBe(201);
    const reqId = res.headers['x-request-id'];
    expect(typeof reqId).toBe('string');
    const events = await t.db.query(`SELECT seq, request_id FROM ticket_event WHERE ticket_id = $1 ORDER BY seq`, [res.json().id]);
    expect(events.map((e: { request_id: string }) => e.request_id)).toEqual([reqId, reqId]);
    const accept = await apiAs(t)('POST', `/tickets/${res.json().id}/accept`, w.staff1, { version: res.json().version });
    expect(accept.statusCode).toBe(200);
    const [step] = await t.db.query(`SELECT request_id FROM ticket_event WHERE ticket_id = $1 AND action = 'accept'`, [res.json().id]);
    expect(step.request_id).toBe(accept.headers['x-request-id']);
    // an audit_event row (a failed login writes one)
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: w.leader.username, password: 'not-the-password' } });
    const [audit] = await t.db.query(`SELECT request_id FROM audit_event WHERE actor_id = $1 AND action = 'auth.login_failed' ORDER BY id DESC LIMIT 1`, [w.leader.id]);
    expect(audit.request_id).toBe(bad.headers['x-request-id']);
    // concurrent requests keep their own ids
    const many = await Promise.all([0, 1, 2, 3].map((i) => apiAs(t)('POST', '/tickets', w.contact1, { categoryId: w.cat('融资信贷'), title: `并发${i}`, description: `第${i}份：企业需要流动资金贷款${i + 1}00万元，用于购买原材料。` })));
    for (const r of many) {
      expect(r.statusCode).toBe(201);
      const rows = await t.db.query(`SELECT DISTINCT request_id FROM ticket_event WHERE ticket_id = $1`, [r.json().id]);
      expect(rows).toEqual([{ request_id: r.headers['x-request-id'] }]);
    }
  });
});
