import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Uuid } from './common';

const Phone = Type.String({ pattern: '^1[3-9][0-9]{9}$', description: '11 位手机号' });

/** A new district and its first administrator, created by the platform operator. */
export const DistrictSetup = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}$', description: '区县行政区划代码（GB/T 2260），如 211103' }),
  name: Type.String({ minLength: 2, maxLength: 64, description: '区县名称，如 兴隆台区' }),
  cityName: Type.Optional(Type.String({ minLength: 2, maxLength: 64, description: '所属地级市名称，如 盘锦市' })),
  admin: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 64 }),
    phone: Type.Optional(Phone),
    username: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,63}$' })),
  }, { additionalProperties: false }),
}, { additionalProperties: false });
export type DistrictSetup = Static<typeof DistrictSetup>;

export const PlatformDistrict = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  city: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  admins: Type.Integer({ description: '管理员人数' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type PlatformDistrict = Static<typeof PlatformDistrict>;

export const DistrictSetupResult = Type.Object({
  district: PlatformDistrict,
  created: Type.Boolean({ description: 'false：该区县已存在，未做任何更改' }),
  admin: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  invitationCode: Nullable(Type.String({ description: '首位管理员的一次性邀请码（仅此一次显示，7 天内有效）' })),
});
export type DistrictSetupResult = Static<typeof DistrictSetupResult>;
