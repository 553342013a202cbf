import { OPERATOR_ROLE, ROLES } from '@guanjia/shared/roles';
import { roleLabel, ROLE_HOME, rolesOf } from './role-home';
import { PAGES } from './pages';

/** Every URL of the page table, however deeply nested. */
const tableUrls = (t: object): string[] => Object.values(t).flatMap((v) => (typeof v === 'string' ? [v] : tableUrls(v as object)));

type AppConfig = { pages: string[]; subPackages?: { root: string; pages: string[] }[] };

/** Every page path app.config.ts registers, as `/…` URLs (defineAppConfig is Taro's identity at build time). */
function registeredPages(): string[] {
  (globalThis as { defineAppConfig?: (c: AppConfig) => AppConfig }).defineAppConfig = (c) => c;
  // required, not imported: the config must be evaluated after the global above
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = (require('../app.config') as { default: AppConfig }).default;
  return [...config.pages.map((p) => `/${p}`), ...(config.subPackages ?? []).flatMap((s) => s.pages.map((p) => `/${s.root}/${p}`))];
}

describe('role home', () => {
  it('covers every role the server knows', () => {
    expect(ROLE_HOME.map((r) => r.code).sort()).toEqual([...ROLES, OPERATOR_ROLE].sort());
  });
  it('lists the held roles in display order and skips unknown ones', () => {
    expect(rolesOf(['coordinator', 'auditor', 'steward']).map((r) => r.code)).toEqual(['steward', 'coordinator']);
  });
  it('names every role in Chinese, unknown ones generically', () => {
    for (const r of ROLE_HOME) expect(roleLabel(r.code)).toMatch(/[\u4e00-\u9fff]/);
    expect(roleLabel('auditor')).toBe('其他角色');
  });
  it('sends every role to a subpackage page', () => {
    for (const r of ROLE_HOME) expect(r.entry).toMatch(/^\/packages\/(enterprise|steward|department|coordinator)\/pages\//);
  });
  it('opens only pages registered in app.config.ts (a typo in a path fails here, not on a phone)', () => {
    const registered = registeredPages();
    const opened = ROLE_HOME.flatMap((r) => [r.entry, ...r.work.map((w) => w.url ?? r.entry)]);
    expect(opened.length).toBeGreaterThan(ROLE_HOME.length);
    for (const url of opened) expect(registered).toContain(url.split('?')[0]);
  });
  it('has every page of the one page table registered in app.config.ts, and every registered page in the table', () => {
    const registered = registeredPages();
    const table = tableUrls(PAGES);
    expect(table.length).toBeGreaterThan(50);
    for (const url of table) expect(registered).toContain(url);
    expect([...table].sort()).toEqual([...registered].sort());
  });
});
