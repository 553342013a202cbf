import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  areaKindFromName, duplicateProblems, importColumnLabel, IMPORT_COLUMNS, matchHeaders, normalizeCompanyName,
  validateAssignmentRow, validateEnterpriseRow, validatePersonRow, validateProjectRow,
  type ImportKind, type PrincipalRole, type RawRow, type RowProblem,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { todayInChina } from '../../lib/time';
import { recordAudit } from '../audit/audit';
import { readSheet, type SheetText } from './import-file';
import { insertProject } from '../projects/project.service';
import { getProjectSettings } from '../projects/project-settings';
import type { AuthUser } from '../../lib/principal';
import { mayGrantRoles } from '../people/people.policy';
import { mayReadImportRun } from './import.policy';

/**
 * Bulk import of rosters (ADR 0010, ADR 0010). One pass per file:
 *   read (xlsx/csv, any encoding) → match headers → validate each row (pure, shared/) → check against the database
 *   (areas, departments, stewards, enterprises; duplicates) → write all valid rows set-based (UPDATE … FROM unnest,
 *   INSERT … SELECT FROM unnest, in chunks) → audit event with the counts — all in ONE transaction.
 * A dry run does exactly the same work and rolls back, so its counts are the real ones; a fault anywhere rolls the
 * whole file back. Updates only fill what the file says (an empty cell never clears a field; nothing is deleted);
 * a row that would change nothing is "unchanged", so re-importing a file is a no-op.
 */

/** Who imports: the district and the person (for audit and role checks). */
export type Importer = { districtId: string; actorId: string | null; roles: readonly PrincipalRole[] };

export type ImportOptions = {
  dryRun: boolean; createMissingAreas?: boolean; fileName: string; onProgress?: (done: number, total: number) => void;
  /** called with each phase's duration (bench, CLI --verbose) */
  onPhase?: (phase: string, ms: number) => void;
};

/** The outcome of a run, as the desk screen and the CLI show it. */
export type ImportOutcome = {
  id: string; kind: ImportKind; dryRun: boolean; fileName: string; totalRows: number;
  created: number; updated: number; unchanged: number; rejected: number;
  areasCreated: number; assignmentsStarted: number; assignmentsEnded: number;
  unknownHeaders: string[]; problems: RowProblem[]; createdAt: string;
};

/** Rows per statement: keeps each unnest parameter a few hundred KB and gives the progress bar its steps. */
const CHUNK = 5000;
/** Per-row problems returned in a response; all of them stay downloadable as .xlsx. */
export const MAX_PROBLEMS_IN_RESPONSE = 1000;

type Em = Pick<EntityManager, 'query'>;
type Counts = { created: number; updated: number; areasCreated: number; assignmentsStarted: number; assignmentsEnded: number };

class Rollback extends Error {}

function chunks<T>(a: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += CHUNK) out.push(a.slice(i, i + CHUNK));
  return out;
}

/** Rows keyed by their column keys from the matched header. */
function toRaw(kind: ImportKind, sheet: SheetText): { raw: RawRow[]; unknown: string[] } {
  const m = matchHeaders(kind, sheet.headers);
  if (m.missing.length)
    throw new AppError('IMPORT_HEADERS_MISSING', m.missing.map((label) => ({ path: `/file/${label}`, message: `缺少“${label}”列` })));
  const raw = sheet.rows.map((r) => {
    const cells: Record<string, string> = {};
    for (const [key, i] of Object.entries(m.columns)) cells[key] = r.cells[i] ?? '';
    return { row: r.row, cells };
  });
  return { raw, unknown: m.unknown };
}

/** Validates rows with the pure shared validator, collecting problems. */
function validateAll<T>(raw: RawRow[], fn: (r: RawRow) => { value: T | null; problems: RowProblem[] }, problems: RowProblem[]): T[] {
  const out: T[] = [];
  for (const r of raw) {
    const v = fn(r);
    problems.push(...v.problems);
    if (v.value) out.push(v.value);
  }
  return out;
}

