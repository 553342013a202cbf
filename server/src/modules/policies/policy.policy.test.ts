import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, OTHER_DEP, OWN_DEP, roleCases, shape, type Relation, type Row } from '../../../test/policy-matrix';
import { mayDeliverPolicy, managesPolicy, policyAccess, policyVisibilitySql, POLICY_ROLES } from './policy.policy';

/** A policy issued by the caller's department (own), another department (other), or in another district. */
const policy = (rel: Relation, status: 'draft' | 'published') => ({
  district_id: rel === 'otherDistrict' ? D2 : D1, department_id: rel === 'own' ? OWN_DEP : OTHER_DEP, status,
});

// columns: own department's · another department's · another district's
const SEE_DRAFT: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: 'Y - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -',
};
const SEE_PUBLISHED: Record<Role, Row> = {
  enterprise: 'Y Y -', steward: 'Y Y -', department: 'Y Y -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -',
};
const MANAGE = SEE_DRAFT;
const MATCHES: Record<Role, Row> = { ...SEE_DRAFT, leader: 'Y Y -' };

describe('policy (惠企政策) policy matrix', () => {
  it.each(cases(SEE_DRAFT))('%s sees a draft of a %s policy: %s', (role, rel, allowed) => expect(policyAccess(caller(role), policy(rel, 'draft')).canSee).toBe(allowed));
  it.each(cases(SEE_PUBLISHED))('%s sees a published %s policy: %s', (role, rel, allowed) => expect(policyAccess(caller(role), policy(rel, 'published')).canSee).toBe(allowed));
  it.each(cases(MANAGE))('%s manages a %s policy: %s', (role, rel, allowed) => expect(policyAccess(caller(role), policy(rel, 'published')).manages).toBe(allowed));
  it.each(cases(MATCHES))('%s reads the matches of a %s policy: %s', (role, rel, allowed) => expect(policyAccess(caller(role), policy(rel, 'published')).seesMatches).toBe(allowed));

  it.each(ROLES)('the list condition of %s: drafts for the desk, its department\'s for department staff', (role) => {
    const { params, p } = sqlParams();
    const v = policyVisibilitySql(caller(role), p);
    const sawOtherDraft = policyAccess(caller(role), policy('other', 'draft')).canSee;
    expect(shape(v)).toBe(sawOtherDraft ? 'all' : 'some');
    expect(params).toEqual(role === 'department' ? [OWN_DEP] : []);
    expect(managesPolicy(caller(role), OWN_DEP)).toBe(policyAccess(caller(role), policy('own', 'draft')).canSee);
  });

  it.each(roleCases({ enterprise: false, steward: false, department: false, coordinator: true, leader: false, admin: true }))(
    '%s delivers a policy to an enterprise that is not theirs: %s', (role, allowed) => {
      expect(mayDeliverPolicy(caller(role), false)).toBe(allowed);
      expect(mayDeliverPolicy(caller(role), true)).toBe(true);
    });

  it('the route guards are the documented groups', () => {
    expect([...POLICY_ROLES.manage].sort()).toEqual(['admin', 'coordinator', 'department']);
    expect([...POLICY_ROLES.deliver].sort()).toEqual(['admin', 'coordinator', 'steward']);
    expect(POLICY_ROLES.enterprise).toEqual(['enterprise']);
  });
});
