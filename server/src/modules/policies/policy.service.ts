import type { DataSource, EntityManager } from 'typeorm';
import {
  BENEFIT_TYPE_LABELS, POLICY_MODE_LABELS, evaluateEligibility, formatWan, shanghaiDate, validateEligibility,
  type ConfirmBody, type DeliveryBody, type Eligibility, type EnterprisePolicy, type MatchPreview, type Policy, type PolicyCreate,
  type PolicyFigures, type PolicyListQuery, type PolicyMatch, type PolicyMatchQuery, type PolicyQuestion, type PolicyQuestionQuery, type PolicyUpdate, type RedeemBody,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { applyVisibility } from '../../lib/policy';
import { isStewardOf, enterpriseStandingOf } from '../enterprises/enterprise.policy';
import { managesPolicy as manages, mayDeliverPolicy, policyAccess, policyVisibilitySql } from './policy.policy';
import { recordAudit } from '../audit/audit';
import { notify } from '../notifications/notify';
import { evaluateDistrict, explanationNames } from './policy-matching';
import { eligibilitySql } from './eligibility-sql';
import { PROFILE_SELECT, toEligibilityProfile, type ProfileRow } from './profile.service';

/**
 * 政策直达 / 免申即享 (ADR 0014, ADR 0014). A policy is written as a draft, published once (which evaluates the
 * whole district, stores the matches with their explanation, notifies matched enterprises and gives each matched
 * enterprise's stewards a 送政策上门 task), then delivered, read, confirmed (免申即享) and redeemed (兑现).
 *
 * Who: coordinators/admins manage every policy; department staff manage their own department's; everyone in the
 * district reads published ones. Match lists and figures: district-wide roles and the issuing department.
 */

type Q = Pick<DataSource, 'query'> | EntityManager;

const POLICY_SELECT = `p.id, p.district_id, p.title, p.department_id, d.name AS department_name, p.doc_no, p.publish_on::text AS publish_on, p.expires_on::text AS expires_on,
  p.summary, p.full_text, p.benefit_type, p.mode, p.apply_deadline::text AS apply_deadline, p.contact, p.eligibility, p.status, p.published_at, p.version, p.created_at`;

type PolicyRow = {
  id: string; district_id: string; title: string; department_id: string; department_name: string; doc_no: string | null; publish_on: string | null; expires_on: string | null;
  summary: string; full_text: string; benefit_type: Policy['benefitType']; mode: Policy['mode']; apply_deadline: string | null; contact: string | null;
  eligibility: Eligibility; status: Policy['status']; published_at: Date | null; version: number; created_at: Date;
};

function presentPolicy(r: PolicyRow): Policy {
  return {
    id: r.id, title: r.title, department: { id: r.department_id, name: r.department_name }, docNo: r.doc_no, publishOn: r.publish_on, expiresOn: r.expires_on,
    summary: r.summary, fullText: r.full_text, benefitType: r.benefit_type, mode: r.mode, applyDeadline: r.apply_deadline, contact: r.contact,
    eligibility: r.eligibility, status: r.status, publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null, version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

async function loadPolicy(db: Q, districtId: string, id: string, lock = false): Promise<PolicyRow | undefined> {
  const [row] = await db.query(
    `SELECT ${POLICY_SELECT} FROM policy p JOIN department d ON d.id = p.department_id WHERE p.id = $1 AND p.district_id = $2${lock ? ' FOR UPDATE OF p' : ''}`,
    [id, districtId]);
  return row;
}

/** Reads a policy the caller may see: a draft only by those who manage it; otherwise not found. */
async function visiblePolicy(db: Q, auth: AuthUser, id: string, lock = false): Promise<PolicyRow> {
  const row = await loadPolicy(db, auth.districtId, id, lock);
  if (!row || !policyAccess(auth, row).canSee) throw new AppError('POLICY_NOT_FOUND');
  return row;
}

/** Sees the match list and figures: district-wide roles and the issuing department. */
async function assertSeesMatches(db: Q, auth: AuthUser, id: string): Promise<PolicyRow> {
  const row = await visiblePolicy(db, auth, id);
  if (!policyAccess(auth, row).seesMatches) throw new AppError('POLICY_NOT_FOUND');
  return row;
}

async function checkEligibility(db: Q, districtId: string, raw: unknown): Promise<Eligibility> {
  const libs: { id: string }[] = await db.query(`SELECT id FROM enterprise_library WHERE district_id = $1`, [districtId]);
  const areas: { id: string }[] = await db.query(`SELECT id FROM area WHERE district_id = $1`, [districtId]);
  const issues = validateEligibility(raw, { libraryIds: new Set(libs.map((l) => l.id)), areaIds: new Set(areas.map((a) => a.id)) });
  if (issues.length) throw new AppError('POLICY_CONDITION_INVALID', issues);
  return raw as Eligibility;
}

function checkDates(publishOn: string | null | undefined, expiresOn: string | null | undefined) {
  if (publishOn && expiresOn && expiresOn < publishOn)
    throw new AppError('POLICY_EXPIRY_BEFORE_PUBLISH', [{ path: '/body/expiresOn', message: '有效期不能早于发布日期' }]);
}

async function assertDepartment(db: Q, auth: AuthUser, departmentId: string) {
  const rows = await db.query(`SELECT 1 FROM department WHERE id = $1 AND district_id = $2`, [departmentId, auth.districtId]);
  if (!rows.length) throw new AppError('DEPARTMENT_NOT_IN_DISTRICT', [{ path: '/body/departmentId', message: '所选部门不属于本区县' }]);
  if (!manages(auth, departmentId)) throw new AppError('POLICY_DEPARTMENT_FORBIDDEN');
}

export async function createPolicy(db: DataSource, auth: AuthUser, b: PolicyCreate): Promise<Policy> {
  await assertDepartment(db, auth, b.departmentId);
  const eligibility = await checkEligibility(db, auth.districtId, b.eligibility);
  checkDates(b.publishOn, b.expiresOn);
  const id = await db.transaction(async (em) => {
    const [row] = await em.query(
      `INSERT INTO policy (district_id, title, department_id, doc_no, publish_on, expires_on, summary, full_text, benefit_type, mode, apply_deadline, contact, eligibility, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`,
      [auth.districtId, b.title.trim(), b.departmentId, b.docNo ?? null, b.publishOn ?? null, b.expiresOn ?? null, b.summary ?? '', b.fullText ?? '',
       b.benefitType, b.mode, b.applyDeadline ?? null, b.contact ?? null, JSON.stringify(eligibility), auth.id]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'policy.created', entityType: 'policy', entityId: row.id, data: { title: b.title } });
    return row.id as string;
  });
  return presentPolicy((await loadPolicy(db, auth.districtId, id))!);
}

/** Edits a draft (a published policy's matches were computed from its text; it is withdrawn and rewritten instead). */
export async function updatePolicy(db: DataSource, auth: AuthUser, id: string, b: PolicyUpdate): Promise<Policy> {
  await db.transaction(async (em) => {
    const p = await visiblePolicy(em, auth, id, true);
    if (!manages(auth, p.department_id)) throw new AppError('POLICY_NOT_FOUND');
    if (p.status !== 'draft') throw new AppError('POLICY_NOT_DRAFT');
    if (p.version !== b.version) throw new AppError('VERSION_CONFLICT');
    if (b.departmentId) await assertDepartment(em, auth, b.departmentId);
    const eligibility = b.eligibility ? await checkEligibility(em, auth.districtId, b.eligibility) : undefined;
    checkDates(b.publishOn ?? p.publish_on, b.expiresOn ?? p.expires_on);
    await em.query(
      `UPDATE policy SET title = COALESCE($2, title), department_id = COALESCE($3, department_id), doc_no = COALESCE($4, doc_no),
         publish_on = COALESCE($5::date, publish_on), expires_on = COALESCE($6::date, expires_on), summary = COALESCE($7, summary), full_text = COALESCE($8, full_text),
         benefit_type = COALESCE($9, benefit_type), mode = COALESCE($10, mode), apply_deadline = COALESCE($11::date, apply_deadline),
         contact = COALESCE($12, contact), eligibility = COALESCE($13::jsonb, eligibility), version = version + 1, updated_at = now()
       WHERE id = $1`,
      [id, b.title?.trim() ?? null, b.departmentId ?? null, b.docNo ?? null, b.publishOn ?? null, b.expiresOn ?? null, b.summary ?? null, b.fullText ?? null,
       b.benefitType ?? null, b.mode ?? null, b.applyDeadline ?? null, b.contact ?? null, eligibility ? JSON.stringify(eligibility) : null]);
    const { version: _v, ...changed } = b;
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'policy.updated', entityType: 'policy', entityId: id, data: changed });
  });
  return presentPolicy((await loadPolicy(db, auth.districtId, id))!);
}