/** Keeps the rows no problem names. */
function withoutRejected<T extends { row: number }>(rows: T[], problems: RowProblem[]): T[] {
  const bad = new Set(problems.map((p) => p.row));
  return rows.filter((r) => !bad.has(r.row));
}

/** Active stewards of the district by phone. */
async function stewardsByPhone(em: Em, districtId: string, phones: string[]): Promise<Map<string, { id: string; name: string }>> {
  const rows: { id: string; name: string; phone: string }[] = phones.length
    ? await em.query(`SELECT id, name, phone FROM person WHERE district_id = $1 AND phone = ANY($2::text[]) AND 'steward' = ANY(roles) AND NOT disabled`, [districtId, phones])
    : [];
  return new Map(rows.map((r) => [r.phone, { id: r.id, name: r.name }]));
}

/** Checks the steward columns of rows against the district's stewards. */
function checkStewards<T extends { row: number; stewardPhone: string | null; stewardName: string | null }>(
  kind: ImportKind, rows: T[], stewards: Map<string, { id: string; name: string }>, problems: RowProblem[],
) {
  for (const r of rows) {
    if (!r.stewardPhone) continue;
    const s = stewards.get(r.stewardPhone);
    if (!s) problems.push({ row: r.row, column: importColumnLabel(kind, 'stewardPhone'), reason: `未找到手机号为 ${r.stewardPhone} 的管家，请先导入人员（角色：管家）` });
    else if (r.stewardName && r.stewardName !== s.name)
      problems.push({ row: r.row, column: importColumnLabel(kind, 'stewardName'), reason: `包保干部姓名与该手机号登记的姓名“${s.name}”不一致` });
  }
}

/**
 * Makes the listed stewards the current ones of each listed enterprise: assignments not in the list end today
 * (history kept), new pairs start. Enterprises not listed are untouched. One statement.
 */
async function applyAssignments(em: Em, imp: Importer, pairs: { creditCode: string; stewardId: string; startsOn: string | null }[]) {
  if (!pairs.length) return { started: 0, ended: 0 };
  const today = todayInChina();
  // The wanted pairs go into an indexed, analysed temporary table first: joined as a CTE, the planner (with no
  // statistics for 32k parameter rows) chose a nested loop over it and the re-import of a 包保 list took minutes.
  await em.query(`CREATE TEMP TABLE IF NOT EXISTS import_want (enterprise_id uuid NOT NULL, steward_id uuid NOT NULL, starts_on date NOT NULL,
                    PRIMARY KEY (enterprise_id, steward_id)) ON COMMIT DROP`);
  await em.query(`TRUNCATE import_want`);
  await em.query(
    `INSERT INTO import_want (enterprise_id, steward_id, starts_on)
     SELECT e.id, w.steward_id, COALESCE(w.starts_on, $5::date)
       FROM unnest($2::text[], $3::uuid[], $4::date[]) AS w(credit_code, steward_id, starts_on)
       JOIN enterprise e ON e.district_id = $1 AND e.credit_code = w.credit_code
     ON CONFLICT DO NOTHING`,
    [imp.districtId, pairs.map((p) => p.creditCode), pairs.map((p) => p.stewardId), pairs.map((p) => p.startsOn), today],
  );
  await em.query(`ANALYZE import_want`);
  const ended = await em.query(
    `UPDATE assignment a SET ends_on = GREATEST(a.starts_on, $2::date), ended_by = $3, note = COALESCE(a.note, '包保名单导入时更换')
      WHERE a.district_id = $1 AND a.ends_on IS NULL AND a.enterprise_id IN (SELECT DISTINCT enterprise_id FROM import_want)
        AND NOT EXISTS (SELECT 1 FROM import_want w WHERE w.enterprise_id = a.enterprise_id AND w.steward_id = a.steward_id)
      RETURNING a.id`,
    [imp.districtId, today, imp.actorId],
  );
  const started = await em.query(
    `INSERT INTO assignment (district_id, steward_id, enterprise_id, starts_on, note, created_by)
     SELECT $1, w.steward_id, w.enterprise_id, w.starts_on, '包保名单导入', $2 FROM import_want w
      WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.enterprise_id = w.enterprise_id AND a.steward_id = w.steward_id AND a.ends_on IS NULL)
     RETURNING id`,
    [imp.districtId, imp.actorId],
  );
  return { started: started.length as number, ended: (Array.isArray(ended[0]) ? ended[0].length : ended.length) as number };
}

