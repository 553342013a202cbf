import type { DataSource, EntityManager } from 'typeorm';
import {
  findRoutingConflicts,
  pickRoutingRule,
  ruleSpecificity,
  type CategoryParents,
  type RoutingDecision,
  type RoutingRule,
  type RoutingRuleCreate,
  type RoutingRuleKey,
  type RoutingRuleUpdate,
} from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { recordAudit } from '../../audit/audit';
import type { AuthUser } from '../../../lib/principal';
import type { Queryable } from '../../../lib/sql';


/** A routing rule row with its joined names. */
export type RuleRow = {
  id: string; category_id: string; category_name: string; area_id: string | null; area_name: string | null; enterprise_tag: string | null;
  lead_department_id: string; lead_department_name: string; assisting_department_ids: string[]; priority: number; note: string | null;
  active: boolean; version: number; created_at: Date;
};

const RULE_SELECT = `SELECT r.id, r.category_id, c.name AS category_name, r.area_id, a.name AS area_name, r.enterprise_tag, r.lead_department_id,
    d.name AS lead_department_name, r.assisting_department_ids, r.priority, r.note, r.active, r.version, r.created_at
  FROM routing_rule r JOIN ticket_category c ON c.id = r.category_id LEFT JOIN area a ON a.id = r.area_id JOIN department d ON d.id = r.lead_department_id`;

