import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CertificationCreate, CertificationParams, ConfirmBody, DeliveryBody, EnterprisePolicy, EnterpriseProfile, EnterpriseProfileUpdate, IdParams, Library,
  LibraryCreate, MatchPreview, MatchPreviewBody, MembershipCreate, MembershipEnd, MembershipParams, Page, PageQuery, Policy, PolicyCreate, PolicyFigures,
  PolicyListQuery, PolicyMatch, PolicyMatchQuery, PolicyPublish, PolicyQuestion, PolicyQuestionQuery, PolicyUpdate, RedeemBody, StdErrors,
} from '@guanjia/shared';
import { ENTERPRISE_ROLES } from '../enterprises/enterprise.policy';
import { POLICY_ROLES } from './policy.policy';
import {
  addCertification, addMembership, createLibrary, endMembership, getProfile, listLibraries, removeCertification, updateProfile,
} from './profile.service';
import {
  confirmPolicy, createPolicy, deliverPolicy, enterprisePolicies, getPolicy, listMatches, listPolicies, markRead, myDeliveries, policyFigures, policyQuestions,
  previewMatches, publishPolicy, redeemPolicy, updatePolicy,
} from './policy.service';

/** 企业档案 (profile, certifications, 培育库) and 政策直达 / 免申即享 (ADR 0014). */
export async function policyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['policies'];
  const managers = app.requireRoles(...POLICY_ROLES.manage);
  const profileEditors = app.requireRoles(...ENTERPRISE_ROLES.editProfile);

  app.get('/enterprises/:id/profile', {
    onRequest: app.authenticate,
    schema: { tags, summary: '企业档案（政策匹配所需信息、资质、培育库）', params: IdParams, response: { 200: EnterpriseProfile, ...StdErrors } },
  }, async (req) => getProfile(app.db, req.auth, req.params.id));

  app.patch('/enterprises/:id/profile', {
    onRequest: profileEditors,
    schema: { tags, summary: '修改企业档案（需带版本号）', params: IdParams, body: EnterpriseProfileUpdate, response: { 200: EnterpriseProfile, ...StdErrors } },
  }, async (req) => updateProfile(app.db, req.auth, req.params.id, req.body));

  app.post('/enterprises/:id/certifications', {
    onRequest: profileEditors,
    config: { idempotent: true },
    schema: { tags, summary: '登记企业资质认定', params: IdParams, body: CertificationCreate, response: { 201: EnterpriseProfile, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await addCertification(app.db, req.auth, req.params.id, req.body)));

  app.delete('/enterprises/:id/certifications/:certificationId', {
    onRequest: profileEditors,
    schema: { tags, summary: '删除误登记的资质', params: CertificationParams, response: { 200: EnterpriseProfile, ...StdErrors } },
  }, async (req) => removeCertification(app.db, req.auth, req.params.id, req.params.certificationId));

  app.post('/enterprises/:id/libraries', {
    onRequest: profileEditors,
    config: { idempotent: true },
    schema: { tags, summary: '企业入库（培育库）', params: IdParams, body: MembershipCreate, response: { 201: EnterpriseProfile, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await addMembership(app.db, req.auth, req.params.id, req.body)));

  app.post('/enterprises/:id/libraries/:membershipId/leave', {
    onRequest: profileEditors,
    schema: { tags, summary: '企业出库（保留入库历史）', params: MembershipParams, body: MembershipEnd, response: { 200: EnterpriseProfile, ...StdErrors } },
  }, async (req) => endMembership(app.db, req.auth, req.params.id, req.params.membershipId, req.body));

  app.get('/enterprises/:id/policies', {
    onRequest: app.authenticate,
    schema: { tags, summary: '政策计算器：该企业可享受的政策（符合的在前，附理由）', params: IdParams, response: { 200: Type.Array(EnterprisePolicy), ...StdErrors } },
  }, async (req) => enterprisePolicies(app.db, req.auth, req.params.id));

  app.get('/libraries', {
    onRequest: app.authenticate,
    schema: { tags, summary: '本区县培育库', response: { 200: Type.Array(Library), ...StdErrors } },
  }, async (req) => listLibraries(app.db, req.auth));

  app.post('/libraries', {
    onRequest: app.requireRoles(...POLICY_ROLES.libraries),
    config: { idempotent: true },
    schema: { tags, summary: '新建培育库', body: LibraryCreate, response: { 201: Library, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createLibrary(app.db, req.auth, req.body)));

  app.get('/policies', {
    onRequest: app.authenticate,
    schema: { tags, summary: '政策列表（最新在前）', querystring: PolicyListQuery, response: { 200: Page(Policy), ...StdErrors } },
  }, async (req) => listPolicies(app.db, req.auth, req.query));

  app.post('/policies', {
    onRequest: managers,
    config: { idempotent: true },
    schema: { tags, summary: '新建政策（草稿）', body: PolicyCreate, response: { 201: Policy, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createPolicy(app.db, req.auth, req.body)));

  app.post('/policies/preview', {
    onRequest: managers,
    schema: { tags, summary: '按适用条件实时统计匹配企业数', body: MatchPreviewBody, response: { 200: MatchPreview, ...StdErrors } },
  }, async (req) => previewMatches(app.db, req.auth, req.body.eligibility));

  app.get('/policies/deliveries', {
    onRequest: app.requireRoles(...POLICY_ROLES.deliveries),
    schema: { tags, summary: '待送达的政策（我包保的企业）', querystring: Type.Object(PageQuery), response: { 200: Page(PolicyMatch), ...StdErrors } },
  }, async (req) => myDeliveries(app.db, req.auth, req.query));

  app.get('/policies/:id', {
    onRequest: app.authenticate,
    schema: { tags, summary: '政策详情', params: IdParams, response: { 200: Policy, ...StdErrors } },
  }, async (req) => getPolicy(app.db, req.auth, req.params.id));

  app.patch('/policies/:id', {
    onRequest: managers,
    schema: { tags, summary: '修改政策草稿（需带版本号）', params: IdParams, body: PolicyUpdate, response: { 200: Policy, ...StdErrors } },
  }, async (req) => updatePolicy(app.db, req.auth, req.params.id, req.body));

  app.post('/policies/:id/publish', {
    onRequest: managers,
    config: { idempotent: true },
    schema: { tags, summary: '发布政策：匹配企业、推送通知、生成送政策上门任务', params: IdParams, body: PolicyPublish, response: { 200: Policy, ...StdErrors } },
  }, async (req) => publishPolicy(app.db, req.auth, req.params.id, req.body.version));

  app.get('/policies/:id/matches', {
    onRequest: app.authenticate,
    schema: { tags, summary: '政策匹配企业名单（符合 / 待核实）', params: IdParams, querystring: PolicyMatchQuery, response: { 200: Page(PolicyMatch), ...StdErrors } },
  }, async (req) => listMatches(app.db, req.auth, req.params.id, req.query));

  app.get('/policies/:id/figures', {
    onRequest: app.authenticate,
    schema: { tags, summary: '政策送达与兑现统计（按属地）', params: IdParams, response: { 200: PolicyFigures, ...StdErrors } },
  }, async (req) => policyFigures(app.db, req.auth, req.params.id));

  app.get('/policies/:id/questions', {
    onRequest: app.authenticate,
    schema: { tags, summary: '企业就该政策提出的咨询诉求', params: IdParams, querystring: PolicyQuestionQuery, response: { 200: Page(PolicyQuestion), ...StdErrors } },
  }, async (req) => policyQuestions(app.db, req.auth, req.params.id, req.query));

  app.post('/policies/:id/read', {
    onRequest: app.requireRoles(...POLICY_ROLES.enterprise),
    schema: { tags, summary: '企业已阅政策（阅读回执）', params: IdParams, response: { 200: PolicyMatch, ...StdErrors } },
  }, async (req) => markRead(app.db, req.auth, req.params.id));

  app.post('/policies/:id/deliveries', {
    onRequest: app.requireRoles(...POLICY_ROLES.deliver),
    config: { idempotent: true },
    schema: { tags, summary: '记录送政策上门（计入走访）', params: IdParams, body: DeliveryBody, response: { 200: PolicyMatch, ...StdErrors } },
  }, async (req) => deliverPolicy(app.db, req.auth, req.params.id, req.body));

  app.post('/policies/:id/confirm', {
    onRequest: app.requireRoles(...POLICY_ROLES.enterprise),
    config: { idempotent: true },
    schema: { tags, summary: '免申即享意愿确认（确认享受或放弃）', params: IdParams, body: ConfirmBody, response: { 200: PolicyMatch, ...StdErrors } },
  }, async (req) => confirmPolicy(app.db, req.auth, req.params.id, req.body));

  app.post('/policies/:id/redemptions', {
    onRequest: managers,
    config: { idempotent: true },
    schema: { tags, summary: '登记政策兑现（日期、金额）', params: IdParams, body: RedeemBody, response: { 200: PolicyMatch, ...StdErrors } },
  }, async (req) => redeemPolicy(app.db, req.auth, req.params.id, req.body));
}
