import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LoginBody, MeResponse, RefreshBody, StdErrors, TokenResponse, WechatBindBody, WechatLoginBody, WechatLoginResponse } from '@guanjia/shared';
import type { Config } from '../../config';
import { AppError } from '../../lib/app-error';
import { currentPerson } from './me.service';
import { bindOpenid, configurePasswordHashing, login, loginByOpenid, logout, refresh, type AuthDeps } from './auth.service';

const BIND_TTL = '10m';

export async function authRoutes(fastify: FastifyInstance, opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const c = opts.config;
  const deps: AuthDeps = {
    db: app.db,
    signAccess: app.signAccessToken,
    accessTtlSeconds: c.accessTokenTtlSeconds,
    refreshTtlDays: c.refreshTokenTtlDays,
    maxFailures: c.loginMaxFailures,
    lockMinutes: c.loginLockMinutes,
    refreshGraceSeconds: c.refreshGraceSeconds,
  };
  configurePasswordHashing(c.passwordHashConcurrency, c.passwordHashQueue);
  const limited = { rateLimit: { max: c.loginRateLimitPerMinute, timeWindow: '1 minute' } };

  app.post('/auth/login', {
    config: limited,
    schema: { tags: ['auth'], summary: '账号密码登录（用户名或手机号）', security: [], body: LoginBody, response: { 200: TokenResponse, ...StdErrors, 423: StdErrors[400], 503: StdErrors[400] } },
    // req.ip is the socket address unless the request came through a proxy listed in TRUST_PROXY.
  }, async (req) => login(deps, req.body.username, req.body.password, req.ip, req.body.district ?? null));

  app.post('/auth/refresh', {
    config: limited,
    schema: { tags: ['auth'], summary: '刷新令牌（轮换）', security: [], body: RefreshBody, response: { 200: TokenResponse, ...StdErrors } },
  }, async (req) => refresh(deps, req.body.refreshToken));

  app.post('/auth/logout', {
    onRequest: app.authenticate,
    schema: { tags: ['auth'], summary: '退出登录（吊销本设备的刷新令牌）', body: RefreshBody, response: { 204: Type.Null(), ...StdErrors } },
  }, async (req, reply) => {
    await logout(deps, req.auth.id, req.body.refreshToken);
    return reply.status(204).send(null);
  });

  app.post('/auth/wechat', {
    config: limited,
    schema: { tags: ['auth'], summary: '小程序登录：wx.login code 换取令牌；未绑定时返回 bindToken', security: [], body: WechatLoginBody, response: { 200: WechatLoginResponse, ...StdErrors } },
  }, async (req) => {
    const { openid } = await app.wechat.code2Session(req.body.code);
    const tokens = await loginByOpenid(deps, openid);
    if (tokens) return tokens;
    return { bindingRequired: true as const, bindToken: app.jwt.sign({ typ: 'bind', openid }, { expiresIn: BIND_TTL }) };
  });

  app.post('/auth/wechat/bind', {
    config: limited,
    schema: { tags: ['auth'], summary: '首次微信登录绑定：邀请码或微信手机号', security: [], body: WechatBindBody, response: { 200: TokenResponse, ...StdErrors } },
  }, async (req) => {
    let claims: { typ?: string; openid?: string };
    try {
      claims = app.jwt.verify(req.body.bindToken);
    } catch {
      throw new AppError('WECHAT_CODE_INVALID');
    }
    if (claims.typ !== 'bind' || typeof claims.openid !== 'string') throw new AppError('WECHAT_CODE_INVALID');
    if (req.body.invitationCode) return bindOpenid(deps, claims.openid, { invitationCode: req.body.invitationCode });
    if (req.body.phoneCode) return bindOpenid(deps, claims.openid, { phone: await app.wechat.phoneNumber(req.body.phoneCode) });
    throw new AppError('VALIDATION_FAILED', [{ path: '/body/invitationCode', message: '请输入邀请码或授权手机号' }]);
  });

  app.get('/me', {
    onRequest: app.authenticateAny,
    schema: { tags: ['auth'], summary: '当前登录人', response: { 200: MeResponse, ...StdErrors } },
  }, async (req) => currentPerson(app.db, req.principal.id));
}
