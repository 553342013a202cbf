import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, expectedShape, ME, OTHER_ENT, OWN_ENT, roleCases, shape, SOMEONE, type Relation, type Row } from '../../../test/policy-matrix';
import { contactAccess, JOIN_ROLES, joinRequestVisibilitySql, mayDecideJoinRequest, mayListContacts } from './join.policy';

// columns: a request naming an enterprise assigned to the caller · another enterprise of the district · another district's
const DECIDE: Record<Role, Row> = {
  enterprise: '- - -', steward: 'Y - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -',
};
const request = (rel: Relation) => ({ district_id: rel === 'otherDistrict' ? D2 : D1, steward_ids: rel === 'own' ? [ME] : [SOMEONE] });

// columns: a contact of the caller's enterprise · of another enterprise of the district · of another district
const READ_CONTACT: Record<Role, Row> = {
  enterprise: 'Y - -', steward: '- - -', department: '- - -', coordinator: '- - -', leader: '- - -', admin: '- - -',
};
const contact = (rel: Relation) => ({ id: SOMEONE, district_id: rel === 'otherDistrict' ? D2 : D1, enterprise_id: rel === 'other' ? OTHER_ENT : OWN_ENT });

describe('join policy matrix', () => {
  it.each(cases(DECIDE))('%s decides a join request for a %s enterprise: %s', (role, rel, allowed) =>
    expect(mayDecideJoinRequest(caller(role), request(rel))).toBe(allowed));

  it.each(ROLES)('%s: the queue condition agrees with the matrix', (role) => {
    const [own, other] = DECIDE[role].split(' ').map((c) => c === 'Y');
    expect(shape(joinRequestVisibilitySql(caller(role), sqlParams().p))).toBe(expectedShape(own, other));
  });

  it('a steward\'s queue condition is their current assignments', () => {
    const { params, p } = sqlParams();
    expect(joinRequestVisibilitySql(caller('steward'), p)).toMatch(/s\.steward_id = \$1 AND s\.ends_on IS NULL/);
    expect(params).toEqual([ME]);
  });

  it.each(cases(READ_CONTACT))('%s reads a contact of a %s enterprise: %s', (role, rel, allowed) => {
    expect(contactAccess(caller(role), contact(rel), true).read).toBe(allowed);
    expect(contactAccess(caller(role), contact(rel), true).remove).toBe(allowed);
    expect(contactAccess(caller(role), contact(rel), false).remove).toBe(false);
  });

  it('the admin contact does not remove themselves', () => {
    expect(contactAccess(caller('enterprise'), { id: ME, district_id: D1, enterprise_id: OWN_ENT }, true)).toEqual({ read: true, remove: false });
  });

  it.each(roleCases({ enterprise: true, steward: false, department: false, coordinator: false, leader: false, admin: false }))(
    '%s lists its enterprise\'s contacts: %s', (role, allowed) => expect(mayListContacts(caller(role))).toBe(allowed));

  it('an enterprise role without an enterprise lists nothing', () => expect(mayListContacts(caller('enterprise', { enterpriseId: null }))).toBe(false));

  it('the route guards are the documented groups', () => {
    expect([...JOIN_ROLES.decide].sort()).toEqual(['admin', 'coordinator', 'steward']);
    expect(JOIN_ROLES.contacts).toEqual(['enterprise']);
  });
});
