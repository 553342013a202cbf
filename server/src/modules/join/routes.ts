import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EnterpriseContact, IdParams, JoinBody, JoinDecision, JoinRequest, JoinRequestListQuery, JoinResponse, JoinStatus, JoinStatusBody, Page, StdErrors } from '@guanjia/shared';
import type { Config } from '../../config';
import { AppError } from '../../lib/app-error';
import type { AuthDeps } from '../auth/auth.service';
import { JOIN_ROLES } from './join.policy';
import { decideJoinRequest, joinEnterprise, joinStatus, listContacts, listJoinRequests, removeContact } from './join.service';

const tags = ['going-live'];

/** Enterprise self-join (WeChat user with a bindToken), the approval queue, and an enterprise's own contacts. */
export async function joinRoutes(fastify: FastifyInstance, opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const c = opts.config;
  const deps: AuthDeps = {
    db: app.db, signAccess: app.signAccessToken, accessTtlSeconds: c.accessTokenTtlSeconds, refreshTtlDays: c.refreshTokenTtlDays,
    maxFailures: c.loginMaxFailures, lockMinutes: c.loginLockMinutes, refreshGraceSeconds: c.refreshGraceSeconds,
  };
  const limited = { rateLimit: { max: c.loginRateLimitPerMinute, timeWindow: '1 minute' } };
  const deciders = app.requireRoles(...JOIN_ROLES.decide);

  /** The openid inside a bindToken from /auth/wechat (anything else is the same "re-enter the mini-program"). */
  const openidOf = (token: string): string => {
    try {
      const claims = app.jwt.verify<{ typ?: string; openid?: string }>(token);
      if (claims.typ === 'bind' && typeof claims.openid === 'string') return claims.openid;
    } catch { /* fall through */ }
    throw new AppError('WECHAT_CODE_INVALID');
  };

  app.post('/enterprise-join', {
    config: limited,
    schema: {
      tags, summary: '企业自助加入：微信登录后填写统一社会信用代码和企业名称（匹配即关联，否则等待审核）', security: [], body: JoinBody,
      response: { 200: JoinResponse, 202: JoinResponse, ...StdErrors },
    },
  }, async (req, reply) => {
    const r = await joinEnterprise(deps, openidOf(req.body.bindToken), req.body);
    return reply.status(r.status === 'linked' ? 200 : 202).send(r);
  });

  app.post('/enterprise-join/status', {
    config: limited,
    schema: { tags, summary: '企业自助加入：查看申请状态', security: [], body: JoinStatusBody, response: { 200: JoinStatus, ...StdErrors } },
  }, async (req) => joinStatus(app.db, openidOf(req.body.bindToken)));

  app.get('/join-requests', {
    onRequest: deciders,
    schema: { tags, summary: '企业加入申请（调度员看全区，管家看所包保企业的）', querystring: JoinRequestListQuery, response: { 200: Page(JoinRequest), ...StdErrors } },
  }, async (req) => listJoinRequests(app.db, req.auth, req.query));

  app.post('/join-requests/:id/approve', {
    onRequest: deciders, config: { idempotent: true },
    schema: { tags, summary: '通过企业加入申请（创建并关联企业联系人）', params: IdParams, body: JoinDecision, response: { 200: JoinRequest, ...StdErrors } },
  }, async (req) => decideJoinRequest(app.db, req.auth, req.params.id, 'approve', req.body));

  app.post('/join-requests/:id/reject', {
    onRequest: deciders, config: { idempotent: true },
    schema: { tags, summary: '驳回企业加入申请', params: IdParams, body: JoinDecision, response: { 200: JoinRequest, ...StdErrors } },
  }, async (req) => decideJoinRequest(app.db, req.auth, req.params.id, 'reject', req.body));

  app.get('/enterprise-contacts', {
    onRequest: app.requireRoles(...JOIN_ROLES.contacts),
    schema: { tags, summary: '本企业的联系人', response: { 200: Type.Object({ items: Type.Array(EnterpriseContact) }), ...StdErrors } },
  }, async (req) => listContacts(app.db, req.auth));

  app.post('/enterprise-contacts/:id/remove', {
    onRequest: app.requireRoles(...JOIN_ROLES.contacts),
    schema: { tags, summary: '移除本企业的联系人（仅企业管理联系人）', params: IdParams, response: { 204: Type.Null(), ...StdErrors } },
  }, async (req, reply) => {
    await removeContact(app.db, req.auth, req.params.id, (id) => app.personState.forget(id));
    return reply.status(204).send(null);
  });
}
