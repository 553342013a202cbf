import { ROLES, type Role } from '@guanjia/shared';
import { sqlParams } from '../../../lib/sql';
import { cases, caller, D1, D2, expectedShape, OTHER_DEP, OWN_DEP, shape, type Relation, type Row } from '../../../../test/policy-matrix';
import { mayAdvanceSupervision, maySeeSupervision, supervisionVisibilitySql } from './supervision.policy';

/** A 督办单 addressed to the caller's own department, to another department, or to their department in district D2. */
const sup = (rel: Relation) => ({ district_id: rel === 'otherDistrict' ? D2 : D1, department_id: rel === 'other' ? OTHER_DEP : OWN_DEP });

// columns: own · other · otherDistrict
const SEE: Record<Role, Row> = {
  enterprise: '- - -',
  steward: '- - -',
  department: 'Y - -',
  coordinator: 'Y Y -',
  leader: 'Y Y -',
  admin: 'Y Y -',
};
const ACKNOWLEDGE: Record<Role, Row> = { ...SEE, coordinator: '- - -', leader: '- - -', admin: '- - -' };
const COMPLETE: Record<Role, Row> = { ...ACKNOWLEDGE, coordinator: 'Y Y -' };

describe('supervision policy matrix', () => {
  it.each(cases(SEE))('%s sees a %s 督办单: %s', (role, rel, allowed) => {
    expect(maySeeSupervision(caller(role), sup(rel))).toBe(allowed);
  });

  it.each(ROLES)('the list condition of %s agrees with the row rule', (role) => {
    const own = maySeeSupervision(caller(role), sup('own'));
    const other = maySeeSupervision(caller(role), sup('other'));
    expect(shape(supervisionVisibilitySql(caller(role), sqlParams().p))).toBe(expectedShape(own, other));
  });

  it('the department condition binds the caller\'s department', () => {
    const { params, p } = sqlParams();
    expect(supervisionVisibilitySql(caller('department'), p)).toBe('s.department_id = $1');
    expect(params).toEqual([OWN_DEP]);
    expect(supervisionVisibilitySql(caller('department', { departmentId: null }), p)).toBe('none');
  });

  it.each(cases(ACKNOWLEDGE))('%s signs for a %s 督办单: %s', (role, rel, allowed) => {
    expect(mayAdvanceSupervision(caller(role), 'acknowledge', sup(rel))).toBe(allowed);
  });

  it.each(cases(COMPLETE))('%s reports a %s 督办单 done: %s', (role, rel, allowed) => {
    expect(mayAdvanceSupervision(caller(role), 'complete', sup(rel))).toBe(allowed);
  });
});