export async function getPolicy(db: DataSource, auth: AuthUser, id: string): Promise<Policy> {
  return presentPolicy(await visiblePolicy(db, auth, id));
}

/** Newest first, keyset; managers see drafts too (department staff: their department's). */
export async function listPolicies(db: DataSource, auth: AuthUser, q: PolicyListQuery): Promise<Page<Policy>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['p.district_id = $1'];
  applyVisibility(where, policyVisibilitySql(auth, p));
  if (q.status) where.push(`p.status = ${p(q.status)}`);
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(p.created_at, p.id) < (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`);
  const rows: PolicyRow[] = await db.query(
    `SELECT ${POLICY_SELECT} FROM policy p JOIN department d ON d.id = p.department_id WHERE ${where.join(' AND ')}
      ORDER BY p.created_at DESC, p.id DESC LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return { items: page.items.map(presentPolicy), nextCursor: page.nextCursor };
}

/** The live count in the policy editor: how many enterprises each outcome, by area. Nothing is written. */
export async function previewMatches(db: DataSource, auth: AuthUser, raw: unknown): Promise<MatchPreview> {
  const e = await checkEligibility(db, auth.districtId, raw);
  const areas: { id: string; name: string }[] = await db.query(`SELECT id, name FROM area WHERE district_id = $1 ORDER BY code, id`, [auth.districtId]);
  const by = new Map(areas.map((a) => [a.id, { area: a, met: 0, unknown: 0 }]));
  const out = { met: 0, unknown: 0, notMet: 0 };
  // Counts only (no explanation): the eligibility compiled to SQL, one statement over the district (ADR 0014).
  const { params, p } = sqlParams([auth.districtId]);
  const cond = eligibilitySql(e, shanghaiDate(new Date()), p);
  const rows: { area_id: string; met: number; unknown: number; not_met: number }[] = await db.query(
    `SELECT x.area_id, count(*) FILTER (WHERE x.ok)::int AS met, count(*) FILTER (WHERE x.ok IS NULL)::int AS unknown, count(*) FILTER (WHERE NOT x.ok)::int AS not_met
       FROM (SELECT e.area_id, ${cond} AS ok FROM enterprise e WHERE e.district_id = $1) x GROUP BY x.area_id`, params);
  for (const r of rows) {
    out.met += r.met; out.unknown += r.unknown; out.notMet += r.not_met;
    const a = by.get(r.area_id);
    if (a) { a.met += r.met; a.unknown += r.unknown; }
  }
  return { ...out, byArea: [...by.values()] };
}