async function importEnterprises(em: Em, imp: Importer, raw: RawRow[], opts: ImportOptions, problems: RowProblem[], c: Counts) {
  let t = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    opts.onPhase?.(name, now - t);
    t = now;
  };
  let rows = validateAll(raw, validateEnterpriseRow, problems);
  phase('  validate rows');
  problems.push(...duplicateProblems(rows, (r) => r.creditCode, importColumnLabel('enterprises', 'creditCode'), '统一社会信用代码'));
  rows = withoutRejected(rows, problems);

  const areaRows: { id: string; name: string; code: string }[] = await em.query(`SELECT id, name, code FROM area WHERE district_id = $1`, [imp.districtId]);
  const areas = new Map<string, string>();
  for (const a of areaRows) { areas.set(a.name, a.id); areas.set(a.code, a.id); }
  const missing = [...new Set(rows.map((r) => r.area).filter((a) => !areas.has(a)))];
  if (missing.length && opts.createMissingAreas) {
    // A created area gets a placeholder code (Z + hash of its name) the coordinator can correct in 属地.
    const created: { id: string; name: string }[] = await em.query(
      `INSERT INTO area (district_id, code, name, kind)
       SELECT $1, 'Z' || upper(substr(md5(n), 1, 8)), n, k FROM unnest($2::text[], $3::text[]) AS t(n, k)
       ON CONFLICT DO NOTHING RETURNING id, name`,
      [imp.districtId, missing, missing.map(areaKindFromName)],
    );
    for (const a of created) areas.set(a.name, a.id);
    c.areasCreated = created.length;
  }
  for (const r of rows)
    if (!areas.has(r.area))
      problems.push({ row: r.row, column: importColumnLabel('enterprises', 'area'), reason: `属地“${r.area}”不存在；请先在属地页录入，或勾选“自动创建缺少的属地”` });

  const stewards = await stewardsByPhone(em, imp.districtId, [...new Set(rows.flatMap((r) => (r.stewardPhone ? [r.stewardPhone] : [])))]);
  checkStewards('enterprises', rows, stewards, problems);
  rows = withoutRejected(rows, problems);
  phase('  check areas, stewards');

  let done = 0;
  for (const part of chunks(rows)) {
    const cols = [
      part.map((r) => r.creditCode), part.map((r) => areas.get(r.area)!), part.map((r) => r.name), part.map((r) => r.address),
      part.map((r) => r.lat), part.map((r) => r.lng), part.map((r) => r.industry), part.map((r) => r.scale),
      part.map((r) => r.contactName), part.map((r) => r.contactPhone),
    ];
    const U = `unnest($2::text[], $3::uuid[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::text[])
               AS u(credit_code, area_id, name, address, lat, lng, industry, scale, contact_name, contact_phone)`;
    const updated = await em.query(
      `UPDATE enterprise e SET area_id = u.area_id, name = u.name, address = COALESCE(u.address, e.address),
              lat = COALESCE(u.lat, e.lat), lng = COALESCE(u.lng, e.lng), location_confirmed = e.location_confirmed OR u.lat IS NOT NULL,
              industry = COALESCE(u.industry, e.industry), scale = COALESCE(u.scale, e.scale),
              contact_name = COALESCE(u.contact_name, e.contact_name), contact_phone = COALESCE(u.contact_phone, e.contact_phone),
              version = e.version + 1, updated_at = now()
         FROM ${U}
        WHERE e.district_id = $1 AND e.credit_code = u.credit_code
          AND (e.area_id, e.name, e.address, e.lat, e.lng, e.industry, e.scale, e.contact_name, e.contact_phone)
              IS DISTINCT FROM (u.area_id, u.name, COALESCE(u.address, e.address), COALESCE(u.lat, e.lat), COALESCE(u.lng, e.lng),
                                COALESCE(u.industry, e.industry), COALESCE(u.scale, e.scale), COALESCE(u.contact_name, e.contact_name),
                                COALESCE(u.contact_phone, e.contact_phone))
        RETURNING e.id`,
      [imp.districtId, ...cols],
    );
    const inserted = await em.query(
      `INSERT INTO enterprise (district_id, credit_code, area_id, name, address, lat, lng, location_confirmed, industry, scale, contact_name, contact_phone)
       SELECT $1, u.credit_code, u.area_id, u.name, u.address, u.lat, u.lng, u.lat IS NOT NULL, u.industry, COALESCE(u.scale, 'below'), u.contact_name, u.contact_phone
         FROM ${U}
        WHERE NOT EXISTS (SELECT 1 FROM enterprise x WHERE x.district_id = $1 AND x.credit_code = u.credit_code)
       RETURNING id`,
      [imp.districtId, ...cols],
    );
    // TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL.
    c.updated += Array.isArray(updated[0]) ? updated[0].length : updated.length;
    c.created += inserted.length;
    done += part.length;
    opts.onProgress?.(done, rows.length);
  }
  phase('  upsert enterprises');
  const pairs = rows.filter((r) => r.stewardPhone).map((r) => ({ creditCode: r.creditCode, stewardId: stewards.get(r.stewardPhone!)!.id, startsOn: null }));
  const a = await applyAssignments(em, imp, pairs);
  c.assignmentsStarted = a.started;
  c.assignmentsEnded = a.ended;
  phase('  assignments');
}

