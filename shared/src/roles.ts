/** Every role a person can hold; one person may hold several. */
export const ROLES = ['enterprise', 'steward', 'department', 'coordinator', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Chinese names shown in the mini-app. */
export const ROLE_LABELS: Record<Role, string> = {
  enterprise: '企业联系人',
  steward: '管家',
  department: '部门办理人',
  coordinator: '调度员',
  leader: '领导',
  admin: '管理员',
};

/** Roles that see the whole district's data (not just their own enterprise, department or assignments). */
export const DISTRICT_WIDE_ROLES: readonly Role[] = ['coordinator', 'leader', 'admin'];
