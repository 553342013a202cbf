import type { DataSource } from 'typeorm';
import {
  CONTACT_STATUSES, endOfShanghaiDay, indicatorRates, rankChange, rankChangeText, rankRows, redBlackLists, stewardScore,
  ZERO_INDICATOR_COUNTS,
  type DepartmentRanking, type DepartmentRankingRow, type IndicatorSettings, type PublishedRanking, type RankingKind,
  type StewardRanking, type StewardRankingRow, type IndicatorCounts,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import { badCursor, decodeCursor, encodeCursor, UUID } from '../../lib/keyset';
import type { AuthUser } from '../../lib/principal';
import { visibleRankingKinds } from './indicator.policy';
import { recordAudit } from '../audit/audit';
import { getIndicatorSettings } from './indicator-settings';
import { periodOf, presentCounts, ticketCounts, WHOLE_DISTRICT, type Period } from './indicators.service';

const MONTH = /^(?:20\d\d|2100)-(?:0[1-9]|1[0-2])$/;

/** The period of a calendar month (YYYY-MM). */
export function monthPeriod(month: string, now = new Date()): Period {
  if (!MONTH.test(month)) throw new AppError('REPORT_PERIOD_INVALID', [{ path: '/querystring/month', message: '月份格式应为 YYYY-MM' }]);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return periodOf(`${month}-01`, `${month}-${String(last).padStart(2, '0')}`, now);
}

const previousMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

const fromRow = (r: IndicatorCounts): IndicatorCounts => {
  const out = { ...ZERO_INDICATOR_COUNTS };
  for (const k of Object.keys(ZERO_INDICATOR_COUNTS) as (keyof IndicatorCounts)[]) out[k] = r[k];
  return out;
};

/** Department rows of a month: every active department of the district, its counts as 主办, ranked by score. */
async function departmentRows(db: DataSource, districtId: string, month: string, settings: IndicatorSettings, now: Date) {
  const period = monthPeriod(month, now);
  const [counts, depts] = await Promise.all([
    ticketCounts(db, districtId, period, WHOLE_DISTRICT, 'department'),
    db.query(`SELECT id, name FROM department WHERE district_id = $1 AND active ORDER BY name, id`, [districtId]) as Promise<{ id: string; name: string }[]>,
  ]);
  const byId = new Map(counts.filter((c) => c.k).map((c) => [c.k!, fromRow(c)]));
  const rows = depts.map((d) => ({ department: { id: d.id, name: d.name }, ...presentCounts(byId.get(d.id) ?? { ...ZERO_INDICATOR_COUNTS }, settings.weights) }));
  return rankRows(rows, (r) => r.score, (r) => `${r.department.name}\u0000${r.department.id}`);
}

/**
 * The monthly department ranking (考核) by the composite score, with the indicators behind it, the change from last
 * month's ranking (the published one if last month was published, else computed), and the 红榜 / 黑榜.
 */
export async function departmentRanking(db: DataSource, auth: AuthUser, month: string, now = new Date()): Promise<DepartmentRanking> {
  const settings = await getIndicatorSettings(db, auth.districtId);
  const published = await findPublished(db, auth.districtId, 'department', month);
  if (published) return published as unknown as DepartmentRanking;
  const cur = await departmentRows(db, auth.districtId, month, settings, now);
  const prev = await previousRanks(db, auth.districtId, 'department', month, async () =>
    (await departmentRows(db, auth.districtId, previousMonth(month), settings, now)).map((r) => [r.department.id, r.rank] as const));
  const rows: DepartmentRankingRow[] = cur.map((r) => withChange(r, prev.get(r.department.id) ?? null));
  const { red, black } = redBlackLists(rows, settings.redBlackN);
  return { kind: 'department', month, weights: settings.weights, redBlackN: settings.redBlackN, rows, red, black, published: null };
}

/** Steward rows of a month: every steward of the district with contacts, coverage, problems raised and solved. */
async function stewardRows(db: DataSource, districtId: string, month: string, settings: IndicatorSettings, now: Date) {
  const period = monthPeriod(month, now);
  const [counts, stewards] = await Promise.all([
    ticketCounts(db, districtId, period, WHOLE_DISTRICT, 'steward'),
    db.query(
      `WITH st AS (SELECT id, name FROM person WHERE district_id = $1 AND 'steward' = ANY(roles) AND NOT disabled),
       a AS (SELECT DISTINCT s.steward_id, s.enterprise_id FROM assignment s JOIN st ON st.id = s.steward_id
              WHERE s.starts_on <= $5::date AND (s.ends_on IS NULL OR s.ends_on >= $4::date)),
       v AS (SELECT v.steward_id, v.enterprise_id FROM visit v JOIN st ON st.id = v.steward_id
              WHERE v.district_id = $1 AND v.status = ANY($6::text[]) AND v.occurred_at >= $2 AND v.occurred_at < $3),
       vc AS (SELECT steward_id, count(*)::int AS contacts FROM v GROUP BY 1),
       ac AS (SELECT a.steward_id, count(*)::int AS assigned,
                     count(*) FILTER (WHERE EXISTS (SELECT 1 FROM v WHERE v.steward_id = a.steward_id AND v.enterprise_id = a.enterprise_id))::int AS covered
                FROM a GROUP BY 1)
       SELECT st.id, st.name, COALESCE(vc.contacts, 0) AS contacts, COALESCE(ac.assigned, 0) AS assigned, COALESCE(ac.covered, 0) AS covered
         FROM st LEFT JOIN vc ON vc.steward_id = st.id LEFT JOIN ac ON ac.steward_id = st.id ORDER BY st.name, st.id`,
      [districtId, period.start, period.endEx, period.from, period.to, [...CONTACT_STATUSES]],
    ) as Promise<{ id: string; name: string; contacts: number; assigned: number; covered: number }[]>,
  ]);
  const byId = new Map(counts.filter((c) => c.k).map((c) => [c.k!, fromRow(c)]));
  const rows = stewards.map((s) => {
    const c = byId.get(s.id) ?? { ...ZERO_INDICATOR_COUNTS };
    const rates = indicatorRates(c, settings.weights);
    const coverageRate = s.assigned ? Math.round((s.covered / s.assigned) * 1000) / 10 : null;
    return {
      steward: { id: s.id, name: s.name },
      contacts: s.contacts, enterprisesAssigned: s.assigned, assignedContacted: s.covered, coverageRate,
      problemsRaised: c.received, problemsSolved: c.solved, solveRate: rates.solveRate, satisfactionRate: rates.satisfactionRate,
      score: stewardScore(coverageRate, rates.solveRate, rates.satisfactionRate),
    };
  });
  return rankRows(rows, (r) => r.score, (r) => `${r.steward.name}\u0000${r.steward.id}`);
}

/** The monthly steward ranking (contacts, coverage, problems raised and solved, satisfaction), with 红榜 / 黑榜. */
export async function stewardRanking(db: DataSource, auth: AuthUser, month: string, now = new Date()): Promise<StewardRanking> {
  const settings = await getIndicatorSettings(db, auth.districtId);
  const published = await findPublished(db, auth.districtId, 'steward', month);
  if (published) return published as unknown as StewardRanking;
  const cur = await stewardRows(db, auth.districtId, month, settings, now);
  const prev = await previousRanks(db, auth.districtId, 'steward', month, async () =>
    (await stewardRows(db, auth.districtId, previousMonth(month), settings, now)).map((r) => [r.steward.id, r.rank] as const));
  const rows: StewardRankingRow[] = cur.map((r) => withChange(r, prev.get(r.steward.id) ?? null));
  const { red, black } = redBlackLists(rows, settings.redBlackN);
  return { kind: 'steward', month, weights: settings.weights, redBlackN: settings.redBlackN, rows, red, black, published: null };
}

function withChange<T extends { rank: number | null }>(r: T, previousRank: number | null) {
  const c = rankChange(previousRank, r.rank);
  return { ...r, previousRank, change: c ? { ...c, text: rankChangeText(c) } : null };
}

/** Last month's ranks: from its published snapshot when there is one (what people saw), else computed. */
async function previousRanks(db: DataSource, districtId: string, kind: RankingKind, month: string, compute: () => Promise<(readonly [string, number | null])[]>) {
  const prev = await findPublished(db, districtId, kind, previousMonth(month));
  if (prev) {
    const key = kind === 'department' ? 'department' : 'steward';
    return new Map((prev.rows as Record<string, unknown>[]).map((r) => [(r[key] as { id: string }).id, r.rank as number | null]));
  }
  return new Map(await compute());
}

type SnapshotRow = { id: string; kind: RankingKind; month: string; note: string | null; published_at: Date; published_by: string; published_by_name: string; weights: IndicatorSettings['weights']; red_black_n: number; rows: unknown[] };

const SNAPSHOT_SELECT = `SELECT r.id, r.kind, to_char(r.month, 'YYYY-MM') AS month, r.note, r.published_at, r.published_by, p.name AS published_by_name,
  r.weights, r.red_black_n, r.rows FROM ranking_snapshot r JOIN person p ON p.id = r.published_by`;

function presentSnapshot(s: SnapshotRow) {
  const rows = s.rows as { rank: number | null }[];
  const { red, black } = redBlackLists(rows, s.red_black_n);
  return {
    id: s.id, kind: s.kind, month: s.month, note: s.note, publishedAt: s.published_at.toISOString(),
    publishedBy: { id: s.published_by, name: s.published_by_name }, weights: s.weights, redBlackN: s.red_black_n, rows, red, black,
  };
}

async function findPublished(db: DataSource, districtId: string, kind: RankingKind, month: string) {
  const [s]: SnapshotRow[] = await db.query(`${SNAPSHOT_SELECT} WHERE r.district_id = $1 AND r.kind = $2 AND r.month = $3::date`, [districtId, kind, `${month}-01`]);
  if (!s) return null;
  const p = presentSnapshot(s);
  return { kind: p.kind, month: p.month, weights: p.weights, redBlackN: p.redBlackN, rows: p.rows, red: p.red, black: p.black, published: { id: p.id, publishedAt: p.publishedAt, publishedBy: p.publishedBy } };
}

/**
 * Publishes a month's ranking: freezes the rows as computed now into ranking_snapshot (with the weights and N), in one
 * transaction with its audit event; later changes to tickets or weights do not change it. Only a month that has ended
 * can be published, once (409 RANKING_ALREADY_PUBLISHED). The departments and stewards concerned are notified.
 */
export async function publishRanking(db: DataSource, auth: AuthUser, body: { kind: RankingKind; month: string; note?: string }, now = new Date()) {
  const period = monthPeriod(body.month, now);
  if (endOfShanghaiDay(period.to).getTime() >= now.getTime()) throw new AppError('RANKING_MONTH_OPEN');
  const live = body.kind === 'department' ? await departmentRanking(db, auth, body.month, now) : await stewardRanking(db, auth, body.month, now);
  if (live.published) throw new AppError('RANKING_ALREADY_PUBLISHED');
  const id = await db.transaction(async (em) => {
    const [row] = await em.query(
      `INSERT INTO ranking_snapshot (district_id, kind, month, note, weights, red_black_n, rows, published_by, published_at)
       VALUES ($1, $2, $3::date, $4, $5::jsonb, $6, $7::jsonb, $8, $9)
       ON CONFLICT (district_id, kind, month) DO NOTHING RETURNING id`,
      [auth.districtId, body.kind, `${body.month}-01`, body.note ?? null, JSON.stringify(live.weights), live.redBlackN, JSON.stringify(live.rows), auth.id, now],
    );
    if (!row) throw new AppError('RANKING_ALREADY_PUBLISHED');
    await recordAudit(em, { districtId: auth.districtId, actorId: auth.id, action: 'ranking.published', entityType: 'ranking_snapshot', entityId: row.id, data: { kind: body.kind, month: body.month, rows: live.rows.length } });
    // The people concerned: the departments' staff, or the stewards, of the district (one row each).
    const [m, mo] = body.month.split('-');
    const title = `${m}年${Number(mo)}月${body.kind === 'department' ? '部门' : '管家'}考核排名已发布`;
    await em.query(
      `INSERT INTO notification (district_id, person_id, kind, title, body, entity_type, entity_id)
       SELECT $1, p.id, 'ranking_published', $2, $3, 'ranking_snapshot', $4 FROM person p
        WHERE p.district_id = $1 AND NOT p.disabled AND $5 = ANY(p.roles)`,
      [auth.districtId, title, '请在“考核排名”中查看本月排名', row.id, body.kind],
    );
    return row.id as string;
  });
  return getPublishedRanking(db, auth, id);
}

/** A published ranking, with the caller's own row marked (`mine`); 404 if it is not theirs to see. */
export async function getPublishedRanking(db: DataSource, auth: AuthUser, id: string): Promise<PublishedRanking> {
  const kinds = visibleRankingKinds(auth);
  const [s]: SnapshotRow[] = await db.query(`${SNAPSHOT_SELECT} WHERE r.id = $1 AND r.district_id = $2 AND r.kind = ANY($3::text[])`, [id, auth.districtId, kinds]);
  if (!s) throw new AppError('RANKING_NOT_FOUND');
  const p = presentSnapshot(s);
  const mineId = s.kind === 'department' ? auth.departmentId : auth.id;
  const key = s.kind === 'department' ? 'department' : 'steward';
  const idx = (p.rows as unknown as Record<string, { id: string }>[]).findIndex((r) => r[key]?.id === mineId);
  return { ...p, mine: idx >= 0 ? idx : null } as PublishedRanking;
}

/** Published rankings the caller may see, newest month first (keyset on month, id). */
export async function listPublishedRankings(db: DataSource, auth: AuthUser, q: { kind?: RankingKind; limit?: number; cursor?: string }) {
  const kinds = visibleRankingKinds(auth).filter((k) => !q.kind || k === q.kind);
  const limit = q.limit ?? 24;
  const after = decodeCursor(q.cursor, 2);
  if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]) || !MONTH.test(after[0]))) throw badCursor();
  const rows: { id: string; kind: string; month: string; published_at: Date; n: number }[] = await db.query(
    `SELECT id, kind, to_char(month, 'YYYY-MM') AS month, published_at, jsonb_array_length(rows)::int AS n FROM ranking_snapshot
      WHERE district_id = $1 AND kind = ANY($2::text[]) ${after ? `AND (month, id) < ($4::date, $5::uuid)` : ''}
      ORDER BY month DESC, id DESC LIMIT $3`,
    after ? [auth.districtId, kinds, limit + 1, `${after[0]}-01`, after[1]] : [auth.districtId, kinds, limit + 1],
  );
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r) => ({ id: r.id, kind: r.kind, month: r.month, publishedAt: r.published_at.toISOString(), rows: r.n }));
  return { items, nextCursor: more ? encodeCursor([items[items.length - 1]!.month, items[items.length - 1]!.id]) : null };
}
