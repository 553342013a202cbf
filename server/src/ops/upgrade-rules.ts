import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rolling upgrades (docs/operations.md "Upgrades"): during one, the previous release's processes run against the
 * new schema. So a migration is "expand only" — it adds (tables, nullable or defaulted columns, indexes, relaxed
 * constraints) and never removes, renames, retypes or tightens what the previous release reads or writes.
 * Removing ("contract") waits for the release after the one that stopped using the thing.
 */

/** The previous release: its commit (upgrade.test.ts runs its server on the new schema) and its last migration. */
export const PREVIOUS_RELEASE = { commit: '760a107', lastMigration: 'Projects1764450000000' };

/** Statements a rolling upgrade cannot survive, with the reason the check gives. */
const CONTRACT_PATTERNS: [RegExp, string][] = [
  [/\bDROP\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|FUNCTION|TYPE)\b/i, 'drops an object the previous release may use'],
  [/\bDROP\s+COLUMN\b/i, 'drops a column the previous release may read or write'],
  [/\bRENAME\b/i, 'renames something the previous release names'],
  [/\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b/i, 'changes a column type'],
  [/\bSET\s+NOT\s+NULL\b/i, 'makes a column required that the previous release may leave empty'],
  [/\bADD\s+COLUMN\s+(IF\s+NOT\s+EXISTS\s+)?\S+\s+[^,;]*\bNOT\s+NULL\b(?![^,;]*\bDEFAULT\b)/i, 'adds a required column without a default (the previous release does not fill it)'],
  [/\bADD\s+CONSTRAINT\b(?![^;]*\bNOT\s+VALID\b)/i, 'adds a constraint the previous release may violate (add it NOT VALID in an expand step, validate later)'],
];

/**
 * Deliberate steps the pattern check flags, with why each is safe for the previous release running beside it.
 */
export const CONTRACT_EXCEPTIONS: Record<string, string> = {
  // The 督办单 status check is replaced by a wider one (adds 'closed'): every status the previous release writes
  // ('issued', 'acknowledged', 'done') stays allowed, and existing rows already satisfy it.
  WorkStates1764490000001: 'widens supervision_status_check; no status the previous release writes is refused',
  // The visit status check gains 'rejected' (异常签到 驳回); the previous release's statuses all stay allowed.
  VisitReviewRejected1764490000010: 'widens visit_status_check; no status the previous release writes is refused',
};

/** The SQL a migration's up() issues, recorded without a database (the migrations here only issue statements). */
export async function upStatements(m: MigrationInterface): Promise<string[]> {
  const sql: string[] = [];
  const fake = { query: async (q: string) => { sql.push(q); return []; } } as unknown as QueryRunner;
  await m.up(fake);
  return sql;
}

/** Why a statement is not expand-only, or null. */
export function contractReason(sql: string): string | null {
  for (const [re, why] of CONTRACT_PATTERNS) if (re.test(sql)) return why;
  return null;
}
