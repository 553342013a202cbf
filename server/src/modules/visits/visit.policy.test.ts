import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, expectedShape, ME, OTHER_ENT, OWN_ENT, roleCases, shape, SOMEONE, type Relation, type Row } from '../../../test/policy-matrix';
import { coverageScope, maySeeStewardWork, maySeeVisitPhoto, mayRecordVisits, visitGrantVisibilitySql, visitView, visitVisibilitySql, VISIT_ROLES } from './visit.policy';

/**
 * A completed visit that is the caller's own (a steward's own visit, or one at the contact's enterprise), someone
 * else's, or another district's. Only stewards make visits, so only a steward's own visit carries their id.
 */
const visit = (rel: Relation, role: Role = 'enterprise') => ({
  district_id: rel === 'otherDistrict' ? D2 : D1,
  steward_id: rel === 'own' && role === 'steward' ? ME : SOMEONE,
  enterprise_id: rel === 'own' ? OWN_ENT : OTHER_ENT,
  status: 'completed' as const,
});

// columns: own · other · otherDistrict
const SEE: Record<Role, Row> = {
  enterprise: 'Y - -',
  steward: 'Y - -',
  department: '- - -',
  coordinator: 'Y Y -',
  leader: 'Y Y -',
  admin: 'Y Y -',
};
const PHOTO: Record<Role, Row> = { ...SEE, enterprise: '- - -' }; // a photo shows a place and people: not for contacts

describe('visit policy matrix', () => {
  it.each(cases(SEE))('%s sees a %s visit: %s', (role, rel, allowed) => {
    expect(visitView(caller(role), visit(rel, role)) !== null).toBe(allowed);
  });

  it('an enterprise contact gets the enterprise view, and only of contacts that took place', () => {
    expect(visitView(caller('enterprise'), visit('own'))).toBe('enterprise');
    expect(visitView(caller('enterprise'), { ...visit('own'), status: 'planned' })).toBeNull();
    expect(visitView(caller('enterprise'), { ...visit('own'), status: 'cancelled' })).toBeNull();
    expect(visitView(caller('steward'), { ...visit('own', 'steward'), status: 'planned' })).toBe('full');
  });

  it.each(ROLES)('the list condition of %s agrees with the row rule', (role) => {
    const own = visitView(caller(role), visit('own', role)) !== null;
    const other = visitView(caller(role), visit('other', role)) !== null;
    expect(shape(visitVisibilitySql(caller(role), sqlParams().p))).toBe(expectedShape(own, other));
  });

  it('a person holding several roles sees the union', () => {
    const both = caller('steward', { roles: ['steward', 'enterprise'], enterpriseId: OWN_ENT });
    const { params, p } = sqlParams();
    const sql = visitVisibilitySql(both, p);
    expect(sql).toContain(' OR ');
    expect(params).toEqual([ME, OWN_ENT]);
  });

  it.each(cases(PHOTO))('%s opens a %s visit photo: %s', (role, rel, allowed) => {
    const photo = { district_id: rel === 'otherDistrict' ? D2 : D1, uploaded_by: rel === 'own' && role === 'steward' ? ME : SOMEONE }; // only stewards upload
    expect(maySeeVisitPhoto(caller(role), photo)).toBe(allowed);
  });

  const STEWARD_WORK: Record<Role, boolean> = { enterprise: false, steward: false, department: false, coordinator: true, leader: true, admin: true };
  it.each(roleCases(STEWARD_WORK))('%s reads another steward\'s cadence: %s', (role, allowed) => {
    expect(maySeeStewardWork(caller(role), SOMEONE)).toBe(allowed);
    expect(maySeeStewardWork(caller(role), ME)).toBe(true);
  });

  it.each(ROLES)('coverage of %s: district-wide reads all, a steward their own line, others nothing', (role) => {
    const scope = coverageScope(caller(role), SOMEONE);
    if (STEWARD_WORK[role]) expect(scope).toEqual({ own: false, stewardId: SOMEONE });
    else if (role === 'steward') expect(scope).toEqual({ own: true, stewardId: ME });
    else expect(scope).toBeNull();
  });

  it.each(ROLES)('visit grants listed for %s', (role) => {
    const v = visitGrantVisibilitySql(caller(role), sqlParams().p);
    expect(shape(v)).toBe(STEWARD_WORK[role] ? 'all' : 'some');
  });

  const RECORD: Record<Role, boolean> = { enterprise: false, steward: true, department: false, coordinator: false, leader: false, admin: false };
  it.each(roleCases(RECORD))('%s logs visits: %s', (role, allowed) => {
    expect(mayRecordVisits(caller(role))).toBe(allowed);
  });

  it('the route guards are the documented groups', () => {
    expect(VISIT_ROLES.manage).toEqual(['coordinator', 'admin']);
    expect(VISIT_ROLES.supervise).toEqual(['coordinator', 'leader', 'admin']);
    expect([...VISIT_ROLES.coverage].sort()).toEqual(['admin', 'coordinator', 'leader', 'steward']);
    expect([...VISIT_ROLES.grants].sort()).toEqual(['admin', 'coordinator', 'steward']);
  });
});
