import type { DataSource } from 'typeorm';
import { stageAtLeast, sumYuan, type BatchKind, type ProjectStage } from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { recordAudit } from '../audit/audit';
import type { AuthUser } from '../../lib/principal';

/**
 * 三个一批 (ADR 0009): rolling batches (第N期) whose entries are 签约一批 / 开工一批 / 投产一批 with a promised date.
 * 兑现 is computed from the stage history, never ticked by hand: a 签约 entry is fulfilled when the project first
 * reached 开工 (or later), a 开工 entry when it reached 投产, a 投产 entry when it reached 达效. A project certified
 * 达效 (stage `effective` now) has left the rolling list (调出) but stays in the batch's history.
 */
const TARGET: Record<BatchKind, ProjectStage> = { sign: 'started', start: 'producing', produce: 'effective' };

type EntryRow = { project_id: string; name: string; stage: ProjectStage; total: string; kind: BatchKind; promised_on: string; reached: Record<string, string> | null };

/** The date a project first reached each stage (advance events; a later revert does not erase the first arrival). */
const REACHED_SQL = `(SELECT json_object_agg(to_stage, first_on) FROM (
    SELECT ev.to_stage, to_char(min(ev.occurred_on), 'YYYY-MM-DD') AS first_on FROM project_stage_event ev
     WHERE ev.project_id = p.id AND ev.action IN ('create','advance') GROUP BY ev.to_stage) x)`;

function fulfilledOn(kind: BatchKind, reached: Record<string, string>): string | null {
  const dates = Object.entries(reached).filter(([stage]) => stageAtLeast(stage as ProjectStage, TARGET[kind])).map(([, d]) => d).sort();
  return dates[0] ?? null;
}

type BatchRow = { id: string; no: number; name: string; starts_on: string; ends_on: string };

/** The batches with their entries: one statement for the entries of all of them. */
async function batchViews(db: DataSource, auth: AuthUser, batches: BatchRow[]) {
  const rows: (EntryRow & { batch_id: string })[] = batches.length
    ? await db.query(
      `SELECT be.batch_id, be.project_id, p.name, p.stage, p.total_investment::text AS total, be.kind, to_char(be.promised_on, 'YYYY-MM-DD') AS promised_on, ${REACHED_SQL} AS reached
         FROM project_batch_entry be JOIN project p ON p.id = be.project_id WHERE be.batch_id = ANY($1::uuid[]) AND p.district_id = $2 ORDER BY be.kind, p.name`,
      [batches.map((b) => b.id), auth.districtId],
    )
    : [];
  return batches.map((b) => batchView(b, rows.filter((r) => r.batch_id === b.id)));
}

function batchView(b: BatchRow, rows: EntryRow[]) {
  const entries = rows.map((r) => {
    const on = fulfilledOn(r.kind, r.reached ?? {});
    return {
      project: { id: r.project_id, name: r.name, stage: r.stage, totalInvestment: r.total },
      kind: r.kind, promisedOn: r.promised_on, fulfilled: on !== null, fulfilledOn: on, removed: r.stage === 'effective',
    };
  });
  const byKind: Record<string, { projects: number; fulfilled: number; totalInvestment: string }> = {};
  for (const k of ['sign', 'start', 'produce'] as const) {
    const es = entries.filter((e) => e.kind === k);
    byKind[k] = { projects: es.length, fulfilled: es.filter((e) => e.fulfilled).length, totalInvestment: sumYuan(es.map((e) => e.project.totalInvestment)).toString() };
  }
  const kept = entries.filter((e) => !e.removed);
  return {
    id: b.id, no: b.no, name: b.name, startsOn: b.starts_on, endsOn: b.ends_on,
    summary: {
      projects: entries.length, totalInvestment: sumYuan(entries.map((e) => e.project.totalInvestment)).toString(),
      removed: entries.length - kept.length, inLibrary: kept.length, inLibraryInvestment: sumYuan(kept.map((e) => e.project.totalInvestment)).toString(), byKind,
    },
    entries,
  };
}

const BATCH_COLS = `id, no, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on`;

/** GET /project-batches */
export async function listBatches(db: DataSource, auth: AuthUser) {
  // 第N期 batches: a handful a year; the bound is a guard, not a page.
  const rows: BatchRow[] = await db.query(`SELECT ${BATCH_COLS} FROM project_batch WHERE district_id = $1 ORDER BY no LIMIT 200`, [auth.districtId]);
  return batchViews(db, auth, rows);
}

/** GET /project-batches/:id */
export async function getBatch(db: DataSource, auth: AuthUser, id: string) {
  const [b] = await db.query(`SELECT ${BATCH_COLS} FROM project_batch WHERE id = $1 AND district_id = $2`, [id, auth.districtId]);
  if (!b) throw new AppError('PROJECT_BATCH_NOT_FOUND');
  return (await batchViews(db, auth, [b]))[0];
}

/** POST /project-batches (coordinators) */
export async function createBatch(db: DataSource, auth: AuthUser, body: { no: number; name?: string; startsOn: string; endsOn: string }) {
  if (body.endsOn < body.startsOn) throw new AppError('PROJECT_DATE_ORDER', [{ path: '/body/endsOn', message: '期间止不能早于期间起' }]);
  const id = await db.transaction(async (em) => {
    const [dup] = await em.query(`SELECT 1 FROM project_batch WHERE district_id = $1 AND no = $2`, [auth.districtId, body.no]);
    if (dup) throw new AppError('DUPLICATE', [{ path: '/body/no', message: `第${body.no}期已存在` }]);
    const [row] = await em.query(
      `INSERT INTO project_batch (district_id, no, name, starts_on, ends_on) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
      [auth.districtId, body.no, body.name?.trim() || `第${body.no}期“三个一批”`, body.startsOn, body.endsOn],
    );
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project_batch.created', entityType: 'project_batch', entityId: row.id, data: body });
    return row.id as string;
  });
  return getBatch(db, auth, id);
}

/** POST /project-batches/:id/entries (coordinators): a project enters one of the three lists. */
export async function addBatchEntry(db: DataSource, auth: AuthUser, batchId: string, body: { projectId: string; kind: BatchKind; promisedOn: string }) {
  await db.transaction(async (em) => {
    const [b] = await em.query(`SELECT 1 FROM project_batch WHERE id = $1 AND district_id = $2`, [batchId, auth.districtId]);
    if (!b) throw new AppError('PROJECT_BATCH_NOT_FOUND');
    const [p] = await em.query(`SELECT 1 FROM project WHERE id = $1 AND district_id = $2`, [body.projectId, auth.districtId]);
    if (!p) throw new AppError('PROJECT_REFERENCE_INVALID', [{ path: '/body/projectId', message: '项目不存在或不属于本区县' }]);
    const [dup] = await em.query(`SELECT 1 FROM project_batch_entry WHERE batch_id = $1 AND project_id = $2`, [batchId, body.projectId]);
    if (dup) throw new AppError('PROJECT_BATCH_ENTRY_EXISTS', [{ path: '/body/projectId', message: '该项目已列入本批次' }]);
    await em.query(`INSERT INTO project_batch_entry (batch_id, project_id, kind, promised_on) VALUES ($1,$2,$3,$4)`, [batchId, body.projectId, body.kind, body.promisedOn]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'project_batch.entry_added', entityType: 'project_batch', entityId: batchId, data: body });
  });
  return getBatch(db, auth, batchId);
}
