import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import {
  CadenceQuery, CheckInBody, CheckinFeatureCollection, CheckinMapQuery, CheckOutBody, CoverageQuery, CoverageReport, IdParams,
  LocationAccessEntry, LocationAccessQuery, LocationDecisionBody, LocationProposal, LocationProposalListQuery, OverdueQuery,
  OverdueReport, Page, StdErrors, StewardCadence, Visit, VisitCreate, VisitGrant, VisitGrantCreate, VisitGrantListQuery,
  VisitListQuery, VisitPhoto, VisitReviewBody, VisitSettings, VisitSettingsUpdate, VisitUpdate, ErrorResponse,
} from '@guanjia/shared';
import type { Config } from '../../config';
import { AppError } from '../../lib/app-error';
import { VISIT_ROLES } from './visit.policy';
import { cancelVisit, checkIn, checkOut, createVisit, getVisit, listVisits, reviewVisit, updateVisit } from './visit.service';
import { openVisitPhoto, storeVisitPhoto } from './visit-photo.service';
import { PHOTO_UPLOAD } from '../../lib/files';
import { multipartUpload } from '../../plugins/multipart-file';
import { getVisitSettings, updateVisitSettings } from './visit-settings';
import { overdueReport, stewardCadence } from './cadence.service';
import { checkinMap, coverageReport } from './coverage.service';
import { decideLocationProposal, listLocationProposals } from './location-proposal.service';
import { createVisitGrant, listVisitGrants, revokeVisitGrant } from './visit-grant.service';
import { listLocationAccess } from './location-access';
import { routeSpec } from '../../lib/route';

const tags = ['visits'];
const { created, ok } = routeSpec(tags);

/** Check-in photos: multipart upload (wx.uploadFile) in its own scope, so only this route parses multipart. */
async function photoRoutes(fastify: FastifyInstance, opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  if (!app.hasContentTypeParser('multipart/form-data')) {
    await app.register(multipart, { limits: { files: 1, fields: 5, parts: 6 } });
  }

  app.post('/visit-photos', {
    onRequest: app.requireRoles(...VISIT_ROLES.record),
    config: { idempotent: true },
    schema: {
      tags, summary: '上传签到照片（multipart，字段 file；仅 JPEG/PNG，≤8MB）', consumes: ['multipart/form-data'],
      response: { 201: VisitPhoto, 413: ErrorResponse, 415: ErrorResponse, ...StdErrors },
    },
  }, async (req, reply) => {
    const file = await multipartUpload(req, PHOTO_UPLOAD);
    return reply.status(201).send(await storeVisitPhoto(app.db, opts.config.uploadDir, req.auth, file.stream));
  });

  app.get('/visit-photos/:id', {
    onRequest: app.authenticate,
    schema: { tags, summary: '签到照片（上传者与调度员/领导可见）', params: IdParams },
  }, async (req, reply) => {
    const photo = await openVisitPhoto(app.db, opts.config.uploadDir, req.auth, req.params.id);
    if (!(await fs.promises.stat(photo.file).catch(() => null))?.isFile()) throw new AppError('FILE_MISSING');
    return reply.type(photo.mime).header('cache-control', 'private, max-age=86400').send(fs.createReadStream(photo.file));
  });
}

