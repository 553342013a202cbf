import type { DataSource, EntityManager } from 'typeorm';
import {
  sectionOfDivision, type CertificationCreate, type EligibilityProfile, type EnterpriseProfile, type EnterpriseProfileUpdate, type Library,
  type LibraryCreate, type MembershipCreate, type MembershipEnd,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import { enterpriseStandingOf, type EnterpriseStanding } from '../enterprises/enterprise.policy';
import { recordAudit } from '../audit/audit';
import { sqlParams } from '../../lib/sql';

/**
 * The enterprise profile (一企一档) a policy can depend on: extra columns on `enterprise`, certifications and
 * library memberships. Who sees it: district-wide roles, the enterprise's current stewards and the enterprise
 * itself. Who edits it: the coordinator/admin and the enterprise's current stewards; every change is audited.
 */

type Q = Pick<DataSource, 'query'> | EntityManager;

/** Sees the profile (enterprise.policy.ts), or NOT_FOUND (another district, not theirs); returns the caller's standing. */
async function assertSees(db: Q, auth: AuthUser, enterpriseId: string): Promise<EnterpriseStanding> {
  const rows = await db.query(`SELECT 1 FROM enterprise WHERE id = $1 AND district_id = $2`, [enterpriseId, auth.districtId]);
  if (!rows.length) throw new AppError('NOT_FOUND');
  const standing = await enterpriseStandingOf(db, auth, { id: enterpriseId, district_id: auth.districtId });
  if (!standing.seesProfile) throw new AppError('NOT_FOUND');
  return standing;
}

async function assertEdits(db: Q, auth: AuthUser, enterpriseId: string): Promise<void> {
  const standing = await assertSees(db, auth, enterpriseId);
  if (!standing.editsProfile) throw new AppError('PROFILE_EDIT_FORBIDDEN');
}

/** The SQL selecting the evaluation profile of enterprises `e` (certifications and memberships as JSON). */
export const PROFILE_SELECT = `e.id, e.name, e.area_id, e.industry_section, e.industry_division, e.size_class, e.scale = 'above' AS above_scale,
  e.founded_on::text AS founded_on, e.employees, e.revenue_band, e.tax_band,
  COALESCE((SELECT json_agg(json_build_object('kind', c.kind, 'certifiedOn', c.certified_on::text, 'expiresOn', c.expires_on::text))
            FROM enterprise_certification c WHERE c.enterprise_id = e.id), '[]'::json) AS certifications,
  COALESCE((SELECT json_agg(json_build_object('libraryId', m.library_id, 'joinedOn', m.joined_on::text, 'leftOn', m.left_on::text))
            FROM library_membership m WHERE m.enterprise_id = e.id), '[]'::json) AS libraries`;

export type ProfileRow = {
  id: string; name: string; area_id: string; industry_section: string | null; industry_division: string | null; size_class: EligibilityProfile['sizeClass'];
  above_scale: boolean; founded_on: string | null; employees: number | null; revenue_band: EligibilityProfile['revenueBand']; tax_band: EligibilityProfile['taxBand'];
  certifications: EligibilityProfile['certifications']; libraries: EligibilityProfile['libraries'];
};

/** A profile row → the shape the pure eligibility function reads. */
export function toEligibilityProfile(r: ProfileRow): EligibilityProfile {
  return {
    areaId: r.area_id, industrySection: r.industry_section, industryDivision: r.industry_division, sizeClass: r.size_class, aboveScale: r.above_scale,
    foundedOn: r.founded_on, employees: r.employees, revenueBand: r.revenue_band, taxBand: r.tax_band,
    certifications: r.certifications, libraries: r.libraries,
  };
}

/** Reads the profile with its certifications and library history. */
export async function getProfile(db: DataSource, auth: AuthUser, enterpriseId: string): Promise<EnterpriseProfile> {
  const standing = await assertSees(db, auth, enterpriseId);
  const [e] = await db.query(
    `SELECT e.id, e.name, e.area_id, a.name AS area_name, e.industry, e.industry_section, e.industry_division, e.size_class, e.scale,
            e.founded_on::text AS founded_on, e.employees, e.revenue_band, e.tax_band, e.version
       FROM enterprise e JOIN area a ON a.id = e.area_id WHERE e.id = $1`, [enterpriseId]);
  const certs = await db.query(
    `SELECT id, kind, certified_on::text AS certified_on, expires_on::text AS expires_on, certificate_no FROM enterprise_certification
      WHERE enterprise_id = $1 ORDER BY certified_on DESC, id`, [enterpriseId]);
  const libs = await db.query(
    `SELECT m.id, m.library_id, l.name, m.joined_on::text AS joined_on, m.left_on::text AS left_on, m.note
       FROM library_membership m JOIN enterprise_library l ON l.id = m.library_id WHERE m.enterprise_id = $1 ORDER BY m.joined_on DESC, m.id`, [enterpriseId]);
  return {
    enterpriseId: e.id, name: e.name, area: { id: e.area_id, name: e.area_name }, industry: e.industry, industrySection: e.industry_section?.trim() ?? null,
    industryDivision: e.industry_division, sizeClass: e.size_class, aboveScale: e.scale === 'above', foundedOn: e.founded_on, employees: e.employees,
    revenueBand: e.revenue_band, taxBand: e.tax_band,
    certifications: certs.map((c: Record<string, string | null>) => ({ id: c.id!, kind: c.kind as never, certifiedOn: c.certified_on!, expiresOn: c.expires_on, certificateNo: c.certificate_no })),
    libraries: libs.map((m: Record<string, string | null>) => ({ id: m.id!, library: { id: m.library_id!, name: m.name! }, joinedOn: m.joined_on!, leftOn: m.left_on, note: m.note })),
    version: e.version,
    canEdit: standing.editsProfile,
  };
}

/** Optimistic profile update (version guard); fields absent stay, null clears. Audited with the changed fields. */
export async function updateProfile(db: DataSource, auth: AuthUser, enterpriseId: string, b: EnterpriseProfileUpdate): Promise<EnterpriseProfile> {
  await assertEdits(db, auth, enterpriseId);
  if (b.industryDivision && b.industrySection !== undefined && b.industrySection !== null && sectionOfDivision(b.industryDivision) !== b.industrySection)
    throw new AppError('VALIDATION_FAILED', [{ path: '/body/industryDivision', message: '行业大类不属于所选门类' }]);
  if (b.industryDivision && sectionOfDivision(b.industryDivision) === null)
    throw new AppError('VALIDATION_FAILED', [{ path: '/body/industryDivision', message: '行业大类须为 GB/T 4754 两位大类代码' }]);
  const cols: [string, unknown][] = [];
  const set = (col: string, v: unknown) => { if (v !== undefined) cols.push([col, v]); };
  set('industry_section', b.industrySection ?? (b.industryDivision ? sectionOfDivision(b.industryDivision) : b.industrySection));
  set('industry_division', b.industryDivision);
  set('size_class', b.sizeClass);
  set('scale', b.aboveScale === undefined ? undefined : b.aboveScale ? 'above' : 'below');
  set('founded_on', b.foundedOn);
  set('employees', b.employees);
  set('revenue_band', b.revenueBand);
  set('tax_band', b.taxBand);
  await db.transaction(async (em) => {
    const { params, p } = sqlParams([enterpriseId, auth.districtId, b.version]);
    const sets = cols.map(([c, v]) => `${c} = ${p(v)}`);
    // TypeORM returns [rows, affected] for UPDATE … RETURNING
    const [rows] = await em.query(
      `UPDATE enterprise SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 AND district_id = $2 AND version = $3 RETURNING id`, params);
    if (!rows.length) throw new AppError('VERSION_CONFLICT');
    const { version: _v, ...changed } = b;
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.profile_updated', entityType: 'enterprise', entityId: enterpriseId, data: changed });
  });
  return getProfile(db, auth, enterpriseId);
}

export async function addCertification(db: DataSource, auth: AuthUser, enterpriseId: string, b: CertificationCreate): Promise<EnterpriseProfile> {
  await assertEdits(db, auth, enterpriseId);
  if (b.expiresOn && b.expiresOn < b.certifiedOn) throw new AppError('VALIDATION_FAILED', [{ path: '/body/expiresOn', message: '有效期不能早于认定日期' }]);
  await db.transaction(async (em) => {
    const [row] = await em.query(
      `INSERT INTO enterprise_certification (district_id, enterprise_id, kind, certified_on, expires_on, certificate_no, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (enterprise_id, kind, certified_on) DO NOTHING RETURNING id`,
      [auth.districtId, enterpriseId, b.kind, b.certifiedOn, b.expiresOn ?? null, b.certificateNo ?? null, auth.id]);
    if (!row) throw new AppError('DUPLICATE', [{ path: '/body/certifiedOn', message: '该资质在这一天的认定已登记' }]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.certification_added', entityType: 'enterprise', entityId: enterpriseId, data: { ...b } });
  });
  return getProfile(db, auth, enterpriseId);
}

export async function removeCertification(db: DataSource, auth: AuthUser, enterpriseId: string, certificationId: string): Promise<EnterpriseProfile> {
  await assertEdits(db, auth, enterpriseId);
  await db.transaction(async (em) => {
    const [[row]] = await em.query(`DELETE FROM enterprise_certification WHERE id = $1 AND enterprise_id = $2 RETURNING kind, certified_on::text AS certified_on`, [certificationId, enterpriseId]);
    if (!row) throw new AppError('NOT_FOUND');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.certification_removed', entityType: 'enterprise', entityId: enterpriseId, data: row });
  });
  return getProfile(db, auth, enterpriseId);
}

/** The district's libraries (培育库) with their current member counts. */
export async function listLibraries(db: DataSource, auth: AuthUser): Promise<Library[]> {
  const rows = await db.query(
    `SELECT l.id, l.name, l.description, (SELECT count(*)::int FROM library_membership m WHERE m.library_id = l.id AND m.left_on IS NULL) AS members
       FROM enterprise_library l WHERE l.district_id = $1 ORDER BY l.name LIMIT 200`, [auth.districtId]);
  return rows;
}

export async function createLibrary(db: DataSource, auth: AuthUser, b: LibraryCreate): Promise<Library> {
  return db.transaction(async (em) => {
    const [row] = await em.query(
      `INSERT INTO enterprise_library (district_id, name, description) VALUES ($1,$2,$3) ON CONFLICT (district_id, name) DO NOTHING RETURNING id, name, description`,
      [auth.districtId, b.name.trim(), b.description ?? null]);
    if (!row) throw new AppError('DUPLICATE', [{ path: '/body/name', message: '同名培育库已存在' }]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'library.created', entityType: 'enterprise_library', entityId: row.id, data: { name: b.name } });
    return { ...row, members: 0 };
  });
}

/** Puts the enterprise into a library from a date (one open membership per library). */
export async function addMembership(db: DataSource, auth: AuthUser, enterpriseId: string, b: MembershipCreate): Promise<EnterpriseProfile> {
  await assertEdits(db, auth, enterpriseId);
  await db.transaction(async (em) => {
    const lib = await em.query(`SELECT 1 FROM enterprise_library WHERE id = $1 AND district_id = $2`, [b.libraryId, auth.districtId]);
    if (!lib.length) throw new AppError('VALIDATION_FAILED', [{ path: '/body/libraryId', message: '培育库不存在' }]);
    const [row] = await em.query(
      `INSERT INTO library_membership (district_id, library_id, enterprise_id, joined_on, note, created_by) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (library_id, enterprise_id) WHERE left_on IS NULL DO NOTHING RETURNING id`,
      [auth.districtId, b.libraryId, enterpriseId, b.joinedOn, b.note ?? null, auth.id]);
    if (!row) throw new AppError('DUPLICATE', [{ path: '/body/libraryId', message: '该企业已在此培育库中' }]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.library_joined', entityType: 'enterprise', entityId: enterpriseId, data: { ...b } });
  });
  return getProfile(db, auth, enterpriseId);
}

/** Ends a membership (出库); the row stays as history. */
export async function endMembership(db: DataSource, auth: AuthUser, enterpriseId: string, membershipId: string, b: MembershipEnd): Promise<EnterpriseProfile> {
  await assertEdits(db, auth, enterpriseId);
  await db.transaction(async (em) => {
    const [m] = await em.query(`SELECT joined_on::text AS joined_on, left_on FROM library_membership WHERE id = $1 AND enterprise_id = $2 FOR UPDATE`, [membershipId, enterpriseId]);
    if (!m) throw new AppError('NOT_FOUND');
    if (m.left_on) throw new AppError('CONFLICT', [{ path: '/body/leftOn', message: '该入库记录已出库' }]);
    if (b.leftOn < m.joined_on) throw new AppError('VALIDATION_FAILED', [{ path: '/body/leftOn', message: '出库日期不能早于入库日期' }]);
    await em.query(`UPDATE library_membership SET left_on = $2 WHERE id = $1`, [membershipId, b.leftOn]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'enterprise.library_left', entityType: 'enterprise', entityId: enterpriseId, data: { membershipId, ...b } });
  });
  return getProfile(db, auth, enterpriseId);
}
