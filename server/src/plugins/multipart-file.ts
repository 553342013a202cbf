import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/app-error';
import { missingFile, type UploadPolicy } from '../lib/files';

/** The one file of a multipart request (field `file`), as a stream the services in lib/files.ts read. */
export type MultipartUpload = { stream: Readable; filename: string | undefined };

/**
 * Reads the file part of a multipart/form-data request for an upload policy (lib/files.ts). The reader stops one
 * byte past the policy's size, so an oversized file arrives too long and the policy refuses it with its own 413.
 * The route's scope must have registered @fastify/multipart.
 */
export async function multipartUpload(req: FastifyRequest, policy: UploadPolicy): Promise<MultipartUpload> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const part = await req.file({ limits: { fileSize: policy.maxBytes + 1, files: 1, fields: 5 }, throwFileSizeLimit: false });
  if (!part) throw missingFile(policy);
  return { stream: part.file, filename: part.filename };
}
