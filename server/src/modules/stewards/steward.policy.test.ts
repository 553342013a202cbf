import type { Role } from '@guanjia/shared';
import { cases, caller, D1, D2, ME, OTHER_ENT, OWN_ENT, roleCases, SOMEONE, type Relation, type Row } from '../../../test/policy-matrix';
import { contactingEnterprise, STEWARD_ROLES, stewardAccess } from './steward.policy';

/**
 * The steward row's relation to the caller: `own` is the caller themselves, assigned to the caller's enterprise;
 * `other` another steward of the district, assigned to another enterprise; `otherDistrict` a steward of D2
 * (assigned to an enterprise with the caller's enterprise id, so only the district check refuses it).
 */
const steward = (rel: Relation) => ({
  id: rel === 'own' ? ME : SOMEONE,
  district_id: rel === 'otherDistrict' ? D2 : D1,
  enterprise_ids: rel === 'other' ? [OTHER_ENT] : [OWN_ENT],
});

const CONTACT: Record<Role, Row> = {
  enterprise: 'Y - -', steward: '- - -', department: '- - -', coordinator: '- - -', leader: '- - -', admin: '- - -',
};
const SETTINGS: Record<Role, Row> = {
  enterprise: '- - -', steward: 'Y - -', department: '- - -', coordinator: '- - -', leader: '- - -', admin: '- - -',
};
const RATINGS: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -',
};

describe('steward policy matrix', () => {
  it.each(cases(CONTACT))('%s contacts a %s steward: %s', (role, rel, allowed) => expect(stewardAccess(caller(role), steward(rel)).contact).toBe(allowed));
  it.each(cases(SETTINGS))('%s changes the contact setting of a %s steward: %s', (role, rel, allowed) => expect(stewardAccess(caller(role), steward(rel)).settings).toBe(allowed));
  it.each(cases(RATINGS))('%s reads the ratings of a %s steward: %s', (role, rel, allowed) => expect(stewardAccess(caller(role), steward(rel)).ratings).toBe(allowed));

  it.each(roleCases({ enterprise: true, steward: false, department: false, coordinator: false, leader: false, admin: false }))(
    '%s looks up the steward of an enterprise: %s', (role, allowed) =>
      expect(contactingEnterprise(caller(role, { enterpriseId: OWN_ENT }))).toBe(allowed ? OWN_ENT : null));

  it('the route guards are the documented groups', () => {
    expect(STEWARD_ROLES.contact).toEqual(['enterprise']);
    expect(STEWARD_ROLES.settings).toEqual(['steward']);
    expect([...STEWARD_ROLES.ratings].sort()).toEqual(['admin', 'coordinator', 'leader']);
  });
});
