import { createTestApp, type TestApp } from '../../../test/helper';
import { seedDistrict, type World } from '../../../test/factories';
import { notify } from '../notifications/notify';
import { HttpWechatClient } from './wechat-client';
import { MAX_ATTEMPTS, relayWechatOutbox } from './outbox-relay';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedDistrict(t.db, '211108');
  await t.db.query(`UPDATE person SET wechat_openid = 'openid-' || name WHERE id = ANY($1::uuid[])`, [[w.contact1.id, w.contact2.id, w.staff1.id]]);
});
afterAll(() => t.close());

type Sent = { url: string; method: string; body: Record<string, unknown> | null };

/** A fetch that records every request and answers like WeChat; `sendReply` decides each send's answer. */
function fakeWechat(sendReply: (body: Record<string, unknown>) => { status?: number; json: Record<string, unknown> } = () => ({ json: { errcode: 0, errmsg: 'ok' } })) {
  const requests: Sent[] = [];
  const fetchImpl = async (url: string, init?: { method?: string; body?: string }) => {
    const body = init?.body ? JSON.parse(init.body) : null;
    requests.push({ url, method: init?.method ?? 'GET', body });
    await new Promise((r) => setTimeout(r, 5));
    const reply = url.includes('/cgi-bin/token') ? { json: { access_token: 'ACCESS-TOKEN-1', expires_in: 7200 } } : sendReply(body);
    return { ok: (reply.status ?? 200) < 400, status: reply.status ?? 200, json: async () => reply.json };
  };
  const client = () => new HttpWechatClient({ appId: 'wxapp', appSecret: 'secret', apiBase: 'https://api.weixin.qq.com' }, fetchImpl);
  return { requests, client, sends: () => requests.filter((r) => r.url.includes('/message/subscribe/send')) };
}

async function queue(personIds: string[], title: string, key: string, at = new Date('2026-11-25T01:30:00Z')) {
  await t.db.transaction(async (em) => {
    await notify(em, { districtId: w.districtId, personIds, kind: 'ticket.accept', title, body: '企业扩产急需招聘熟练电焊工二十名本地招聘困难', entityType: 'ticket', entityId: '00000000-0000-4000-8000-000000000001', dedupeKey: key });
  });
  await t.db.query(`UPDATE notification SET created_at = $1 WHERE dedupe_key = $2`, [at, key]);
  await t.db.query(`UPDATE wechat_outbox SET next_attempt_at = $1 WHERE notification_id IN (SELECT id FROM notification WHERE dedupe_key = $2)`, [at, key]);
}

const outbox = (key: string) => t.db.query(
  `SELECT o.status, o.attempts, o.last_error, p.name FROM wechat_outbox o JOIN notification n ON n.id = o.notification_id JOIN person p ON p.id = n.person_id
    WHERE n.dedupe_key = $1 ORDER BY p.name`, [key]);