/**
 * Publishes a draft: evaluates the district, stores each met/unknown match with its explanation, notifies the
 * matched enterprises' contacts (in-app + WeChat subscribe via the outbox), and gives the current stewards of each
 * matched enterprise a 送政策上门 task (unknown ones: a 待核实 task). One transaction: all of it or none.
 */
export async function publishPolicy(db: DataSource, auth: AuthUser, id: string, version: number, now = new Date()): Promise<Policy> {
  const today = shanghaiDate(now);
  await db.transaction(async (em) => {
    const p = await visiblePolicy(em, auth, id, true);
    if (!manages(auth, p.department_id)) throw new AppError('POLICY_NOT_FOUND');
    if (p.status !== 'draft') throw new AppError('POLICY_NOT_DRAFT');
    if (p.version !== version) throw new AppError('VERSION_CONFLICT');
    if (p.expires_on && p.expires_on < today) throw new AppError('POLICY_EXPIRED', [{ path: '/body/expiresOn', message: '政策已过有效期' }]);
    const publishOn = p.publish_on ?? today;
    checkDates(publishOn, p.expires_on);
    const eligibility = await checkEligibility(em, auth.districtId, p.eligibility);
    await em.query(`UPDATE policy SET status = 'published', publish_on = $2, published_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [id, publishOn]);
    let met = 0;
    let unknown = 0;
    await evaluateDistrict(em, auth.districtId, eligibility, async (rows) => {
      const keep = rows.filter((r) => r.result.outcome !== 'not_met');
      if (!keep.length) return;
      await em.query(
        `INSERT INTO policy_match (policy_id, enterprise_id, district_id, area_id, outcome, explanation, confirmation, notified_at)
         SELECT $1, x.e, $2, x.a, x.o, x.x, CASE WHEN $3 = 'no_application' AND x.o = 'met' THEN 'pending' END, CASE WHEN x.o = 'met' THEN now() END
           FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[]) AS x(e, a, o, x)`,
        [id, auth.districtId, p.mode, keep.map((r) => r.enterpriseId), keep.map((r) => r.areaId), keep.map((r) => r.result.outcome),
         keep.map((r) => r.result.explanation.slice(0, 1000))]);
      const metIds = keep.filter((r) => r.result.outcome === 'met').map((r) => r.enterpriseId);
      const unknownIds = keep.filter((r) => r.result.outcome === 'unknown').map((r) => r.enterpriseId);
      met += metIds.length;
      unknown += unknownIds.length;
      const contacts: { id: string }[] = await em.query(
        `SELECT id FROM person WHERE district_id = $1 AND enterprise_id = ANY($2::uuid[]) AND 'enterprise' = ANY(roles) AND NOT disabled`, [auth.districtId, metIds]);
      await notify(em, {
        districtId: auth.districtId, personIds: contacts.map((c) => c.id), kind: 'policy.matched', title: `惠企政策：${p.title}`,
        body: `您的企业符合“${p.title}”（${POLICY_MODE_LABELS[p.mode]}，${BENEFIT_TYPE_LABELS[p.benefit_type]}），请查看。`,
        entityType: 'policy', entityId: id, dedupeKey: `policy:${id}`,
      });
      const stewards = async (ids: string[]) => ids.length ? (await em.query(
        `SELECT DISTINCT steward_id AS id FROM assignment WHERE enterprise_id = ANY($1::uuid[]) AND ends_on IS NULL`, [ids]) as { id: string }[]).map((s) => s.id) : [];
      await notify(em, {
        districtId: auth.districtId, personIds: await stewards(metIds), kind: 'policy.deliver', title: `送政策上门：${p.title}`,
        body: '您包保的企业符合该政策，请上门或电话送达并记录。', entityType: 'policy', entityId: id, dedupeKey: `policy-deliver:${id}`,
      });
      await notify(em, {
        districtId: auth.districtId, personIds: await stewards(unknownIds), kind: 'policy.verify', title: `待核实企业信息：${p.title}`,
        body: '您包保的企业缺少判断该政策所需的信息，请核实后补全企业档案。', entityType: 'policy', entityId: id, dedupeKey: `policy-verify:${id}`, wechat: false,
      });
    }, now);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'policy.published', entityType: 'policy', entityId: id, data: { met, unknown } });
  });
  return presentPolicy((await loadPolicy(db, auth.districtId, id))!);
}

const MATCH_SELECT = `m.policy_id, p.title, p.mode, p.benefit_type, m.enterprise_id, e.name AS enterprise_name, m.area_id, a.name AS area_name, m.outcome,
  m.explanation, m.notified_at, m.read_at, m.delivered_at, m.confirmation, m.confirmed_at, m.redeemed_on::text AS redeemed_on,
  m.redeemed_amount::text AS redeemed_amount, m.version`;
const MATCH_FROM = `policy_match m JOIN policy p ON p.id = m.policy_id JOIN enterprise e ON e.id = m.enterprise_id JOIN area a ON a.id = m.area_id`;

type MatchRow = {
  policy_id: string; title: string; mode: Policy['mode']; benefit_type: Policy['benefitType']; enterprise_id: string; enterprise_name: string;
  area_id: string; area_name: string; outcome: string; explanation: string; notified_at: Date | null; read_at: Date | null; delivered_at: Date | null;
  confirmation: PolicyMatch['confirmation']; confirmed_at: Date | null; redeemed_on: string | null; redeemed_amount: string | null; version: number;
};
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
function presentMatch(r: MatchRow): PolicyMatch {
  return {
    policy: { id: r.policy_id, title: r.title, mode: r.mode, benefitType: r.benefit_type }, enterprise: { id: r.enterprise_id, name: r.enterprise_name },
    area: { id: r.area_id, name: r.area_name }, outcome: r.outcome, explanation: r.explanation, notifiedAt: iso(r.notified_at), readAt: iso(r.read_at),
    deliveredAt: iso(r.delivered_at), confirmation: r.confirmation, confirmedAt: iso(r.confirmed_at), redeemedOn: r.redeemed_on, redeemedAmount: r.redeemed_amount,
    version: r.version,
  };
}

/** The eligible list (outcome met) or the unknown-data list of a policy, by enterprise id (keyset on the primary key). */
export async function listMatches(db: DataSource, auth: AuthUser, id: string, q: PolicyMatchQuery): Promise<Page<PolicyMatch>> {
  await assertSeesMatches(db, auth, id);
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([id]);
  const where = ['m.policy_id = $1'];
  if (q.outcome) where.push(`m.outcome = ${p(q.outcome)}`);
  if (q.areaId) where.push(`m.area_id = ${p(q.areaId)}`);
  const cursor = decodeCursor(q.cursor, 1);
  if (cursor) where.push(`m.enterprise_id > ${p(cursor[0])}::uuid`);
  const rows: MatchRow[] = await db.query(`SELECT ${MATCH_SELECT} FROM ${MATCH_FROM} WHERE ${where.join(' AND ')} ORDER BY m.enterprise_id LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [r.enterprise_id]);
  return { items: page.items.map(presentMatch), nextCursor: page.nextCursor };
}

/** The questions asked about a policy (咨询政策 诉求, newest first): district-wide roles and the issuing department. */
export async function policyQuestions(db: DataSource, auth: AuthUser, id: string, q: PolicyQuestionQuery): Promise<Page<PolicyQuestion>> {
  await assertSeesMatches(db, auth, id);
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([id, auth.districtId]);
  const where = ['t.policy_id = $1', 't.district_id = $2'];
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(t.created_at, t.id) < (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`);
  const rows: { id: string; no: string; title: string; state: string; enterprise_id: string; enterprise_name: string; created_at: Date }[] = await db.query(
    `SELECT t.id, t.no, t.title, t.state, e.id AS enterprise_id, e.name AS enterprise_name, t.created_at
       FROM ticket t JOIN enterprise e ON e.id = t.enterprise_id WHERE ${where.join(' AND ')}
      ORDER BY t.created_at DESC, t.id DESC LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return {
    items: page.items.map((r) => ({ id: r.id, no: r.no, title: r.title, state: r.state, enterprise: { id: r.enterprise_id, name: r.enterprise_name }, createdAt: new Date(r.created_at).toISOString() })),
    nextCursor: page.nextCursor,
  };
}

/** Matched, notified, read, delivered, confirmed, declined, redeemed (count and 元) — per area and in total, in SQL. */
export async function policyFigures(db: DataSource, auth: AuthUser, id: string): Promise<PolicyFigures> {
  await assertSeesMatches(db, auth, id);
  const rows: Record<string, string | number | null>[] = await db.query(
    `SELECT a.id AS area_id, a.name AS area_name,
        count(*) FILTER (WHERE m.outcome = 'met')::int AS matched, count(*) FILTER (WHERE m.outcome = 'unknown')::int AS unknown,
        count(m.notified_at)::int AS notified, count(m.read_at)::int AS read, count(m.delivered_at)::int AS delivered,
        count(*) FILTER (WHERE m.confirmation = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE m.confirmation = 'declined')::int AS declined,
        count(m.redeemed_on)::int AS redeemed, COALESCE(sum(m.redeemed_amount), 0)::text AS redeemed_amount
       FROM policy_match m JOIN area a ON a.id = m.area_id WHERE m.policy_id = $1 GROUP BY a.id, a.name, a.code ORDER BY a.code, a.id`, [id]);
  const keys = ['matched', 'unknown', 'notified', 'read', 'delivered', 'confirmed', 'declined', 'redeemed'] as const;
  const fig = (r: Record<string, string | number | null>) => {
    const amount = BigInt(r.redeemed_amount as string);
    return { ...Object.fromEntries(keys.map((k) => [k, Number(r[k])])) as Record<(typeof keys)[number], number>, redeemedAmount: amount.toString(), redeemedText: formatWan(amount) };
  };
  const total = { redeemed_amount: '0', ...Object.fromEntries(keys.map((k) => [k, 0])) } as Record<string, string | number>;
  for (const r of rows) {
    for (const k of keys) total[k] = Number(total[k]) + Number(r[k]);
    total.redeemed_amount = (BigInt(total.redeemed_amount as string) + BigInt(r.redeemed_amount as string)).toString();
  }
  return { total: fig(total), byArea: rows.map((r) => ({ area: { id: r.area_id as string, name: r.area_name as string }, ...fig(r) })) };
}

/**
 * 政策计算器: every published, unexpired policy of the district evaluated live for one enterprise (its profile as it
 * is now), met first, then unknown, then the rest — each with its explanation and the stored match (if any).
 */
export async function enterprisePolicies(db: DataSource, auth: AuthUser, enterpriseId: string, now = new Date()): Promise<EnterprisePolicy[]> {
  const [row]: ProfileRow[] = await db.query(`SELECT ${PROFILE_SELECT} FROM enterprise e WHERE e.id = $1 AND e.district_id = $2`, [enterpriseId, auth.districtId]);
  if (!row) throw new AppError('NOT_FOUND');
  if (!(await enterpriseStandingOf(db, auth, { id: enterpriseId, district_id: auth.districtId })).seesProfile) throw new AppError('NOT_FOUND');
  const today = shanghaiDate(now);
  const policies: PolicyRow[] = await db.query(
    `SELECT ${POLICY_SELECT} FROM policy p JOIN department d ON d.id = p.department_id
      WHERE p.district_id = $1 AND p.status = 'published' AND (p.expires_on IS NULL OR p.expires_on >= $2) ORDER BY p.published_at DESC, p.id LIMIT 200`,
    [auth.districtId, today]);
  const matches: MatchRow[] = await db.query(`SELECT ${MATCH_SELECT} FROM ${MATCH_FROM} WHERE m.enterprise_id = $1 AND m.policy_id = ANY($2::uuid[])`,
    [enterpriseId, policies.map((x) => x.id)]);
  const byPolicy = new Map(matches.map((m) => [m.policy_id, m]));
  const ctx = { today, ...(await explanationNames(db, auth.districtId)) };
  const profile = toEligibilityProfile(row);
  const rank = { met: 0, unknown: 1, not_met: 2 } as const;
  return policies
    .map((p) => {
      const r = evaluateEligibility(p.eligibility, profile, ctx);
      const m = byPolicy.get(p.id);
      return { policy: presentPolicy(p), outcome: r.outcome, explanation: r.explanation, conditions: r.conditions, match: m ? presentMatch(m) : null };
    })
    .sort((a, b) => rank[a.outcome as keyof typeof rank] - rank[b.outcome as keyof typeof rank]);
}

/** Read receipt: the enterprise contact opened the policy. First read counts; later reads change nothing. */
export async function markRead(db: DataSource, auth: AuthUser, id: string): Promise<PolicyMatch> {
  if (!auth.enterpriseId) throw new AppError('FORBIDDEN');
  await visiblePolicy(db, auth, id);
  await db.query(`UPDATE policy_match SET read_at = now() WHERE policy_id = $1 AND enterprise_id = $2 AND read_at IS NULL`, [id, auth.enterpriseId]);
  return loadMatch(db, id, auth.enterpriseId);
}

async function loadMatch(db: Q, policyId: string, enterpriseId: string, lock = false): Promise<PolicyMatch> {
  const [m]: MatchRow[] = await db.query(`SELECT ${MATCH_SELECT} FROM ${MATCH_FROM} WHERE m.policy_id = $1 AND m.enterprise_id = $2${lock ? ' FOR UPDATE OF m' : ''}`, [policyId, enterpriseId]);
  if (!m) throw new AppError('POLICY_MATCH_NOT_FOUND');
  return presentMatch(m);
}

/** The steward's 送政策上门 list: matched, not yet delivered, published policies of the enterprises assigned to them. */
export async function myDeliveries(db: DataSource, auth: AuthUser, q: { limit?: number; cursor?: string }): Promise<Page<PolicyMatch>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.id, auth.districtId]);
  const where = [`m.district_id = $2`, `m.outcome = 'met'`, `m.delivered_at IS NULL`, `p.status = 'published'`,
    `EXISTS (SELECT 1 FROM assignment s WHERE s.enterprise_id = m.enterprise_id AND s.steward_id = $1 AND s.ends_on IS NULL)`];
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(m.policy_id, m.enterprise_id) > (${p(cursor[0])}::uuid, ${p(cursor[1])}::uuid)`);
  const rows: MatchRow[] = await db.query(`SELECT ${MATCH_SELECT} FROM ${MATCH_FROM} WHERE ${where.join(' AND ')} ORDER BY m.policy_id, m.enterprise_id LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [r.policy_id, r.enterprise_id]);
  return { items: page.items.map(presentMatch), nextCursor: page.nextCursor };
}

