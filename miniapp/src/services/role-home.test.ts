import { OPERATOR_ROLE, ROLES } from '@guanjia/shared/roles';
import { roleLabel, ROLE_HOME, rolesOf } from './role-home';

describe('role home', () => {
  it('covers every role the server knows', () => {
    expect(ROLE_HOME.map((r) => r.code).sort()).toEqual([...ROLES, OPERATOR_ROLE].sort());
  });
  it('lists the held roles in display order and skips unknown ones', () => {
    expect(rolesOf(['coordinator', 'auditor', 'steward']).map((r) => r.code)).toEqual(['steward', 'coordinator']);
  });
  it('names every role in Chinese, unknown ones generically', () => {
    for (const r of ROLE_HOME) expect(roleLabel(r.code)).toMatch(/[\u4e00-\u9fff]/);
    expect(roleLabel('auditor')).toBe('其他角色');
  });
  it('sends every role to a subpackage page', () => {
    for (const r of ROLE_HOME) expect(r.entry).toMatch(/^\/packages\/(enterprise|steward|department|coordinator)\/pages\//);
  });
});
