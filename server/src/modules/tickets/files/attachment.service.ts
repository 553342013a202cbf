import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Attachment } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import type { AuthUser } from '../../../lib/principal';
import { ATTACHMENT_UPLOAD, removeStored, safeFileName, storeUpload, type UploadSource } from '../../../lib/files';
import { relationOf } from '../lifecycle/ticket.policy';
import { presentAttachment, type AttachmentRow } from '../lifecycle/ticket.presenter';

/**
 * Photos and PDFs attached to 诉求 steps. Uploaded first (POST /attachments), then referenced by `attachmentIds` in
 * the submission or action that uses them. Type and size follow ATTACHMENT_UPLOAD (lib/files.ts: decided by the
 * file's first bytes, never by its name or the declared content type); files are stored under
 * `uploadDir/tickets/YYYY/MM/<uuid>.<ext>` and served only to people who may see the step they belong to
 * (enterprise contacts: public steps only; before use: the uploader only).
 */

/** Stores one uploaded file (a stream or its bytes), checking size and magic bytes on the way; records it unlinked. */
export async function uploadAttachment(
  db: DataSource, auth: AuthUser, file: { source: UploadSource; filename?: string }, uploadDir: string,
): Promise<Attachment> {
  const now = new Date();
  const stored = await storeUpload(file.source, ATTACHMENT_UPLOAD, uploadDir, (id, type) =>
    path.posix.join('tickets', String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${id}.${type.ext}`));
  const [row]: AttachmentRow[] = await db.query(
    `INSERT INTO ticket_attachment (id, district_id, uploaded_by, kind, mime, file_name, size_bytes, sha256, storage_key)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id, event_id, kind, mime, file_name, size_bytes, created_at`,
    [stored.id, auth.districtId, auth.id, stored.type.kind, stored.type.mime, safeFileName(file.filename, `附件.${stored.type.ext}`), stored.size, stored.sha256, stored.key],
  ).catch(async (e) => {
    await removeStored(uploadDir, stored.key);
    throw e;
  });
  return presentAttachment(row);
}

/** Resolves a download: the file and its metadata, or NOT_FOUND for anyone who may not see it. */
export async function attachmentForDownload(db: DataSource, auth: AuthUser, id: string, uploadDir: string) {
  const [a] = await db.query(
    `SELECT a.id, a.district_id, a.uploaded_by, a.ticket_id, a.mime, a.file_name, a.size_bytes, a.storage_key, ev.visibility,
            t.enterprise_id, t.lead_department_id, t.assisting_department_ids, t.district_id AS ticket_district_id
       FROM ticket_attachment a LEFT JOIN ticket_event ev ON ev.id = a.event_id LEFT JOIN ticket t ON t.id = a.ticket_id
      WHERE a.id = $1 AND a.district_id = $2`,
    [id, auth.districtId],
  );
  if (!a) throw new AppError('NOT_FOUND');
  if (!a.ticket_id) {
    if (a.uploaded_by !== auth.id) throw new AppError('NOT_FOUND');
  } else {
    const rel = await relationOf(db, auth, {
      district_id: a.ticket_district_id, enterprise_id: a.enterprise_id, lead_department_id: a.lead_department_id, assisting_department_ids: a.assisting_department_ids,
    });
    if (!rel.canSee || (!rel.seesInternal && a.visibility !== 'public')) throw new AppError('NOT_FOUND');
  }
  const file = path.join(uploadDir, a.storage_key);
  if (!path.resolve(file).startsWith(path.resolve(uploadDir) + path.sep)) throw new AppError('NOT_FOUND');
  return { path: file, mime: a.mime as string, fileName: a.file_name as string, size: a.size_bytes as number };
}

/** Deletes attachments uploaded but never used after `olderThanMs` (files first, then rows). Returns how many. */
export async function purgeOrphanAttachments(db: DataSource, uploadDir: string, olderThanMs = 24 * 3600_000, now = new Date()): Promise<number> {
  // TypeORM answers a DELETE … RETURNING with [rows, count].
  const [rows]: [{ id: string; storage_key: string }[], number] = await db.query(
    `DELETE FROM ticket_attachment WHERE ticket_id IS NULL AND created_at < $1 RETURNING id, storage_key`,
    [new Date(now.getTime() - olderThanMs)],
  );
  for (const r of rows) await removeStored(uploadDir, r.storage_key);
  return rows.length;
}