/** 走访: visits, check-in/out, cadence, coverage, the check-in map, location proposals, grants and the location access log. */
export async function visitRoutes(fastify: FastifyInstance, opts: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const steward = app.requireRoles(...VISIT_ROLES.record);
  const coordinators = app.requireRoles(...VISIT_ROLES.manage);
  const supervisors = app.requireRoles(...VISIT_ROLES.supervise);

  await app.register(photoRoutes, { config: opts.config });

  app.post('/visits', created(steward, '记录走访（现场走访先创建、再签到；电话/微信/座谈会直接完成）', { body: VisitCreate }, Visit, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createVisit(app.db, req.auth, req.body)));

  app.get('/visits', ok(app.authenticate, '走访列表（按发生时间倒序，游标分页）', { querystring: VisitListQuery }, Page(Visit)),
    async (req) => listVisits(app.db, req.auth, req.query));

  app.get('/visits/coverage', ok(app.requireRoles(...VISIT_ROLES.coverage), '走访覆盖率（区县/属地/管家，任意期间）', { querystring: CoverageQuery }, CoverageReport),
    async (req) => coverageReport(app.readDb, req.auth, req.query));

  app.get('/visits/map', ok(supervisors, '签到点 GeoJSON（调度地图；读取会记录）', { querystring: CheckinMapQuery }, CheckinFeatureCollection),
    async (req, reply) => reply.type('application/geo+json; charset=utf-8').send(await checkinMap(app.db, req.auth, req.query)));

  app.get('/visits/:id', ok(app.authenticate, '走访详情', { params: IdParams }, Visit),
    async (req) => getVisit(app.db, req.auth, req.params.id));

  app.patch('/visits/:id', ok(steward, '补充走访记录和发现的问题（需带版本号）', { params: IdParams, body: VisitUpdate }, Visit),
    async (req) => updateVisit(app.db, req.auth, req.params.id, req.body));

  app.post('/visits/:id/check-in', ok(steward, '现场签到（服务器记时；定位 + 照片；围栏外记为外勤）', { params: IdParams, body: CheckInBody }, Visit, { idempotent: true }),
    async (req) => checkIn(app.db, req.auth, req.params.id, req.body));

  app.post('/visits/:id/check-out', ok(steward, '现场签退', { params: IdParams, body: CheckOutBody }, Visit, { idempotent: true }),
    async (req) => checkOut(app.db, req.auth, req.params.id, req.body));

  app.post('/visits/:id/cancel', ok(steward, '取消尚未签到的现场走访', { params: IdParams }, Visit),
    async (req) => cancelVisit(app.db, req.auth, req.params.id));

  app.post('/visits/:id/review', ok(coordinators, '调度员复核签到异常（复核通过或驳回）', { params: IdParams, body: VisitReviewBody }, Visit),
    async (req) => reviewVisit(app.db, req.auth, req.params.id, req.body.note, req.body.verdict));

  app.get('/stewards/:id/cadence', ok(app.requireRoles(...VISIT_ROLES.coverage), '管家本期走访进度：每家包保企业 已完成/待完成/逾期', { params: IdParams, querystring: CadenceQuery }, StewardCadence),
    async (req) => stewardCadence(app.db, req.auth, req.params.id, req.query.date));

  app.get('/cadence/overdue', ok(supervisors, '未完成的走访，按管家和属地汇总', { querystring: OverdueQuery }, OverdueReport),
    async (req) => overdueReport(app.readDb, req.auth, req.query));

  app.get('/visit-settings', ok(app.authenticate, '本区县走访设置（围栏半径、走访频次规则、提醒）', {}, VisitSettings),
    async (req) => getVisitSettings(app.db, req.auth.districtId));

  app.patch('/visit-settings', ok(coordinators, '修改走访设置', { body: VisitSettingsUpdate }, VisitSettings),
    async (req) => updateVisitSettings(app.db, req.auth, req.body));

  app.get('/location-proposals', ok(coordinators, '企业位置建议（来自首次现场签到）', { querystring: LocationProposalListQuery }, Page(LocationProposal)),
    async (req) => listLocationProposals(app.db, req.auth, req.query));

  app.post('/location-proposals/:id/confirm', ok(coordinators, '确认位置建议（更新企业坐标）', { params: IdParams, body: LocationDecisionBody }, LocationProposal),
    async (req) => decideLocationProposal(app.db, req.auth, req.params.id, 'confirmed', req.body.note));

  app.post('/location-proposals/:id/reject', ok(coordinators, '驳回位置建议', { params: IdParams, body: LocationDecisionBody }, LocationProposal),
    async (req) => decideLocationProposal(app.db, req.auth, req.params.id, 'rejected', req.body.note));

  app.get('/visit-grants', ok(app.requireRoles(...VISIT_ROLES.grants), '非包保企业走访授权（管家只看自己的）', { querystring: VisitGrantListQuery }, Page(VisitGrant)),
    async (req) => listVisitGrants(app.db, req.auth, req.query));

  app.post('/visit-grants', created(coordinators, '授权管家走访非包保企业', { body: VisitGrantCreate }, VisitGrant, { idempotent: true }),
    async (req, reply) => reply.status(201).send(await createVisitGrant(app.db, req.auth, req.body)));

  app.post('/visit-grants/:id/revoke', ok(coordinators, '撤销授权', { params: IdParams }, VisitGrant),
    async (req) => revokeVisitGrant(app.db, req.auth, req.params.id));

  app.get('/location-access-log', ok(coordinators, '位置信息查阅记录（个人信息保护法第28条）', { querystring: LocationAccessQuery }, Page(LocationAccessEntry)),
    async (req) => listLocationAccess(app.db, req.auth, req.query));

}
