import { ROLES, type Role } from '@guanjia/shared';
import { caller, ME, OTHER_DEP, OWN_DEP, roleCases, SOMEONE } from '../../../test/policy-matrix';
import { INDICATOR_ROLES, LEDGER_ROLES, mayFilterByDepartment, rankingLedgerSource, statsScopeFor, visibleRankingKinds, visitLedgerScope } from './indicator.policy';

/** Each role asking for figures of: its own unit, another department, another steward, the whole district. */
type Ask = 'ownUnit' | 'otherDepartment' | 'otherSteward' | 'district';
const ASKS: Record<Ask, (role: Role) => [Parameters<typeof statsScopeFor>[1], string | undefined]> = {
  ownUnit: (role) => (role === 'steward' ? ['steward', ME] : ['department', OWN_DEP]),
  otherDepartment: () => ['department', OTHER_DEP],
  otherSteward: () => ['steward', SOMEONE],
  district: () => ['district', undefined],
};
// columns: own unit · another department · another steward · the district
const FIGURES: Record<Role, string> = {
  enterprise: '- - - -', steward: 'Y - - -', department: 'Y - - -', coordinator: 'Y Y Y Y', leader: 'Y Y Y Y', admin: 'Y Y Y Y',
};

describe('indicator and ledger policy matrix', () => {
  const cells = ROLES.flatMap((role) => (Object.keys(ASKS) as Ask[]).map((ask, i) => [role, ask, FIGURES[role].split(' ')[i] === 'Y'] as const));
  it.each(cells)('%s reads the figures of %s: %s', (role, ask, allowed) => {
    const [kind, id] = ASKS[ask](role);
    expect(statsScopeFor(caller(role), kind, id) !== 'forbidden').toBe(allowed);
  });

  it('department staff and stewards get their own unit when they name none; a district-wide reader what they ask', () => {
    expect(statsScopeFor(caller('department'), undefined, undefined)).toEqual({ kind: 'department', id: OWN_DEP, asked: false });
    expect(statsScopeFor(caller('steward'), undefined, undefined)).toEqual({ kind: 'steward', id: ME, asked: false });
    expect(statsScopeFor(caller('leader'), 'area', 'a1')).toEqual({ kind: 'area', id: 'a1', asked: true });
  });

  const RANKINGS: Record<Role, string[]> = {
    enterprise: [], steward: ['steward'], department: ['department'], coordinator: ['department', 'steward'], leader: ['department', 'steward'], admin: ['department', 'steward'],
  };
  it.each(ROLES)('%s reads the published rankings of its kind', (role) => expect(visibleRankingKinds(caller(role))).toEqual(RANKINGS[role]));

  const RANKING_LEDGER: Record<Role, [string, string]> = { // [department ranking, steward ranking]
    enterprise: ['forbidden', 'forbidden'], steward: ['forbidden', 'published'], department: ['published', 'forbidden'],
    coordinator: ['live', 'live'], leader: ['live', 'live'], admin: ['live', 'live'],
  };
  it.each(ROLES)('%s reads the ranking ledgers from', (role) =>
    expect([rankingLedgerSource(caller(role), 'department'), rankingLedgerSource(caller(role), 'steward')]).toEqual(RANKING_LEDGER[role]));

  it.each(roleCases({ enterprise: true, steward: true, department: false, coordinator: true, leader: true, admin: true }))(
    '%s filters a ledger by another department: %s', (role, allowed) => {
      expect(mayFilterByDepartment(caller(role), OTHER_DEP)).toBe(allowed);
      expect(mayFilterByDepartment(caller(role), OWN_DEP)).toBe(true);
    });

  const VISIT_LEDGER: Record<Role, string> = { enterprise: 'none', steward: 'own', department: 'none', coordinator: 'district', leader: 'district', admin: 'district' };
  it.each(ROLES)('%s reads the visit ledger rows of its scope', (role) => expect(visitLedgerScope(caller(role))).toBe(VISIT_LEDGER[role]));

  it('the route guards are the documented groups', () => {
    expect([...INDICATOR_ROLES.read].sort()).toEqual(['admin', 'coordinator', 'department', 'leader', 'steward']);
    expect(INDICATOR_ROLES.edit).toEqual(['coordinator', 'admin']);
    expect([...LEDGER_ROLES.tickets].sort()).toEqual(['admin', 'coordinator', 'department', 'leader']);
    expect([...LEDGER_ROLES.visits].sort()).toEqual(['admin', 'coordinator', 'leader', 'steward']);
    expect([...LEDGER_ROLES.rankings].sort()).toEqual(['admin', 'coordinator', 'department', 'leader', 'steward']);
  });
});
