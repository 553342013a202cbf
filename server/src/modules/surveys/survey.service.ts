import type { DataSource, EntityManager } from 'typeorm';
import {
  shanghaiDate, surveyPhase, validateAnswers, validateQuestions, type Question, type Survey, type SurveyAnswerBody, type SurveyCreate,
  type SurveyResults, type SurveyTarget, type SurveyUpdate,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { decodeCursor, toPage, type Page } from '../../lib/keyset';
import { sqlParams } from '../../lib/sql';
import type { AuthUser } from '../../lib/principal';
import { applyVisibility } from '../../lib/policy';
import { needsTargetCheck, seesDrafts, surveyAccess, surveyVisibilitySql } from './survey.policy';
import { recordAudit } from '../audit/audit';
import { notify } from '../notifications/notify';

/**
 * 问卷 (ADR 0014, ADR 0014). Coordinators build and publish; targeted enterprises answer once; results are tallied
 * in SQL. Anonymous surveys: the response row carries no enterprise, and no endpoint or export ever joins it back.
 */

type Q = Pick<DataSource, 'query'> | EntityManager;

const SURVEY_SELECT = `s.id, s.title, s.intro, s.anonymous, s.target, s.opens_on::text AS opens_on, s.closes_on::text AS closes_on, s.questions, s.status, s.version, s.created_at`;
type SurveyRow = {
  id: string; title: string; intro: string; anonymous: boolean; target: SurveyTarget; opens_on: string; closes_on: string; questions: Question[];
  status: 'draft' | 'open'; version: number; created_at: Date; answered?: boolean | null;
};

function present(r: SurveyRow, today: string): Survey {
  return {
    id: r.id, title: r.title, intro: r.intro, anonymous: r.anonymous, target: r.target, opensOn: r.opens_on, closesOn: r.closes_on, questions: r.questions,
    status: r.status, phase: surveyPhase({ status: r.status, opensOn: r.opens_on, closesOn: r.closes_on }, today), answered: r.answered ?? null,
    version: r.version, createdAt: new Date(r.created_at).toISOString(),
  };
}


/** The SQL condition "enterprise `e` is targeted by this survey" (params through `p`). */
export function targetSql(t: SurveyTarget, p: (v: unknown) => string): string {
  switch (t.kind) {
    case 'all': return 'TRUE';
    case 'area': return `e.area_id = ANY(${p(t.ids ?? [])}::uuid[])`;
    case 'tag': return `${p(t.tag ?? '')} = ANY(e.tags)`;
    case 'library': return `EXISTS (SELECT 1 FROM library_membership lm WHERE lm.enterprise_id = e.id AND lm.library_id = ANY(${p(t.ids ?? [])}::uuid[]) AND lm.left_on IS NULL)`;
    case 'policy': return `EXISTS (SELECT 1 FROM policy_match pm WHERE pm.enterprise_id = e.id AND pm.policy_id = ANY(${p(t.ids ?? [])}::uuid[]) AND pm.outcome = 'met')`;
  }
}

async function checkSurvey(db: Q, auth: AuthUser, b: Pick<SurveyCreate, 'target' | 'questions' | 'opensOn' | 'closesOn'>) {
  const issues = validateQuestions(b.questions);
  if (b.closesOn < b.opensOn) issues.push({ path: '/body/closesOn', message: '截止日期不能早于开始日期' });
  const t = b.target;
  if (t.kind === 'tag' && !t.tag) issues.push({ path: '/body/target/tag', message: '请填写企业标签' });
  if (['area', 'library', 'policy'].includes(t.kind)) {
    const table = { area: 'area', library: 'enterprise_library', policy: 'policy' }[t.kind as 'area'];
    const ids = [...new Set(t.ids ?? [])];
    const found = ids.length ? await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1::uuid[]) AND district_id = $2`, [ids, auth.districtId]) : [{ n: 0 }];
    if (!ids.length || found[0].n !== ids.length) issues.push({ path: '/body/target/ids', message: '所选属地、培育库或政策不存在' });
  }
  if (issues.length) throw new AppError('SURVEY_INVALID', issues);
}

async function load(db: Q, auth: AuthUser, id: string, lock = false): Promise<SurveyRow> {
  const [r] = await db.query(`SELECT ${SURVEY_SELECT} FROM survey s WHERE s.id = $1 AND s.district_id = $2${lock ? ' FOR UPDATE' : ''}`, [id, auth.districtId]);
  if (!r || (r.status === 'draft' && !seesDrafts(auth))) throw new AppError('SURVEY_NOT_FOUND');
  return r;
}

/** Is the caller's enterprise targeted by the survey? */
async function targets(db: Q, s: SurveyRow, enterpriseId: string): Promise<{ area_id: string } | undefined> {
  const { params, p } = sqlParams([enterpriseId]);
  const [row] = await db.query(`SELECT e.area_id FROM enterprise e WHERE e.id = $1 AND ${targetSql(s.target, p)}`, params);
  return row;
}

/** Reads a survey: builders see all; an enterprise sees a published one that targets it; district-wide roles published ones. */
export async function getSurvey(db: DataSource, auth: AuthUser, id: string, now = new Date()): Promise<Survey> {
  const s = await load(db, auth, id);
  if (needsTargetCheck(auth)) {
    const targeted = !!auth.enterpriseId && !!(await targets(db, s, auth.enterpriseId));
    if (!surveyAccess(auth, { district_id: auth.districtId, status: s.status }, targeted).canSee) throw new AppError('SURVEY_NOT_FOUND');
    const ans = await db.query(`SELECT 1 FROM survey_respondent WHERE survey_id = $1 AND enterprise_id = $2`, [id, auth.enterpriseId]);
    s.answered = ans.length > 0;
  }
  return present(s, shanghaiDate(now));
}

export async function createSurvey(db: DataSource, auth: AuthUser, b: SurveyCreate): Promise<Survey> {
  await checkSurvey(db, auth, b);
  const id = await db.transaction(async (em) => {
    const [r] = await em.query(
      `INSERT INTO survey (district_id, title, intro, anonymous, target, opens_on, closes_on, questions, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [auth.districtId, b.title.trim(), b.intro ?? '', b.anonymous, JSON.stringify(b.target), b.opensOn, b.closesOn, JSON.stringify(b.questions), auth.id]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'survey.created', entityType: 'survey', entityId: r.id, data: { title: b.title } });
    return r.id as string;
  });
  return getSurvey(db, auth, id);
}

