import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { IdParams, IMPORT_KIND_LABELS, ImportKindParams, ImportQuery, ImportResult, SetupChecklist, StdErrors } from '@guanjia/shared';
import { IMPORT_UPLOAD, readUpload } from '../../lib/files';
import { multipartUpload } from '../../plugins/multipart-file';
import { getImportRun, runImport } from './import.service';
import { attachmentHeader, rejectedWorkbook, templateWorkbook, XLSX_MIME } from './import-xlsx';
import { setupChecklist } from './setup-checklist.service';
import { IMPORT_ROLES } from './import.policy';

const tags = ['going-live'];

/** Setup checklist, roster import (upload, dry run, confirm), templates and rejected-row downloads. */
export async function importRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = app.requireRoles(...IMPORT_ROLES.run);

  app.get('/setup-checklist', {
    onRequest: editors,
    schema: { tags, summary: '开通清单：属地、部门、类别、交办规则、日历、人员、企业、包保的数量与缺项', response: { 200: SetupChecklist, ...StdErrors } },
  }, async (req) => setupChecklist(app.db, req.auth.districtId));

  app.get('/import-templates/:kind', {
    onRequest: editors,
    schema: { tags, summary: '下载导入模板（.xlsx，含填写说明）', params: ImportKindParams },
  }, async (req, reply) => {
    const buf = await templateWorkbook(req.params.kind);
    return reply.type(XLSX_MIME).header('cache-control', 'private, no-store')
      .header('content-disposition', attachmentHeader(`${IMPORT_KIND_LABELS[req.params.kind].replace(/（.*）/, '')}导入模板.xlsx`)).send(buf);
  });

  app.get('/imports/:id/rejected', {
    onRequest: editors,
    schema: { tags, summary: '下载未导入的行（.xlsx，含“原因”列，改正后可再次导入）', params: IdParams },
  }, async (req, reply) => {
    const run = await getImportRun(app.db, req.auth, req.params.id);
    const buf = await rejectedWorkbook(run.headers, run.rejected_rows);
    return reply.type(XLSX_MIME).header('cache-control', 'private, no-store')
      .header('content-disposition', attachmentHeader(`未导入的行-${run.file_name.replace(/\.(xlsx|csv)$/i, '')}.xlsx`)).send(buf);
  });

  // Upload: multipart only in this encapsulated scope (the attachments' plugin, with the import's own size limit).
  await app.register(async (scope) => {
    const s = scope.withTypeProvider<TypeBoxTypeProvider>();
    if (!s.hasRequestDecorator('file')) await s.register(multipart, { limits: { files: 1 } });
    s.post('/imports/:kind', {
      onRequest: s.requireRoles(...IMPORT_ROLES.run),
      schema: {
        tags, summary: '批量导入（multipart/form-data，字段 file；.xlsx 或 .csv，UTF-8/GBK；默认试导入，dryRun=false 时正式写入）',
        consumes: ['multipart/form-data'], params: ImportKindParams, querystring: ImportQuery,
        response: { 200: ImportResult, 413: StdErrors[400], 415: StdErrors[400], ...StdErrors },
      },
    }, async (req) => {
      const file = await multipartUpload(req, IMPORT_UPLOAD);
      const buf = await readUpload(file.stream, IMPORT_UPLOAD);
      return runImport(s.db, { districtId: req.auth.districtId, actorId: req.auth.id, roles: req.auth.roles }, req.params.kind, buf, {
        dryRun: req.query.dryRun !== false, createMissingAreas: req.query.createMissingAreas === true, fileName: file.filename ?? '导入文件',
      });
    });
  });
}
