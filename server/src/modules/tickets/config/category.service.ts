import type { DataSource } from 'typeorm';
import type { TicketCategory, TicketCategoryCreate, TicketCategoryUpdate, TicketSettings } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { recordAudit } from '../../audit/audit';
import type { AuthUser } from '../../../lib/principal';
import { districtTicketSettings } from '../lifecycle/deadlines';
import type { Queryable } from '../../../lib/sql';


/**
 * The default two-level tree (ADR 0005), with reply limits in working days. Second-level names follow the seeds
 * (用地/土地审批, 排水/基建/市政, 能耗指标, 政策兑现/资金申报, 供水供电…); null limits inherit the parent's.
 */
export const DEFAULT_CATEGORIES: { name: string; replyDays: number; children: string[] }[] = [
  { name: '人才用工', replyDays: 5, children: ['招工用工', '人才引进', '社保医保', '技能培训'] },
  { name: '融资信贷', replyDays: 10, children: ['银行贷款', '融资担保', '上市挂牌'] },
  { name: '涉法涉诉', replyDays: 10, children: ['合同纠纷', '知识产权', '执法检查'] },
  { name: '市场开拓', replyDays: 10, children: ['产销对接', '外贸出口', '展会推介'] },
  { name: '项目建设', replyDays: 10, children: ['前期手续', '施工许可', '竣工验收'] },
  { name: '政务服务', replyDays: 3, children: ['证照办理', '审批提速', '涉企收费'] },
  { name: '用地规划', replyDays: 15, children: ['土地审批', '规划调整', '不动产登记'] },
  { name: '环保能耗', replyDays: 10, children: ['环评审批', '排污许可', '能耗指标'] },
  { name: '水电气暖', replyDays: 5, children: ['供水排水', '供电增容', '供气供暖'] },
  { name: '物流运输', replyDays: 5, children: ['道路交通', '货运通行'] },
  { name: '政策兑现', replyDays: 10, children: ['资金申报', '奖补兑现', '税费减免'] },
  { name: '其他', replyDays: 5, children: [] },
];

type CategoryRow = {
  id: string; parent_id: string | null; name: string; accept_days: number | null; reply_days: number | null; urgent_reply_days: number | null;
  sort_order: number; active: boolean; version: number;
};

/** Creates the default tree for a district; categories that already exist (by name) are kept as they are. */
export async function seedDefaultCategories(em: Queryable, districtId: string): Promise<number> {
  let added = 0;
  for (const [i, c] of DEFAULT_CATEGORIES.entries()) {
    const ins: { id: string }[] = await em.query(
      `INSERT INTO ticket_category (district_id, name, reply_days, sort_order) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING id`,
      [districtId, c.name, c.replyDays, (i + 1) * 10],
    );
    added += ins.length;
    const [parent] = await em.query(`SELECT id FROM ticket_category WHERE district_id = $1 AND parent_id IS NULL AND name = $2`, [districtId, c.name]);
    for (const [j, child] of c.children.entries()) {
      const r: unknown[] = await em.query(
        `INSERT INTO ticket_category (district_id, parent_id, name, sort_order) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING id`,
        [districtId, parent.id, child, (j + 1) * 10],
      );
      added += r.length;
    }
  }
  return added;
}

/**
 * Loads the default categories into the caller's district (the desk's "载入默认类别"), keeping those it already has,
 * in one transaction with its audit event; answers how many were added and the whole tree.
 */
export async function loadDefaultCategories(db: DataSource, auth: AuthUser) {
  const added = await db.transaction(async (em) => {
    const n = await seedDefaultCategories(em, auth.districtId);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'ticket_category.defaults', entityType: 'ticket_category', entityId: null, data: { added: n } });
    return n;
  });
  return { added, items: await listCategories(db, auth) };
}

function present(r: CategoryRow, parent: CategoryRow | undefined, d: TicketSettings): TicketCategory {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    acceptDays: r.accept_days,
    replyDays: r.reply_days,
    urgentReplyDays: r.urgent_reply_days,
    effective: {
      acceptDays: r.accept_days ?? parent?.accept_days ?? d.acceptDays,
      replyDays: r.reply_days ?? parent?.reply_days ?? d.replyDays,
      urgentReplyDays: r.urgent_reply_days ?? parent?.urgent_reply_days ?? d.urgentReplyDays,
    },
    sortOrder: r.sort_order,
    active: r.active,
    version: r.version,
  };
}

