import { Type, type Static } from '@sinclair/typebox';
import { DateOnly, GeoInput, Line, Nullable, PageQuery, Phone, Timestamp, Uuid } from './common';
import { RoleSchema } from './auth';

const Name = Line({ minLength: 1, maxLength: 64 });

export const District = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() });

export const AreaKindSchema = Type.Union([Type.Literal('township'), Type.Literal('street'), Type.Literal('park'), Type.Literal('other')]);
export const Area = Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), kind: AreaKindSchema });
export type Area = Static<typeof Area>;
export const AreaCreate = Type.Object({
  code: Type.String({ pattern: '^\\d{9}(\\d{3})?$', description: '9 位或 12 位，前 6 位为本区县代码' }),
  name: Name,
  kind: AreaKindSchema,
}, { additionalProperties: false });
export type AreaCreate = Static<typeof AreaCreate>;
export const AreaUpdate = Type.Partial(Type.Pick(AreaCreate, ['name', 'kind']), { additionalProperties: false });

export const Department = Type.Object({ id: Uuid, name: Type.String(), shortName: Nullable(Type.String()), functions: Nullable(Type.String()), active: Type.Boolean() });
export type Department = Static<typeof Department>;
export const DepartmentCreate = Type.Object({
  name: Name,
  shortName: Type.Optional(Line({ minLength: 1, maxLength: 32 })),
  functions: Type.Optional(Type.String({ maxLength: 1000, description: '部门职能，供交办参考' })),
}, { additionalProperties: false });
export type DepartmentCreate = Static<typeof DepartmentCreate>;
export const DepartmentUpdate = Type.Partial(Type.Object({
  name: Name,
  shortName: Line({ minLength: 1, maxLength: 32 }),
  functions: Type.String({ maxLength: 1000 }),
  active: Type.Boolean(),
}), { additionalProperties: false });

export const EnterpriseScale = Type.Union([Type.Literal('above'), Type.Literal('below')], { description: 'above 规上 / below 规下' });
export const Enterprise = Type.Object({
  id: Uuid,
  name: Type.String(),
  creditCode: Type.String(),
  area: Type.Object({ id: Uuid, name: Type.String() }),
  address: Nullable(Type.String()),
  location: Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number(), datum: Type.Literal('wgs84'), confirmed: Type.Boolean() })),
  industry: Nullable(Type.String()),
  scale: EnterpriseScale,
  tags: Type.Array(Type.String()),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String({ description: '仅调度员和包保管家可见完整号码' })),
  version: Type.Integer(),
  createdAt: Timestamp,
});
export type Enterprise = Static<typeof Enterprise>;
const EnterpriseFields = {
  name: Line({ minLength: 2, maxLength: 128 }),
  creditCode: Type.String({ minLength: 18, maxLength: 18, description: '统一社会信用代码' }),
  areaId: Uuid,
  address: Line({ maxLength: 256 }),
  location: GeoInput,
  industry: Line({ maxLength: 64 }),
  scale: EnterpriseScale,
  tags: Type.Array(Line({ minLength: 1, maxLength: 16 }), { maxItems: 10, description: '如 专精特新、重点企业' }),
  contactName: Line({ maxLength: 64 }),
  contactPhone: Phone,
};
/** The enterprise fields that creating and editing both may leave out. */
const EnterpriseDetails = {
  address: Type.Optional(EnterpriseFields.address),
  location: Type.Optional(EnterpriseFields.location),
  industry: Type.Optional(EnterpriseFields.industry),
  scale: Type.Optional(EnterpriseFields.scale),
  tags: Type.Optional(EnterpriseFields.tags),
  contactName: Type.Optional(EnterpriseFields.contactName),
  contactPhone: Type.Optional(EnterpriseFields.contactPhone),
};
export const EnterpriseCreate = Type.Object({
  name: EnterpriseFields.name,
  creditCode: EnterpriseFields.creditCode,
  areaId: EnterpriseFields.areaId,
  ...EnterpriseDetails,
}, { additionalProperties: false });
export type EnterpriseCreate = Static<typeof EnterpriseCreate>;
export const EnterpriseUpdate = Type.Object({
  version: Type.Integer({ minimum: 1, description: '当前版本号，防止覆盖他人的修改' }),
  name: Type.Optional(EnterpriseFields.name),
  areaId: Type.Optional(EnterpriseFields.areaId),
  ...EnterpriseDetails,
}, { additionalProperties: false });
export type EnterpriseUpdate = Static<typeof EnterpriseUpdate>;
export const EnterpriseListQuery = Type.Object({
  ...PageQuery,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '名称关键字或信用代码前缀' })),
  areaId: Type.Optional(Uuid),
  scale: Type.Optional(EnterpriseScale),
  tag: Type.Optional(Type.String({ maxLength: 16 })),
  stewardId: Type.Optional(Uuid),
});
export type EnterpriseListQuery = Static<typeof EnterpriseListQuery>;

