import { ROLES, type Role } from '@guanjia/shared';
import { cases, caller, D1, D2, roleCases, type Relation, type Row } from '../../../test/policy-matrix';
import { mayGrantRoles, mayListPeople, PEOPLE_ROLES, personAccess } from './people.policy';

// columns: the caller's own record · another person of the district · a person of another district
const READ: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -',
};
// the other person is a steward here; a coordinator editing an admin is below
const EDIT: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -',
};
const person = (role: Role, rel: Relation) => ({ district_id: rel === 'otherDistrict' ? D2 : D1, roles: rel === 'own' ? [role] : ['steward' as Role] });

describe('people policy matrix', () => {
  it.each(cases(READ))('%s reads a %s person record: %s', (role, rel, allowed) => expect(personAccess(caller(role), person(role, rel)).read).toBe(allowed));
  it.each(cases(EDIT))('%s edits a %s person record: %s', (role, rel, allowed) => expect(personAccess(caller(role), person(role, rel)).edit).toBe(allowed));

  // who may edit a person holding each role (= grant it): the holder's record, in the caller's district
  const EDIT_HOLDER: Record<Role, Role[]> = {
    enterprise: [], steward: [], department: [], leader: [],
    coordinator: ['enterprise', 'steward', 'department', 'coordinator', 'leader'],
    admin: [...ROLES],
  };
  it.each(ROLES)('%s edits the people holding only the roles it may grant', (role) => {
    const editable = ROLES.filter((held) => personAccess(caller(role), { district_id: D1, roles: [held] }).edit);
    expect(editable).toEqual(EDIT_HOLDER[role]);
  });

  // which roles each role may grant (a steward also invites the contacts of an enterprise assigned to them)
  const GRANT: Record<Role, Role[]> = { ...EDIT_HOLDER, steward: ['enterprise'] };
  it.each(ROLES)('%s grants only its grantable roles', (role) => {
    expect(ROLES.filter((r) => mayGrantRoles(caller(role), [r]))).toEqual(GRANT[role]);
  });

  it('a person holding an admin role among others is edited by admins only', () => {
    expect(personAccess(caller('coordinator'), { district_id: D1, roles: ['steward', 'admin'] }).edit).toBe(false);
    expect(personAccess(caller('admin'), { district_id: D1, roles: ['steward', 'admin'] }).edit).toBe(true);
  });

  it.each(roleCases({ enterprise: false, steward: false, department: false, coordinator: true, leader: false, admin: true }))(
    '%s lists every person: %s', (role, allowed) => expect(mayListPeople(caller(role), undefined)).toBe(allowed));
  it.each(roleCases({ enterprise: false, steward: false, department: false, coordinator: true, leader: true, admin: true }))(
    '%s lists the leaders: %s', (role, allowed) => expect(mayListPeople(caller(role), 'leader')).toBe(allowed));

  it('the route guards are the documented groups', () => {
    expect([...PEOPLE_ROLES.list].sort()).toEqual(['admin', 'coordinator', 'leader']);
    expect([...PEOPLE_ROLES.edit].sort()).toEqual(['admin', 'coordinator']);
  });
});