/** The district's category tree, with the limits each category effectively uses. */
export async function listCategories(db: Queryable, auth: AuthUser, opts: { includeInactive?: boolean } = {}) {
  const rows: CategoryRow[] = await db.query(
    `SELECT id, parent_id, name, accept_days, reply_days, urgent_reply_days, sort_order, active, version FROM ticket_category
      WHERE district_id = $1 ${opts.includeInactive ? '' : 'AND active'} ORDER BY sort_order, name`,
    [auth.districtId],
  );
  const d = await districtTicketSettings(db, auth.districtId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows
    .filter((r) => r.parent_id === null)
    .map((p) => ({ ...present(p, undefined, d), children: rows.filter((c) => c.parent_id === p.id).map((c) => present(c, byId.get(p.id), d)) }));
}

async function getCategory(db: Queryable, districtId: string, id: string): Promise<TicketCategory> {
  const [r]: CategoryRow[] = await db.query(`SELECT * FROM ticket_category WHERE id = $1 AND district_id = $2`, [id, districtId]);
  if (!r) throw new AppError('NOT_FOUND');
  const [p]: CategoryRow[] = r.parent_id ? await db.query(`SELECT * FROM ticket_category WHERE id = $1`, [r.parent_id]) : [];
  return present(r, p, await districtTicketSettings(db, districtId));
}

/** Adds a category (top-level, or second-level under a top-level one). */
export async function createCategory(db: DataSource, auth: AuthUser, b: TicketCategoryCreate): Promise<TicketCategory> {
  const id = await db.transaction(async (em) => {
    if (b.parentId) {
      const [p] = await em.query(`SELECT parent_id FROM ticket_category WHERE id = $1 AND district_id = $2`, [b.parentId, auth.districtId]);
      if (!p) throw new AppError('TICKET_CATEGORY_INVALID', [{ path: '/body/parentId', message: '上级类别不存在' }]);
      if (p.parent_id) throw new AppError('CATEGORY_DEPTH_EXCEEDED', [{ path: '/body/parentId', message: '诉求类别最多两级' }]);
    }
    const [row] = await em.query(
      `INSERT INTO ticket_category (district_id, parent_id, name, accept_days, reply_days, urgent_reply_days, sort_order)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING RETURNING id`,
      [auth.districtId, b.parentId ?? null, b.name.trim(), b.acceptDays ?? null, b.replyDays ?? null, b.urgentReplyDays ?? null, b.sortOrder ?? 0],
    );
    if (!row) throw new AppError('DUPLICATE', [{ path: '/body/name', message: '同级已有同名类别' }]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'ticket_category.created', entityType: 'ticket_category', entityId: row.id, data: { ...b } });
    return row.id as string;
  });
  return getCategory(db, auth.districtId, id);
}

/** Edits a category with the version read; `null` limits fall back to the parent's or the district's. */
export async function updateCategory(db: DataSource, auth: AuthUser, id: string, b: TicketCategoryUpdate): Promise<TicketCategory> {
  await db.transaction(async (em) => {
    const keep = (v: unknown) => v === undefined;
    const [rows] = await em.query(
      `UPDATE ticket_category SET name = COALESCE($4, name),
          accept_days = CASE WHEN $5 THEN accept_days ELSE $6 END,
          reply_days = CASE WHEN $7 THEN reply_days ELSE $8 END,
          urgent_reply_days = CASE WHEN $9 THEN urgent_reply_days ELSE $10 END,
          sort_order = COALESCE($11, sort_order), active = COALESCE($12, active), version = version + 1, updated_at = now()
        WHERE id = $1 AND district_id = $2 AND version = $3 RETURNING id`,
      [id, auth.districtId, b.version, b.name?.trim() ?? null, keep(b.acceptDays), b.acceptDays ?? null, keep(b.replyDays), b.replyDays ?? null,
        keep(b.urgentReplyDays), b.urgentReplyDays ?? null, b.sortOrder ?? null, b.active ?? null],
    ).catch((e: { code?: string }) => {
      if (e.code === '23505') throw new AppError('DUPLICATE', [{ path: '/body/name', message: '同级已有同名类别' }]);
      throw e;
    });
    if (!rows.length) {
      const [exists] = await em.query(`SELECT 1 FROM ticket_category WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
      throw new AppError(exists ? 'VERSION_CONFLICT' : 'NOT_FOUND');
    }
    const { version: _v, ...changed } = b;
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'ticket_category.updated', entityType: 'ticket_category', entityId: id, data: changed });
  });
  return getCategory(db, auth.districtId, id);
}

/** Replaces the district's deadline defaults (`district.settings.tickets`), leaving other settings alone. */
export async function putTicketSettings(db: DataSource, auth: AuthUser, b: TicketSettings): Promise<TicketSettings> {
  await db.transaction(async (em) => {
    await em.query(`UPDATE district SET settings = jsonb_set(settings, '{tickets}', $2::jsonb) WHERE id = $1`, [auth.districtId, JSON.stringify(b)]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'ticket_settings.updated', entityType: 'district', entityId: auth.districtId, data: { ...b } });
  });
  return districtTicketSettings(db, auth.districtId);
}
