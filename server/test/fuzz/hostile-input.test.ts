import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../helper';
import { auth, seedDistrict, type World } from '../factories';
import { jpeg, multipart, planOnsite, uploadPhoto } from '../visit-helpers';
import { buildApp } from '../../src/app';
import { createDataSource } from '../../src/data-source';
import { isDatabaseUnavailable } from '../../src/plugins/errors';
import { hostileIssues } from '../../src/lib/validation';
import { FiniteNumbers1764405000000 } from '../../../migrations/1764405000000-FiniteNumbers';

/**
 * The hostile inputs the fuzzer found (issue 8), one by one, with what must hold after each: a 4xx in the error shape,
 * nothing stored, every later read still a 200. api-fuzz.test.ts sweeps them over every route; this file pins the
 * reported cases and the ones a fuzzer over `app.inject` cannot reach (HTTP-parser limits, a database outage).
 */
let t: TestApp;
let w: World;
const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: { id: string } | null, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { ...(who ? auth(t.app, who as World['coordinator']) : {}), ...headers }, payload: payload as object });

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect({ status: res.statusCode, code: res.json().error?.code }).toEqual({ status, code });
  expect(typeof res.json().error.message).toBe('string');
  expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db);
});
afterAll(async () => t?.close(), 60_000);

describe('non-finite numbers', () => {
  it.each([['"Infinity"'], ['"1e400"'], ['1e400'], ['"-Infinity"']])('a check-in with accuracyM %s is refused and not stored; the visit lists stay readable', async (raw) => {
    const id = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    const photoId = await uploadPhoto(t.app, w.steward);
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers: { ...auth(t.app, w.steward), 'content-type': 'application/json' },
      payload: `{"location":{"lat":41.1,"lng":121.1,"datum":"wgs84"},"accuracyM":${raw},"photoId":"${photoId}"}`,
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ path: '/body/accuracyM' }));
    const [row] = await t.db.query(`SELECT status, checkin_accuracy_m FROM visit WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'planned', checkin_accuracy_m: null });
    for (const url of [`/visits/${id}`, '/visits', '/visits?flagged=true', '/visits?kind=onsite&status=planned', '/visits/map?from=2026-01-01&to=2026-12-31']) {
      expect({ url, status: (await api('GET', url, w.coordinator)).statusCode }).toEqual({ url, status: 200 });
    }
  });

  it('the database refuses non-finite coordinates too, and the migration cleans rows poisoned before it', async () => {
    const id = await planOnsite(t.app, w.steward, w.enterprises[0].id);
    await expect(t.db.query(`UPDATE visit SET checkin_accuracy_m = 'Infinity' WHERE id = $1`, [id])).rejects.toMatchObject({ code: '23514' });
    await expect(t.db.query(`UPDATE enterprise SET lat = 'NaN', lng = 1 WHERE id = $1`, [w.enterprises[1].id])).rejects.toMatchObject({ code: '23514' });
    const qr = t.db.createQueryRunner();
    try {
      const m = new FiniteNumbers1764405000000();
      await m.down(qr);
      await t.db.query(`UPDATE visit SET status = 'checked_in', checkin_at = now(), checkin_lat = 41.1, checkin_lng = 121.1, checkin_accuracy_m = 'Infinity' WHERE id = $1`, [id]);
      await m.up(qr);
      expect((await t.db.query(`SELECT checkin_lat, checkin_accuracy_m FROM visit WHERE id = $1`, [id]))[0]).toEqual({ checkin_lat: 41.1, checkin_accuracy_m: null });
      expect((await api('GET', '/visits', w.coordinator)).statusCode).toBe(200);
    } finally {
      await qr.release();
    }
  });

  it.each(['Infinity', '-Infinity', '1e400', 'NaN', '1e9'])('limit=%s is refused on every list', async (limit) => {
    for (const url of ['/visits', '/enterprises', '/people', '/assignments', '/notifications', '/tickets', '/supervisions', '/return-visits',
      '/location-proposals', '/visit-grants', '/location-access-log']) {
      const res = await api('GET', `${url}?limit=${limit}`, w.coordinator);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('a non-finite number of days for the working-day calculator is refused', async () => {
    const res = await api('GET', '/calendar/working-days?from=2026-11-02&days=Infinity', w.coordinator);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ path: '/querystring/days', code: 'finite', message: '必须是有限的数字' }));
  });
});

describe('control characters', () => {
  it('a NUL in an anonymous login is a 400, not a 500', async () => {
    const res = await api('POST', '/auth/login', null, { username: 'a\u0000b', password: 'x' });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ path: '/body/username', code: 'controlChars' }));
  });

  it.each([['\u0000'], ['\u0007'], ['\u001b[31m'], ['\u007f']])('%j is refused in names, titles and notes', async (c) => {
    const res = await api('POST', '/departments', w.coordinator, { name: `部门${c}`, functions: `职能${c}` });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM department WHERE name LIKE '部门%' AND district_id = $1`, [w.districtId]))[0].n).toBe(0);
  });

  it('multi-line text keeps its line breaks and tabs; a single-line name does not take them', async () => {
    const ok = await api('POST', '/departments', w.coordinator, { name: '发改局', functions: '项目审批\r\n\t能耗指标' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().functions).toBe('项目审批\r\n\t能耗指标');
    const bad = await api('POST', '/departments', w.coordinator, { name: '发改\n局' });
    expectError(bad, 400, 'VALIDATION_FAILED');
    expect(bad.json().error.details).toContainEqual(expect.objectContaining({ path: '/body/name', message: '不能包含换行或控制字符' }));
  });

  it('the validator flags control characters in keys and values at any depth, and refuses absurd nesting', () => {
    expect(hostileIssues({ a: [{ b: 'x\u0000' }], 'k\u0001': 1, n: [Infinity] }).map((i) => [i.instancePath, i.keyword])).toEqual([
      ['/a/0/b', 'controlChars'], ['/k?', 'controlChars'], ['/n/0', 'finite'],
    ]);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(hostileIssues(deep).map((i) => i.keyword)).toEqual(['depth']);
    expect(hostileIssues({ text: '第一行\n第二行\t\r', n: 1.5, emoji: '👍' })).toEqual([]);
  });
});

