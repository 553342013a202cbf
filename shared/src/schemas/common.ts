import { Type, type Static, type StringOptions, type TSchema } from '@sinclair/typebox';

/** Building blocks every API schema reuses. */
export const Uuid = Type.String({ format: 'uuid' });
/**
 * YYYY-MM-DD of a real calendar day from 2000-01-01 to 2100-12-31 (leap days included): `2026-13-01`, `2026-02-30`
 * and year 9999 never reach the working-day arithmetic. A pattern rather than a format, so TypeBox's Value.Check in
 * the mini-app enforces the same rule without a format registry.
 */
export const DATE_PATTERN = '^(?:(?:20\\d\\d|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))|20(?:0[048]|[2468][048]|[13579][26])-02-29)$';
/** YYYY-MM from 2000-01 to 2100-12. */
export const MONTH_PATTERN = '^(?:20\\d\\d|2100)-(?:0[1-9]|1[0-2])$';
/** One line of text: no line breaks, no control characters (multi-line text allows \n \r \t; see server/src/lib/validation.ts). */
export const LINE_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';

export const DateOnly = Type.String({ pattern: DATE_PATTERN, description: 'YYYY-MM-DD (Asia/Shanghai), 2000–2100' });
/** A date described for its field; same rule as DateOnly. */
export const DateAbout = (description: string) => Type.String({ pattern: DATE_PATTERN, description });
export const Month = Type.String({ pattern: MONTH_PATTERN, description: 'YYYY-MM' });
/** A single-line string (names, titles, tags): the options of Type.String plus the LINE_PATTERN. */
export const Line = (opts: StringOptions = {}) => Type.String({ ...opts, pattern: LINE_PATTERN });
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