/** Parent links of the district's categories. */
export async function categoryParents(db: Queryable, districtId: string): Promise<CategoryParents> {
  const rows: { id: string; parent_id: string | null }[] = await db.query(`SELECT id, parent_id FROM ticket_category WHERE district_id = $1`, [districtId]);
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

async function departmentNames(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows: { id: string; name: string }[] = await db.query(`SELECT id, name FROM department WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

function present(r: RuleRow, parents: CategoryParents, names: Map<string, string>): RoutingRule {
  return {
    id: r.id,
    category: { id: r.category_id, name: r.category_name },
    area: r.area_id ? { id: r.area_id, name: r.area_name ?? '' } : null,
    enterpriseTag: r.enterprise_tag,
    leadDepartment: { id: r.lead_department_id, name: r.lead_department_name },
    assistingDepartments: r.assisting_department_ids.map((id) => ({ id, name: names.get(id) ?? '' })),
    priority: r.priority,
    specificity: ruleSpecificity(toKey(r), parents),
    note: r.note,
    active: r.active,
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const toKey = (r: Pick<RuleRow, 'id' | 'category_id' | 'area_id' | 'enterprise_tag' | 'priority'>): RoutingRuleKey => ({
  id: r.id, categoryId: r.category_id, areaId: r.area_id, enterpriseTag: r.enterprise_tag, priority: r.priority,
});

/** The district's rules, most specific first. */
export async function listRoutingRules(db: Queryable, auth: AuthUser, opts: { includeInactive?: boolean } = {}): Promise<RoutingRule[]> {
  const rows: RuleRow[] = await db.query(`${RULE_SELECT} WHERE r.district_id = $1 ${opts.includeInactive ? '' : 'AND r.active'} ORDER BY c.name, r.created_at`, [auth.districtId]);
  const parents = await categoryParents(db, auth.districtId);
  const names = await departmentNames(db, [...new Set(rows.flatMap((r) => r.assisting_department_ids))]);
  return rows.map((r) => present(r, parents, names)).sort((a, b) => b.specificity - a.specificity || b.priority - a.priority);
}

async function getRule(db: Queryable, districtId: string, id: string): Promise<RoutingRule> {
  const [row]: RuleRow[] = await db.query(`${RULE_SELECT} WHERE r.id = $1 AND r.district_id = $2`, [id, districtId]);
  if (!row) throw new AppError('NOT_FOUND');
  return present(row, await categoryParents(db, districtId), await departmentNames(db, row.assisting_department_ids));
}

/** Checks the references of a rule: category, area and departments all of this district (departments active). */
async function assertRuleRefs(em: EntityManager, districtId: string, r: { category_id: string; area_id: string | null; lead_department_id: string; assisting_department_ids: string[] }) {
  const [c] = await em.query(`SELECT 1 FROM ticket_category WHERE id = $1 AND district_id = $2`, [r.category_id, districtId]);
  if (!c) throw new AppError('TICKET_CATEGORY_INVALID', [{ path: '/body/categoryId', message: '诉求类别不存在' }]);
  if (r.area_id) {
    const [a] = await em.query(`SELECT 1 FROM area WHERE id = $1 AND district_id = $2`, [r.area_id, districtId]);
    if (!a) throw new AppError('AREA_NOT_IN_DISTRICT', [{ path: '/body/areaId', message: '所选属地不属于本区县' }]);
  }
  if (r.assisting_department_ids.includes(r.lead_department_id))
    throw new AppError('VALIDATION_FAILED', [{ path: '/body/assistingDepartmentIds', message: '协办部门不能包含主办部门' }]);
  await assertDepartments(em, districtId, [r.lead_department_id, ...r.assisting_department_ids]);
}

/** Every id must be an active department of the district. */
export async function assertDepartments(db: Queryable, districtId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const rows: { id: string; name: string }[] = await db.query(`SELECT id, name FROM department WHERE district_id = $1 AND active AND id = ANY($2::uuid[])`, [districtId, unique]);
  if (rows.length !== unique.length) throw new AppError('DEPARTMENT_NOT_IN_DISTRICT', [{ path: '/body', message: '所选部门不属于本区县或已停用' }]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * After a rule change, in the same transaction: the district's active rules must leave exactly one winner for every
 * ticket. Otherwise the change is refused with each conflicting pair in `details`. Serialised per district with an
 * advisory lock so two coordinators saving at once cannot each pass the check against the other's old state.
 */
async function assertNoConflicts(em: EntityManager, districtId: string) {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('routing_rule'), hashtext($1))`, [districtId]);
  const rows: (Pick<RuleRow, 'id' | 'category_id' | 'area_id' | 'enterprise_tag' | 'priority'> & { category_name: string; area_name: string | null })[] = await em.query(
    `SELECT r.id, r.category_id, r.area_id, r.enterprise_tag, r.priority, c.name AS category_name, a.name AS area_name
       FROM routing_rule r JOIN ticket_category c ON c.id = r.category_id LEFT JOIN area a ON a.id = r.area_id WHERE r.district_id = $1 AND r.active`,
    [districtId],
  );
  const conflicts = findRoutingConflicts(rows.map(toKey), await categoryParents(em, districtId));
  if (!conflicts.length) return;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const [{ names }] = await em.query(`SELECT coalesce(json_object_agg(id, name), '{}') AS names FROM ticket_category WHERE district_id = $1`, [districtId]);
  throw new AppError('ROUTING_RULE_CONFLICT', conflicts.map((c) => {
    const [a, b] = c.ruleIds.map((id) => byId.get(id)!);
    const where = [names[c.categoryId] ?? '', c.areaId ? (byId.get(c.ruleIds[0])?.area_name ?? byId.get(c.ruleIds[1])?.area_name ?? '') : '任一属地',
      c.enterpriseTags.length ? `标签 ${c.enterpriseTags.join('+')}` : ''].filter(Boolean).join('、');
    return {
      path: `/rules/${a.id}/${b.id}`,
      message: `规则「${a.category_name}${a.area_name ? '·' + a.area_name : ''}${a.enterprise_tag ? '·' + a.enterprise_tag : ''}」与「${b.category_name}${b.area_name ? '·' + b.area_name : ''}${b.enterprise_tag ? '·' + b.enterprise_tag : ''}」对（${where}）的诉求同等具体、同等优先；请调整优先级或增加更具体的规则`,
      code: 'tie',
    };
  }));
}

/** Adds a rule; refused when it would tie with another (ROUTING_RULE_CONFLICT). */
export async function createRoutingRule(db: DataSource, auth: AuthUser, b: RoutingRuleCreate): Promise<RoutingRule> {
  const id = await db.transaction(async (em) => {
    const r = { category_id: b.categoryId, area_id: b.areaId ?? null, lead_department_id: b.leadDepartmentId, assisting_department_ids: b.assistingDepartmentIds ?? [] };
    await assertRuleRefs(em, auth.districtId, r);
    const [row] = await em.query(
      `INSERT INTO routing_rule (district_id, category_id, area_id, enterprise_tag, lead_department_id, assisting_department_ids, priority, note, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [auth.districtId, r.category_id, r.area_id, b.enterpriseTag?.trim() || null, r.lead_department_id, r.assisting_department_ids, b.priority ?? 0, b.note ?? null, auth.id],
    ).catch(duplicateRule);
    await assertNoConflicts(em, auth.districtId);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'routing_rule.created', entityType: 'routing_rule', entityId: row.id, data: { ...b } });
    return row.id as string;
  });
  return getRule(db, auth.districtId, id);
}

/** Changes (or deactivates) a rule with the version read; the resulting rule set must still be free of ties. */
export async function updateRoutingRule(db: DataSource, auth: AuthUser, id: string, b: RoutingRuleUpdate): Promise<RoutingRule> {
  await db.transaction(async (em) => {
    const [cur] = await em.query(`SELECT * FROM routing_rule WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
    if (!cur) throw new AppError('NOT_FOUND');
    if (cur.version !== b.version) throw new AppError('VERSION_CONFLICT');
    const r = {
      category_id: b.categoryId ?? cur.category_id,
      area_id: b.areaId === undefined ? cur.area_id : b.areaId,
      enterprise_tag: b.enterpriseTag === undefined ? cur.enterprise_tag : b.enterpriseTag?.trim() || null,
      lead_department_id: b.leadDepartmentId ?? cur.lead_department_id,
      assisting_department_ids: b.assistingDepartmentIds ?? cur.assisting_department_ids,
      priority: b.priority ?? cur.priority,
      note: b.note === undefined ? cur.note : b.note,
      active: b.active ?? cur.active,
    };
    if (r.active) await assertRuleRefs(em, auth.districtId, r);
    const [rows] = await em.query(
      `UPDATE routing_rule SET category_id = $3, area_id = $4, enterprise_tag = $5, lead_department_id = $6, assisting_department_ids = $7, priority = $8,
          note = $9, active = $10, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2 RETURNING id`,
      [id, b.version, r.category_id, r.area_id, r.enterprise_tag, r.lead_department_id, r.assisting_department_ids, r.priority, r.note, r.active],
    ).catch(duplicateRule);
    if (!rows.length) throw new AppError('VERSION_CONFLICT');
    await assertNoConflicts(em, auth.districtId);
    const { version: _v, ...changed } = b;
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'routing_rule.updated', entityType: 'routing_rule', entityId: id, data: changed });
  });
  return getRule(db, auth.districtId, id);
}

