import { ROLES, type Role } from '@guanjia/shared';
import type { Principal } from '../../lib/principal';
import { cases, caller, D1, D2, roleCases, type Row } from '../../../test/policy-matrix';
import { CALENDAR_ROLES, localDayAccess, mayEditNationalCalendar } from './calendar.policy';

// columns: a local day of the caller's district (own and other are the same district: the days are the district's) · another district's
const READ_LOCAL: Record<Role, Row> = {
  enterprise: 'Y Y -', steward: 'Y Y -', department: 'Y Y -', coordinator: 'Y Y -', leader: 'Y Y -', admin: 'Y Y -',
};
const EDIT_LOCAL: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -',
};
const day = (rel: string) => ({ district_id: rel === 'otherDistrict' ? D2 : D1 });

const principal = (scope: Principal['scope'], roles: Principal['roles']): Principal => ({
  id: 'p', scope, roles, districtId: scope === 'district' ? D1 : null, cityCode: scope === 'city' ? '110100' : null, enterpriseId: null, departmentId: null,
});

describe('calendar policy matrix', () => {
  it.each(cases(READ_LOCAL))('%s reads a %s local day: %s', (role, rel, allowed) => expect(localDayAccess(caller(role), day(rel)).read).toBe(allowed));
  it.each(cases(EDIT_LOCAL))('%s sets a %s local day: %s', (role, rel, allowed) => expect(localDayAccess(caller(role), day(rel)).edit).toBe(allowed));

  it.each(roleCases({ enterprise: false, steward: false, department: false, coordinator: false, leader: false, admin: false }))(
    'a district %s enters the national schedule: %s', (role, allowed) => {
      expect(mayEditNationalCalendar(principal('district', [role]))).toBe(allowed);
      expect(mayEditNationalCalendar(principal('city', [role]))).toBe(allowed);
    });

  it('the platform operator enters the national schedule; the operator role outside the platform scope does not', () => {
    expect(mayEditNationalCalendar(principal('platform', ['operator']))).toBe(true);
    expect(mayEditNationalCalendar(principal('district', ['operator']))).toBe(false);
    expect(mayEditNationalCalendar(principal('platform', [...ROLES]))).toBe(false);
  });

  it('the route guard is the desk', () => expect([...CALENDAR_ROLES.editLocal].sort()).toEqual(['admin', 'coordinator']));
});
