import { makeCreditCode } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../test/helper';
import { auth, seedDistrict, type World } from '../../test/factories';
import { requestHash } from './idempotency';
import { purgeAuthRecords } from '../modules/auth/auth.jobs';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await createTestApp({ env: { IDEMPOTENCY_LEASE_SECONDS: '60' } });
  w = await seedDistrict(t.db);
});
afterAll(() => t.close());

const create = (body: object, key: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { ...auth(t.app, w.coordinator), 'idempotency-key': key }, payload: body });

/** What a crash leaves behind: the claim row, no answer, the business transaction rolled back. */
async function abandonedClaim(key: string, body: object, ageSeconds: number) {
  await t.db.query(
    `INSERT INTO idempotency_record (person_id, key, method, path, request_hash, claim_id, claimed_at, created_at)
     VALUES ($1, $2, 'POST', '/api/v1/enterprises', $3, gen_random_uuid(), now() - make_interval(secs => $4), now() - make_interval(secs => $4))`,
    [w.coordinator.id, key, requestHash('POST', '/api/v1/enterprises', body), ageSeconds],
  );
}

describe('Idempotency-Key leases', () => {
  it('a retry after a crash (claim older than the lease) takes the key over and acts once', async () => {
    const body = { name: '崩溃重试有限公司', creditCode: makeCreditCode(5150), areaId: w.areas[0] };
    await abandonedClaim('crash-key-0001', body, 61);
    const retry = await create(body, 'crash-key-0001');
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replay']).toBeUndefined();
    // a further retry replays the stored answer; the enterprise exists once
    const again = await create(body, 'crash-key-0001');
    expect([again.statusCode, again.headers['idempotent-replay'], again.json().id]).toEqual([201, 'true', retry.json().id]);
    const rows = await t.db.query(`SELECT id FROM enterprise WHERE credit_code = $1`, [body.creditCode]);
    expect(rows).toEqual([{ id: retry.json().id }]);
    const [rec] = await t.db.query(`SELECT status_code FROM idempotency_record WHERE person_id = $1 AND key = 'crash-key-0001'`, [w.coordinator.id]);
    expect(rec.status_code).toBe(201);
  });

  it('within the lease the claim is still someone else’s: 409 in progress, nothing created', async () => {
    const body = { name: '处理中有限公司', creditCode: makeCreditCode(5151), areaId: w.areas[0] };
    await abandonedClaim('live-key-00001', body, 5);
    const res = await create(body, 'live-key-00001');
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'IDEMPOTENCY_IN_PROGRESS']);
    expect(await t.db.query(`SELECT 1 FROM enterprise WHERE credit_code = $1`, [body.creditCode])).toHaveLength(0);
  });

  it('an abandoned claim is not taken over by a different request under the same key', async () => {
    const body = { name: '原请求有限公司', creditCode: makeCreditCode(5152), areaId: w.areas[0] };
    await abandonedClaim('other-key-0001', body, 120);
    const res = await create({ ...body, name: '另一个请求' }, 'other-key-0001');
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('concurrent retries of an abandoned claim: one acts, the others are told it is in progress or replayed', async () => {
    const body = { name: '并发重试有限公司', creditCode: makeCreditCode(5153), areaId: w.areas[0] };
    await abandonedClaim('race-key-00001', body, 300);
    const results = await Promise.all(Array.from({ length: 4 }, () => create(body, 'race-key-00001')));
    const fresh = results.filter((r) => r.statusCode === 201 && r.headers['idempotent-replay'] === undefined);
    expect(fresh).toHaveLength(1);
    for (const r of results.filter((x) => !fresh.includes(x))) expect([409, 201]).toContain(r.statusCode);
    expect(await t.db.query(`SELECT 1 FROM enterprise WHERE credit_code = $1`, [body.creditCode])).toHaveLength(1);
  });

  it('the retention job purges keys older than IDEMPOTENCY_RETENTION_DAYS, and only those', async () => {
    await abandonedClaim('old-key-000001', { a: 1 }, 8 * 86400);
    await abandonedClaim('new-key-000001', { a: 1 }, 6 * 86400);
    const r = await purgeAuthRecords(t.db, { idempotencyDays: 7, lockMinutes: 15 });
    expect(r.skipped).toBe(false);
    expect(r.idempotencyKeys).toBeGreaterThanOrEqual(1);
    const keys = (await t.db.query(`SELECT key FROM idempotency_record WHERE key IN ('old-key-000001','new-key-000001')`)).map((x: { key: string }) => x.key);
    expect(keys).toEqual(['new-key-000001']);
  });

  it('the retention job runs once across instances (advisory lock)', async () => {
    const other = await t.db.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(`SELECT pg_advisory_xact_lock(hashtext('auth-retention'))`);
      expect(await purgeAuthRecords(t.db, { idempotencyDays: 7, lockMinutes: 15 })).toEqual({ skipped: true, idempotencyKeys: 0, loginFailures: 0 });
      await other.rollbackTransaction();
    } finally {
      await other.release();
    }
  });

  it('old login-failure counters are purged once their lock is long over', async () => {
    await t.db.query(
      `INSERT INTO login_failure (person_id, client_ip, failures, locked_until, last_failed_at) VALUES
         ($1, '192.0.2.1', 5, now() - interval '2 days', now() - interval '2 days'),
         ($1, '192.0.2.2', 2, NULL, now() - interval '1 hour')`,
      [w.steward.id],
    );
    const r = await purgeAuthRecords(t.db, { idempotencyDays: 7, lockMinutes: 15 });
    expect(r.loginFailures).toBe(1);
    const left = await t.db.query(`SELECT host(client_ip) AS ip FROM login_failure WHERE person_id = $1`, [w.steward.id]);
    expect(left).toEqual([{ ip: '192.0.2.2' }]);
  });
});
