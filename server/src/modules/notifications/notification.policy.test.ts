import type { Role } from '@guanjia/shared';
import { sqlParams } from '../../lib/sql';
import { cases, caller, D1, D2, ME, SOMEONE, type Row } from '../../../test/policy-matrix';
import { maySeeNotification, notificationVisibilitySql } from './notification.policy';

// columns: written to the caller · to someone else of the district · to someone of another district
const SEE: Record<Role, Row> = {
  enterprise: 'Y - -', steward: 'Y - -', department: 'Y - -', coordinator: 'Y - -', leader: 'Y - -', admin: 'Y - -',
};

describe('notification policy matrix', () => {
  it.each(cases(SEE))('%s reads a notification %s: %s', (role, rel, allowed) => {
    const n = { district_id: rel === 'otherDistrict' ? D2 : D1, person_id: rel === 'own' ? ME : SOMEONE };
    expect(maySeeNotification(caller(role), n)).toBe(allowed);
  });

  it('the list condition is the caller\'s own, for every role', () => {
    const { params, p } = sqlParams();
    expect(notificationVisibilitySql(caller('coordinator'), p)).toBe('person_id = $1');
    expect(params).toEqual([ME]);
  });
});
