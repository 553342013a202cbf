import type { Role } from '@guanjia/shared';
import { cases, caller, D1, D2, OTHER_DEP, OWN_DEP, roleCases, type Relation, type Row } from '../../../test/policy-matrix';
import { mayManageReplyTemplate, REPLY_TEMPLATE_ROLES, templateDepartment } from './reply-template.policy';

// columns: a template of the caller's own department · of another department of the district · of another district
// (every caller is given OWN_DEP here, so only the role decides whether a department's templates are theirs)
const MANAGE: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: 'Y - -', coordinator: '- - -', leader: '- - -', admin: '- - -',
};
const template = (rel: Relation) => ({ district_id: rel === 'otherDistrict' ? D2 : D1, department_id: rel === 'other' ? OTHER_DEP : OWN_DEP });

describe('reply template policy matrix', () => {
  it.each(cases(MANAGE))('%s keeps a %s template: %s', (role, rel, allowed) =>
    expect(mayManageReplyTemplate(caller(role, { departmentId: OWN_DEP }), template(rel))).toBe(allowed));

  it.each(roleCases({ enterprise: false, steward: false, department: true, coordinator: false, leader: false, admin: false }))(
    '%s keeps its department\'s templates: %s', (role, allowed) =>
      expect(templateDepartment(caller(role, { departmentId: OWN_DEP }))).toBe(allowed ? OWN_DEP : null));

  it('department staff without a department keep none', () => expect(templateDepartment(caller('department', { departmentId: null }))).toBeNull());

  it('the route guard is department staff', () => expect(REPLY_TEMPLATE_ROLES.manage).toEqual(['department']));
});
