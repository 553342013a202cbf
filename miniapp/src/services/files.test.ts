import { createFileClient, MAX_UPLOAD_BYTES, type FileTransport, type UploadRequest } from './files';
import { createMemoryStorage } from './storage';
import { createTokenStore } from './token-store';

function setup(uploads: ({ status: number; body: unknown } | 'network-failure')[]) {
  const tokens = createTokenStore(createMemoryStorage());
  tokens.set({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  const sent: UploadRequest[] = [];
  const downloads: string[] = [];
  const transport: FileTransport = {
    async upload(req) {
      sent.push(req);
      const next = uploads.shift();
      if (!next || next === 'network-failure') throw new Error('uploadFile:fail');
      return next;
    },
    async download(req) {
      downloads.push(`${req.url} ${req.headers.Authorization}`);
      return { status: 200, tempFilePath: 'blob:local-1' };
    },
  };
  let refreshes = 0;
  const expired: string[] = [];
  const http = {
    baseUrl: '/api/v1',
    refresh: async () => {
      refreshes += 1;
      tokens.set({ accessToken: `access-${refreshes + 1}`, refreshToken: 'r' });
    },
  };
  const files = createFileClient({ http, tokens, transport, origin: 'https://gj.example.cn', onSessionExpired: (e) => expired.push(e.code) });
  return { files, sent, downloads, expired, refreshes: () => refreshes };
}

const attachment = { id: 'a1', kind: 'image', url: '/api/v1/attachments/a1' };

describe('file client', () => {
  it('uploads as multipart field "file" with the bearer token and parses the JSON answer', async () => {
    const { files, sent } = setup([{ status: 201, body: JSON.stringify(attachment) }]);
    await expect(files.upload('/attachments', { path: 'wxfile://tmp_1.jpg', name: '现场.jpg', size: 1000 })).resolves.toEqual(attachment);
    expect(sent[0]).toMatchObject({ url: '/api/v1/attachments', filePath: 'wxfile://tmp_1.jpg', name: 'file', fileName: '现场.jpg', headers: { Authorization: 'Bearer access-1' } });
  });

  it('refreshes once on TOKEN_EXPIRED and sends the file again with the new token', async () => {
    const { files, sent, refreshes } = setup([{ status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'expired' } } }, { status: 201, body: attachment }]);
    await files.upload('/attachments', { path: 'p' });
    expect(refreshes()).toBe(1);
    expect(sent.map((s) => s.headers.Authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('refuses a file over 10 MB before sending it, in Chinese', async () => {
    const { files, sent } = setup([]);
    await expect(files.upload('/attachments', { path: 'p', size: MAX_UPLOAD_BYTES + 1 })).rejects.toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', message: '附件不能超过 10MB' });
    expect(sent).toHaveLength(0);
  });

  it('turns server refusals and lost connections into Chinese ApiErrors', async () => {
    const { files } = setup([{ status: 415, body: '{"error":{"code":"ATTACHMENT_TYPE_INVALID","message":"unsupported"}}' }, 'network-failure']);
    await expect(files.upload('/attachments', { path: 'p' })).rejects.toMatchObject({ code: 'ATTACHMENT_TYPE_INVALID', message: '附件仅支持 JPEG、PNG 图片或 PDF 文件' });
    await expect(files.upload('/attachments', { path: 'p' })).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: '网络不可用，请检查网络后重试' });
  });

  it('ends the session on any other 401', async () => {
    const { files, expired } = setup([{ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } }]);
    await expect(files.upload('/attachments', { path: 'p' })).rejects.toMatchObject({ status: 401 });
    expect(expired).toEqual(['UNAUTHENTICATED']);
  });

  it('downloads protected files from the API origin with the token', async () => {
    const { files, downloads } = setup([]);
    await expect(files.download('/api/v1/attachments/a1')).resolves.toBe('blob:local-1');
    expect(downloads).toEqual(['https://gj.example.cn/api/v1/attachments/a1 Bearer access-1']);
  });
});
