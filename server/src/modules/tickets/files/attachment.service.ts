import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { ATTACHMENT_MAX_BYTES, type Attachment } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import type { AuthUser } from '../../../lib/principal';
import { relationOf } from '../lifecycle/ticket-access';
import { presentAttachment, type AttachmentRow } from '../lifecycle/ticket.presenter';

/**
 * Photos and PDFs attached to 诉求 steps. Uploaded first (POST /attachments), then referenced by `attachmentIds` in
 * the submission or action that uses them. The type is decided by the file's first bytes, never by its name or the
 * declared content type; files are stored under `uploadDir/tickets/YYYY/MM/<uuid>.<ext>` and served only to people
 * who may see the step they belong to (enterprise contacts: public steps only; before use: the uploader only).
 */

/** Content types recognised by their magic bytes. */
export function sniffType(head: Buffer): { kind: 'image' | 'pdf'; mime: string; ext: string } | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { kind: 'image', mime: 'image/png', ext: 'png' };
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'pdf', mime: 'application/pdf', ext: 'pdf' };
  return null;
}

function safeName(name: string | undefined, ext: string): string {
  const base = path.basename(name ?? '').replace(/[\u0000-\u001f\\/:*?"<>|]/g, '').trim();
  return (base || `附件.${ext}`).slice(0, 128);
}

/** Streams one multipart file to disk, checking size and magic bytes on the way; records it unlinked. */
export async function uploadAttachment(db: DataSource, auth: AuthUser, req: FastifyRequest, uploadDir: string): Promise<Attachment> {
  const part = await req.file({ limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1, fields: 5 } });
  if (!part) throw new AppError('VALIDATION_FAILED', [{ path: '/body/file', message: '请选择要上传的文件' }]);
  const tmpDir = path.join(uploadDir, 'tmp');
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${crypto.randomUUID()}.part`);
  const hash = crypto.createHash('sha256');
  let head = Buffer.alloc(0);
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
      size += chunk.length;
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(part.file, tap, fs.createWriteStream(tmp, { flags: 'wx' }));
    if (part.file.truncated) throw new AppError('ATTACHMENT_TOO_LARGE');
    const type = sniffType(head);
    if (!type || size === 0) throw new AppError('ATTACHMENT_TYPE_INVALID');
    const id = crypto.randomUUID();
    const now = new Date();
    const key = path.posix.join('tickets', String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${id}.${type.ext}`);
    const dest = path.join(uploadDir, key);
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    await fs.promises.rename(tmp, dest);
    const [row]: AttachmentRow[] = await db.query(
      `INSERT INTO ticket_attachment (id, district_id, uploaded_by, kind, mime, file_name, size_bytes, sha256, storage_key)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id, event_id, kind, mime, file_name, size_bytes, created_at`,
      [id, auth.districtId, auth.id, type.kind, type.mime, safeName(part.filename, type.ext), size, hash.digest('hex'), key],
    ).catch(async (e) => {
      await fs.promises.rm(dest, { force: true });
      throw e;
    });
    return presentAttachment(row);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
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
  for (const r of rows) await fs.promises.rm(path.join(uploadDir, r.storage_key), { force: true });
  return rows.length;
}
