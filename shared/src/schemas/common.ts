import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Building blocks every API schema reuses. */
export const Uuid = Type.String({ format: 'uuid' });
export const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
export const Timestamp = Type.String({ format: 'date-time' });
export const Phone = Type.String({ pattern: '^1\\d{10}$', description: '中国大陆手机号' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

/** Keyset pagination query: `cursor` is opaque, from the previous page's `nextCursor`. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
};

export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String(), code: Type.Optional(Type.String()) }))),
  }),
});

/** Error responses documented on every route (the handler never sends another shape). */
export const StdErrors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/** Location as the phone reported it; the server converts to the stored datum (WGS-84). */
export const GeoInput = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  datum: Type.Union([Type.Literal('gcj02'), Type.Literal('wgs84')]),
});
export type GeoInput = Static<typeof GeoInput>;