export async function updateSurvey(db: DataSource, auth: AuthUser, id: string, b: SurveyUpdate): Promise<Survey> {
  await db.transaction(async (em) => {
    const s = await load(em, auth, id, true);
    if (s.status !== 'draft') throw new AppError('SURVEY_NOT_DRAFT');
    if (s.version !== b.version) throw new AppError('VERSION_CONFLICT');
    const next = {
      title: b.title ?? s.title, intro: b.intro ?? s.intro, anonymous: b.anonymous ?? s.anonymous, target: b.target ?? s.target,
      opensOn: b.opensOn ?? s.opens_on, closesOn: b.closesOn ?? s.closes_on, questions: b.questions ?? s.questions,
    };
    await checkSurvey(em, auth, next);
    await em.query(`UPDATE survey SET title = $2, intro = $3, anonymous = $4, target = $5, opens_on = $6, closes_on = $7, questions = $8, version = version + 1 WHERE id = $1`,
      [id, next.title, next.intro, next.anonymous, JSON.stringify(next.target), next.opensOn, next.closesOn, JSON.stringify(next.questions)]);
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'survey.updated', entityType: 'survey', entityId: id, data: { title: next.title } });
  });
  return getSurvey(db, auth, id);
}

export async function publishSurvey(db: DataSource, auth: AuthUser, id: string, version: number): Promise<Survey> {
  await db.transaction(async (em) => {
    const s = await load(em, auth, id, true);
    if (s.status !== 'draft') throw new AppError('SURVEY_NOT_DRAFT');
    if (s.version !== version) throw new AppError('VERSION_CONFLICT');
    if (s.closes_on < shanghaiDate(new Date())) throw new AppError('SURVEY_INVALID', [{ path: '/body/closesOn', message: '截止日期已过，不能发布' }]);
    await em.query(`UPDATE survey SET status = 'open', version = version + 1 WHERE id = $1`, [id]);
    // the targeted enterprises' contacts are told (in-app + WeChat subscribe message through the outbox)
    const { params, p } = sqlParams([auth.districtId]);
    const contacts: { id: string }[] = await em.query(
      `SELECT pe.id FROM person pe JOIN enterprise e ON e.id = pe.enterprise_id
        WHERE pe.district_id = $1 AND 'enterprise' = ANY(pe.roles) AND NOT pe.disabled AND ${targetSql(s.target, p)}`, params);
    const n = await notify(em, {
      districtId: auth.districtId, personIds: contacts.map((c) => c.id), kind: 'survey.published', title: `问卷调查：${s.title}`,
      body: `请于${s.closes_on}前填写${s.anonymous ? '（匿名）' : ''}。`, entityType: 'survey', entityId: id, dedupeKey: `survey:${id}`,
    });
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'survey.published', entityType: 'survey', entityId: id, data: { notified: n } });
  });
  return getSurvey(db, auth, id);
}

