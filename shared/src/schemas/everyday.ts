import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp, Uuid } from './common';

/**
 * Issue 13, each role's everyday tools outside the ticket itself: the enterprise's steward to call (联系管家) and the
 * steward's consent, the enterprise's rating of its steward, and a department's 常用语.
 */

/** The steward of the caller's enterprise: the phone only when the steward shows it to enterprises. */
export const MySteward = Type.Object({
  steward: Nullable(Type.Object({ id: Uuid, name: Type.String(), phone: Nullable(Type.String({ description: '管家不公开手机号时为 null' })) })),
});
export type MySteward = Static<typeof MySteward>;

/** A steward's own contact setting. */
export const StewardSettings = Type.Object({
  phoneVisibleToEnterprises: Type.Boolean({ description: '包保企业可在小程序中看到并拨打我的手机号（默认开启）' }),
}, { additionalProperties: false });
export type StewardSettings = Static<typeof StewardSettings>;

/** Ratings an enterprise gave a steward with its confirmations. */
export const StewardRatings = Type.Object({
  steward: Type.Object({ id: Uuid, name: Type.String() }),
  count: Type.Integer(),
  average: Nullable(Type.Number({ description: '平均星级，保留两位小数' })),
  items: Type.Array(Type.Object({
    ticketId: Uuid, ticketNo: Type.String(), enterprise: Type.Object({ id: Uuid, name: Type.String() }),
    rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Nullable(Type.String()), createdAt: Timestamp,
  }), { description: '最近 50 条' }),
});
export type StewardRatings = Static<typeof StewardRatings>;

/** A department's 常用语 (reply templates). */
export const ReplyTemplate = Type.Object({ id: Uuid, text: Type.String(), version: Type.Integer(), updatedAt: Timestamp });
export type ReplyTemplate = Static<typeof ReplyTemplate>;
export const ReplyTemplateCreate = Type.Object({ text: Type.String({ minLength: 1, maxLength: 500, description: '常用语内容' }) }, { additionalProperties: false });
export type ReplyTemplateCreate = Static<typeof ReplyTemplateCreate>;
export const ReplyTemplateUpdate = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 500 }), version: Type.Integer({ minimum: 1 }),
}, { additionalProperties: false });
export type ReplyTemplateUpdate = Static<typeof ReplyTemplateUpdate>;
/** The most a department keeps (a picker, not a library). */
export const MAX_REPLY_TEMPLATES = 50;
