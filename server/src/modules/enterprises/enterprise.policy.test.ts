import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, expectedShape, OTHER_ENT, OWN_ENT, roleCases, shape, type Relation, type Row } from '../../../test/policy-matrix';
import { enterpriseStanding, enterpriseVisibilitySql, ENTERPRISE_ROLES, listShowsFullPhone } from './enterprise.policy';

/**
 * The caller's own enterprise (for a contact: theirs; for a steward: one assigned to them), another of the
 * district, or one of another district.
 */
const standing = (role: Role, rel: Relation) => {
  const e = { id: rel === 'own' ? OWN_ENT : OTHER_ENT, district_id: rel === 'otherDistrict' ? D2 : D1 };
  return enterpriseStanding(caller(role), e, role === 'steward' && rel === 'own');
};

// columns: own · other · otherDistrict
const SEE: Record<Role, Row> = {
  enterprise: 'Y - -', steward: 'Y - -', department: 'Y Y -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -',
};
const FULL_PHONE: Record<Role, Row> = { ...SEE, department: '- - -' };
const PROFILE_READ = FULL_PHONE;
const PROFILE_EDIT: Record<Role, Row> = { ...SEE, enterprise: '- - -', department: '- - -', leader: '- - -' };

describe('enterprise policy matrix', () => {
  it.each(cases(SEE))('%s sees a %s enterprise: %s', (role, rel, allowed) => expect(standing(role, rel).canSee).toBe(allowed));
  it.each(cases(FULL_PHONE))('%s sees the full phone of a %s enterprise: %s', (role, rel, allowed) => expect(standing(role, rel).fullPhone).toBe(allowed));
  it.each(cases(PROFILE_READ))('%s reads the profile of a %s enterprise: %s', (role, rel, allowed) => expect(standing(role, rel).seesProfile).toBe(allowed));
  it.each(cases(PROFILE_EDIT))('%s edits the profile of a %s enterprise: %s', (role, rel, allowed) => expect(standing(role, rel).editsProfile).toBe(allowed));

  it.each(ROLES)('the list condition of %s agrees with the row rule', (role) => {
    expect(shape(enterpriseVisibilitySql(caller(role), sqlParams().p))).toBe(expectedShape(standing(role, 'own').canSee, standing(role, 'other').canSee));
  });

  it('a caller with no enterprise and no assignment lists nothing', () => {
    expect(enterpriseVisibilitySql(caller('enterprise', { enterpriseId: null }), sqlParams().p)).toBe('none');
  });

  it.each(roleCases({ enterprise: true, steward: true, department: false, coordinator: true, leader: true, admin: true }))(
    '%s lists phones in full: %s', (role, full) => expect(listShowsFullPhone(caller(role))).toBe(full));

  it.each(roleCases({ enterprise: false, steward: false, department: false, coordinator: true, leader: false, admin: true }))(
    '%s registers and edits enterprises: %s', (role, allowed) => expect(ENTERPRISE_ROLES.edit.includes(role)).toBe(allowed));
});
