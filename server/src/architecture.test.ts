import fs from 'node:fs';
import path from 'node:path';

/**
 * Layering rules a reviewer should not have to check by eye (docs/ARCHITECTURE.md, "Layers"):
 * - route files (`routes.ts`) validate, authenticate and call a service: no SQL, no transactions, no audit writes;
 * - services and policies do not depend on Fastify (the HTTP plugin re-exports the principal, not the other way);
 * - access rules live in the resources' `*.policy.ts`: nobody else calls `isDistrictWide`; every module has a
 *   policy with a matrix test (or says below whose policy it uses, or why it has no access rule); route guards
 *   name a policy's role group, never a role literal.
 */
const SRC = path.join(__dirname);

function files(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const rel = (p: string) => path.relative(SRC, p).split(path.sep).join('/');
const all = files(SRC);

/** What a route file must not contain. */
const FORBIDDEN_IN_ROUTES: [string, RegExp][] = [
  ['a query', /\.query\s*\(/],
  ['a transaction', /\btransaction\s*\(/],
  ['an audit write', /\brecordAudit\s*\(/],
  ['SQL', /\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|\bBEGIN\b|\bCOMMIT\b)/],
];

/** Route files whose SQL has not moved yet; each entry must still offend (so the list only shrinks). */
const PENDING: string[] = [];

describe('architecture', () => {
  const routeFiles = all.filter((p) => path.basename(p) === 'routes.ts' || /\.routes\.ts$/.test(p));

  it('finds the route files', () => expect(routeFiles.length).toBeGreaterThan(15));

  it.each(routeFiles.map(rel))('%s has no SQL, transaction or audit write', (file) => {
    const src = fs.readFileSync(path.join(SRC, file), 'utf8');
    const found = FORBIDDEN_IN_ROUTES.filter(([, re]) => re.test(src)).map(([what]) => what);
    if (PENDING.includes(file)) expect(found.length).toBeGreaterThan(0);
    else expect(found).toEqual([]);
  });

  it('the checks can fail: they catch SQL in a route body', () => {
    const sample = "app.get('/x', async (req) => app.db.query(`SELECT id FROM area WHERE district_id = $1`, [req.auth.districtId]));";
    expect(FORBIDDEN_IN_ROUTES.filter(([, re]) => re.test(sample)).length).toBe(2);
  });

  it('only policy modules (and the principal itself) decide who is district-wide', () => {
    const callers = all.filter((p) => /\bisDistrictWide\s*\(/.test(fs.readFileSync(p, 'utf8'))).map(rel)
      .filter((f) => !f.endsWith('.policy.ts') && f !== 'lib/principal.ts');
    expect(callers).toEqual(PENDING_DISTRICT_WIDE);
  });
});

/** Services that still call isDistrictWide directly, to move into their resource's policy. */
const PENDING_DISTRICT_WIDE: string[] = [];

/** Modules whose routes are guarded by another module's policy (they read figures that policy already decides). */
const BORROWED_POLICY: Record<string, string> = {
  dashboard: 'indicators/indicator.policy',
  ledgers: 'indicators/indicator.policy',
};
/** Modules with no access rule of their own, and why. */
const NO_POLICY: Record<string, string> = {
  audit: 'writes audit events inside other modules\' transactions; no route',
  auth: 'authentication (login, tokens, WeChat binding) and /me, which returns the caller\'s own record only',
  health: 'public liveness and readiness probes',
  wechat: 'the outbound WeChat client and outbox relay; no route',
};

describe('one policy per resource', () => {
  const MODULES = path.join(SRC, 'modules');
  const modules = fs.readdirSync(MODULES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const under = (m: string) => all.filter((p) => rel(p).startsWith(`modules/${m}/`));

  it('finds the modules', () => expect(modules.length).toBeGreaterThan(20));

  it.each(modules)('%s has a policy with a matrix test, uses another module\'s, or says why it needs none', (m) => {
    const policies = under(m).filter((p) => p.endsWith('.policy.ts'));
    if (m in NO_POLICY) {
      expect(policies).toEqual([]);
      const routes = under(m).filter((p) => path.basename(p) === 'routes.ts').map((p) => fs.readFileSync(p, 'utf8')).join('\n');
      expect(routes).not.toMatch(/requireRoles|requireScope/);
    } else if (m in BORROWED_POLICY) {
      expect(policies).toEqual([]);
      expect(fs.readFileSync(path.join(MODULES, m, 'routes.ts'), 'utf8')).toContain(`'../${BORROWED_POLICY[m]}'`);
    } else {
      expect(policies.length).toBeGreaterThan(0);
      for (const p of policies) expect(fs.existsSync(p.replace(/\.policy\.ts$/, '.policy.test.ts'))).toBe(true);
    }
  });

  it('the exemption lists name existing modules only', () =>
    expect([...Object.keys(NO_POLICY), ...Object.keys(BORROWED_POLICY)].filter((m) => !modules.includes(m))).toEqual([]));

  // a scope list may be spelled out (district, city, platform); the roles a guard admits come from a policy
  const LITERAL_GUARD = /\brequireRoles\s*\(\s*'|\brequireScope\s*\([^)]*?\]\s*,\s*\[\s*'/;
  it.each(all.filter((p) => /routes\.ts$/.test(p)).map(rel))('%s guards routes with a policy\'s role groups, not role literals', (file) => {
    expect(fs.readFileSync(path.join(SRC, file), 'utf8')).not.toMatch(LITERAL_GUARD);
  });

  it('the literal-guard check can fail', () => {
    expect("onRequest: app.requireRoles('department'),").toMatch(LITERAL_GUARD);
    expect("const op = app.requireScope(['platform'], ['operator']);").toMatch(LITERAL_GUARD);
    expect('onRequest: app.requireRoles(...TICKET_ROLES.manage),').not.toMatch(LITERAL_GUARD);
    expect("app.requireScope(['district', 'city'], [...INDICATOR_ROLES.read])").not.toMatch(LITERAL_GUARD);
  });
});