async function importPeople(em: Em, imp: Importer, raw: RawRow[], opts: ImportOptions, problems: RowProblem[], c: Counts) {
  let rows = validateAll(raw, validatePersonRow, problems);
  problems.push(...duplicateProblems(rows, (r) => r.phone, importColumnLabel('people', 'phone'), '手机号'));
  rows = withoutRejected(rows, problems);
  const deps: { id: string; name: string; short_name: string | null }[] = await em.query(`SELECT id, name, short_name FROM department WHERE district_id = $1 AND active`, [imp.districtId]);
  const depIds = new Map<string, string>();
  for (const d of deps) { depIds.set(d.name, d.id); if (d.short_name) depIds.set(d.short_name, d.id); }
  const existing: { phone: string; roles: string[] }[] = rows.length
    ? await em.query(`SELECT phone, roles FROM person WHERE district_id = $1 AND phone = ANY($2::text[])`, [imp.districtId, rows.map((r) => r.phone)])
    : [];
  const existingRoles = new Map(existing.map((e) => [e.phone, e.roles]));
  for (const r of rows) {
    if (r.department && !depIds.has(r.department))
      problems.push({ row: r.row, column: importColumnLabel('people', 'department'), reason: `部门“${r.department}”不存在，请先在部门页录入` });
    if (!mayGrantRoles(imp, r.roles)) problems.push({ row: r.row, column: importColumnLabel('people', 'roles'), reason: '无权授予所填角色' });
    if (existingRoles.get(r.phone)?.includes('enterprise'))
      problems.push({ row: r.row, column: importColumnLabel('people', 'phone'), reason: '该手机号已登记为企业联系人，不能导入为工作人员' });
  }
  rows = withoutRejected(rows, problems);
  let done = 0;
  for (const part of chunks(rows)) {
    const cols = [part.map((r) => r.phone), part.map((r) => r.name), part.map((r) => r.roles.join(',')), part.map((r) => r.title),
      part.map((r) => (r.department ? depIds.get(r.department)! : null))];
    const U = `unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[]) AS u(phone, name, roles, title, department_id)`;
    // Roles are added, never removed (an import deletes nothing); a change of roles or unit ends old sessions.
    const updated = await em.query(
      `UPDATE person p SET name = u.name, title = COALESCE(u.title, p.title),
              roles = p.roles || ARRAY(SELECT r FROM unnest(string_to_array(u.roles, ',')) r WHERE r <> ALL(p.roles)),
              department_id = COALESCE(u.department_id, p.department_id),
              token_version = p.token_version + CASE WHEN NOT (string_to_array(u.roles, ',') <@ p.roles)
                                                       OR (u.department_id IS NOT NULL AND u.department_id IS DISTINCT FROM p.department_id) THEN 1 ELSE 0 END,
              version = p.version + 1, updated_at = now()
         FROM ${U}
        WHERE p.district_id = $1 AND p.phone = u.phone
          AND (p.name <> u.name OR (u.title IS NOT NULL AND u.title IS DISTINCT FROM p.title) OR NOT (string_to_array(u.roles, ',') <@ p.roles)
               OR (u.department_id IS NOT NULL AND u.department_id IS DISTINCT FROM p.department_id))
        RETURNING p.id`,
      [imp.districtId, ...cols],
    );
    const inserted = await em.query(
      `INSERT INTO person (district_id, name, phone, roles, title, department_id)
       SELECT $1, u.name, u.phone, string_to_array(u.roles, ','), u.title, u.department_id FROM ${U}
        WHERE NOT EXISTS (SELECT 1 FROM person x WHERE x.district_id = $1 AND x.phone = u.phone)
       RETURNING id`,
      [imp.districtId, ...cols],
    );
    c.updated += Array.isArray(updated[0]) ? updated[0].length : updated.length;
    c.created += inserted.length;
    done += part.length;
    opts.onProgress?.(done, rows.length);
  }
}