describe('WeChat outbox relay', () => {
  it('sends the exact subscribe-message request the real API expects, once per notification, with one token fetch', async () => {
    await queue([w.contact1.id, w.contact2.id, w.coordinator.id], '诉求 2026-000001 已签收', 'k1');
    const fake = fakeWechat();
    const now = new Date('2026-11-25T02:00:00Z');
    const r = await relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL-TICKET', now });
    expect(r).toMatchObject({ claimed: 3, sent: 2, skipped: 1 });
    expect(fake.requests[0]).toEqual({ url: 'https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wxapp&secret=secret', method: 'GET', body: null });
    expect(fake.requests.filter((x) => x.url.includes('/cgi-bin/token'))).toHaveLength(1);
    const sends = fake.sends();
    expect(sends.map((s) => s.url)).toEqual(Array(2).fill('https://api.weixin.qq.com/cgi-bin/message/subscribe/send?access_token=ACCESS-TOKEN-1'));
    expect(sends.map((s) => s.body).sort((a, b) => String(a!.touser).localeCompare(String(b!.touser)))).toEqual([
      {
        touser: 'openid-企业联系人乙', template_id: 'TPL-TICKET', miniprogram_state: 'formal', lang: 'zh_CN',
        page: 'pages/home/index?entityType=ticket&entityId=00000000-0000-4000-8000-000000000001',
        data: { thing1: { value: '诉求 2026-000001 已签收' }, thing2: { value: '企业扩产急需招聘熟练电焊工二十名本地招…' }, time3: { value: '2026-11-25 09:30' } },
      },
      expect.objectContaining({ touser: 'openid-企业联系人甲' }),
    ]);
    expect(await outbox('k1')).toEqual([
      { status: 'sent', attempts: 1, last_error: null, name: '企业联系人乙' },
      { status: 'sent', attempts: 1, last_error: null, name: '企业联系人甲' },
      { status: 'skipped', attempts: 1, last_error: 'no wechat openid', name: '调度员王' },
    ]);
    const again = await relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL-TICKET', now: new Date('2026-11-25T03:00:00Z') });
    expect(again.claimed).toBe(0);
    expect(fake.sends()).toHaveLength(2);
  });

  it('two relays running at once (two instances) never send the same message twice', async () => {
    const ids = [w.contact1.id, w.contact2.id, w.staff1.id];
    for (let i = 0; i < 10; i++) await queue(ids, `并发测试 ${i}`, `k2-${i}`);
    const fake = fakeWechat();
    const now = new Date('2026-11-25T02:00:00Z');
    const [a, b] = await Promise.all([
      relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL', now, batch: 20 }),
      relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL', now, batch: 20 }),
    ]);
    const rest = await relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL', now, batch: 50 });
    expect(a.sent + b.sent + rest.sent).toBe(30);
    const keys = fake.sends().map((s) => `${s.body!.touser}|${(s.body!.data as { thing1: { value: string } }).thing1.value}`);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
  });

  it('retries a failure with backoff, skips a refused template, and gives up after the last attempt', async () => {
    await queue([w.contact1.id, w.contact2.id, w.staff1.id], '重试测试', 'k3');
    let down = true;
    const fake = fakeWechat((body) => {
      if (body.touser === 'openid-企业联系人乙') return { json: { errcode: 43101, errmsg: 'user refuse to accept the msg' } };
      if (body.touser === 'openid-人社办理人') return { json: { errcode: 40003, errmsg: 'invalid openid' } };
      return down ? { status: 502, json: {} } : { json: { errcode: 0 } };
    });
    const t0 = new Date('2026-11-25T02:00:00Z');
    const first = await relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL', now: t0 });
    expect(first).toMatchObject({ claimed: 3, sent: 0, skipped: 1, retried: 2 });
    expect(await outbox('k3')).toEqual([
      { status: 'pending', attempts: 1, last_error: 'errcode 40003', name: '人社办理人' },
      { status: 'skipped', attempts: 1, last_error: 'errcode 43101: not subscribed', name: '企业联系人乙' },
      { status: 'pending', attempts: 1, last_error: 'WECHAT_UNAVAILABLE', name: '企业联系人甲' },
    ]);
    // Backoff: nothing is due 30 s later; after a minute both are retried, and the service is back.
    expect((await relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL', now: new Date(t0.getTime() + 30_000) })).claimed).toBe(0);
    down = false;
    const second = await relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL', now: new Date(t0.getTime() + 61_000) });
    expect(second).toMatchObject({ claimed: 2, sent: 1, retried: 1 });
    let now = t0.getTime() + 61_000;
    for (let i = 2; i < MAX_ATTEMPTS; i++) {
      now += 3 * 3600_000;
      await relayWechatOutbox(t.db, fake.client(), { templateId: 'TPL', now: new Date(now) });
    }
    expect(await outbox('k3')).toEqual([
      { status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'errcode 40003', name: '人社办理人' },
      { status: 'skipped', attempts: 1, last_error: 'errcode 43101: not subscribed', name: '企业联系人乙' },
      { status: 'sent', attempts: 2, last_error: null, name: '企业联系人甲' },
    ]);
  });

  it('without a configured template nothing is sent and rows are skipped, not retried forever', async () => {
    await queue([w.contact1.id], '无模板', 'k4');
    const fake = fakeWechat();
    const r = await relayWechatOutbox(t.db, fake.client(), { templateId: null, now: new Date('2026-11-25T02:00:00Z') });
    expect(r).toMatchObject({ claimed: 1, skipped: 1 });
    expect(fake.requests).toHaveLength(0);
  });
});