export const Person = Type.Object({
  id: Uuid,
  name: Type.String(),
  username: Nullable(Type.String()),
  phoneMasked: Nullable(Type.String()),
  roles: Type.Array(RoleSchema),
  title: Nullable(Type.String()),
  enterpriseId: Nullable(Uuid),
  departmentId: Nullable(Uuid),
  wechatBound: Type.Boolean(),
  invitationCode: Nullable(Type.String({ description: '仅在生成邀请码的那次响应中返回一次；此后只保存其摘要' })),
  invitationExpiresAt: Nullable(Type.String({ format: 'date-time', description: '待使用邀请码的失效时间' })),
  disabled: Type.Boolean(),
  version: Type.Integer(),
});
export type Person = Static<typeof Person>;
export const PersonCreate = Type.Object({
  name: Name,
  roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
  username: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,63}$' })),
  phone: Type.Optional(Phone),
  password: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
  title: Type.Optional(Line({ maxLength: 64, description: '职务，如 项目管家、助企干部' })),
  enterpriseId: Type.Optional(Uuid),
  departmentId: Type.Optional(Uuid),
  issueInvitation: Type.Optional(Type.Boolean({ description: '生成邀请码，供首次微信登录绑定' })),
}, { additionalProperties: false });
export type PersonCreate = Static<typeof PersonCreate>;
export const PersonUpdate = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Name),
  roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, uniqueItems: true })),
  phone: Type.Optional(Phone),
  password: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
  title: Type.Optional(Line({ maxLength: 64 })),
  enterpriseId: Type.Optional(Nullable(Uuid)),
  departmentId: Type.Optional(Nullable(Uuid)),
  disabled: Type.Optional(Type.Boolean()),
  issueInvitation: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type PersonUpdate = Static<typeof PersonUpdate>;
export const PersonListQuery = Type.Object({
  ...PageQuery,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  role: Type.Optional(RoleSchema),
  departmentId: Type.Optional(Uuid),
  enterpriseId: Type.Optional(Uuid),
});
export type PersonListQuery = Static<typeof PersonListQuery>;

export const Assignment = Type.Object({
  id: Uuid,
  steward: Type.Object({ id: Uuid, name: Type.String() }),
  enterprise: Type.Object({ id: Uuid, name: Type.String() }),
  startsOn: DateOnly,
  endsOn: Nullable(DateOnly),
  note: Nullable(Type.String()),
  distanceM: Type.Optional(Nullable(Type.Integer({ description: '与 near 位置的距离（米），企业无坐标时为空；仅按距离排序时返回' }))),
});
export type Assignment = Static<typeof Assignment>;
export const AssignmentCreate = Type.Object({
  stewardId: Uuid,
  enterpriseId: Uuid,
  startsOn: Type.Optional(DateOnly),
  note: Type.Optional(Type.String({ maxLength: 256 })),
}, { additionalProperties: false });
export type AssignmentCreate = Static<typeof AssignmentCreate>;
export const AssignmentEnd = Type.Object({ endsOn: Type.Optional(DateOnly) }, { additionalProperties: false });
export const AssignmentListQuery = Type.Object({
  ...PageQuery,
  stewardId: Type.Optional(Uuid),
  enterpriseId: Type.Optional(Uuid),
  active: Type.Optional(Type.Boolean({ default: true })),
  near: Type.Optional(Type.String({
    maxLength: 40, pattern: '^-?[0-9]{1,2}(\\.[0-9]+)?,-?[0-9]{1,3}(\\.[0-9]+)?$',
    description: '按距离由近到远排序：当前位置 纬度,经度（WGS-84）；管家看自己的，调度员须同时指定 stewardId',
  })),
});
export type AssignmentListQuery = Static<typeof AssignmentListQuery>;
