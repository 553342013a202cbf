import type { DataSource } from 'typeorm';
import { MAX_REPLY_TEMPLATES, type ReplyTemplate, type ReplyTemplateCreate, type ReplyTemplateUpdate } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import type { Queryable } from '../../lib/sql';
import { recordAudit } from '../audit/audit';
import { templateDepartment } from './reply-template.policy';

/**
 * A department's 常用语 (issue 13): short texts its staff insert into a reply or a note with one tap. Each
 * department keeps its own (at most MAX_REPLY_TEMPLATES, no two alike); any of its staff may add, edit or delete
 * them; another department's do not exist for them. Every change is audited in its transaction.
 */
type Row = { id: string; text: string; version: number; updated_at: Date };
const present = (r: Row): ReplyTemplate => ({ id: r.id, text: r.text, version: r.version, updatedAt: new Date(r.updated_at).toISOString() });

/** The caller's department, whose templates every statement below is scoped to (reply-template.policy). */
function departmentOf(auth: AuthUser): string {
  const dep = templateDepartment(auth);
  if (!dep) throw new AppError('FORBIDDEN');
  return dep;
}

/** Text trimmed; blank after trimming is a validation error. */
function clean(text: string): string {
  const t = text.trim();
  if (!t) throw new AppError('VALIDATION_FAILED', [{ path: '/body/text', message: '请填写常用语内容' }]);
  return t;
}

/** A unique violation on (department, text) becomes the Chinese duplicate error. */
const isDuplicate = (e: unknown) => (e as { code?: string; driverError?: { code?: string } })?.driverError?.code === '23505' || (e as { code?: string })?.code === '23505';

export async function listReplyTemplates(db: Queryable, auth: AuthUser): Promise<{ items: ReplyTemplate[] }> {
  const rows: Row[] = await db.query(
    `SELECT id, text, version, updated_at FROM reply_template WHERE department_id = $1 AND district_id = $2 ORDER BY created_at, id`,
    [departmentOf(auth), auth.districtId],
  );
  return { items: rows.map(present) };
}

export async function createReplyTemplate(db: DataSource, auth: AuthUser, b: ReplyTemplateCreate): Promise<ReplyTemplate> {
  const dep = departmentOf(auth);
  const text = clean(b.text);
  try {
    return await db.transaction(async (em) => {
      // Serialise a department's additions so the limit holds under concurrent requests.
      await em.query(`SELECT id FROM department WHERE id = $1 FOR UPDATE`, [dep]);
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM reply_template WHERE department_id = $1`, [dep]);
      if (n >= MAX_REPLY_TEMPLATES) throw new AppError('REPLY_TEMPLATE_LIMIT');
      const [r]: Row[] = await em.query(
        `INSERT INTO reply_template (district_id, department_id, text, created_by) VALUES ($1,$2,$3,$4) RETURNING id, text, version, updated_at`,
        [auth.districtId, dep, text, auth.id],
      );
      await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'reply_template.create', entityType: 'reply_template', entityId: r.id, data: { text } });
      return present(r);
    });
  } catch (e) {
    if (isDuplicate(e)) throw new AppError('REPLY_TEMPLATE_DUPLICATE');
    throw e;
  }
}

export async function updateReplyTemplate(db: DataSource, auth: AuthUser, id: string, b: ReplyTemplateUpdate): Promise<ReplyTemplate> {
  const dep = departmentOf(auth);
  const text = clean(b.text);
  try {
    return await db.transaction(async (em) => {
      const [cur] = await em.query(`SELECT version, text FROM reply_template WHERE id = $1 AND department_id = $2 AND district_id = $3`, [id, dep, auth.districtId]);
      if (!cur) throw new AppError('REPLY_TEMPLATE_NOT_FOUND');
      const [rows] = await em.query(
        `UPDATE reply_template SET text = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id, text, version, updated_at`,
        [id, b.version, text],
      );
      if (!rows.length) throw new AppError('VERSION_CONFLICT');
      await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'reply_template.update', entityType: 'reply_template', entityId: id, data: { from: cur.text, to: text } });
      return present(rows[0]);
    });
  } catch (e) {
    if (isDuplicate(e)) throw new AppError('REPLY_TEMPLATE_DUPLICATE');
    throw e;
  }
}

export async function deleteReplyTemplate(db: DataSource, auth: AuthUser, id: string): Promise<void> {
  const dep = departmentOf(auth);
  await db.transaction(async (em) => {
    const [rows] = await em.query(`DELETE FROM reply_template WHERE id = $1 AND department_id = $2 AND district_id = $3 RETURNING text`, [id, dep, auth.districtId]);
    if (!rows.length) throw new AppError('REPLY_TEMPLATE_NOT_FOUND');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'reply_template.delete', entityType: 'reply_template', entityId: id, data: { text: rows[0].text } });
  });
}
