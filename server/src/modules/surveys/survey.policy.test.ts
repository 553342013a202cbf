import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, roleCases, shape, type Relation, type Row } from '../../../test/policy-matrix';
import { surveyAccess, surveyVisibilitySql, SURVEY_ROLES } from './survey.policy';

/** A survey targeting the caller's enterprise (own), one targeting others (other), or another district's. */
const read = (role: Role, rel: Relation, status: 'draft' | 'open') =>
  surveyAccess(caller(role), { district_id: rel === 'otherDistrict' ? D2 : D1, status }, rel === 'own');

// columns: targets the caller's enterprise · targets others · another district's
const SEE_OPEN: Record<Role, Row> = {
  enterprise: 'Y - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -',
};
const SEE_DRAFT: Record<Role, Row> = { ...SEE_OPEN, enterprise: '- - -', leader: '- - -' };
const RESULTS: Record<Role, Row> = { ...SEE_OPEN, enterprise: '- - -' };

describe('survey policy matrix', () => {
  it.each(cases(SEE_OPEN))('%s reads an open survey %s: %s', (role, rel, allowed) => expect(read(role, rel, 'open').canSee).toBe(allowed));
  it.each(cases(SEE_DRAFT))('%s reads a draft %s: %s', (role, rel, allowed) => expect(read(role, rel, 'draft').canSee).toBe(allowed));
  it.each(cases(RESULTS))('%s reads the results of a survey %s: %s', (role, rel, allowed) => expect(read(role, rel, 'open').seesResults).toBe(allowed));

  it.each(ROLES)('the list condition of %s agrees with the row rule', (role) => {
    const { params, p } = sqlParams();
    const v = surveyVisibilitySql(caller(role), p);
    const drafts = read(role, 'other', 'draft').canSee;
    const others = read(role, 'other', 'open').canSee;
    const own = read(role, 'own', 'open').canSee;
    if (drafts) expect(v).toBeNull();
    else if (others) expect(v).toBe(`s.status = 'open'`);
    else if (own) { expect(shape(v)).toBe('some'); expect(params).toEqual([caller(role).enterpriseId]); }
    else expect(v).toBe('none');
  });

  it.each(roleCases({ enterprise: false, steward: false, department: false, coordinator: true, leader: false, admin: true }))(
    '%s builds surveys: %s', (role, allowed) => expect(SURVEY_ROLES.build.includes(role)).toBe(allowed));
  it.each(roleCases({ enterprise: true, steward: false, department: false, coordinator: false, leader: false, admin: false }))(
    '%s answers surveys: %s', (role, allowed) => expect((SURVEY_ROLES.respond as readonly Role[]).includes(role)).toBe(allowed));
});
