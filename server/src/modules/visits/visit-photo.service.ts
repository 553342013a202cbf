import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { VisitPhoto } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import { maySeeVisitPhoto } from './visit.policy';

/** Largest check-in photo accepted (a phone camera JPEG is 1–5 MB; WeChat compresses further). */
export const VISIT_PHOTO_MAX_BYTES = 8 * 1024 * 1024;

/** What the bytes are, from their magic numbers; the client's declared type and file name are not trusted. */
export function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (buf.length >= 8 && png.every((b, i) => buf[i] === b)) return 'image/png';
  return null;
}

type PhotoRow = { id: string; sha256: string; mime: string; size_bytes: number; created_at: Date };
const present = (r: PhotoRow): VisitPhoto => ({ id: r.id, sha256: r.sha256, mime: r.mime, sizeBytes: r.size_bytes, createdAt: new Date(r.created_at).toISOString() });

/**
 * Stores a check-in photo under `uploadDir/visit-photos/<district>/<yyyy-mm>/<id>` and records its SHA-256, which a
 * later check-in compares to flag a reused photo. The photo becomes part of a visit only at check-in.
 */
export async function storeVisitPhoto(db: DataSource, uploadDir: string, auth: AuthUser, buf: Buffer): Promise<VisitPhoto> {
  const mime = sniffImage(buf);
  if (!mime) throw new AppError('PHOTO_INVALID');
  if (buf.length > VISIT_PHOTO_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
  const id = crypto.randomUUID();
  const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
  const key = path.posix.join('visit-photos', auth.districtId, new Date().toISOString().slice(0, 7), `${id}${mime === 'image/png' ? '.png' : '.jpg'}`);
  const file = path.join(uploadDir, key);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, buf, { flag: 'wx' });
  try {
    const [row]: PhotoRow[] = await db.query(
      `INSERT INTO visit_photo (id, district_id, uploaded_by, sha256, mime, size_bytes, storage_key) VALUES ($1,$2,$3,$4,$5,$6,$7)
       RETURNING id, sha256, mime, size_bytes, created_at`,
      [id, auth.districtId, auth.id, sha256, mime, buf.length, key],
    );
    return present(row);
  } catch (e) {
    await fs.rm(file, { force: true });
    throw e;
  }
}

/**
 * Opens a photo for reading: its uploader and the district-wide roles of its district may see it (a photo shows a
 * place and often people — not for enterprise contacts or other stewards).
 */
export async function openVisitPhoto(db: DataSource, uploadDir: string, auth: AuthUser, id: string): Promise<{ mime: string; file: string }> {
  const [row] = await db.query(`SELECT district_id, uploaded_by, mime, storage_key FROM visit_photo WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
  if (!row || !maySeeVisitPhoto(auth, row)) throw new AppError('NOT_FOUND');
  return { mime: row.mime, file: path.join(uploadDir, row.storage_key) };
}
