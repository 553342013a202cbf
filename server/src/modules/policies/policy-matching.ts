import type { EntityManager } from 'typeorm';
import { evaluateEligibility, shanghaiDate, type Eligibility, type EligibilityResult } from '@guanjia/shared';
import { PROFILE_SELECT, toEligibilityProfile, type ProfileRow } from './profile.service';

type Q = Pick<EntityManager, 'query'>;

/** Enterprise profiles are read in pages of this size, so matching a 30,000-enterprise district never holds them all. */
const BATCH = 1000;

export type Evaluated = { enterpriseId: string; name: string; areaId: string; result: EligibilityResult };

/** Names the explanation uses (areas, libraries of the district). */
export async function explanationNames(db: Q, districtId: string) {
  const areas: { id: string; name: string }[] = await db.query(`SELECT id, name FROM area WHERE district_id = $1`, [districtId]);
  const libs: { id: string; name: string }[] = await db.query(`SELECT id, name FROM enterprise_library WHERE district_id = $1`, [districtId]);
  return { areaNames: Object.fromEntries(areas.map((a) => [a.id, a.name])), libraryNames: Object.fromEntries(libs.map((l) => [l.id, l.name])) };
}

/**
 * Evaluates an eligibility document for every enterprise of the district, page by page, with the one pure
 * function (ADR 0014: matching runs in TypeScript so every match carries its explanation). `visit` receives each
 * page's results; the caller decides what to keep.
 */
export async function evaluateDistrict(db: Q, districtId: string, e: Eligibility, visit: (rows: Evaluated[]) => Promise<void> | void, now = new Date()): Promise<void> {
  const ctx = { today: shanghaiDate(now), ...(await explanationNames(db, districtId)) };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: ProfileRow[] = await db.query(
      `SELECT ${PROFILE_SELECT} FROM enterprise e WHERE e.district_id = $1 AND e.id > $2 ORDER BY e.id LIMIT ${BATCH}`, [districtId, after]);
    if (!rows.length) return;
    await visit(rows.map((r) => ({ enterpriseId: r.id, name: r.name, areaId: r.area_id, result: evaluateEligibility(e, toEligibilityProfile(r), ctx) })));
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}
