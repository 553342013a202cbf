import { ROLES, type Role } from '@guanjia/shared';
import type { Principal } from '../../lib/principal';
import { D1, type Row } from '../../../test/policy-matrix';
import { mayOperatePlatform, PLATFORM_GUARD } from './platform.policy';

/** Who lists and creates districts. Columns: a person holding the role at district scope · at city scope · at platform scope. */
const OPERATE: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: '- - -', leader: '- - -', admin: '- - -',
};
const at = (scope: Principal['scope'], roles: Principal['roles']): Principal => ({
  id: 'p', scope, roles, districtId: scope === 'district' ? D1 : null, cityCode: scope === 'city' ? '110100' : null, enterpriseId: null, departmentId: null,
});

describe('platform policy matrix', () => {
  const cells = ROLES.flatMap((role) => (['district', 'city', 'platform'] as const)
    .map((scope, i) => [role, scope, OPERATE[role].split(' ')[i] === 'Y'] as const));
  it.each(cells)('%s at %s scope runs the platform: %s', (role, scope, allowed) => expect(mayOperatePlatform(at(scope, [role]))).toBe(allowed));

  it.each([['district', false], ['city', false], ['platform', true]] as const)('the operator role at %s scope runs the platform: %s', (scope, allowed) =>
    expect(mayOperatePlatform(at(scope, ['operator']))).toBe(allowed));

  it('the route guard is the platform scope with the operator role', () => {
    expect(PLATFORM_GUARD.scopes).toEqual(['platform']);
    expect(PLATFORM_GUARD.roles).toEqual(['operator']);
  });
});
