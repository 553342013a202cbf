import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ATTACHMENT_MAX_BYTES, type ErrorCode } from '@guanjia/shared';
import { AppError } from './app-error';

/**
 * Every uploaded file goes through here: one magic-byte sniffer, one size/type policy per kind of upload, one way to
 * store the bytes under the upload directory. The type is decided by the file's first bytes, never by its name or the
 * declared content type. Nothing here knows HTTP: the routes hand over a stream or a buffer
 * (plugins/multipart-file.ts reads one from a multipart request).
 */

export type FileType =
  | { kind: 'image'; mime: 'image/jpeg'; ext: 'jpg' }
  | { kind: 'image'; mime: 'image/png'; ext: 'png' }
  | { kind: 'pdf'; mime: 'application/pdf'; ext: 'pdf' }
  | { kind: 'xlsx'; mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'; ext: 'xlsx' };
export type FileMime = FileType['mime'];

/** How many leading bytes `sniffFile` needs at most. */
export const SNIFF_BYTES = 8;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the bytes are, from their magic numbers: JPEG, PNG, PDF or an .xlsx (a zip); anything else is null. */
export function sniffFile(head: Buffer): FileType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG)) return { kind: 'image', mime: 'image/png', ext: 'png' };
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'pdf', mime: 'application/pdf', ext: 'pdf' };
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return { kind: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' };
  }
  return null;
}

/** What one kind of upload accepts, and the error codes (shared/src/errors.ts) that refuse the rest. */
export type UploadPolicy = {
  /** Largest accepted size in bytes (a file of exactly this size is accepted). */
  maxBytes: number;
  /** Accepted types by content; null: any content (the reader decides, as for CSV imports). */
  accept: readonly FileMime[] | null;
  tooLarge: ErrorCode;
  wrongType: ErrorCode;
  /** Asked for a file and none came. */
  missing: { code: ErrorCode; message?: string };
};

/** 诉求 attachments: photos and PDFs, ≤ 10 MB. */
export const ATTACHMENT_UPLOAD: UploadPolicy = {
  maxBytes: ATTACHMENT_MAX_BYTES,
  accept: ['image/jpeg', 'image/png', 'application/pdf'],
  tooLarge: 'ATTACHMENT_TOO_LARGE',
  wrongType: 'ATTACHMENT_TYPE_INVALID',
  missing: { code: 'VALIDATION_FAILED', message: '请选择要上传的文件' },
};

/** Check-in and project photos (a phone camera JPEG is 1–5 MB; WeChat compresses further), ≤ 8 MB. */
export const PHOTO_UPLOAD: UploadPolicy = {
  maxBytes: 8 * 1024 * 1024,
  accept: ['image/jpeg', 'image/png'],
  tooLarge: 'PAYLOAD_TOO_LARGE',
  wrongType: 'PHOTO_INVALID',
  missing: { code: 'PHOTO_REQUIRED' },
};

/** Roster imports: .xlsx or CSV (which has no magic bytes, so the import reader decides), ≤ 20 MB. */
export const IMPORT_UPLOAD: UploadPolicy = {
  maxBytes: 20 * 1024 * 1024,
  accept: null,
  tooLarge: 'IMPORT_FILE_TOO_LARGE',
  wrongType: 'IMPORT_FILE_UNREADABLE',
  missing: { code: 'VALIDATION_FAILED', message: '请选择要导入的文件' },
};

/** The error a policy answers when no file came. */
export function missingFile(policy: UploadPolicy): AppError {
  return policy.missing.message ? new AppError(policy.missing.code, [{ path: '/body/file', message: policy.missing.message }]) : new AppError(policy.missing.code);
}

/** Checks the first bytes and the size against a policy; the type, or the policy's 413/415. */
export function checkFile(policy: UploadPolicy, head: Buffer, size: number): FileType | null {
  if (size > policy.maxBytes) throw new AppError(policy.tooLarge);
  const type = sniffFile(head);
  if (policy.accept === null) return type;
  if (!type || size === 0 || !policy.accept.includes(type.mime)) throw new AppError(policy.wrongType);
  return type;
}

/** An upload as the routes hand it over: a stream (read once) or the bytes. */
export type UploadSource = Readable | Buffer;

/**
 * Reads a whole upload into memory, refusing it as soon as it passes the policy's size. A stream cut short by the
 * multipart reader's own limit (set one byte above the policy's) arrives here longer than the policy allows.
 */
export async function readUpload(source: UploadSource, policy: UploadPolicy): Promise<Buffer> {
  if (Buffer.isBuffer(source)) {
    checkFile(policy, source.subarray(0, SNIFF_BYTES), source.length);
    return source;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  // Read to the end even when too large, so the request body is consumed as before and the 413 is answered cleanly.
  for await (const chunk of source as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > policy.maxBytes) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) throw new AppError(policy.tooLarge);
  const buf = Buffer.concat(chunks);
  checkFile(policy, buf.subarray(0, SNIFF_BYTES), buf.length);
  return buf;
}

/** A file stored under the upload directory. */
export type StoredFile = { id: string; key: string; path: string; type: FileType; size: number; sha256: string };

/**
 * Stores an upload under `uploadDir/<keyOf(id, ext)>`: streamed to `uploadDir/tmp` first while its size, hash and
 * first bytes are taken, checked against the policy, then moved into place. Nothing is left behind when refused.
 * The caller records the file and calls `removeStored` if that fails.
 */
export async function storeUpload(
  source: UploadSource, policy: UploadPolicy, uploadDir: string, keyOf: (id: string, type: FileType) => string,
): Promise<StoredFile> {
  const tmpDir = path.join(uploadDir, 'tmp');
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${crypto.randomUUID()}.part`);
  const hash = crypto.createHash('sha256');
  let head = Buffer.alloc(0);
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      size += chunk.length;
      // past the limit nothing more is written or hashed; the rest is read and dropped
      if (size > policy.maxBytes) return cb();
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(Buffer.isBuffer(source) ? Readable.from([source]) : source, tap, fs.createWriteStream(tmp, { flags: 'wx' }));
    const type = checkFile(policy, head, size);
    if (!type) throw new AppError(policy.wrongType);
    const id = crypto.randomUUID();
    const key = keyOf(id, type);
    const dest = path.join(uploadDir, key);
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    await fs.promises.rename(tmp, dest);
    return { id, key, path: dest, type, size, sha256: hash.digest('hex') };
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

/** Removes a stored file (after its row could not be written, or when purging). */
export async function removeStored(uploadDir: string, key: string): Promise<void> {
  await fs.promises.rm(path.join(uploadDir, key), { force: true });
}

/** A file name safe to store and to send back in Content-Disposition; a default from the type when none is usable. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = path.basename(name ?? '').replace(/[\u0000-\u001f\\/:*?"<>|]/g, '').trim();
  return (base || fallback).slice(0, 128);
}
