import type { DataSource } from 'typeorm';
import { buildApp } from '../app';
import { createTestApp, type TestApp } from '../../test/helper';
import { auth } from '../../test/factories';
import { seedTicketWorld, type TicketWorld } from '../../test/ticket-factories';

/**
 * READ_DATABASE_URL (docs/scaling.md): the lag-tolerant reports read `app.readDb`; the detail after a write, lists,
 * counts and every write read the primary. The "replica" here is the same database behind a proxy that records
 * every use, so the test sees which pool each route took.
 */
let t: TestApp;
let w: TicketWorld;
let app: Awaited<ReturnType<typeof buildApp>>;
const used: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211115');
  const replica = new Proxy(t.db, {
    get(target, prop, receiver) {
      if (['query', 'createQueryRunner', 'transaction', 'manager'].includes(String(prop))) used.push(String(prop));
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as DataSource;
  app = await buildApp({ config: t.config, dataSource: t.db, readDataSource: replica, logger: false });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.close();
});

const call = async (method: 'GET' | 'POST', url: string, who: Parameters<typeof auth>[1], payload?: object) => {
  used.length = 0;
  const res = await app.inject({ method, url: `/api/v1${url}`, headers: auth(app, who), payload });
  return { status: res.statusCode, body: res.json(), replica: used.length > 0 };
};

test('a 诉求 filed and read back at once never touches the replica; the reports read it', async () => {
  const created = await call('POST', '/tickets', w.contact1, { categoryId: w.cat('人才用工'), title: '招工难，急需电焊工', description: '企业扩产，急需招聘熟练电焊工20名。' });
  expect([created.status, created.replica]).toEqual([201, false]);
  const detail = await call('GET', `/tickets/${created.body.id}`, w.contact1);
  expect([detail.status, detail.replica]).toEqual([200, false]);
  for (const url of ['/tickets?limit=20', '/tickets/counts']) expect([url, (await call('GET', url, w.coordinator)).replica]).toEqual([url, false]);
  const month = new Date().toISOString().slice(0, 7);
  for (const url of [`/ticket-stats?from=${month}-01&to=${month}-01`, `/reports/monthly?month=${month}`, `/visits/coverage?from=${month}-01&to=${month}-01`, '/cadence/overdue']) {
    const r = await call('GET', url, w.coordinator);
    expect([url, r.status, r.replica]).toEqual([url, 200, true]);
  }
});