/**
 * A steward delivers the policy (送政策上门). By phone/WeChat the delivery itself is logged as a completed contact
 * (a visit row, so it counts in the report's contacts); on site it names the steward's own visit to the enterprise.
 */
export async function deliverPolicy(db: DataSource, auth: AuthUser, id: string, b: DeliveryBody): Promise<PolicyMatch> {
  await db.transaction(async (em) => {
    const p = await visiblePolicy(em, auth, id);
    if (p.status !== 'published') throw new AppError('POLICY_NOT_PUBLISHED');
    const isSteward = await isStewardOf(em, auth, b.enterpriseId);
    if (!mayDeliverPolicy(auth, isSteward)) throw new AppError('POLICY_MATCH_NOT_FOUND');
    const m = await loadMatch(em, id, b.enterpriseId, true);
    if (m.deliveredAt) throw new AppError('POLICY_ALREADY_DELIVERED');
    let visitId: string;
    if (b.kind === 'onsite') {
      const [v] = b.visitId ? await em.query(
        `SELECT id FROM visit WHERE id = $1 AND steward_id = $2 AND enterprise_id = $3 AND kind = 'onsite' AND status IN ('checked_in','completed')`,
        [b.visitId, auth.id, b.enterpriseId]) : [];
      if (!v) throw new AppError('DELIVERY_VISIT_INVALID', [{ path: '/body/visitId', message: '请选择本人对该企业已签到的现场走访' }]);
      visitId = v.id;
    } else {
      const [v] = await em.query(
        `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, notes, off_assignment, created_by)
         VALUES ($1,$2,$3,$4,'completed',now(),$5,$6,$2) RETURNING id`,
        [auth.districtId, auth.id, b.enterpriseId, b.kind, `送政策上门：${p.title}${b.notes ? `。${b.notes}` : ''}`.slice(0, 2000), !isSteward]);
      visitId = v.id;
      await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'visit.created', entityType: 'visit', entityId: visitId, data: { kind: b.kind, enterpriseId: b.enterpriseId, policyId: id } });
    }
    await em.query(`UPDATE policy_match SET delivered_at = now(), delivered_by = $3, delivery_visit_id = $4, version = version + 1 WHERE policy_id = $1 AND enterprise_id = $2`,
      [id, b.enterpriseId, auth.id, visitId]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'policy.delivered', entityType: 'policy', entityId: id, data: { enterpriseId: b.enterpriseId, kind: b.kind, visitId } });
  });
  return loadMatch(db, id, b.enterpriseId);
}

