import type { Role } from '@guanjia/shared';
import { cases, caller, D1, D2, ME, SOMEONE, type Row } from '../../../test/policy-matrix';
import { IMPORT_ROLES, mayReadImportRun } from './import.policy';

// columns: a run the caller started · a run someone else of the district started · another district's run
const READ_RUN: Record<Role, Row> = {
  enterprise: '- - -', steward: '- - -', department: '- - -', coordinator: 'Y Y -', leader: '- - -', admin: 'Y Y -',
};

describe('import policy matrix', () => {
  it.each(cases(READ_RUN))('%s reads the rejected rows of a %s run: %s', (role, rel, allowed) => {
    const run = { district_id: rel === 'otherDistrict' ? D2 : D1, actor_id: rel === 'own' ? ME : SOMEONE };
    expect(mayReadImportRun(caller(role), run)).toBe(allowed);
  });

  it('the route guard is the desk', () => expect([...IMPORT_ROLES.run].sort()).toEqual(['admin', 'coordinator']));
});
