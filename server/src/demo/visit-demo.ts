import type { DataSource } from 'typeorm';
import {
  addCalendarDays, assessCheckIn, enterpriseClass, isoWeekday, shanghaiDate, startOfShanghaiDay,
  type LatLng, type VisitKind,
} from '@guanjia/shared';
import { getVisitSettings } from '../modules/visits/visit-settings';
import { mulberry32, seedOf } from './random';

/** Problems stewards typically bring back (categories as S0 counts them). */
const PROBLEMS: { description: string; category: string }[] = [
  { description: '一线操作工缺口约30人，招工难', category: '人才用工' },
  { description: '急需数控技师，本地招聘不到', category: '人才用工' },
  { description: '流动资金紧张，希望对接银行续贷', category: '融资困难' },
  { description: '申请技改贷款贴息，不清楚办理流程', category: '融资困难' },
  { description: '与供应商合同纠纷，需要法律指导', category: '涉法涉诉' },
  { description: '希望参加省外展会，拓展销售渠道', category: '市场开拓' },
  { description: '二期厂房施工许可办理进度慢', category: '项目建设' },
  { description: '不动产权证办理需要多部门协调', category: '政务服务' },
  { description: '厂区门前道路排水不畅，雨天积水', category: '基础设施' },
  { description: '申请增加用电容量，变压器需扩容', category: '供水供电' },
  { description: '环评手续变更咨询', category: '环保' },
  { description: '高新技术企业认定政策咨询', category: '政策兑现' },
];
const NOTES: Record<VisitKind, string[]> = {
  onsite: ['实地查看生产经营情况，与企业负责人座谈', '宣讲惠企政策，了解企业用工需求', '回访前期诉求办理情况，企业表示满意', '查看新建车间进度'],
  phone: ['电话了解本月生产订单情况', '电话回访诉求办理进度', '电话通知政策申报时间'],
  wechat: ['微信推送最新惠企政策并答疑', '微信沟通项目申报材料'],
  meeting: ['参加园区企业座谈会，收集意见建议'],
};

/** A point `meters` away from `p` in a random direction (small-distance approximation, fine below a few km). */
function offset(p: LatLng, meters: number, rnd: () => number): LatLng {
  const bearing = rnd() * 2 * Math.PI;
  const dLat = (meters * Math.cos(bearing)) / 111_320;
  const dLng = (meters * Math.sin(bearing)) / (111_320 * Math.cos((p.lat * Math.PI) / 180));
  return { lat: p.lat + dLat, lng: p.lng + dLng };
}

type Planned = { stewardId: string; enterpriseId: string; kind: VisitKind; at: Date; point: LatLng | null; center: LatLng | null; accuracyM: number | null; problems: typeof PROBLEMS; notes: string };

/**
 * Demo data for `npm run demo`: about two months of contacts for every current assignment of the district — key
 * enterprises visited on site about twice a month, the others phoned or messaged about monthly, some on-site check-ins
 * outside the fence, a few problems found. Check-ins go through the same flag rules as real ones (without photos).
 * Does nothing when the district already has visits, so running the demo twice does not double them.
 */
