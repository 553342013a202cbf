import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { VisitPhoto } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import { maySeeVisitPhoto } from './visit.policy';
import { PHOTO_UPLOAD, removeStored, storeUpload, type UploadSource } from '../../lib/files';

type PhotoRow = { id: string; sha256: string; mime: string; size_bytes: number; created_at: Date };
const present = (r: PhotoRow): VisitPhoto => ({ id: r.id, sha256: r.sha256, mime: r.mime, sizeBytes: r.size_bytes, createdAt: new Date(r.created_at).toISOString() });

/**
 * Stores a check-in photo (a stream or its bytes; JPEG or PNG by content, PHOTO_UPLOAD in lib/files.ts) under
 * `uploadDir/visit-photos/<district>/<yyyy-mm>/<id>` and records its SHA-256, which a later check-in compares to flag
 * a reused photo. The photo becomes part of a visit only at check-in.
 */
export async function storeVisitPhoto(db: DataSource, uploadDir: string, auth: AuthUser, source: UploadSource): Promise<VisitPhoto> {
  const stored = await storeUpload(source, PHOTO_UPLOAD, uploadDir, (id, type) =>
    path.posix.join('visit-photos', auth.districtId, new Date().toISOString().slice(0, 7), `${id}.${type.ext}`));
  try {
    const [row]: PhotoRow[] = await db.query(
      `INSERT INTO visit_photo (id, district_id, uploaded_by, sha256, mime, size_bytes, storage_key) VALUES ($1,$2,$3,$4,$5,$6,$7)
       RETURNING id, sha256, mime, size_bytes, created_at`,
      [stored.id, auth.districtId, auth.id, stored.sha256, stored.type.mime, stored.size, stored.key],
    );
    return present(row);
  } catch (e) {
    await removeStored(uploadDir, stored.key);
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
