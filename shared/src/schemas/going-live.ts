import { Type, type Static } from '@sinclair/typebox';
import { Line, Nullable, PageQuery, Phone, Timestamp, Uuid } from './common';
import { TokenResponse } from './auth';

/** Going live (ADR 0010): setup checklist, roster import, enterprise self-join. */

export const ImportKindSchema = Type.Union([Type.Literal('enterprises'), Type.Literal('people'), Type.Literal('assignments'), Type.Literal('projects')]);
export const ImportKindParams = Type.Object({ kind: ImportKindSchema });

export const ImportQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ default: true, description: '试导入：只检查并统计，不写入（默认）' })),
  createMissingAreas: Type.Optional(Type.Boolean({ default: false, description: '自动创建文件中出现而系统中没有的属地' })),
});
export type ImportQuery = Static<typeof ImportQuery>;

export const RowProblemSchema = Type.Object({ row: Type.Integer(), column: Type.String(), reason: Type.String() });

export const ImportResult = Type.Object({
  id: Uuid,
  kind: ImportKindSchema,
  dryRun: Type.Boolean(),
  fileName: Type.String(),
  totalRows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  areasCreated: Type.Integer(),
  assignmentsStarted: Type.Integer(),
  assignmentsEnded: Type.Integer(),
  unknownHeaders: Type.Array(Type.String()),
  problems: Type.Array(RowProblemSchema, { description: '逐行问题（最多 1000 条；全部问题见未导入行下载）' }),
  createdAt: Timestamp,
});
export type ImportResult = Static<typeof ImportResult>;

export const SetupChecklistItem = Type.Object({
  key: Type.String(),
  label: Type.String(),
  hint: Type.String(),
  count: Type.Integer(),
  done: Type.Boolean(),
  page: Type.String(),
  defaults: Type.Boolean(),
});
export const SetupChecklist = Type.Object({
  district: Type.Object({ code: Type.String(), name: Type.String() }),
  year: Type.Integer(),
  items: Type.Array(SetupChecklistItem),
  done: Type.Boolean(),
});
export type SetupChecklist = Static<typeof SetupChecklist>;

export const JoinBody = Type.Object({
  bindToken: Type.String({ minLength: 10, maxLength: 2048 }),
  district: Type.String({ pattern: '^\\d{6}$', description: '区县行政区划代码' }),
  creditCode: Type.String({ minLength: 1, maxLength: 32 }),
  companyName: Line({ minLength: 2, maxLength: 128 }),
  contactName: Line({ minLength: 1, maxLength: 64 }),
  phone: Type.Optional(Phone),
});
export type JoinBody = Static<typeof JoinBody>;

export const JoinStatusBody = Type.Object({ bindToken: Type.String({ minLength: 10, maxLength: 2048 }) });

/** Linked at once (tokens), or waiting for the steward's or coordinator's approval — the same for "not found" and "mismatch". */
export const JoinResponse = Type.Union([
  Type.Object({ status: Type.Literal('linked'), tokens: TokenResponse }),
  Type.Object({ status: Type.Literal('pending'), message: Type.String() }),
]);
export const JoinStatus = Type.Object({
  status: Type.Union([Type.Literal('none'), Type.Literal('pending'), Type.Literal('rejected')]),
  reason: Nullable(Type.String()),
  companyName: Nullable(Type.String()),
});

export const JoinRequestStatus = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);
export const JoinRequest = Type.Object({
  id: Uuid,
  creditCode: Type.String(),
  companyName: Type.String(),
  contactName: Type.String(),
  phone: Nullable(Type.String()),
  status: JoinRequestStatus,
  /** the enterprise of the district with this credit code, when there is one (name shown to staff to compare) */
  enterprise: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  reason: Nullable(Type.String()),
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  version: Type.Integer(),
});
export type JoinRequest = Static<typeof JoinRequest>;
export const JoinRequestListQuery = Type.Object({ status: Type.Optional(JoinRequestStatus), ...PageQuery });
export const JoinDecision = Type.Object({ version: Type.Integer({ minimum: 1 }), reason: Type.Optional(Line({ maxLength: 256 })) });

export const EnterpriseContact = Type.Object({
  id: Uuid, name: Type.String(), phoneMasked: Nullable(Type.String()), admin: Type.Boolean(), self: Type.Boolean(),
});
