import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ERRORS } from '@guanjia/shared';
import { AppError } from './app-error';
import { ATTACHMENT_UPLOAD, checkFile, IMPORT_UPLOAD, PHOTO_UPLOAD, readUpload, sniffFile, storeUpload, type UploadPolicy } from './files';

/** Real file openings: what a camera, a screenshot tool, a PDF writer, Excel and a Windows linker write first. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), Buffer.from('IHDR')]);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1');
const XLSX = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]), Buffer.from('This program cannot be run in DOS mode.')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');

/** The error a call throws (or fails the test when it does not throw). */
async function refusal(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

const hasChinese = /[\u4e00-\u9fff]/;

describe('sniffFile', () => {
  it.each([
    ['JPEG', JPEG, 'image/jpeg', 'jpg'],
    ['PNG', PNG, 'image/png', 'png'],
    ['PDF', PDF, 'application/pdf', 'pdf'],
    ['XLSX', XLSX, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ])('knows a %s by its first bytes', (_name, head, mime, ext) => {
    expect(sniffFile(head)).toMatchObject({ mime, ext });
  });

  it('knows nothing else: an .exe, a GIF, text, an empty or cut-off header', () => {
    for (const head of [EXE, GIF, Buffer.from('<html>'), Buffer.alloc(0), PNG.subarray(0, 7), JPEG.subarray(0, 2), PDF.subarray(0, 4)]) expect(sniffFile(head)).toBeNull();
  });
});

describe('the upload policies', () => {
  it('attachments take JPEG, PNG and PDF; photos JPEG and PNG only', () => {
    for (const head of [JPEG, PNG, PDF]) expect(checkFile(ATTACHMENT_UPLOAD, head, 1000)).not.toBeNull();
    for (const head of [JPEG, PNG]) expect(checkFile(PHOTO_UPLOAD, head, 1000)).not.toBeNull();
  });

  it.each([
    ['an attachment', ATTACHMENT_UPLOAD, 'ATTACHMENT_TYPE_INVALID'],
    ['a photo', PHOTO_UPLOAD, 'PHOTO_INVALID'],
  ])('a renamed .exe sent as %s is refused with a Chinese 415, whatever it is called', async (_what, policy, code) => {
    const e = await refusal(() => checkFile(policy, EXE.subarray(0, 8), EXE.length));
    expect(e.code).toBe(code);
    expect(e.statusCode).toBe(415);
    expect(e.message).toMatch(hasChinese);
  });

  it('a PDF is not a photo, an xlsx not an attachment, an empty file nothing', async () => {
    expect((await refusal(() => checkFile(PHOTO_UPLOAD, PDF, PDF.length))).code).toBe('PHOTO_INVALID');
    expect((await refusal(() => checkFile(ATTACHMENT_UPLOAD, XLSX, XLSX.length))).code).toBe('ATTACHMENT_TYPE_INVALID');
    expect((await refusal(() => checkFile(ATTACHMENT_UPLOAD, JPEG, 0))).code).toBe('ATTACHMENT_TYPE_INVALID');
  });

  it('the size limit is inclusive and answers each policy\'s own Chinese 413', async () => {
    for (const p of [ATTACHMENT_UPLOAD, PHOTO_UPLOAD, IMPORT_UPLOAD]) {
      expect(() => checkFile(p, JPEG, p.maxBytes)).not.toThrow();
      const e = await refusal(() => checkFile(p, JPEG, p.maxBytes + 1));
      expect(e.code).toBe(p.tooLarge);
      expect(e.statusCode).toBe(413);
      expect(ERRORS[p.tooLarge].message).toMatch(hasChinese);
    }
  });

  it('imports take any content (CSV has no magic bytes) and leave the format to the reader', () => {
    expect(checkFile(IMPORT_UPLOAD, Buffer.from('名称,统一社会信用代码'), 40)).toBeNull();
    expect(checkFile(IMPORT_UPLOAD, XLSX, 4000)).toMatchObject({ kind: 'xlsx' });
  });
});

describe('storing and reading uploads', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'files-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const small: UploadPolicy = { ...ATTACHMENT_UPLOAD, maxBytes: 64 };
  const chunks = (buf: Buffer, size = 7) => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

  it('stores a stream or a buffer under the key given, with its size and SHA-256, leaving no temporary file', async () => {
    const body = Buffer.concat([PNG, Buffer.alloc(40, 1)]);
    for (const source of [chunks(body), body]) {
      const f = await storeUpload(source, small, dir, (id, t) => `x/${id}.${t.ext}`);
      expect(f).toMatchObject({ size: body.length, type: { mime: 'image/png' } });
      expect(f.key).toBe(`x/${f.id}.png`);
      expect(fs.readFileSync(path.join(dir, f.key)).equals(body)).toBe(true);
      expect(f.sha256).toBe(crypto.createHash('sha256').update(body).digest('hex'));
    }
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses a renamed .exe or a file over the limit and keeps nothing', async () => {
    expect((await refusal(() => storeUpload(chunks(EXE), small, dir, (id) => `x/${id}`))).code).toBe('ATTACHMENT_TYPE_INVALID');
    expect((await refusal(() => storeUpload(chunks(Buffer.concat([JPEG, Buffer.alloc(100)])), small, dir, (id) => `x/${id}`))).code).toBe('ATTACHMENT_TOO_LARGE');
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  });

  it('reads a whole upload into memory within the limit', async () => {
    const body = Buffer.concat([JPEG, Buffer.alloc(30)]);
    expect((await readUpload(chunks(body), small)).equals(body)).toBe(true);
    expect((await refusal(() => readUpload(chunks(Buffer.alloc(65)), small))).code).toBe('ATTACHMENT_TOO_LARGE');
    expect((await refusal(() => readUpload(EXE, small))).code).toBe('ATTACHMENT_TYPE_INVALID');
  });
});