async function importAssignments(em: Em, imp: Importer, raw: RawRow[], opts: ImportOptions, problems: RowProblem[], c: Counts) {
  let rows = validateAll(raw, validateAssignmentRow, problems);
  problems.push(...duplicateProblems(rows, (r) => `${r.creditCode}|${r.stewardPhone}`, importColumnLabel('assignments', 'stewardPhone'), '企业和干部电话'));
  const ents: { credit_code: string; name: string }[] = rows.length
    ? await em.query(`SELECT credit_code, name FROM enterprise WHERE district_id = $1 AND credit_code = ANY($2::text[])`, [imp.districtId, [...new Set(rows.map((r) => r.creditCode))]])
    : [];
  const entNames = new Map(ents.map((e) => [e.credit_code, e.name]));
  for (const r of rows) {
    const name = entNames.get(r.creditCode);
    if (name === undefined) problems.push({ row: r.row, column: importColumnLabel('assignments', 'creditCode'), reason: '未找到该统一社会信用代码的企业，请先导入企业' });
    else if (r.enterpriseName && normalizeCompanyName(r.enterpriseName) !== normalizeCompanyName(name))
      problems.push({ row: r.row, column: importColumnLabel('assignments', 'enterpriseName'), reason: `企业名称与系统中的“${name}”不一致` });
  }
  const stewards = await stewardsByPhone(em, imp.districtId, [...new Set(rows.map((r) => r.stewardPhone))]);
  checkStewards('assignments', rows, stewards, problems);
  // The list is authoritative per enterprise: if any row of an enterprise is bad, none of its rows apply, so a
  // partly valid list never ends a steward it meant to keep (the rejected file then holds the whole enterprise).
  const badRows = new Set(problems.map((p) => p.row));
  const badCodes = new Set(rows.filter((r) => badRows.has(r.row)).map((r) => r.creditCode));
  for (const r of rows)
    if (!badRows.has(r.row) && badCodes.has(r.creditCode))
      problems.push({ row: r.row, column: importColumnLabel('assignments', 'creditCode'), reason: '同一企业的其他行有误，本企业的包保关系暂不导入' });
  rows = withoutRejected(rows, problems);
  const a = await applyAssignments(em, imp, rows.map((r) => ({ creditCode: r.creditCode, stewardId: stewards.get(r.stewardPhone)!.id, startsOn: r.startsOn })));
  c.created = a.started;
  c.updated = a.ended;
  c.assignmentsStarted = a.started;
  c.assignmentsEnded = a.ended;
  opts.onProgress?.(rows.length, rows.length);
}