/** The unique index on an active rule's key: the same key twice is the plainest tie. */
function duplicateRule(e: unknown): never {
  if ((e as { code?: string }).code === '23505')
    throw new AppError('ROUTING_RULE_CONFLICT', [{ path: '/body', message: '已有相同类别、属地和企业标签的规则', code: 'duplicate' }]);
  throw e;
}

/** A matched rule with what the ticket needs: departments and a description for the timeline. */
export type RoutingResult =
  | { kind: 'matched'; ruleId: string; leadDepartmentId: string; assistingDepartmentIds: string[]; specificity: number; candidates: number; description: string }
  | { kind: 'none' }
  | { kind: 'tie'; ruleIds: string[] };

/** The district's active rules with their names (what routing reads). */
export async function loadRoutingRows(db: Queryable, districtId: string): Promise<RuleRow[]> {
  return db.query(`${RULE_SELECT} WHERE r.district_id = $1 AND r.active`, [districtId]);
}

/** Routes a ticket of (category, area, enterprise tags) with the district's active rules. */
export async function routeTicket(db: Queryable, districtId: string, target: { categoryId: string; areaId: string; enterpriseTags: string[] }): Promise<RoutingResult> {
  return routeWith(await loadRoutingRows(db, districtId), await categoryParents(db, districtId), target);
}

/** The routing decision over already loaded rules and category parents (creation passes cached ones). */
export function routeWith(rows: RuleRow[], parents: CategoryParents, target: { categoryId: string; areaId: string; enterpriseTags: string[] }): RoutingResult {
  const d: RoutingDecision = pickRoutingRule(rows.map(toKey), target, parents);
  if (d.kind !== 'matched') return d;
  const r = rows.find((x) => x.id === d.rule.id)!;
  const description = [r.category_name, r.area_name ?? '', r.enterprise_tag ? `标签:${r.enterprise_tag}` : ''].filter(Boolean).join(' · ');
  return {
    kind: 'matched', ruleId: r.id, leadDepartmentId: r.lead_department_id, assistingDepartmentIds: r.assisting_department_ids,
    specificity: d.specificity, candidates: d.candidates, description: `${description} → ${r.lead_department_name}`,
  };
}

/** What routing would do for an enterprise and category (coordinators check their rules with it). */
export async function previewRouting(db: Queryable, auth: AuthUser, categoryId: string, enterpriseId: string) {
  const [e] = await db.query(`SELECT area_id, tags FROM enterprise WHERE id = $1 AND district_id = $2`, [enterpriseId, auth.districtId]);
  if (!e) throw new AppError('NOT_FOUND', [{ path: '/querystring/enterpriseId', message: '企业不存在' }]);
  const r = await routeTicket(db, auth.districtId, { categoryId, areaId: e.area_id, enterpriseTags: e.tags });
  if (r.kind === 'matched') return { outcome: 'matched' as const, rule: await getRule(db, auth.districtId, r.ruleId), candidates: r.candidates };
  return { outcome: r.kind, rule: null, candidates: r.kind === 'tie' ? r.ruleIds.length : 0 };
}
