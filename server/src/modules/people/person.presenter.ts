import type { Person as PersonDto, Role } from '@guanjia/shared';
import { maskPhone } from '../../lib/mask';

export type PersonRow = {
  id: string; name: string; username: string | null; phone: string | null; roles: Role[]; title: string | null;
  enterprise_id: string | null; department_id: string | null; wechat_bound: boolean; invitation_expires_at: Date | null;
  disabled: boolean; version: number;
};
export const PERSON_SELECT = `p.id, p.name, p.username, p.phone, p.roles, p.title, p.enterprise_id, p.department_id,
  p.wechat_openid IS NOT NULL AS wechat_bound, CASE WHEN p.invitation_expires_at > now() THEN p.invitation_expires_at END AS invitation_expires_at,
  p.disabled, p.version`;

/**
 * People as coordinators see them: phone masked, no password hash, openid or invitation hash ever. The code itself
 * is passed only by the operation that issued it, so only the issuer sees it, once.
 */
export function presentPerson(r: PersonRow, issuedCode: string | null = null): PersonDto {
  return {
    id: r.id, name: r.name, username: r.username, phoneMasked: maskPhone(r.phone), roles: r.roles, title: r.title,
    enterpriseId: r.enterprise_id, departmentId: r.department_id, wechatBound: r.wechat_bound,
    invitationCode: issuedCode,
    invitationExpiresAt: r.invitation_expires_at ? new Date(r.invitation_expires_at).toISOString() : null, disabled: r.disabled, version: r.version,
  };
}