/** Builders: every survey, newest first. An enterprise: the published surveys that target it, with `answered`. */
export async function listSurveys(db: DataSource, auth: AuthUser, q: { limit?: number; cursor?: string }, now = new Date()): Promise<Page<Survey>> {
  const limit = q.limit ?? 50;
  const { params, p } = sqlParams([auth.districtId]);
  const where = ['s.district_id = $1'];
  let answered = 'NULL::boolean';
  if (!applyVisibility(where, surveyVisibilitySql(auth, p))) return { items: [], nextCursor: null };
  if (needsTargetCheck(auth) && auth.enterpriseId) {
    const e = p(auth.enterpriseId);
    answered = `EXISTS (SELECT 1 FROM survey_respondent r WHERE r.survey_id = s.id AND r.enterprise_id = ${e}::uuid)`;
  }
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) where.push(`(s.created_at, s.id) < (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::uuid)`);
  const rows: SurveyRow[] = await db.query(
    `SELECT ${SURVEY_SELECT}, ${answered} AS answered FROM survey s WHERE ${where.join(' AND ')} ORDER BY s.created_at DESC, s.id DESC LIMIT ${p(limit + 1)}`, params);
  const page = toPage(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  const today = shanghaiDate(now);
  return { items: page.items.map((r) => present(r, today)), nextCursor: page.nextCursor };
}

/**
 * One answer per enterprise, refused the second time (never merged: see shared/src/survey/survey.ts). The
 * respondent key and the response are written in one transaction, so a double tap stores once.
 */
export async function answerSurvey(db: DataSource, auth: AuthUser, id: string, b: SurveyAnswerBody, now = new Date()) {
  if (!auth.enterpriseId) throw new AppError('FORBIDDEN');
  const enterpriseId = auth.enterpriseId;
  const today = shanghaiDate(now);
  return db.transaction(async (em) => {
    const s = await load(em, auth, id);
    const target = await targets(em, s, enterpriseId);
    if (!target) throw new AppError('SURVEY_NOT_FOUND');
    if (surveyPhase({ status: s.status, opensOn: s.opens_on, closesOn: s.closes_on }, today) !== 'open') throw new AppError('SURVEY_NOT_OPEN');
    const issues = validateAnswers(s.questions, b.answers);
    if (issues.length) throw new AppError('SURVEY_ANSWER_INVALID', issues);
    const ins = await em.query(`INSERT INTO survey_respondent (survey_id, enterprise_id) VALUES ($1,$2) ON CONFLICT DO NOTHING RETURNING survey_id`, [id, enterpriseId]);
    if (!ins.length) throw new AppError('SURVEY_ALREADY_ANSWERED');
    await em.query(`INSERT INTO survey_response (survey_id, area_id, enterprise_id, submitted_on, answers) VALUES ($1,$2,$3,$4,$5)`,
      [id, target.area_id, s.anonymous ? null : enterpriseId, today, JSON.stringify(b.answers)]);
    // the audit row of an anonymous answer names the survey only, never the enterprise
    await recordAudit(em, { districtId: auth.districtId, actorId: s.anonymous ? null : auth.id, action: 'survey.answered', entityType: 'survey', entityId: id, data: {} });
    return { surveyId: id, submittedOn: today };
  });
}

const pct = (n: number, d: number) => (d ? `${(Math.round((n * 1000) / d) / 10).toFixed(1)}%` : '—');

