import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Uuid } from './common';
import { OPERATOR_ROLE, ROLES, SCOPES } from '../roles';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const PrincipalRoleSchema = Type.Union([...ROLES, OPERATOR_ROLE].map((r) => Type.Literal(r)));
export const ScopeSchema = Type.Union(SCOPES.map((s) => Type.Literal(s)));

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64, description: '用户名或手机号' }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
  district: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: '区县行政区划代码；同一账号在多个区县登记时必填' })),
});
export type LoginBody = Static<typeof LoginBody>;

export const TokenResponse = Type.Object({ accessToken: Type.String(), refreshToken: Type.String(), expiresIn: Type.Integer() });
export type TokenResponse = Static<typeof TokenResponse>;

export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 10, maxLength: 128 }) });

export const WechatLoginBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 128, description: 'wx.login 返回的 code' }) });
export const WechatLoginResponse = Type.Union([
  TokenResponse,
  Type.Object({ bindingRequired: Type.Literal(true), bindToken: Type.String() }),
]);

export const WechatBindBody = Type.Object({
  bindToken: Type.String({ minLength: 10, maxLength: 2048 }),
  invitationCode: Type.Optional(Type.String({ minLength: 4, maxLength: 16 })),
  phoneCode: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'getPhoneNumber 返回的 code' })),
});
export type WechatBindBody = Static<typeof WechatBindBody>;

export const MeResponse = Type.Object({
  id: Uuid,
  name: Type.String(),
  roles: Type.Array(PrincipalRoleSchema),
  scope: ScopeSchema,
  title: Nullable(Type.String()),
  phoneMasked: Nullable(Type.String()),
  district: Nullable(Type.Object({ id: Uuid, code: Type.String(), name: Type.String() })),
  city: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  enterprise: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  department: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  wechatBound: Type.Boolean(),
});
export type MeResponse = Static<typeof MeResponse>;
