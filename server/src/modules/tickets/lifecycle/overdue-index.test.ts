import { createTestApp, type TestApp } from '../../../../test/helper';
import { overdueSql } from '../../indicators/indicator-sql';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/**
 * The overdue test must reach ix_ticket_clock_due as an index condition (migration 1765100000000): then the btree
 * drops the tickets not yet due without a heap visit. If overdueSql's deadline drifts from the index expression, the
 * planner can only filter after the heap check, the 1M bench's overdue page goes from ~1 ms back to ~600 ms, and
 * nothing else would notice.
 */
describe('the overdue condition and ix_ticket_clock_due', () => {
  const plan = async (sql: string) => {
    const qr = t.db.createQueryRunner();
    await qr.connect();
    try {
      // a test database is tiny: without these the planner would rightly read the table
      await qr.query(`SET enable_seqscan = off`);
      await qr.query(`SET enable_bitmapscan = off`);
      const [row] = await qr.query(`EXPLAIN (FORMAT JSON) ${sql}`, ['00000000-0000-0000-0000-000000000001', new Date()]);
      return JSON.stringify(row['QUERY PLAN']);
    } finally {
      await qr.release();
    }
  };
  const indexCondOf = (p: string) => (/"Index Name":"(\w+)"[^}]*?"Index Cond":"([^"]*)"/.exec(p) ?? /"Index Cond":"([^"]*)"[^}]*?"Index Name":"(\w+)"/.exec(p));

  it('is an index condition of the overdue list’s first phase, newest first', async () => {
    const p = await plan(`SELECT t.id FROM ticket t WHERE t.district_id = $1 AND ${overdueSql('$2::timestamptz')} ORDER BY t.created_at DESC, t.id DESC LIMIT 21`);
    expect(p).toContain('ix_ticket_clock_due');
    expect(indexCondOf(p)?.[0]).toMatch(/CASE WHEN/);
  });

  it('is an index condition of a period’s overdue count', async () => {
    // on an empty table ix_ticket_overdue (by deadline) may win; on the 1M copy the creation range picks ix_ticket_clock_due
    const p = await plan(`SELECT count(*) FROM ticket t WHERE t.district_id = $1 AND t.created_at >= $2::timestamptz - interval '1 year' AND ${overdueSql('$2::timestamptz')}`);
    expect(p).toMatch(/"Index Cond":"[^"]*CASE WHEN/);
  });
});
