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

const tags = ['visits'];

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

  app.post('/visits', {
    onRequest: steward, config: { idempotent: true },
    schema: { tags, summary: '记录走访（现场走访先创建、再签到；电话/微信/座谈会直接完成）', body: VisitCreate, response: { 201: Visit, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createVisit(app.db, req.auth, req.body)));

  app.get('/visits', {
    onRequest: app.authenticate,
    schema: { tags, summary: '走访列表（按发生时间倒序，游标分页）', querystring: VisitListQuery, response: { 200: Page(Visit), ...StdErrors } },
  }, async (req) => listVisits(app.db, req.auth, req.query));

  app.get('/visits/coverage', {
    onRequest: app.requireRoles(...VISIT_ROLES.coverage),
    schema: { tags, summary: '走访覆盖率（区县/属地/管家，任意期间）', querystring: CoverageQuery, response: { 200: CoverageReport, ...StdErrors } },
  }, async (req) => coverageReport(app.readDb, req.auth, req.query));

  app.get('/visits/map', {
    onRequest: supervisors,
    schema: { tags, summary: '签到点 GeoJSON（调度地图；读取会记录）', querystring: CheckinMapQuery, response: { 200: CheckinFeatureCollection, ...StdErrors } },
  }, async (req, reply) => reply.type('application/geo+json; charset=utf-8').send(await checkinMap(app.db, req.auth, req.query)));

  app.get('/visits/:id', {
    onRequest: app.authenticate,
    schema: { tags, summary: '走访详情', params: IdParams, response: { 200: Visit, ...StdErrors } },
  }, async (req) => getVisit(app.db, req.auth, req.params.id));

  app.patch('/visits/:id', {
    onRequest: steward,
    schema: { tags, summary: '补充走访记录和发现的问题（需带版本号）', params: IdParams, body: VisitUpdate, response: { 200: Visit, ...StdErrors } },
  }, async (req) => updateVisit(app.db, req.auth, req.params.id, req.body));

  app.post('/visits/:id/check-in', {
    onRequest: steward, config: { idempotent: true },
    schema: { tags, summary: '现场签到（服务器记时；定位 + 照片；围栏外记为外勤）', params: IdParams, body: CheckInBody, response: { 200: Visit, ...StdErrors } },
  }, async (req) => checkIn(app.db, req.auth, req.params.id, req.body));

  app.post('/visits/:id/check-out', {
    onRequest: steward, config: { idempotent: true },
    schema: { tags, summary: '现场签退', params: IdParams, body: CheckOutBody, response: { 200: Visit, ...StdErrors } },
  }, async (req) => checkOut(app.db, req.auth, req.params.id, req.body));

  app.post('/visits/:id/cancel', {
    onRequest: steward,
    schema: { tags, summary: '取消尚未签到的现场走访', params: IdParams, response: { 200: Visit, ...StdErrors } },
  }, async (req) => cancelVisit(app.db, req.auth, req.params.id));

  app.post('/visits/:id/review', {
    onRequest: coordinators,
    schema: { tags, summary: '调度员复核签到异常（复核通过或驳回）', params: IdParams, body: VisitReviewBody, response: { 200: Visit, ...StdErrors } },
  }, async (req) => reviewVisit(app.db, req.auth, req.params.id, req.body.note, req.body.verdict));

  app.get('/stewards/:id/cadence', {
    onRequest: app.requireRoles(...VISIT_ROLES.coverage),
    schema: { tags, summary: '管家本期走访进度：每家包保企业 已完成/待完成/逾期', params: IdParams, querystring: CadenceQuery, response: { 200: StewardCadence, ...StdErrors } },
  }, async (req) => stewardCadence(app.db, req.auth, req.params.id, req.query.date));

  app.get('/cadence/overdue', {
    onRequest: supervisors,
    schema: { tags, summary: '未完成的走访，按管家和属地汇总', querystring: OverdueQuery, response: { 200: OverdueReport, ...StdErrors } },
  }, async (req) => overdueReport(app.readDb, req.auth, req.query));

  app.get('/visit-settings', {
    onRequest: app.authenticate,
    schema: { tags, summary: '本区县走访设置（围栏半径、走访频次规则、提醒）', response: { 200: VisitSettings, ...StdErrors } },
  }, async (req) => getVisitSettings(app.db, req.auth.districtId));

  app.patch('/visit-settings', {
    onRequest: coordinators,
    schema: { tags, summary: '修改走访设置', body: VisitSettingsUpdate, response: { 200: VisitSettings, ...StdErrors } },
  }, async (req) => updateVisitSettings(app.db, req.auth, req.body));

  app.get('/location-proposals', {
    onRequest: coordinators,
    schema: { tags, summary: '企业位置建议（来自首次现场签到）', querystring: LocationProposalListQuery, response: { 200: Page(LocationProposal), ...StdErrors } },
  }, async (req) => listLocationProposals(app.db, req.auth, req.query));

  app.post('/location-proposals/:id/confirm', {
    onRequest: coordinators,
    schema: { tags, summary: '确认位置建议（更新企业坐标）', params: IdParams, body: LocationDecisionBody, response: { 200: LocationProposal, ...StdErrors } },
  }, async (req) => decideLocationProposal(app.db, req.auth, req.params.id, 'confirmed', req.body.note));

  app.post('/location-proposals/:id/reject', {
    onRequest: coordinators,
    schema: { tags, summary: '驳回位置建议', params: IdParams, body: LocationDecisionBody, response: { 200: LocationProposal, ...StdErrors } },
  }, async (req) => decideLocationProposal(app.db, req.auth, req.params.id, 'rejected', req.body.note));

  app.get('/visit-grants', {
    onRequest: app.requireRoles(...VISIT_ROLES.grants),
    schema: { tags, summary: '非包保企业走访授权（管家只看自己的）', querystring: VisitGrantListQuery, response: { 200: Page(VisitGrant), ...StdErrors } },
  }, async (req) => listVisitGrants(app.db, req.auth, req.query));

  app.post('/visit-grants', {
    onRequest: coordinators, config: { idempotent: true },
    schema: { tags, summary: '授权管家走访非包保企业', body: VisitGrantCreate, response: { 201: VisitGrant, ...StdErrors } },
  }, async (req, reply) => reply.status(201).send(await createVisitGrant(app.db, req.auth, req.body)));

  app.post('/visit-grants/:id/revoke', {
    onRequest: coordinators,
    schema: { tags, summary: '撤销授权', params: IdParams, response: { 200: VisitGrant, ...StdErrors } },
  }, async (req) => revokeVisitGrant(app.db, req.auth, req.params.id));

  app.get('/location-access-log', {
    onRequest: coordinators,
    schema: { tags, summary: '位置信息查阅记录（个人信息保护法第28条）', querystring: LocationAccessQuery, response: { 200: Page(LocationAccessEntry), ...StdErrors } },
  }, async (req) => listLocationAccess(app.db, req.auth, req.query));

}
