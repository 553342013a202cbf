import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, expectedShape, ME, roleCases, shape, SOMEONE, type Relation, type Row } from '../../../test/policy-matrix';
import { ASSIGNMENT_ROLES, assignmentVisibilitySql, maySeeAssignment } from './assignment.policy';

/** The caller's own assignment (they are its steward), another steward's, or one of another district. */
const assignment = (rel: Relation) => ({ district_id: rel === 'otherDistrict' ? D2 : D1, steward_id: rel === 'own' ? ME : SOMEONE });

// columns: own · other · otherDistrict
const SEE: Record<Role, Row> = {
  enterprise: '- - -', steward: 'Y - -', department: '- - -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -',
};
const READ_ROUTE: Record<Role, boolean> = { enterprise: false, steward: true, department: false, coordinator: true, leader: true, admin: true };
const MANAGE: Record<Role, boolean> = { enterprise: false, steward: false, department: false, coordinator: true, leader: false, admin: true };

describe('assignment policy matrix', () => {
  it.each(cases(SEE))('%s sees a %s assignment: %s', (role, rel, allowed) => expect(maySeeAssignment(caller(role), assignment(rel))).toBe(allowed));

  it.each(ROLES.filter((r) => READ_ROUTE[r]))('the list condition of %s agrees with the row rule', (role) => {
    const own = maySeeAssignment(caller(role), assignment('own'));
    const other = maySeeAssignment(caller(role), assignment('other'));
    expect(shape(assignmentVisibilitySql(caller(role), sqlParams().p))).toBe(expectedShape(own, other));
  });

  it.each(roleCases(READ_ROUTE))('%s may call the assignment list: %s', (role, allowed) => expect(ASSIGNMENT_ROLES.read.includes(role)).toBe(allowed));
  it.each(roleCases(MANAGE))('%s assigns and ends assignments: %s', (role, allowed) => expect(ASSIGNMENT_ROLES.manage.includes(role)).toBe(allowed));
});
