import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';

/**
 * Bench-only routes, registered by the bench's server process and never by the product: the same-run baselines
 * (a bare route, a primary-key SELECT and a ticket + event insert in one transaction, both with plain `pg` on a
 * pool as large as the app's), tokens for the generated people, and the counters the harness reads between
 * phases (SQL statements sent by this process — every `pg` Client.query, BEGIN/COMMIT included — and peak RSS).
 */
export async function benchRoutes(app: FastifyInstance, opts: { databaseUrl: string; poolSize: number }) {
  const counters = installCounters();
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize });
  app.addHook('onClose', async () => {
    clearInterval(counters.timer);
    await pool.end();
  });
  const [ref] = await app.db.query(
    `SELECT t.district_id, t.enterprise_id, t.area_id, t.category_id, t.submitted_by FROM ticket t ORDER BY t.created_at DESC LIMIT 1`,
  );

  app.get('/__bench/bare', async () => ({ ok: true }));

  app.get<{ Params: { id: string } }>('/__bench/pk/:id', async (req) => {
    const r = await pool.query('SELECT * FROM ticket WHERE id = $1', [req.params.id]);
    return r.rows[0] ?? null;
  });

  app.post('/__bench/insert', async (_req, reply) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const id = crypto.randomUUID();
      await c.query(
        `INSERT INTO ticket (id, district_id, no, enterprise_id, area_id, category_id, title, description, submitted_by, submitted_role, state, version, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,'基准','基准插入的诉求',$7,'steward','submitted',1,now(),now())`,
        [id, ref.district_id, `B${crypto.randomBytes(6).toString('hex')}`, ref.enterprise_id, ref.area_id, ref.category_id, ref.submitted_by],
      );
      await c.query(
        `INSERT INTO ticket_event (ticket_id, district_id, seq, action, actor_id, actor_role, to_state, visibility, data, created_at)
         VALUES ($1,$2,1,'submit',$3,'steward','submitted','public','{}',now())`,
        [id, ref.district_id, ref.submitted_by],
      );
      await c.query('COMMIT');
      return reply.status(201).send({ id });
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  });

  app.get<{ Querystring: { username: string } }>('/__bench/token', async (req) => {
    const [p] = await app.db.query(`SELECT id, district_id, roles, enterprise_id, department_id, token_version FROM person WHERE username = $1`, [req.query.username]);
    return {
      token: app.signAccessToken({
        id: p.id, scope: 'district', districtId: p.district_id, cityCode: null, roles: p.roles, enterpriseId: p.enterprise_id, departmentId: p.department_id,
        tokenVersion: p.token_version,
      }),
    };
  });

  /** Statements so far, the peak RSS and the longest event-loop delay since the last `?reset` read. */
  app.get<{ Querystring: { reset?: string } }>('/__bench/counters', async (req) => {
    const out = {
      statements: counters.statements, served: inflight.served, peakRssMb: Math.round(counters.peakRss / 1048576), inflight: inflight.n - 1,
      loopMaxMs: Math.round(counters.loop.max / 1e6),
    };
    if (req.query.reset !== undefined) {
      counters.peakRss = process.memoryUsage.rss();
      counters.loop.reset();
    }
    return out;
  });
}

/** Requests being served (the harness waits for zero between phases, so one phase's stragglers do not load the next). */
export const inflight = { n: 0, served: 0 };

/** Counts in-flight requests at the HTTP server ('close' fires for finished and aborted responses alike). */
export function countInflight(app: FastifyInstance) {
  app.server.on('request', (req, res) => {
    inflight.n++;
    const counted = !req.url?.startsWith('/__bench/counters');
    res.once('close', () => {
      inflight.n--;
      if (counted) inflight.served++;
    });
  });
}

type Counters = { statements: number; peakRss: number; timer: NodeJS.Timeout; loop: ReturnType<typeof monitorEventLoopDelay> };
let installed: Counters | null = null;

function installCounters(): Counters {
  if (installed) return installed;
  // how long the event loop was blocked (timer lateness, 10 ms resolution; on a loaded machine it includes waiting for a core)
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const c: Counters = { statements: 0, peakRss: process.memoryUsage.rss(), timer: setInterval(() => {}, 1 << 30), loop };
  clearInterval(c.timer);
  // Every 250 ms: at 50 ms the sampling itself was ~5 % of the server's CPU profile under load (a /proc read per
  // call), on every phase; a phase lasts 5–8 s, so a peak is still sampled 20–30 times.
  c.timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > c.peakRss) c.peakRss = rss;
  }, 250);
  c.timer.unref();
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    c.statements++;
    return original.apply(this, args);
  };
  installed = c;
  return c;
}