export async function seedVisitDemo(db: DataSource, districtId: string, now = new Date()): Promise<{ created: number }> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM visit WHERE district_id = $1`, [districtId]);
  if (n > 0) return { created: 0 };
  const settings = await getVisitSettings(db, districtId);
  const assignments: { steward_id: string; enterprise_id: string; lat: number | null; lng: number | null; tags: string[]; scale: 'above' | 'below' }[] = await db.query(
    `SELECT s.steward_id, s.enterprise_id, e.lat, e.lng, e.tags, e.scale FROM assignment s JOIN enterprise e ON e.id = s.enterprise_id
      WHERE s.district_id = $1 AND s.ends_on IS NULL ORDER BY s.steward_id, s.enterprise_id`,
    [districtId],
  );
  // The same district always gets the same demo visits.
  const rnd = mulberry32(seedOf(districtId));
  const today = shanghaiDate(now);
  const workday = (daysAgo: number): string => {
    let d = addCalendarDays(today, -daysAgo);
    while (isoWeekday(d) > 5) d = addCalendarDays(d, -1);
    return d;
  };
  const timeOn = (date: string) => new Date(startOfShanghaiDay(date).getTime() + (9 * 60 + Math.floor(rnd() * 8.5 * 60)) * 60_000);
  const planned: Planned[] = [];
  let onsiteCount = 0; // every 7th on-site check-in is 外勤 and every 20th has a poor fix: the demo always shows both
  for (const a of assignments) {
    const center = a.lat === null || a.lng === null ? null : { lat: a.lat, lng: a.lng };
    const key = enterpriseClass({ tags: a.tags, scale: a.scale }, settings) === 'key';
    const count = key ? 3 + Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < count; i++) {
      const date = workday(1 + Math.floor(rnd() * 58));
      let kind: VisitKind = key ? (rnd() < 0.75 ? 'onsite' : 'phone') : (['phone', 'phone', 'phone', 'phone', 'wechat', 'wechat', 'onsite', 'onsite', 'onsite', 'meeting'] as const)[Math.floor(rnd() * 10)];
      if (kind === 'onsite' && !center) kind = 'phone';
      const onsiteNo = kind === 'onsite' ? ++onsiteCount : 0;
      const outside = onsiteNo % 7 === 3;
      const point = kind === 'onsite' && center ? offset(center, outside ? 600 + rnd() * 1400 : rnd() * 150, rnd) : null;
      planned.push({
        stewardId: a.steward_id, enterpriseId: a.enterprise_id, kind, at: timeOn(date), point, center,
        accuracyM: point ? (onsiteNo % 20 === 11 ? 260 : Math.round(5 + rnd() * 55)) : null,
        problems: rnd() < 0.3 ? [PROBLEMS[Math.floor(rnd() * PROBLEMS.length)]] : [],
        notes: NOTES[kind][Math.floor(rnd() * NOTES[kind].length)],
      });
    }
  }
  planned.sort((x, y) => x.at.getTime() - y.at.getTime());
  const lastCheckIn = new Map<string, { point: LatLng; at: Date }>();
  const rows = planned.map((p) => {
    const row: Record<string, unknown> = {
      steward_id: p.stewardId, enterprise_id: p.enterpriseId, kind: p.kind, occurred_at: p.at.toISOString(), notes: p.notes, problems: p.problems, flags: [],
    };
    if (p.kind === 'onsite' && p.point) {
      const a = assessCheckIn({ point: p.point, at: p.at, accuracyM: p.accuracyM, enterpriseLocation: p.center, previous: lastCheckIn.get(p.stewardId) ?? null, photoHashSeenBefore: false, fenceRadiusM: settings.fenceRadiusM });
      lastCheckIn.set(p.stewardId, { point: p.point, at: p.at });
      Object.assign(row, {
        checkin_at: p.at.toISOString(), checkin_lat: p.point.lat, checkin_lng: p.point.lng, checkin_accuracy_m: p.accuracyM, checkin_datum: 'gcj02',
        distance_m: a.distanceM === null ? null : Math.round(a.distanceM), fence_radius_m: settings.fenceRadiusM, inside_fence: a.insideFence,
        checkout_at: new Date(p.at.getTime() + (30 + Math.floor(rnd() * 60)) * 60_000).toISOString(), checkout_lat: p.point.lat, checkout_lng: p.point.lng,
        checkout_accuracy_m: p.accuracyM, flags: a.flags,
      });
    }
    return row;
  });
  await db.transaction(async (em) => {
    for (let i = 0; i < rows.length; i += 1000) {
      await em.query(
        `INSERT INTO visit (district_id, steward_id, enterprise_id, kind, status, occurred_at, notes, problems, created_by, created_at,
                            checkin_at, checkin_lat, checkin_lng, checkin_accuracy_m, checkin_datum, distance_m, fence_radius_m, inside_fence,
                            checkout_at, checkout_lat, checkout_lng, checkout_accuracy_m, flags)
         SELECT $1, steward_id, enterprise_id, kind, 'completed', occurred_at, notes, problems, steward_id, occurred_at,
                checkin_at, checkin_lat, checkin_lng, checkin_accuracy_m, checkin_datum, distance_m, fence_radius_m, inside_fence,
                checkout_at, checkout_lat, checkout_lng, checkout_accuracy_m, ARRAY(SELECT jsonb_array_elements_text(flags))
           FROM jsonb_to_recordset($2::jsonb) AS x(steward_id uuid, enterprise_id uuid, kind text, occurred_at timestamptz, notes text, problems jsonb,
                checkin_at timestamptz, checkin_lat float8, checkin_lng float8, checkin_accuracy_m real, checkin_datum text, distance_m int,
                fence_radius_m int, inside_fence boolean, checkout_at timestamptz, checkout_lat float8, checkout_lng float8, checkout_accuracy_m real, flags jsonb)`,
        [districtId, JSON.stringify(rows.slice(i, i + 1000))],
      );
    }
  });
  return { created: planned.length };
}