/** 意愿确认: the enterprise confirms or declines a 免申即享 policy; it may change its mind until 兑现 is recorded. */
export async function confirmPolicy(db: DataSource, auth: AuthUser, id: string, b: ConfirmBody): Promise<PolicyMatch> {
  if (!auth.enterpriseId) throw new AppError('FORBIDDEN');
  const enterpriseId = auth.enterpriseId;
  await db.transaction(async (em) => {
    const p = await visiblePolicy(em, auth, id);
    if (p.mode !== 'no_application') throw new AppError('POLICY_NOT_NO_APPLICATION');
    const m = await loadMatch(em, id, enterpriseId, true);
    if (m.outcome !== 'met' || !m.confirmation) throw new AppError('POLICY_MATCH_NOT_FOUND');
    if (m.redeemedOn) throw new AppError('POLICY_ALREADY_REDEEMED');
    if (m.version !== b.version) throw new AppError('VERSION_CONFLICT');
    await em.query(`UPDATE policy_match SET confirmation = $3, confirmed_at = now(), confirmed_by = $4, read_at = COALESCE(read_at, now()), version = version + 1
      WHERE policy_id = $1 AND enterprise_id = $2`, [id, enterpriseId, b.decision, auth.id]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: `policy.${b.decision}`, entityType: 'policy', entityId: id, data: { enterpriseId } });
  });
  return loadMatch(db, id, enterpriseId);
}

