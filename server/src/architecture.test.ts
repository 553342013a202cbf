import fs from 'node:fs';
import path from 'node:path';

/**
 * Layering rules a reviewer should not have to check by eye (docs/ARCHITECTURE.md, "Layers"):
 * - route files (`routes.ts`) validate, authenticate and call a service: no SQL, no transactions, no audit writes;
 * - services and policies do not depend on Fastify (the HTTP plugin re-exports the principal, not the other way);
 * - access rules live in the resources' `*.policy.ts`: nobody else calls `isDistrictWide`.
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
