import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DataSource } from 'typeorm';
import { auth, type SeedPerson } from './factories';

/** Bytes that start like a camera JPEG (the server checks magic bytes, not the whole file). Random, so each is unique. */
export function jpeg(size = 4096): Buffer {
  const b = crypto.randomBytes(size);
  b[0] = 0xff; b[1] = 0xd8; b[2] = 0xff; b[3] = 0xe0;
  return b;
}

/** Bytes with the PNG signature. */
export function png(size = 2048): Buffer {
  const b = crypto.randomBytes(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
}

/** A multipart/form-data body with one file field, as wx.uploadFile sends it. */
export function multipart(buf: Buffer, opts: { field?: string; filename?: string; mime?: string } = {}) {
  const boundary = `----guanjia${crypto.randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${opts.filename ?? 'photo.jpg'}"\r\n`
    + `Content-Type: ${opts.mime ?? 'image/jpeg'}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), buf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads a check-in photo and returns its id. */
export async function uploadPhoto(app: FastifyInstance, p: SeedPerson, buf: Buffer = jpeg()): Promise<string> {
  const m = multipart(buf);
  const res = await app.inject({ method: 'POST', url: '/api/v1/visit-photos', headers: { ...auth(app, p), ...m.headers }, payload: m.payload });
  if (res.statusCode !== 201) throw new Error(`photo upload failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** Creates a planned on-site visit and returns its id. */
export async function planOnsite(app: FastifyInstance, p: SeedPerson, enterpriseId: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/visits', headers: auth(app, p), payload: { kind: 'onsite', enterpriseId } });
  if (res.statusCode !== 201) throw new Error(`visit create failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

export type Where = { lat: number; lng: number; datum: 'wgs84' | 'gcj02' };

/** Checks out the steward's open on-site visit, if any (one open at a time). */
export async function checkOutOpenVisits(app: FastifyInstance, p: SeedPerson): Promise<void> {
  const open = await app.inject({ method: 'GET', url: `/api/v1/visits?stewardId=${p.id}&status=checked_in&kind=onsite`, headers: auth(app, p) });
  for (const v of open.json().items ?? []) {
    await app.inject({ method: 'POST', url: `/api/v1/visits/${v.id}/check-out`, headers: auth(app, p), payload: {} });
  }
}

/**
 * Plans an on-site visit, uploads a photo and checks in at `where`; returns the check-in response. A steward holds
 * one open on-site visit at a time, so unless `keepOpen` the steward's open one is checked out first; a 外勤 reason
 * is sent unless `offsiteReason` is null.
 */
export async function visitAt(
  app: FastifyInstance, p: SeedPerson, enterpriseId: string, where: Where,
  opts: { accuracyM?: number; photo?: Buffer; keepOpen?: boolean; offsiteReason?: string | null } = {},
): Promise<LightMyRequestResponse> {
  if (!opts.keepOpen) await checkOutOpenVisits(app, p);
  const id = await planOnsite(app, p, enterpriseId);
  const photoId = await uploadPhoto(app, p, opts.photo ?? jpeg());
  const reason = opts.offsiteReason === undefined ? '与企业负责人在外会面' : opts.offsiteReason;
  return app.inject({
    method: 'POST', url: `/api/v1/visits/${id}/check-in`, headers: auth(app, p),
    payload: { location: { lat: where.lat, lng: where.lng, datum: where.datum }, accuracyM: opts.accuracyM ?? 15, photoId, ...(reason ? { offsiteReason: reason } : {}) },
  });
}

/**
 * A contact written straight into the table at a chosen instant (the API stamps on-site check-ins with the server's
 * clock, so tests about periods place them directly). On-site ones get a check-in at `at`.
 */
export async function insertVisit(
  db: DataSource,
  v: { districtId: string; stewardId: string; enterpriseId: string; kind: 'onsite' | 'phone' | 'wechat' | 'meeting'; at: string | Date;
    insideFence?: boolean | null; problems?: { description: string }[]; point?: { lat: number; lng: number } },
): Promise<string> {
  const at = new Date(v.at);
  const onsite = v.kind === 'onsite';
  const [row] = await db.query(
    `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, problems, checkin_at, checkin_lat, checkin_lng,
                        checkin_accuracy_m, checkin_datum, inside_fence, flags, created_by, created_at)
     VALUES ($1,$2,$3,$4,'completed',$5,$6,$7,$8,$9,$10,$11,$12,$13,$2,$5) RETURNING id`,
    [v.districtId, v.stewardId, v.enterpriseId, v.kind, at, JSON.stringify(v.problems ?? []), onsite ? at : null,
     onsite ? v.point?.lat ?? 41.1 : null, onsite ? v.point?.lng ?? 121.1 : null, onsite ? 15 : null, onsite ? 'wgs84' : null,
     onsite ? (v.insideFence === undefined ? true : v.insideFence) : null, onsite && v.insideFence === false ? ['outside_fence'] : []],
  );
  return row.id;
}
