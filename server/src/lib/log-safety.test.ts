import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createDataSource } from '../data-source';
import { withDatabase } from '../db/connect';
import { startJobs } from '../jobs';
import { DevWechatClient } from '../modules/wechat/wechat-client';
import { runDatabaseName, TEST_ENV } from '../../test/helper';
import { auth, PASSWORD, passwordHash } from '../../test/factories';
import { fileTicket, seedTicketWorld } from '../../test/ticket-factories';
import { safeErrSerializer, scrubText } from './log-safety';

/** What the logs must never contain, whatever was logged. */
const FORBIDDEN: [string, RegExp][] = [
  ['phone number', /(?<!\d)1[3-9]\d{9}(?!\d)/],
  ['argon2 hash', /\$argon2id\$/],
  ['JWT', /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+/],
];

describe('the logs of a realistic flow hold no personal data or secrets', () => {
  const lines: string[] = [];
  let db: DataSource;
  const secrets: string[] = []; // exact values handed out during the flow: passwords, tokens, invitation codes

  beforeAll(async () => {
    const adminUrl = process.env.GUANJIA_TEST_ADMIN_URL!;
    const name = runDatabaseName('logs'); // dropped by globalTeardown
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${process.env.GUANJIA_TEST_TEMPLATE}"`);
    await admin.end();
    db = createDataSource(withDatabase(adminUrl, name), { poolSize: 4 });
    await db.initialize();
  });
  afterAll(() => db.destroy());

  it('login, wrong logins, a person with a phone, a constraint error, a failing job, a ticket: nothing leaks', async () => {
    // the production logger (redaction + serializers), at the most verbose level, into memory
    const config = loadConfig({ ...TEST_ENV, LOG_LEVEL: 'trace' });
    const app = await buildApp({ config, dataSource: db, wechat: new DevWechatClient(), logStream: { write: (l: string) => void lines.push(l) } });
    // A handler that fails inside PostgreSQL with personal data in its bound parameters (the leak this guards).
    app.post('/api/v1/test/constraint-error', async () => {
      // 22012 (not mapped to a 4xx), with a phone and a password hash among the statement's parameters
      await db.query(`SELECT length($1::text) / (length($2::text) - length($2::text))`, ['13912345678', await passwordHash()]);
      return { ok: true };
    });
    await app.ready();
    const w = await seedTicketWorld(db);
    const inject = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
      app.inject({ method, url, payload, headers });
    try {
      // a person with a phone, created through the API, with an invitation code
      const created = await inject('POST', '/api/v1/people', { name: '手机登录人', roles: ['coordinator'], phone: '13698765432', password: 'Str0ng-pass-2026', issueInvitation: true }, auth(app, w.admin));
      expect(created.statusCode).toBe(201);
      secrets.push(created.json().invitationCode, 'Str0ng-pass-2026', PASSWORD);
      // login by phone, right and wrong
      const ok = await inject('POST', '/api/v1/auth/login', { username: '13698765432', password: 'Str0ng-pass-2026' });
      expect(ok.statusCode).toBe(200);
      secrets.push(ok.json().accessToken, ok.json().refreshToken);
      for (let i = 0; i < 3; i++) expect((await inject('POST', '/api/v1/auth/login', { username: '13698765432', password: `wrong-${i}-pass` })).statusCode).toBe(401);
      const refreshed = await inject('POST', '/api/v1/auth/refresh', { refreshToken: ok.json().refreshToken });
      secrets.push(refreshed.json().refreshToken);
      // people search by phone (query string), a duplicate phone (mapped constraint), malformed JSON holding a phone
      expect((await inject('GET', '/api/v1/people?q=13698765432', undefined, auth(app, w.admin))).statusCode).toBe(200);
      expect((await inject('POST', '/api/v1/people', { name: '重复', roles: ['coordinator'], phone: '13698765432' }, auth(app, w.admin))).statusCode).toBe(409);
      const bad = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":"13698765432","password":' });
      expect(bad.statusCode).toBe(400);
      // a database error that is not mapped: 500, logged with its error
      const boom = await inject('POST', '/api/v1/test/constraint-error', {}, auth(app, w.admin));
      expect(boom.statusCode).toBe(500);
      // a scheduled job failing the same way
      const jobs = startJobs(app, [{ name: 'leaky-job', everyMs: 5, run: async () => void (await db.query(`SELECT $1::int`, ['13512345678'])) }]);
      await new Promise((r) => setTimeout(r, 60));
      await jobs.stop();
      // a ticket
      const ticket = await fileTicket({ app, db, config, wechat: new DevWechatClient(), close: async () => {} }, w.contact1, { categoryId: w.cat('人才用工'), description: '企业联系人电话 13787654321，急需招聘熟练电焊工二十名。' });
      expect(ticket.id).toBeDefined();
    } finally {
      await app.close();
    }

    const log = lines.join('');
    // the flow was logged at all, errors included (else the test proves nothing)
    expect(log).toMatch(/"msg":"unhandled error"/);
    expect(log).toMatch(/"msg":"job failed"/);
    expect(log).toMatch(/"code":"22012"/); // the failing statement (phone and hash among its parameters) was logged
    expect(lines.length).toBeGreaterThan(20);
    for (const [what, re] of FORBIDDEN) expect({ what, found: re.exec(log)?.[0] ?? null }).toEqual({ what, found: null });
    for (const s of secrets.filter(Boolean)) expect({ secret: s.slice(0, 6), present: log.includes(s) }).toEqual({ secret: s.slice(0, 6), present: false });
    expect(log).not.toMatch(/"parameters"|"query":"(INSERT|SELECT)/);
  });
});

describe('safeErrSerializer', () => {
  it('keeps the diagnosis (type, code, constraint) and drops SQL, values and PostgreSQL’s echo of them', () => {
    const err = Object.assign(new Error('new row for relation "person" violates check constraint "ck_person_roles"'), {
      query: 'INSERT INTO person … VALUES ($1,$2)',
      parameters: ['13912345678', '$argon2id$v=19$m=65536,t=3,p=4$abc$def'],
      code: '23514', constraint: 'ck_person_roles', table: 'person',
      detail: 'Failing row contains (13912345678, $argon2id$v=19$m=65536…)',
      driverError: { detail: 'Failing row contains (13912345678)', code: '23514' },
    });
    const out = safeErrSerializer(err) as Record<string, unknown>;
    expect(out).toMatchObject({ type: 'Error', code: '23514', constraint: 'ck_person_roles', table: 'person' });
    expect(JSON.stringify(out)).not.toMatch(/13912345678|argon2|INSERT|Failing row/);
  });

  it('scrubs phone numbers, hashes and JWTs out of messages, but not longer digit runs', () => {
    expect(scrubText('invalid input syntax for type integer: "13512345678"')).toBe('invalid input syntax for type integer: "[phone]"');
    expect(scrubText('id 2026113012345678901 ok')).toBe('id 2026113012345678901 ok');
    expect(scrubText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).toBe('token [jwt]');
  });
});