/** 兑现: the issuing department (or the coordinator) records date and amount (integer 元) for a confirmed enterprise. */
export async function redeemPolicy(db: DataSource, auth: AuthUser, id: string, b: RedeemBody): Promise<PolicyMatch> {
  const amount = BigInt(b.amount);
  if (amount <= 0n) throw new AppError('VALIDATION_FAILED', [{ path: '/body/amount', message: '兑现金额须大于0' }]);
  await db.transaction(async (em) => {
    const p = await visiblePolicy(em, auth, id);
    if (!manages(auth, p.department_id)) throw new AppError('POLICY_NOT_FOUND');
    const m = await loadMatch(em, id, b.enterpriseId, true);
    if (m.redeemedOn) throw new AppError('POLICY_ALREADY_REDEEMED');
    if (m.confirmation !== 'confirmed') throw new AppError('POLICY_NOT_CONFIRMED');
    if (m.version !== b.version) throw new AppError('VERSION_CONFLICT');
    await em.query(`UPDATE policy_match SET redeemed_on = $3, redeemed_amount = $4, redeemed_by = $5, version = version + 1 WHERE policy_id = $1 AND enterprise_id = $2`,
      [id, b.enterpriseId, b.redeemedOn, amount.toString(), auth.id]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'policy.redeemed', entityType: 'policy', entityId: id, data: { enterpriseId: b.enterpriseId, redeemedOn: b.redeemedOn, amount: b.amount } });
    const contacts: { id: string }[] = await em.query(`SELECT id FROM person WHERE enterprise_id = $1 AND 'enterprise' = ANY(roles) AND NOT disabled`, [b.enterpriseId]);
    await notify(em, {
      districtId: auth.districtId, personIds: contacts.map((c) => c.id), kind: 'policy.redeemed', title: `政策已兑现：${p.title}`,
      body: `兑现金额 ${formatWan(amount)}（${b.redeemedOn}）。`, entityType: 'policy', entityId: id, dedupeKey: `policy-redeemed:${id}`,
    });
  });
  return loadMatch(db, id, b.enterpriseId);
}
