import type { DataSource } from 'typeorm';
import {
  DEPARTMENT_RANKING_COLUMNS, RED_BLACK_LABELS, STEWARD_RANKING_COLUMNS,
  type DepartmentRankingRow, type RankingLedgerQuery, type StewardRankingRow,
} from '@guanjia/shared';
import { AppError } from '../../lib/app-error';
import type { AuthUser } from '../../lib/principal';
import { rankingLedgerSource } from '../indicators/indicator.policy';
import { departmentRanking, getPublishedRanking, monthPeriod, stewardRanking } from '../indicators/rankings.service';
import type { Ledger } from './ledger.service';
import type { LedgerCell } from './xlsx-stream';

type Ranked = { rows: { rank: number | null }[]; red: { rank: number | null }[]; black: { rank: number | null }[]; published: { id: string } | null };

/**
 * 考核排名表 (issue 12's ranking tables): the month's department or steward ranking as `/stats/rankings/*` gives it —
 * the published snapshot once published, else live — with the indicators behind each rank, ↑↓ and the 红榜 / 黑榜
 * mark. Who may: coordinators, leaders and admins any month; department staff only a published department ranking
 * and stewards only a published steward ranking (what `/rankings/:id` shows them); anything else is refused before
 * the first byte.
 */
export async function rankingLedger(db: DataSource, auth: AuthUser, q: RankingLedgerQuery): Promise<Ledger> {
  monthPeriod(q.month); // 400 on a malformed month
  let r: Ranked & { rows: (DepartmentRankingRow | StewardRankingRow)[] };
  const source = rankingLedgerSource(auth, q.kind);
  if (source === 'live') {
    r = q.kind === 'department' ? await departmentRanking(db, auth, q.month) : await stewardRanking(db, auth, q.month);
  } else {
    if (source === 'forbidden') throw new AppError('FORBIDDEN');
    const [snap] = await db.query(`SELECT id FROM ranking_snapshot WHERE district_id = $1 AND kind = $2 AND month = $3::date`, [auth.districtId, q.kind, `${q.month}-01`]);
    if (!snap) throw new AppError('RANKING_NOT_FOUND');
    const p = await getPublishedRanking(db, auth, snap.id);
    r = { rows: p.rows, red: p.red, black: p.black, published: { id: p.id } } as typeof r;
  }
  const idOf = (x: unknown) => ((x as { department?: { id: string }; steward?: { id: string } }).department ?? (x as { steward: { id: string } }).steward).id;
  const red = new Set(r.red.map(idOf));
  const black = new Set(r.black.map(idOf));
  const mark = (x: unknown) => (red.has(idOf(x)) ? RED_BLACK_LABELS.red : black.has(idOf(x)) ? RED_BLACK_LABELS.black : '');
  const change = (x: { change: { text: string } | null }) => x.change?.text ?? '';
  const cells: LedgerCell[][] = q.kind === 'department'
    ? (r.rows as DepartmentRankingRow[]).map((x) => [
      x.rank, change(x), mark(x), x.department.name, x.score, x.acceptOnTimeRate, x.solveRate, x.satisfactionRate,
      x.received, x.solved, x.accepted, x.acceptedOnTime, x.satisfied, x.basicallySatisfied, x.dissatisfied, x.replyOnTimeRate, x.overdue, x.previousRank,
    ])
    : (r.rows as StewardRankingRow[]).map((x) => [
      x.rank, change(x), mark(x), x.steward.name, x.score, x.contacts, x.enterprisesAssigned, x.assignedContacted, x.coverageRate,
      x.problemsRaised, x.problemsSolved, x.solveRate, x.satisfactionRate, x.previousRank,
    ]);
  return {
    kind: q.kind === 'department' ? 'departmentRanking' : 'stewardRanking',
    columns: q.kind === 'department' ? DEPARTMENT_RANKING_COLUMNS : STEWARD_RANKING_COLUMNS,
    rows: cells.length,
    batches: (async function* () { yield cells; })(),
    filters: { month: q.month, kind: q.kind, published: r.published?.id ?? null },
  };
}