/**
 * 重点项目: each new row goes through insertProject (the rules of POST /projects) inside the import's transaction.
 * A project already there, matched by (district, name, owner enterprise), is left as it is (unchanged): projects
 * are edited in the app, an import only creates. References are resolved by credit code, area name, phone and
 * department name, all within the importer's district.
 */
async function importProjects(em: Em, imp: Importer, raw: RawRow[], opts: ImportOptions, problems: RowProblem[], c: Counts) {
  const settings = await getProjectSettings(em, imp.districtId);
  let rows = validateAll(raw, (r) => validateProjectRow(r, settings), problems);
  problems.push(...duplicateProblems(rows, (r) => `${r.creditCode}\u0000${r.name}`, importColumnLabel('projects', 'name'), '项目（同一业主单位、同名）'));
  rows = withoutRejected(rows, problems);
  const col = (k: string) => importColumnLabel('projects', k);
  const codes = [...new Set(rows.map((r) => r.creditCode))];
  const ents: { id: string; credit_code: string; name: string }[] = codes.length
    ? await em.query(`SELECT id, credit_code, name FROM enterprise WHERE district_id = $1 AND credit_code = ANY($2::text[])`, [imp.districtId, codes])
    : [];
  const entByCode = new Map(ents.map((e) => [e.credit_code, e]));
  const areaRows: { id: string; name: string; code: string }[] = await em.query(`SELECT id, name, code FROM area WHERE district_id = $1`, [imp.districtId]);
  const areas = new Map<string, string>();
  for (const a of areaRows) { areas.set(a.name, a.id); areas.set(a.code, a.id); }
  const deps: { id: string; name: string; short_name: string | null }[] = await em.query(`SELECT id, name, short_name FROM department WHERE district_id = $1 AND active`, [imp.districtId]);
  const depIds = new Map<string, string>();
  for (const d of deps) { depIds.set(d.name, d.id); if (d.short_name) depIds.set(d.short_name, d.id); }
  const phones = [...new Set(rows.flatMap((r) => [r.leaderPhone, ...r.stewardPhones]))];
  const people: { id: string; phone: string; roles: string[] }[] = phones.length
    ? await em.query(`SELECT id, phone, roles FROM person WHERE district_id = $1 AND phone = ANY($2::text[]) AND NOT disabled`, [imp.districtId, phones])
    : [];
  const personOf = (phone: string, role: string) => people.find((p) => p.phone === phone && p.roles.includes(role))?.id;
  for (const r of rows) {
    const e = entByCode.get(r.creditCode);
    // Another district's enterprise reads as unknown: the import never says what exists elsewhere.
    if (!e) problems.push({ row: r.row, column: col('creditCode'), reason: '本区县没有该统一社会信用代码的企业，请先导入企业名录' });
    else if (r.ownerName && normalizeCompanyName(r.ownerName) !== normalizeCompanyName(e.name))
      problems.push({ row: r.row, column: col('ownerName'), reason: `业主单位名称与该信用代码登记的“${e.name}”不一致` });
    if (!areas.has(r.area)) problems.push({ row: r.row, column: col('area'), reason: `属地“${r.area}”不存在，请先在属地页录入` });
    if (!depIds.has(r.department)) problems.push({ row: r.row, column: col('department'), reason: `部门“${r.department}”不存在，请先在部门页录入` });
    if (!personOf(r.leaderPhone, 'leader')) problems.push({ row: r.row, column: col('leaderPhone'), reason: `未找到手机号为 ${r.leaderPhone} 的领导，请先导入人员（角色：领导）` });
    for (const p of r.stewardPhones)
      if (!personOf(p, 'steward')) problems.push({ row: r.row, column: col('stewardPhones'), reason: `未找到手机号为 ${p} 的管家，请先导入人员（角色：管家）` });
  }
  rows = withoutRejected(rows, problems);
  const existing: { name: string; enterprise_id: string }[] = rows.length
    ? await em.query(`SELECT name, enterprise_id FROM project WHERE district_id = $1 AND name = ANY($2::text[])`, [imp.districtId, rows.map((r) => r.name)])
    : [];
  const have = new Set(existing.map((p) => `${p.enterprise_id}\u0000${p.name}`));
  // The CLI imports as the platform (no person): the project's created_by and its events then carry no actor.
  const auth: AuthUser = { id: imp.actorId as string, districtId: imp.districtId, roles: [...imp.roles] as AuthUser['roles'], enterpriseId: null, departmentId: null };
  let done = 0;
  for (const r of rows) {
    const enterpriseId = entByCode.get(r.creditCode)!.id;
    if (!have.has(`${enterpriseId}\u0000${r.name}`)) {
      try {
        await insertProject(em as EntityManager, auth, {
          name: r.name, enterpriseId, areaId: areas.get(r.area)!, ...(r.location ? { location: r.location } : {}),
          ...(r.scaleContent ? { scaleContent: r.scaleContent } : {}), ...(r.industry ? { industry: r.industry } : {}),
          nature: r.nature, levels: r.levels, kind: r.kind, startYear: r.startYear, endYear: r.endYear,
          ...(r.plannedStartOn ? { plannedStartOn: r.plannedStartOn } : {}), ...(r.plannedEndOn ? { plannedEndOn: r.plannedEndOn } : {}),
          totalInvestment: r.totalInvestment, funding: r.funding, leaderId: personOf(r.leaderPhone, 'leader')!,
          leadDepartmentId: depIds.get(r.department)!, stewardIds: r.stewardPhones.map((p) => personOf(p, 'steward')!), stage: r.stage,
        }, new Date(), settings);
        c.created++;
      } catch (e) {
        // A rule of createProject the row check did not catch (it throws before writing): the row is rejected.
        if (!(e instanceof AppError)) throw e;
        const details = e.details?.length ? e.details : [{ path: '', message: e.message }];
        for (const d of details) problems.push({ row: r.row, column: col('name'), reason: d.message });
      }
    }
    done++;
    if (done % 50 === 0 || done === rows.length) opts.onProgress?.(done, rows.length);
  }
}

