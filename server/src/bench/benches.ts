import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { makeCreditCode } from '@guanjia/shared';
import { fmt, measure, ratio } from './measure';
import { loginStormLines } from './login-storm';

export type BenchCtx = { app: FastifyInstance; db: DataSource; districtId: string };
export type Bench = { name: string; run: (ctx: BenchCtx) => Promise<string[]> };

async function tokenOf(ctx: BenchCtx, username: string): Promise<string> {
  const [p] = await ctx.db.query(`SELECT id, roles, enterprise_id, department_id FROM person WHERE username = $1`, [username]);
  return ctx.app.signAccessToken({
    id: p.id, scope: 'district', districtId: ctx.districtId, cityCode: null, roles: p.roles, enterpriseId: p.enterprise_id, departmentId: p.department_id, tokenVersion: 1,
  });
}

/** Every benchmark; feature modules append theirs. */
export const benches: Bench[] = [
  {
    name: 'Enterprise list, deep page (2,000 enterprises): keyset cursor vs OFFSET baseline',
    async run(ctx) {
      const token = await tokenOf(ctx, 'coordinator');
      const headers = { authorization: `Bearer ${token}` };
      // Walk to the page starting at row 1,500 to get its cursor.
      let cursor: string | null = null;
      for (let i = 0; i < 30; i++) {
        const res: { nextCursor: string | null } = (await ctx.app.inject({ method: 'GET', url: `/api/v1/enterprises?limit=50${cursor ? `&cursor=${cursor}` : ''}`, headers })).json();
        cursor = res.nextCursor;
      }
      const keyset = await measure(() => ctx.app.inject({ method: 'GET', url: `/api/v1/enterprises?limit=50&cursor=${cursor}`, headers }));
      const offsetSql = await measure(() => ctx.db.query(
        `SELECT e.*, a.name AS area_name FROM enterprise e JOIN area a ON a.id = e.area_id WHERE e.district_id = $1 ORDER BY e.name, e.id LIMIT 51 OFFSET 1500`, [ctx.districtId]));
      const [last] = await ctx.db.query(`SELECT name, id FROM enterprise WHERE district_id = $1 ORDER BY name, id OFFSET 1499 LIMIT 1`, [ctx.districtId]);
      const keysetSql = await measure(() => ctx.db.query(
        `SELECT e.*, a.name AS area_name FROM enterprise e JOIN area a ON a.id = e.area_id WHERE e.district_id = $1 AND (e.name, e.id) > ($2, $3::uuid) ORDER BY e.name, e.id LIMIT 51`,
        [ctx.districtId, last.name, last.id]));
      return [
        `HTTP keyset page at row 1,500: ${fmt(keyset)}`,
        `SQL OFFSET 1500 (baseline): ${fmt(offsetSql)}`,
        `SQL keyset at row 1,500: ${fmt(keysetSql)} → ${ratio(keysetSql, offsetSql)} of OFFSET's time`,
      ];
    },
  },
  {
    name: 'Enterprise creation: with Idempotency-Key vs without (baseline)',
    async run(ctx) {
      const token = await tokenOf(ctx, 'coordinator');
      const [area] = await ctx.db.query(`SELECT id FROM area WHERE district_id = $1 LIMIT 1`, [ctx.districtId]);
      let n = 900000;
      const body = () => ({ name: `基准测试企业${n}有限公司`, creditCode: makeCreditCode(++n), areaId: area.id });
      const plain = await measure(() => ctx.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { authorization: `Bearer ${token}` }, payload: body() }), 150, 10);
      const keyed = await measure(() => ctx.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { authorization: `Bearer ${token}`, 'idempotency-key': `bench-${n + 1}-key` }, payload: body() }), 150, 10);
      return [`without key (baseline): ${fmt(plain)}`, `with Idempotency-Key: ${fmt(keyed)} → ${ratio(keyed, plain)}`];
    },
  },
  {
    name: 'Ten wrong logins at once: another user\'s latency and peak memory, password checks capped (2) vs not (10)',
    run: async (ctx) => loginStormLines(ctx.app, { authorization: `Bearer ${await tokenOf(ctx, 'coordinator')}` }, 'coordinator2'),
  },
];
