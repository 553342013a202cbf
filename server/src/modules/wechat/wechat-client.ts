import crypto from 'node:crypto';
import { AppError } from '../../lib/app-error';

/** What the server needs from WeChat's servers. Every call to them goes through this adapter. */
export type WechatClient = {
  /** wx.login code → openid. The code is single-use and valid 5 minutes; session_key never leaves the server. */
  code2Session(code: string): Promise<{ openid: string; unionid?: string }>;
  /** getPhoneNumber button code → the verified phone number of the WeChat user. */
  phoneNumber(code: string): Promise<string>;
  /** Sends one subscribe message; resolves false when the user has not (or no longer) subscribed. */
  sendSubscribeMessage(msg: SubscribeMessage): Promise<{ ok: boolean; errcode?: number }>;
};

export type SubscribeMessage = {
  openid: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  state?: 'developer' | 'trial' | 'formal';
};

type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Real implementation over HTTPS. `fetchImpl` is injectable so tests can check the exact requests it sends. */
export class HttpWechatClient implements WechatClient {
  private token: { value: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly cfg: { appId: string; appSecret: string; apiBase: string },
    private readonly fetchImpl: FetchLike = fetch as unknown as FetchLike,
    private readonly now: () => number = Date.now,
  ) {}

  private async getJson(url: string, init?: Parameters<FetchLike>[1]): Promise<Record<string, unknown>> {
    let res;
    try {
      res = await this.fetchImpl(url, init);
    } catch {
      throw new AppError('WECHAT_UNAVAILABLE');
    }
    if (!res.ok) throw new AppError('WECHAT_UNAVAILABLE');
    return (await res.json()) as Record<string, unknown>;
  }

  async code2Session(code: string) {
    const q = new URLSearchParams({ appid: this.cfg.appId, secret: this.cfg.appSecret, js_code: code, grant_type: 'authorization_code' });
    const body = await this.getJson(`${this.cfg.apiBase}/sns/jscode2session?${q}`);
    const errcode = Number(body.errcode ?? 0);
    if (errcode === 40029 || errcode === 40163) throw new AppError('WECHAT_CODE_INVALID');
    if (errcode === 45011) throw new AppError('WECHAT_RATE_LIMITED');
    if (errcode === 40226) throw new AppError('WECHAT_RISKY_USER');
    if (errcode !== 0 || typeof body.openid !== 'string') throw new AppError('WECHAT_UNAVAILABLE');
    return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : undefined };
  }

  /** The access token lasts 7200 s; one shared refresh at a time, renewed 5 minutes early. */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    this.refreshing ??= (async () => {
      try {
        const q = new URLSearchParams({ grant_type: 'client_credential', appid: this.cfg.appId, secret: this.cfg.appSecret });
        const body = await this.getJson(`${this.cfg.apiBase}/cgi-bin/token?${q}`);
        if (typeof body.access_token !== 'string') throw new AppError('WECHAT_UNAVAILABLE');
        const ttl = Number(body.expires_in ?? 7200);
        this.token = { value: body.access_token, expiresAt: this.now() + (ttl - 300) * 1000 };
        return body.access_token;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  async phoneNumber(code: string) {
    const token = await this.accessToken();
    const body = await this.getJson(`${this.cfg.apiBase}/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const info = body.phone_info as { purePhoneNumber?: string } | undefined;
    if (Number(body.errcode ?? 0) !== 0 || !info?.purePhoneNumber) throw new AppError('WECHAT_CODE_INVALID');
    return info.purePhoneNumber;
  }

  async sendSubscribeMessage(msg: SubscribeMessage) {
    const token = await this.accessToken();
    const body = await this.getJson(`${this.cfg.apiBase}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        touser: msg.openid,
        template_id: msg.templateId,
        page: msg.page,
        data: msg.data,
        miniprogram_state: msg.state ?? 'formal',
        lang: 'zh_CN',
      }),
    });
    const errcode = Number(body.errcode ?? 0);
    if (errcode === 40001 || errcode === 42001) this.token = null; // token revoked early: fetch anew next time
    return { ok: errcode === 0, errcode };
  }
}

/**
 * Development stand-in, enabled only by WECHAT_MODE=dev (refused in production): the code itself names the user,
 * so the H5 build and demo can log in without WeChat. `dev:<name>` → openid `dev-<name>`; phone codes are
 * `dev-phone:<11 digits>`.
 */
export class DevWechatClient implements WechatClient {
  readonly sent: SubscribeMessage[] = [];
  async code2Session(code: string) {
    const m = /^dev:([A-Za-z0-9_-]{1,40})$/.exec(code);
    if (!m) throw new AppError('WECHAT_CODE_INVALID');
    return { openid: `dev-${m[1]}` };
  }
  async phoneNumber(code: string) {
    const m = /^dev-phone:(1\d{10})$/.exec(code);
    if (!m) throw new AppError('WECHAT_CODE_INVALID');
    return m[1];
  }
  async sendSubscribeMessage(msg: SubscribeMessage) {
    this.sent.push(msg);
    return { ok: true };
  }
}

/** Picks the implementation named by configuration. */
export function createWechatClient(cfg: { mode: 'real' | 'dev'; appId: string; appSecret: string; apiBase: string }): WechatClient {
  return cfg.mode === 'real' ? new HttpWechatClient(cfg) : new DevWechatClient();
}

/** Stable pseudonymous id for logs, so an openid can be correlated without being written out. */
export function openidTag(openid: string): string {
  return crypto.createHash('sha256').update(openid).digest('hex').slice(0, 10);
}