describe('dates', () => {
  it.each([
    ['/calendar/working-days?from=2026-13-01&days=1', '/querystring/from'],
    ['/calendar/working-days?from=9999-12-31&days=1', '/querystring/from'],
    ['/calendar/working-days?from=2026-02-30&days=1', '/querystring/from'],
    ['/calendar?from=1999-12-31&to=2026-01-01', '/querystring/from'],
    ['/cadence/overdue?date=2026-13-01', '/querystring/date'],
    ['/cadence/overdue?date=9999-12-31', '/querystring/date'],
    ['/ticket-stats?from=2026-01-01&to=2101-01-01', '/querystring/to'],
    ['/reports/monthly?month=2026-13', '/querystring/month'],
  ])('%s is a 400 with a Chinese message naming the field', async (url, field) => {
    const res = await api('GET', url, w.coordinator);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ path: field, message: expect.stringMatching(/2000 至 2100 年/) }));
  });

  it('real dates at the edges pass: leap days, 2000-01-01 and 2100-12-31', async () => {
    for (const url of ['/calendar/working-days?from=2024-02-29&days=1', '/calendar/working-days?from=2000-02-29&days=0', '/cadence/overdue?date=2100-12-31',
      '/calendar?from=2000-01-01&to=2000-01-31']) {
      expect({ url, status: (await api('GET', url, w.coordinator)).statusCode }).toEqual({ url, status: 200 });
    }
    expect((await api('GET', '/calendar/working-days?from=2100-02-29&days=1', w.coordinator)).statusCode).toBe(400);
  });
});

describe('null in a JSON body is not coerced to false / 0 / ""', () => {
  it('PATCH /departments/:id {"active": null} is refused and the department stays active', async () => {
    const res = await api('PATCH', `/departments/${w.departments[0]}`, w.coordinator, { active: null });
    expectError(res, 400, 'VALIDATION_FAILED');
    const [row] = await t.db.query(`SELECT active FROM department WHERE id = $1`, [w.departments[0]]);
    expect(row.active).toBe(true);
  });

  it('null for a required number, string or boolean is refused; null where the schema allows it still clears', async () => {
    expectError(await api('PATCH', `/enterprises/${w.enterprises[0].id}`, w.coordinator, { version: null, name: '新名称有限公司' }), 400, 'VALIDATION_FAILED');
    expectError(await api('PATCH', `/enterprises/${w.enterprises[0].id}`, w.coordinator, { version: 1, name: null }), 400, 'VALIDATION_FAILED');
    expectError(await api('PUT', '/ticket-settings', w.coordinator, { acceptDays: null, replyDays: 5, urgentReplyDays: 1 }), 400, 'VALIDATION_FAILED');
    expectError(await api('PATCH', '/visit-settings', w.coordinator, { allowOffAssignment: null }), 400, 'VALIDATION_FAILED');
    // strings are not coerced to numbers in a body either
    expectError(await api('PATCH', `/enterprises/${w.enterprises[0].id}`, w.coordinator, { version: '1' }), 400, 'VALIDATION_FAILED');
    const person = await api('PATCH', `/people/${w.steward2.id}`, w.coordinator, { version: 1, departmentId: null });
    expect(person.statusCode).toBe(200);
  });

  it('query strings are still coerced (they are text by nature)', async () => {
    expect((await api('GET', '/visits?limit=5&flagged=true', w.coordinator)).statusCode).toBe(200);
  });
});