/** Results in SQL: per question tallies, text answers (named: with the enterprise), response rate by area. */
export async function surveyResults(db: DataSource, auth: AuthUser, id: string): Promise<SurveyResults> {
  const s = await load(db, auth, id);
  if (!surveyAccess(auth, { district_id: auth.districtId, status: s.status }, false).seesResults) throw new AppError('SURVEY_NOT_FOUND');
  const { params, p } = sqlParams([auth.districtId, id]);
  const areas: { id: string; name: string; targeted: number; responded: number }[] = await db.query(
    `SELECT a.id, a.name,
        (SELECT count(*)::int FROM enterprise e WHERE e.area_id = a.id AND ${targetSql(s.target, p)}) AS targeted,
        (SELECT count(*)::int FROM survey_response r WHERE r.survey_id = $2 AND r.area_id = a.id) AS responded
       FROM area a WHERE a.district_id = $1 ORDER BY a.code, a.id`, params);
  const questions: SurveyResults['questions'] = [];
  for (const q of s.questions) {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM survey_response WHERE survey_id = $1 AND answers ? $2`, [id, q.id]);
    const base = { id: q.id, kind: q.kind, title: q.title, answered: n };
    if (q.kind === 'single' || q.kind === 'multi') {
      const rows: { idx: number; c: number }[] = await db.query(
        q.kind === 'single'
          ? `SELECT (answers->>$2)::int AS idx, count(*)::int AS c FROM survey_response WHERE survey_id = $1 AND answers ? $2 GROUP BY 1`
          : `SELECT x::int AS idx, count(*)::int AS c FROM survey_response, jsonb_array_elements_text(answers->$2) AS x WHERE survey_id = $1 AND jsonb_typeof(answers->$2) = 'array' GROUP BY 1`,
        [id, q.id]);
      const by = new Map(rows.map((r) => [r.idx, r.c]));
      questions.push({ ...base, options: (q.options ?? []).map((label, i) => ({ label, count: by.get(i) ?? 0 })) });
    } else if (q.kind === 'rating') {
      const rows: { v: number; c: number }[] = await db.query(
        `SELECT (answers->>$2)::int AS v, count(*)::int AS c FROM survey_response WHERE survey_id = $1 AND answers ? $2 GROUP BY 1`, [id, q.id]);
      const by = new Map(rows.map((r) => [r.v, r.c]));
      const total = rows.reduce((a, r) => a + r.c, 0);
      const sum = rows.reduce((a, r) => a + r.v * r.c, 0);
      questions.push({ ...base, options: [1, 2, 3, 4, 5].map((v) => ({ label: `${v}分`, count: by.get(v) ?? 0 })), average: total ? (Math.round((sum * 100) / total) / 100).toFixed(2) : null });
    } else {
      const rows: { text: string; name: string | null }[] = await db.query(
        `SELECT r.answers->>$2 AS text, ${s.anonymous ? 'NULL' : 'e.name'} AS name FROM survey_response r LEFT JOIN enterprise e ON e.id = r.enterprise_id
          WHERE r.survey_id = $1 AND r.answers ? $2 AND btrim(r.answers->>$2) <> '' ORDER BY r.id LIMIT 200`, [id, q.id]);
      questions.push({ ...base, texts: rows.map((r) => ({ text: r.text, enterprise: s.anonymous ? null : r.name })) });
    }
  }
  const targeted = areas.reduce((a, r) => a + r.targeted, 0);
  const responses = areas.reduce((a, r) => a + r.responded, 0);
  return {
    responses, targeted,
    byArea: areas.map((a) => ({ area: { id: a.id, name: a.name }, targeted: a.targeted, responded: a.responded, rate: pct(a.responded, a.targeted) })),
    questions,
  };
}

/** The rows of the .xlsx export of a named survey (an anonymous one is refused). */
export async function exportRows(db: DataSource, auth: AuthUser, id: string): Promise<{ survey: SurveyRow; rows: { enterprise: string; area: string; submittedOn: string; answers: Record<string, unknown> }[] }> {
  const s = await load(db, auth, id);
  if (!surveyAccess(auth, { district_id: auth.districtId, status: s.status }, false).seesResults) throw new AppError('SURVEY_NOT_FOUND');
  if (s.anonymous) throw new AppError('SURVEY_ANONYMOUS_NO_EXPORT');
  const rows = await db.query(
    `SELECT e.name AS enterprise, a.name AS area, r.submitted_on::text AS "submittedOn", r.answers FROM survey_response r
       JOIN enterprise e ON e.id = r.enterprise_id JOIN area a ON a.id = r.area_id WHERE r.survey_id = $1 ORDER BY a.name, e.name LIMIT 20000`, [id]);
  return { survey: s, rows };
}
