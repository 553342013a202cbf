import type { Role } from '@guanjia/shared';
import { cases, caller, D1, D2, type Row } from '../../../test/policy-matrix';
import { orgAccess } from './org.policy';

// columns: the caller's own department/area · another of the district · another district's
const READ: Record<Role, Row> = {
  enterprise: 'Y Y -', steward: 'Y Y -', department: 'Y Y -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -',
};
const EDIT: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -',
};
const unit = (rel: string) => ({ district_id: rel === 'otherDistrict' ? D2 : D1 });

describe('org policy matrix', () => {
  it.each(cases(READ))('%s reads a %s unit: %s', (role, rel, allowed) => expect(orgAccess(caller(role), unit(rel)).read).toBe(allowed));
  it.each(cases(EDIT))('%s edits a %s unit: %s', (role, rel, allowed) => expect(orgAccess(caller(role), unit(rel)).edit).toBe(allowed));
});