const IMPORTERS: Partial<Record<ImportKind, typeof importEnterprises>> = {
  enterprises: importEnterprises, people: importPeople, assignments: importAssignments, projects: importProjects,
};

/** The kinds this server imports. */
export function importableKinds(): ImportKind[] {
  return Object.keys(IMPORTERS) as ImportKind[];
}

/**
 * Imports one file. Returns the outcome; a dry run (or a file whose every row is rejected) writes no roster data.
 * The run itself (counts and rejected rows) is kept in import_run for the rejected-rows download.
 */
export async function runImport(db: DataSource, imp: Importer, kind: ImportKind, file: Buffer, opts: ImportOptions): Promise<ImportOutcome> {
  const run = IMPORTERS[kind];
  if (!run) throw new AppError('IMPORT_KIND_INVALID');
  let t = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    opts.onPhase?.(name, now - t);
    t = now;
  };
  const sheet = await readSheet(file);
  phase('read');
  const { raw, unknown } = toRaw(kind, sheet);
  const sha = crypto.createHash('sha256').update(file).digest('hex');
  const problems: RowProblem[] = [];
  const c: Counts = { created: 0, updated: 0, areasCreated: 0, assignmentsStarted: 0, assignmentsEnded: 0 };
  const id = crypto.randomUUID();
  const fileName = opts.fileName.replace(/[\u0000-\u001f\\/:*?"<>|]/g, '').slice(0, 128) || '导入文件';

  const record = async (em: Em) => {
    const rejectedRows = rejectedRowsOf(sheet, problems);
    await em.query(
      `INSERT INTO import_run (id, district_id, kind, dry_run, file_name, file_sha256, total_rows, created, updated, unchanged, rejected, headers, rejected_rows, actor_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
      [id, imp.districtId, kind, opts.dryRun, fileName, sha, raw.length, c.created, c.updated, unchangedOf(raw.length, rejectedRows.length, c, kind),
       rejectedRows.length, JSON.stringify(sheet.headers), JSON.stringify(rejectedRows), imp.actorId],
    );
    return rejectedRows.length;
  };

  try {
    await db.transaction(async (em) => {
      // One import per district and kind at a time: a second waits rather than racing on the same keys.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('import:' || $1 || ':' || $2))`, [imp.districtId, kind]);
      phase('lock');
      await run(em, imp, raw, { ...opts, onPhase: (n, ms) => opts.onPhase?.(n, ms) }, problems, c);
      phase('validate+write');
      if (opts.dryRun) throw new Rollback();
      const rejected = await record(em);
      await recordAudit(em as EntityManager, {
        districtId: imp.districtId, actorId: imp.actorId, action: `import.${kind}`, entityType: 'import_run', entityId: id,
        data: { fileName, sha256: sha, rows: raw.length, created: c.created, updated: c.updated, rejected, areasCreated: c.areasCreated,
          assignmentsStarted: c.assignmentsStarted, assignmentsEnded: c.assignmentsEnded },
      });
    });
    phase('commit');
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    phase('rollback');
    await record(db);
    phase('record');
  }
  const rejectedCount = new Set(problems.map((p) => p.row)).size;
  problems.sort((a, b) => a.row - b.row);
  return {
    id, kind, dryRun: opts.dryRun, fileName, totalRows: raw.length, created: c.created, updated: c.updated,
    unchanged: unchangedOf(raw.length, rejectedCount, c, kind), rejected: rejectedCount,
    areasCreated: c.areasCreated, assignmentsStarted: c.assignmentsStarted, assignmentsEnded: c.assignmentsEnded,
    unknownHeaders: unknown, problems: problems.slice(0, MAX_PROBLEMS_IN_RESPONSE), createdAt: new Date().toISOString(),
  };
}

