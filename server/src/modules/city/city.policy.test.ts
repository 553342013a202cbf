import { ROLES, type Role } from '@guanjia/shared';
import type { Principal } from '../../lib/principal';
import { D1, type Row } from '../../../test/policy-matrix';
import { CITY_GUARD, mayReadCity } from './city.policy';

const OWN_CITY = '110100';
const OTHER_CITY = '120100';

/**
 * Who reads a city's comparison. Columns: a city person holding the role reads their own city · another city;
 * a district person holding the role (of a district of that city) reads the city.
 */
const READ: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y - -', leader: 'Y - -', admin: '- - -',
};
const cityPerson = (role: Role): Principal => ({ id: 'p', scope: 'city', cityCode: OWN_CITY, districtId: null, roles: [role], enterpriseId: null, departmentId: null });
const districtPerson = (role: Role): Principal => ({ id: 'p', scope: 'district', cityCode: null, districtId: D1, roles: [role], enterpriseId: null, departmentId: null });

describe('city policy matrix', () => {
  const cells = ROLES.flatMap((role) => {
    const [own, other, district] = READ[role].split(' ').map((c) => c === 'Y');
    return [
      [role, 'a city person, own city', own, () => mayReadCity(cityPerson(role), OWN_CITY)],
      [role, 'a city person, another city', other, () => mayReadCity(cityPerson(role), OTHER_CITY)],
      [role, 'a district person, its city', district, () => mayReadCity(districtPerson(role), OWN_CITY)],
    ] as [Role, string, boolean, () => boolean][];
  });
  it.each(cells)('%s as %s: %s', (_role, _what, allowed, decide) => expect(decide()).toBe(allowed));

  it('the platform operator reads no city', () =>
    expect(mayReadCity({ scope: 'platform', cityCode: null, roles: ['operator'] }, OWN_CITY)).toBe(false));

  it('a city person without a city reads nothing', () =>
    expect(mayReadCity({ scope: 'city', cityCode: null, roles: ['leader'] }, OWN_CITY)).toBe(false));

  it('the route guard is the city scope with the city roles', () => {
    expect(CITY_GUARD.scopes).toEqual(['city']);
    expect([...CITY_GUARD.roles].sort()).toEqual(['coordinator', 'leader']);
  });
});
