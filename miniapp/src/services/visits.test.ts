import { toGcj02 } from '@guanjia/shared/geo/coords';
import type { Visit } from '@guanjia/shared/schemas/visits';
import { createHttpClient } from './http';
import { createMemoryStorage } from './storage';
import { createTokenStore } from './token-store';
import {
  checkInVerdict, contactBody, createVisitsApi, datumFor, fencePreview, pickParentCategory, ruleText, runCheckIn, statusCounts, stewardRows,
  stewardTicketBody, titleFromProblem, contactDayOptions, contactOccurredAt, ticketOfProblem, searchRows, nearestFirst, validateContact, validateStewardTicket,
} from './visits';
import { createFileClient, type UploadRequest } from './files';
import { errorResponse, fakeTransport, keySequence, type Step } from '../test-support/fake-transport';

const BASE = 'https://gj.example.cn/api/v1';
const ENT = { lat: 41.1, lng: 121.1 };

type UploadStep = { status: number; body: unknown } | 'network-failure';

function setup(script: Record<string, Step[]>, uploads: UploadStep[] = []) {
  const fake = fakeTransport(script);
  const tokens = createTokenStore(createMemoryStorage());
  tokens.set({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  const http = createHttpClient({ baseUrl: BASE, transport: fake.transport, tokens, newKey: keySequence(), sleep: async () => undefined });
  const uploadCalls: UploadRequest[] = [];
  const expired: string[] = [];
  const files = createFileClient({
    http,
    tokens,
    origin: 'https://gj.example.cn',
    onSessionExpired: (e) => expired.push(e.code),
    transport: {
      upload: async (req) => {
        uploadCalls.push(req);
        const step = uploads.shift();
        if (!step || step === 'network-failure') throw new Error('uploadFile:fail');
        return step;
      },
      download: async () => ({ status: 200, tempFilePath: '' }),
    },
  });
  const api = createVisitsApi({ http, files });
  return { api, fake, uploadCalls, tokens, expired };
}

const visit = (over: Partial<Visit> = {}): Visit => ({
  id: 'v1', kind: 'onsite', status: 'planned', steward: { id: 's1', name: '管家张' },
  enterprise: { id: 'e1', name: '甲公司', area: { id: 'a1', name: '一号镇' } }, occurredAt: '2026-11-25T01:00:00.000Z', notes: null, problems: [],
  offAssignment: false, checkIn: null, checkOut: null, flags: [], flagDetails: {}, review: null, tickets: [], locationPurged: false, version: 1, createdAt: '2026-11-25T01:00:00.000Z',
  ...over,
});

describe('fence preview', () => {
  it('measures from the WGS-84 position to the enterprise and compares with the radius', () => {
    const near = fencePreview({ lat: 41.1005, lng: 121.1, datum: 'wgs84' }, ENT, 300);
    expect(near.distanceM).toBeGreaterThan(50);
    expect(near.distanceM).toBeLessThan(60);
    expect(near.inside).toBe(true);
    const far = fencePreview({ lat: 41.118, lng: 121.1, datum: 'wgs84' }, ENT, 300);
    expect(far.distanceM).toBeGreaterThan(1900);
    expect(far.inside).toBe(false);
  });

  it('converts a GCJ-02 position first (the ~500 m shift would otherwise read as 外勤)', () => {
    const gcj = toGcj02(ENT.lat, ENT.lng);
    const p = fencePreview({ ...gcj, datum: 'gcj02' }, ENT, 300);
    expect(p.distanceM).toBeLessThan(5);
    expect(fencePreview({ ...gcj, datum: 'wgs84' }, ENT, 300).inside).toBe(false);
  });

  it('says nothing when the enterprise has no location', () => {
    expect(fencePreview({ lat: 41, lng: 121, datum: 'wgs84' }, null, 300)).toEqual({ distanceM: null, inside: null });
  });

  it('asks WeChat for GCJ-02 and H5 (browser geolocation) for WGS-84', () => {
    expect(datumFor('weapp')).toBe('gcj02');
    expect(datumFor('h5')).toBe('wgs84');
    expect(datumFor(undefined)).toBe('wgs84');
  });
});

describe('check-in verdict', () => {
  const checkIn = { at: '2026-11-25T01:00:00.000Z', location: null, reportedDatum: 'wgs84', distanceM: 2000, fenceRadiusM: 300, photoId: 'p1' };
  it('reads 外勤 from the server answer and lists the other flags in Chinese', () => {
    const v = checkInVerdict(visit({ checkIn: { ...checkIn, insideFence: false }, flags: ['outside_fence', 'low_accuracy'] }));
    expect(v).toEqual({ outside: true, unknown: false, flags: ['定位精度差'] });
  });
  it('treats a missing enterprise location as unknown, not inside', () => {
    expect(checkInVerdict(visit({ checkIn: { ...checkIn, insideFence: null }, flags: ['no_enterprise_location'] }))).toMatchObject({ outside: false, unknown: true });
  });
});

describe('steward list', () => {
  const item = (id: string, name: string, status: 'done' | 'due' | 'overdue', remind = false) => ({
    enterprise: { id, name, area: { id: 'a', name: '一号镇' } }, enterpriseClass: 'other' as const,
    rule: { enterpriseClass: 'other' as const, period: 'month' as const, requiredKind: 'any' as const, requiredCount: 1 },
    period: { from: '2026-11-01', to: '2026-11-30' }, required: 1, done: status === 'done' ? 1 : 0, remaining: status === 'done' ? 0 : 1, status, remind, lastContactAt: null,
  });

  it('puts overdue first, then due (reminders first), untracked, done; adds enterprises no rule covers', () => {
    const rows = stewardRows(
      { items: [item('1', '丙', 'done'), item('2', '乙', 'due'), item('3', '甲', 'overdue'), item('4', '丁', 'due', true)] },
      [{ enterprise: { id: '2', name: '乙' } }, { enterprise: { id: '5', name: '戊' } }],
    );
    expect(rows.map((r) => [r.enterprise.name, r.status])).toEqual([['甲', 'overdue'], ['丁', 'due'], ['乙', 'due'], ['戊', 'none'], ['丙', 'done']]);
    expect(statusCounts(rows)).toEqual({ all: 5, overdue: 1, due: 2, done: 1, none: 1 });
  });

  it('writes the rule the way the district says it', () => {
    expect(ruleText({ period: 'month', requiredKind: 'onsite', requiredCount: 2 })).toBe('每月现场走访 2 次');
    expect(ruleText({ period: 'quarter', requiredKind: 'any', requiredCount: 1 })).toBe('每季度联系 1 次');
  });
});

describe('contact form', () => {
  it('requires what was said, and drops blank problem lines', () => {
    expect(validateContact({ kind: 'phone', notes: ' ', problems: [] })).toEqual({ notes: expect.stringContaining('沟通内容') });
    expect(validateContact({ kind: 'phone', notes: '了解用工情况', problems: [''] })).toEqual({});
    expect(contactBody('e1', { kind: 'wechat', notes: ' 了解用工情况 ', problems: ['', ' 缺电焊工 '] })).toEqual({
      kind: 'wechat', enterpriseId: 'e1', notes: '了解用工情况', problems: [{ description: '缺电焊工' }],
    });
    expect(contactBody('e1', { kind: 'phone', notes: '回访', problems: [' '] })).not.toHaveProperty('problems');
  });
});

describe('photo upload', () => {
  it('sends the file with bearer token and key, and parses the JSON text the platform hands back', async () => {
    const { api, uploadCalls } = setup({}, [{ status: 201, body: JSON.stringify({ id: 'p1', sha256: 'x', mime: 'image/jpeg', sizeBytes: 10, createdAt: '' }) }]);
    await expect(api.uploadPhoto('blob:1', 'k-photo')).resolves.toMatchObject({ id: 'p1' });
    expect(uploadCalls[0]).toMatchObject({ url: `${BASE}/visit-photos`, filePath: 'blob:1', name: 'file', headers: { Authorization: 'Bearer access-1', 'Idempotency-Key': 'k-photo' } });
  });

  it('refreshes once on an expired token and re-sends with the same key', async () => {
    const { api, uploadCalls, fake } = setup(
      { 'POST /api/v1/auth/refresh': [{ status: 200, body: { accessToken: 'access-2', refreshToken: 'refresh-2' } }] },
      [errorResponse(401, 'TOKEN_EXPIRED'), { status: 201, body: { id: 'p2' } }],
    );
    await expect(api.uploadPhoto('blob:1', 'k1')).resolves.toMatchObject({ id: 'p2' });
    expect(uploadCalls.map((c) => [c.headers.Authorization, c.headers['Idempotency-Key']])).toEqual([['Bearer access-1', 'k1'], ['Bearer access-2', 'k1']]);
    expect(fake.unexpected).toEqual([]);
  });

  it('turns a refusal into a Chinese ApiError and a lost response into a network error keeping the key', async () => {
    const { api } = setup({}, [{ status: 415, body: JSON.stringify({ error: { code: 'PHOTO_INVALID', message: 'bad' } }) }, 'network-failure']);
    await expect(api.uploadPhoto('blob:1', 'k1')).rejects.toMatchObject({ code: 'PHOTO_INVALID', message: expect.stringContaining('照片格式不正确') });
    await expect(api.uploadPhoto('blob:1', 'k1')).rejects.toMatchObject({ code: 'NETWORK_ERROR', idempotencyKey: 'k1', outcomeUnknown: true });
  });

  it('clears the stored login when the refresh token is dead, as every other call does', async () => {
    const { api, tokens, uploadCalls } = setup(
      { 'POST /api/v1/auth/refresh': [errorResponse(401, 'REFRESH_TOKEN_INVALID')] },
      [errorResponse(401, 'TOKEN_EXPIRED')],
    );
    await expect(api.uploadPhoto('blob:1', 'k1')).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    expect(tokens.get()).toBeUndefined();
    expect(uploadCalls).toHaveLength(1);
  });

  it('ends the session on any other 401 (the stored login is cleared)', async () => {
    const { api, tokens, expired } = setup({}, [errorResponse(401, 'UNAUTHENTICATED')]);
    await expect(api.uploadPhoto('blob:1', 'k1')).rejects.toMatchObject({ status: 401 });
    expect(tokens.get()).toBeUndefined();
    expect(expired).toEqual(['UNAUTHENTICATED']);
  });

  it('a 2xx answer without a photo id is a Chinese 502, keeping the key', async () => {
    const { api } = setup({}, [{ status: 201, body: '<html>proxy page</html>' }]);
    await expect(api.uploadPhoto('blob:1', 'k1')).rejects.toMatchObject({ status: 502, idempotencyKey: 'k1', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
  });
});

describe('runCheckIn', () => {
  const fix = { lat: 41.1, lng: 121.1, datum: 'wgs84' as const, accuracyM: 12.345 };
  const photo = { status: 201, body: { id: 'p1' } };

  it('plans, uploads and checks in with keys derived from the submission key, reporting progress', async () => {
    const { api, fake, uploadCalls } = setup(
      { 'POST /api/v1/visits': [{ status: 201, body: visit() }], 'POST /api/v1/visits/v1/check-in': [{ status: 200, body: visit({ status: 'checked_in' }) }] },
      [photo],
    );
    const seen: unknown[] = [];
    const v = await runCheckIn(api, { enterpriseId: 'e1', notes: ' 了解生产 ', photoPath: 'blob:1', fix, key: 'sub', progress: {}, onProgress: (p) => seen.push(p) });
    expect(v.status).toBe('checked_in');
    expect(seen).toEqual([{ visitId: 'v1' }, { visitId: 'v1', photoId: 'p1' }]);
    expect(fake.calls.map((c) => c.headers['Idempotency-Key'])).toEqual(['sub-plan', 'sub-checkin']);
    expect(uploadCalls[0].headers['Idempotency-Key']).toBe('sub-photo');
    expect(fake.calls[0].body).toEqual({ kind: 'onsite', enterpriseId: 'e1', notes: '了解生产' });
    expect(fake.calls[1].body).toEqual({ location: { lat: 41.1, lng: 121.1, datum: 'wgs84' }, accuracyM: 12.3, photoId: 'p1' });
  });

  it('names the project of a visit to a key project’s site', async () => {
    const { api, fake } = setup(
      { 'POST /api/v1/visits': [{ status: 201, body: visit() }], 'POST /api/v1/visits/v1/check-in': [{ status: 200, body: visit({ status: 'checked_in' }) }] },
      [photo],
    );
    await runCheckIn(api, { enterpriseId: 'e1', projectId: 'p9', photoPath: 'blob:1', fix, key: 'sub', progress: {} });
    expect(fake.calls[0].body).toEqual({ kind: 'onsite', enterpriseId: 'e1', projectId: 'p9' });
  });

  it('resumes after a failure without planning or uploading again', async () => {
    const { api, fake, uploadCalls } = setup({ 'POST /api/v1/visits/v1/check-in': [{ status: 200, body: visit({ status: 'checked_in' }) }] });
    await runCheckIn(api, { enterpriseId: 'e1', photoPath: 'blob:1', fix, key: 'sub', progress: { visitId: 'v1', photoId: 'p1' } });
    expect(fake.calls).toHaveLength(1);
    expect(uploadCalls).toHaveLength(0);
  });

  it('forgets a photo the server refuses, so the next attempt takes a new one', async () => {
    const { api } = setup({ 'POST /api/v1/visits/v1/check-in': [errorResponse(409, 'PHOTO_ALREADY_USED')] });
    const seen: unknown[] = [];
    await expect(runCheckIn(api, { enterpriseId: 'e1', photoPath: 'blob:1', fix, key: 'sub', progress: { visitId: 'v1', photoId: 'p1' }, onProgress: (p) => seen.push(p) }))
      .rejects.toMatchObject({ code: 'PHOTO_ALREADY_USED' });
    expect(seen).toEqual([{ visitId: 'v1' }]);
  });
});

describe('诉求 on the enterprise’s behalf', () => {
  const node = (id: string, name: string, children: { id: string; name: string; active?: boolean }[] = []) => ({
    id, name, parentId: null, acceptDays: null, replyDays: null, urgentReplyDays: null, effective: { acceptDays: 1, replyDays: 5, urgentReplyDays: 1 },
    sortOrder: 0, active: true, version: 1,
    children: children.map((c) => ({ ...c, parentId: id, acceptDays: null, replyDays: null, urgentReplyDays: null, effective: { acceptDays: 1, replyDays: 5, urgentReplyDays: 1 }, sortOrder: 0, active: c.active ?? true, version: 1 })),
  });
  const cats = [node('hr', '人才用工', [{ id: 'hr1', name: '招工用工' }]), node('other', '其他')];
  const empty = { parentCategoryId: '', categoryId: '', title: '', description: '', urgency: 'normal' as const };

  it('picks a leaf: a parent with children needs a child, one without is the category itself', () => {
    expect(pickParentCategory(empty, cats[0])).toMatchObject({ parentCategoryId: 'hr', categoryId: '' });
    expect(pickParentCategory(empty, cats[1])).toMatchObject({ parentCategoryId: 'other', categoryId: 'other' });
    expect(validateStewardTicket({ ...empty, parentCategoryId: 'hr' }, cats).categoryId).toBe('请选择「人才用工」下的具体类别');
  });

  it('checks the server schema limits and links the visit', () => {
    const form = { ...empty, parentCategoryId: 'hr', categoryId: 'hr1', title: ' 招工难 ', description: ' 缺少熟练电焊工20名 ' };
    expect(validateStewardTicket(form, cats)).toEqual({});
    expect(validateStewardTicket({ ...form, title: '难', description: '缺工' }, cats)).toEqual({ title: expect.any(String), description: expect.any(String) });
    expect(stewardTicketBody(form, 'e1', 'v1')).toEqual({ enterpriseId: 'e1', categoryId: 'hr1', title: '招工难', description: '缺少熟练电焊工20名', urgency: 'normal', visitId: 'v1' });
    expect(stewardTicketBody(form, 'e1')).not.toHaveProperty('visitId');
  });

  it('titles a problem by its first clause', () => {
    expect(titleFromProblem('缺少熟练电焊工20名，影响扩产')).toBe('缺少熟练电焊工20名');
    expect(titleFromProblem('这是一个没有标点而且非常非常长的问题描述需要截断')).toHaveLength(21);
  });
});

describe('issue 13: back-dated contacts, filed problems, name search', () => {
  const now = new Date(2026, 10, 30, 16, 20);
  it('offers today and past days up to the window (at most 7)', () => {
    expect(contactDayOptions(2).map((o) => o.label)).toEqual(['今天', '昨天', '前天']);
    expect(contactDayOptions(0)).toEqual([{ value: 0, label: '今天' }]);
    expect(contactDayOptions(30)).toHaveLength(8);
  });
  it('dates a contact now for today, else at the chosen part of a past day', () => {
    expect(contactBody('e1', { kind: 'phone', notes: ' 通话 ', problems: [''] }, now)).toEqual({ kind: 'phone', enterpriseId: 'e1', notes: '通话' });
    const body = contactBody('e1', { kind: 'phone', notes: '通话', problems: [], daysAgo: 2, part: 'pm' }, now);
    expect(new Date(body.occurredAt!)).toEqual(new Date(2026, 10, 28, 15, 0));
    expect(contactOccurredAt({ daysAgo: 1 }, now)).toEqual(new Date(2026, 10, 29, 10, 0));
  });
  it('finds the 诉求 already filed from a problem by its title', () => {
    const tickets = [{ id: 't1', title: '缺少熟练电焊工20名' }];
    expect(ticketOfProblem('缺少熟练电焊工20名，影响扩产', tickets)?.id).toBe('t1');
    expect(ticketOfProblem('用电增容', tickets)).toBeUndefined();
    expect(ticketOfProblem('用电增容', undefined)).toBeUndefined();
  });
  it('searches rows by every part of the name', () => {
    const rows = [{ enterprise: { name: '渤海重工有限公司' } }, { enterprise: { name: '锦州石化' } }];
    expect(searchRows(rows, '渤海 重工')).toEqual([rows[0]]);
    expect(searchRows(rows, '  ')).toHaveLength(2);
    expect(searchRows(rows, '石油')).toEqual([]);
  });
});

describe('issue 13: the back-dating window', () => {
  it('clamps the window’s last day to its opening minute', () => {
    const now = new Date(2026, 10, 30, 16, 20);
    const at = contactOccurredAt({ daysAgo: 7, part: 'am' }, now, 7)!;
    expect(at.getTime()).toBe(now.getTime() - 7 * 86_400_000 + 60_000);
    expect(contactOccurredAt({ daysAgo: 6, part: 'am' }, now, 7)).toEqual(new Date(2026, 10, 24, 10, 0));
  });
});

describe('issue 13: nearest first', () => {
  const row = (id: string) => ({ enterprise: { id, name: id, areaName: null }, status: 'due' as const, done: 0, required: 1, remind: false, rule: '', period: null, lastContactAt: null, enterpriseClass: null });
  it('orders by the server’s distance list, unlocated and unnamed rows after, in their order', () => {
    const rows = [row('a'), row('b'), row('c'), row('d')];
    const out = nearestFirst(rows, [
      { enterprise: { id: 'c', name: 'c' }, distanceM: 40 },
      { enterprise: { id: 'a', name: 'a' }, distanceM: 900 },
      { enterprise: { id: 'b', name: 'b' }, distanceM: null },
    ]);
    expect(out.map((r) => [r.enterprise.id, r.distanceM])).toEqual([['c', 40], ['a', 900], ['b', null], ['d', null]]);
  });
});