/** Valid rows that changed nothing. For 包保 lists a row is one pair; created counts started pairs. */
function unchangedOf(total: number, rejected: number, c: Counts, kind: ImportKind): number {
  const changedRows = kind === 'assignments' ? c.assignmentsStarted : c.created + c.updated;
  return Math.max(0, total - rejected - changedRows);
}

/** The rejected rows as they were in the file, with their reasons joined (one row of the download each). */
function rejectedRowsOf(sheet: SheetText, problems: RowProblem[]): { row: number; cells: string[]; reason: string }[] {
  const reasons = new Map<number, string[]>();
  for (const p of problems) reasons.set(p.row, [...(reasons.get(p.row) ?? []), `${p.column}：${p.reason}`]);
  return sheet.rows.filter((r) => reasons.has(r.row)).map((r) => ({ row: r.row, cells: r.cells, reason: reasons.get(r.row)!.join('；') }));
}

/** Reads a run of the caller's district (404 for another district's). */
export async function getImportRun(db: Em, auth: Pick<AuthUser, 'districtId' | 'roles'>, id: string) {
  const [r] = await db.query(`SELECT id, district_id, kind, dry_run, file_name, headers, rejected_rows FROM import_run WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
  if (!r || !mayReadImportRun(auth, r)) throw new AppError('NOT_FOUND');
  return r as { id: string; kind: ImportKind; dry_run: boolean; file_name: string; headers: string[]; rejected_rows: { row: number; cells: string[]; reason: string }[] };
}

/** Column labels of a kind's template, in order. */
export function templateColumns(kind: ImportKind) {
  return IMPORT_COLUMNS[kind];
}
