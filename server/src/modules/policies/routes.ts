import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CertificationCreate, CertificationParams, ConfirmBody, DeliveryBody, EnterprisePolicy, EnterpriseProfile, EnterpriseProfileUpdate, IdParams, Library,
  LibraryCreate, MatchPreview, MatchPreviewBody, MembershipCreate, MembershipEnd, MembershipParams, Page, PageQuery, Policy, PolicyCreate, PolicyFigures,
  PolicyListQuery, PolicyMatch, PolicyMatchQuery, PolicyPublish, PolicyQuestion, PolicyQuestionQuery, PolicyUpdate, RedeemBody,
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
import { routeSpec } from '../../lib/route';

/** 企业档案 (profile, certifications, 培育库) and 政策直达 / 免申即享 (ADR 0014). */
export async function policyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['policies'];
  const { created, ok } = routeSpec(tags);
  const managers = app.requireRoles(...POLICY_ROLES.manage);
  const profileEditors = app.requireRoles(...ENTERPRISE_ROLES.editProfile);

  app.get('/enterprises/:id/profile', ok(app.authenticate, '企业档案（政策匹配所需信息、资质、培育库）', { params: IdParams }, EnterpriseProfile),
    async (req) => getProfile(app.db, req.auth, req.params.id));

  app.patch('/enterprises/:id/profile', ok(profileEditors, '修改企业档案（需带版本号）', { params: IdParams, body: EnterpriseProfileUpdate }, EnterpriseProfile),
    async (req) => updateProfile(app.db, req.auth, req.params.id, req.body));

  app.post('/enterprises/:id/certifications', created(profileEditors, '登记企业资质认定', { params: IdParams, body: CertificationCreate }, EnterpriseProfile, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await addCertification(app.db, req.auth, req.params.id, req.body)));

  app.delete('/enterprises/:id/certifications/:certificationId', ok(profileEditors, '删除误登记的资质', { params: CertificationParams }, EnterpriseProfile),
    async (req) => removeCertification(app.db, req.auth, req.params.id, req.params.certificationId));

  app.post('/enterprises/:id/libraries', created(profileEditors, '企业入库（培育库）', { params: IdParams, body: MembershipCreate }, EnterpriseProfile, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await addMembership(app.db, req.auth, req.params.id, req.body)));

  app.post('/enterprises/:id/libraries/:membershipId/leave', ok(profileEditors, '企业出库（保留入库历史）', { params: MembershipParams, body: MembershipEnd }, EnterpriseProfile),
    async (req) => endMembership(app.db, req.auth, req.params.id, req.params.membershipId, req.body));

  app.get('/enterprises/:id/policies', ok(app.authenticate, '政策计算器：该企业可享受的政策（符合的在前，附理由）', { params: IdParams }, Type.Array(EnterprisePolicy)),
    async (req) => enterprisePolicies(app.db, req.auth, req.params.id));

  app.get('/libraries', ok(app.authenticate, '本区县培育库', {}, Type.Array(Library)),
    async (req) => listLibraries(app.db, req.auth));

  app.post('/libraries', created(app.requireRoles(...POLICY_ROLES.libraries), '新建培育库', { body: LibraryCreate }, Library, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createLibrary(app.db, req.auth, req.body)));

  app.get('/policies', ok(app.authenticate, '政策列表（最新在前）', { querystring: PolicyListQuery }, Page(Policy)),
    async (req) => listPolicies(app.db, req.auth, req.query));

  app.post('/policies', created(managers, '新建政策（草稿）', { body: PolicyCreate }, Policy, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createPolicy(app.db, req.auth, req.body)));

  app.post('/policies/preview', ok(managers, '按适用条件实时统计匹配企业数', { body: MatchPreviewBody }, MatchPreview),
    async (req) => previewMatches(app.db, req.auth, req.body.eligibility));

  app.get('/policies/deliveries', ok(app.requireRoles(...POLICY_ROLES.deliveries), '待送达的政策（我包保的企业）', { querystring: Type.Object(PageQuery) }, Page(PolicyMatch)),
    async (req) => myDeliveries(app.db, req.auth, req.query));

  app.get('/policies/:id', ok(app.authenticate, '政策详情', { params: IdParams }, Policy),
    async (req) => getPolicy(app.db, req.auth, req.params.id));

  app.patch('/policies/:id', ok(managers, '修改政策草稿（需带版本号）', { params: IdParams, body: PolicyUpdate }, Policy),
    async (req) => updatePolicy(app.db, req.auth, req.params.id, req.body));

  app.post('/policies/:id/publish', ok(managers, '发布政策：匹配企业、推送通知、生成送政策上门任务', { params: IdParams, body: PolicyPublish }, Policy, { idempotent: true }),
    async (req) => publishPolicy(app.db, req.auth, req.params.id, req.body.version));

  app.get('/policies/:id/matches', ok(app.authenticate, '政策匹配企业名单（符合 / 待核实）', { params: IdParams, querystring: PolicyMatchQuery }, Page(PolicyMatch)),
    async (req) => listMatches(app.db, req.auth, req.params.id, req.query));

  app.get('/policies/:id/figures', ok(app.authenticate, '政策送达与兑现统计（按属地）', { params: IdParams }, PolicyFigures),
    async (req) => policyFigures(app.db, req.auth, req.params.id));

  app.get('/policies/:id/questions', ok(app.authenticate, '企业就该政策提出的咨询诉求', { params: IdParams, querystring: PolicyQuestionQuery }, Page(PolicyQuestion)),
    async (req) => policyQuestions(app.db, req.auth, req.params.id, req.query));

  app.post('/policies/:id/read', ok(app.requireRoles(...POLICY_ROLES.enterprise), '企业已阅政策（阅读回执）', { params: IdParams }, PolicyMatch),
    async (req) => markRead(app.db, req.auth, req.params.id));

  app.post('/policies/:id/deliveries', ok(app.requireRoles(...POLICY_ROLES.deliver), '记录送政策上门（计入走访）', { params: IdParams, body: DeliveryBody }, PolicyMatch, { idempotent: true }),
    async (req) => deliverPolicy(app.db, req.auth, req.params.id, req.body));

  app.post('/policies/:id/confirm', ok(app.requireRoles(...POLICY_ROLES.enterprise), '免申即享意愿确认（确认享受或放弃）', { params: IdParams, body: ConfirmBody }, PolicyMatch, { idempotent: true }),
    async (req) => confirmPolicy(app.db, req.auth, req.params.id, req.body));

  app.post('/policies/:id/redemptions', ok(managers, '登记政策兑现（日期、金额）', { params: IdParams, body: RedeemBody }, PolicyMatch, { idempotent: true }),
    async (req) => redeemPolicy(app.db, req.auth, req.params.id, req.body));
}
