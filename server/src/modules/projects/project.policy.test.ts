import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, expectedShape, ME, OTHER_DEP, OTHER_ENT, OWN_DEP, OWN_ENT, shape, SOMEONE, type Relation, type Row } from '../../../test/policy-matrix';
import { PROJECT_ROLES, projectAccess, projectVisibilitySql, type ProjectAccess, type ProjectFacts } from './project.policy';

/**
 * A project's relation to the caller: `own` is theirs in every way a role can own one (their enterprise's, led by
 * their department, the caller its 包联领导 and on its steward team); `other` another project of the district with
 * none of that; `otherDistrict` an `own`-shaped project of district D2.
 */
const project = (rel: Relation): ProjectFacts => {
  const own = rel !== 'other';
  return {
    district_id: rel === 'otherDistrict' ? D2 : D1,
    enterprise_id: own ? OWN_ENT : OTHER_ENT,
    leader_id: own ? ME : SOMEONE,
    lead_department_id: own ? OWN_DEP : OTHER_DEP,
    helper_department_ids: [],
    steward_ids: own ? [ME] : [SOMEONE],
  };
};

const MATRIX: Record<Exclude<keyof ProjectAccess, 'roles'>, Record<Role, Row>> = {
  canSee: { enterprise: 'Y - -', steward: 'Y Y -', department: 'Y - -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -' },
  canEdit: { enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -' },
  canReport: { enterprise: 'Y - -', steward: 'Y - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: '- - -' },
  canConfirmOverTotal: { enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: '- - -' },
  canManageMilestones: { enterprise: '- - -', steward: 'Y - -', department: 'Y - -', coordinator: 'Y Y -', leader: 'Y - -', admin: '- - -' },
};

describe('project policy matrix', () => {
  for (const [what, table] of Object.entries(MATRIX) as [keyof typeof MATRIX, Record<Role, Row>][]) {
    it.each(cases(table))(`%s on a %s project, ${what}: %s`, (role, rel, allowed) => expect(projectAccess(caller(role), project(rel))[what]).toBe(allowed));
  }

  it.each(ROLES)('%s: the list condition agrees with canSee', (role) => {
    const [own, other] = MATRIX.canSee[role].split(' ').map((c) => c === 'Y');
    expect(shape(projectVisibilitySql(caller(role), sqlParams().p))).toBe(expectedShape(own, other));
  });

  it('a helping department reads the project but does not change its stage or milestones', () => {
    const helped = { ...project('other'), helper_department_ids: [OWN_DEP] };
    const a = projectAccess(caller('department'), helped);
    expect(a).toMatchObject({ canSee: true, roles: ['viewer'], canManageMilestones: false, canReport: false });
  });

  it('the stage roles of an own project, in the order actions try them', () => {
    expect(projectAccess(caller('steward', { roles: ['coordinator', 'steward'] }), project('own')).roles).toEqual(['coordinator', 'steward']);
    expect(projectAccess(caller('admin'), project('own')).roles).toEqual(['viewer']);
  });

  it('the route guards are the documented groups', () => {
    expect([...PROJECT_ROLES.edit].sort()).toEqual(['admin', 'coordinator']);
    expect([...PROJECT_ROLES.oversee].sort()).toEqual(['admin', 'coordinator', 'leader']);
    expect(PROJECT_ROLES.coordinate).toEqual(['coordinator']);
    expect([...PROJECT_ROLES.readBatches].sort()).toEqual(['admin', 'coordinator', 'department', 'leader', 'steward']);
  });
});