describe('uploads and files', () => {
  it.each([
    ['no boundary', (m: ReturnType<typeof multipart>) => ({ headers: { 'content-type': 'multipart/form-data' }, payload: m.payload })],
    ['truncated', (m: ReturnType<typeof multipart>) => ({ headers: m.headers, payload: m.payload.subarray(0, 150) })],
    ['boundary over 256 characters', (m: ReturnType<typeof multipart>) => ({ headers: { 'content-type': `multipart/form-data; boundary=${'b'.repeat(300)}` }, payload: m.payload })],
  ])('multipart with %s is a 400 on both upload routes', async (_label, mangle) => {
    for (const [url, who] of [['/visit-photos', w.steward], ['/attachments', w.contact1]] as const) {
      const m = mangle(multipart(jpeg(4096)));
      const res = await api('POST', url, who, m.payload, m.headers);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expectError(res, 400, 'BAD_REQUEST');
    }
  });

  it('an attachment or photo whose file is gone from disk answers 410 in the error shape', async () => {
    const up = multipart(jpeg(2048));
    const att = await api('POST', '/attachments', w.contact1, up.payload, up.headers);
    expect(att.statusCode).toBe(201);
    const [a] = await t.db.query(`SELECT storage_key FROM ticket_attachment WHERE id = $1`, [att.json().id]);
    await fs.promises.rm(path.join(t.config.uploadDir, a.storage_key));
    expectError(await api('GET', `/attachments/${att.json().id}`, w.contact1), 410, 'FILE_MISSING');

    const photoId = await uploadPhoto(t.app, w.steward);
    const [p] = await t.db.query(`SELECT storage_key FROM visit_photo WHERE id = $1`, [photoId]);
    await fs.promises.rm(path.join(t.config.uploadDir, p.storage_key));
    expectError(await api('GET', `/visit-photos/${photoId}`, w.steward), 410, 'FILE_MISSING');
  });
});

describe('answers Node or the router give before a handler runs', () => {
  let base: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    base = t.app;
    await base.listen({ port: 0, host: '127.0.0.1' });
    port = (base.server.address() as AddressInfo).port;
  });
  // sockets the parser gave up on must not keep app.close() waiting
  afterAll(() => base.server.closeAllConnections());

  /** Sends raw bytes and returns the status line's code and the parsed body. */
  function raw(request: string): Promise<{ status: number; body: { error?: { code?: string; message?: string } } }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (d) => { data += d.toString('utf8'); });
      socket.on('error', reject);
      socket.on('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]);
        const body = data.slice(data.indexOf('\r\n\r\n') + 4);
        try { resolve({ status, body: JSON.parse(body) }); } catch { reject(new Error(`not JSON: ${data.slice(0, 300)}`)); }
      });
      socket.end(request);
    });
  }

  it('a URL over 16 KB is a 414 in our shape', async () => {
    const res = await raw(`GET /api/v1/visits?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res).toEqual({ status: 414, body: { error: { code: 'URI_TOO_LONG', message: '请求地址过长' } } });
  });

  it('headers over 16 KB are a 431 in our shape', async () => {
    const res = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res).toEqual({ status: 431, body: { error: { code: 'HEADERS_TOO_LARGE', message: '请求头过大' } } });
  });

  it('malformed HTTP is a 400 in our shape', async () => {
    const res = await raw('GARBAGE\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('BAD_REQUEST');
  });

  it('a path parameter over the router limit is a 414, bad percent-encoding a 400, both in our shape', async () => {
    expectError(await api('GET', `/visits/${'a'.repeat(500)}`, w.coordinator), 414, 'URI_TOO_LONG');
    expectError(await t.app.inject({ method: 'GET', url: '/api/v1/visits/%E0%A4%A', headers: auth(t.app, w.coordinator) }), 400, 'BAD_REQUEST');
  });
});

describe('database outage', () => {
  it('maps connection errors to DATABASE_UNAVAILABLE and nothing else', () => {
    for (const code of ['ECONNREFUSED', '57P01', '57P03', '08006', '08001', '53300']) expect({ code, down: isDatabaseUnavailable({ code }) }).toEqual({ code, down: true });
    expect(isDatabaseUnavailable({ driverError: { code: '57P03' } })).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    for (const code of ['23505', '22P02', '42P01', undefined]) expect(isDatabaseUnavailable({ code })).toBe(false);
  });

  it('when PostgreSQL stops answering, requests get a 503 with a Chinese message, not a 500', async () => {
    // The app talks to PostgreSQL through a TCP relay this test can cut.
    const target = new URL((t.db.options as { url: string }).url);
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => { client.destroy(); upstream.destroy(); };
      client.on('error', drop); upstream.on('error', drop);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const relayed = new URL(target.href);
    relayed.hostname = '127.0.0.1';
    relayed.port = String((relay.address() as AddressInfo).port);
    const db = createDataSource(relayed.href, { poolSize: 2 });
    await db.initialize();
    const app = await buildApp({ config: t.config, dataSource: db, logger: false });
    await app.ready();
    try {
      const ok = await app.inject({ method: 'GET', url: '/api/v1/departments', headers: auth(app, w.coordinator) });
      expect(ok.statusCode).toBe(200);
      await new Promise<void>((r) => { relay.close(() => r()); for (const s of sockets) s.destroy(); });
      for (const url of ['/api/v1/departments', '/api/v1/visits']) {
        const res = await app.inject({ method: 'GET', url, headers: auth(app, w.coordinator) });
        expect({ url, status: res.statusCode, body: res.json() }).toEqual({ url, status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂时无法连接，请稍后再试' } } });
      }
    } finally {
      await app.close();
      await db.destroy().catch(() => undefined);
    }
  });
});
