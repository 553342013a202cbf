import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Input, NoticeBar } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { messageOf } from '../../../../services';
import { formatDate, formatDateTime, formatDistance } from '../../../../services/display';
import { toWgs84 } from '@guanjia/shared/geo/coords';
import { CONTACT_STATUS_LABELS, nearestFirst, searchRows, statusCounts, stewardRows, type StewardRow } from '../../../../services/visits';
import { DATUM, pageUrl, STEWARD_PAGES, visits } from '../../lib/api';
import './index.scss';

type Filter = 'all' | 'overdue' | 'due' | 'done';

/** What tapping an enterprise does, by the home entry that opened the list. */
const MODES = {
  browse: { notice: '', target: STEWARD_PAGES.enterprise },
  checkin: { notice: '请选择要现场签到的企业', target: STEWARD_PAGES.checkin },
  contact: { notice: '请选择要记录电话 / 微信沟通的企业', target: STEWARD_PAGES.contact },
} as const;

/**
 * 我包保的企业: every enterprise assigned to the steward with this period's contact status (done / due / overdue,
 * from the cadence endpoint), overdue first. Opened from home as the list, or to pick an enterprise to check in at
 * or to log a contact with.
 */
export default function StewardIndex() {
  const { user, error: sessionError, reload: reloadSession } = useSession();
  const { params } = useRouter();
  const mode = params.item === 'checkin' || params.item === 'contact' ? params.item : 'browse';
  const [rows, setRows] = useState<StewardRow[]>();
  const [error, setError] = useState<string>();
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  // Picking on site: where the steward stands decides the order (null: position unavailable, name order kept).
  const [located, setLocated] = useState<boolean | null>(null);

  const userId = user?.id;
  const load = useCallback(async () => {
    if (!userId) return;
    setError(undefined);
    try {
      const [cadence, assignments] = await Promise.all([visits.cadence(userId), visits.assignments(userId).catch(() => [])]);
      const base = stewardRows(cadence, assignments);
      setRows(base);
      if (mode === 'checkin') {
        // Nearest first from the current position (the server orders by distance); without a position the
        // list stays as it is and says so.
        try {
          const pos = await Taro.getLocation({ type: DATUM });
          const at = toWgs84(pos.latitude, pos.longitude, DATUM);
          setRows(nearestFirst(base, await visits.nearest(userId, at)));
          setLocated(true);
        } catch {
          setLocated(false);
        }
      }
    } catch (e) {
      setError(messageOf(e));
    }
  }, [userId, mode]);

  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (rows) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  if (!user) return sessionError ? <StatusView status="error" message={sessionError} onRetry={reloadSession} /> : <StatusView status="loading" />;
  if (!rows) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;

  const counts = statusCounts(rows);
  // Picking on site (issue 13): typing part of the name narrows the list; the status filter still applies.
  const shown = searchRows(filter === 'all' ? rows : rows.filter((r) => r.status === filter), query);
  const period = rows.find((r) => r.period)?.period;
  const open = (r: StewardRow) => void Taro.navigateTo({ url: pageUrl(MODES[mode].target, { enterpriseId: r.enterprise.id, id: r.enterprise.id }) });

  return (
    <View className="st-page st-list">
      {MODES[mode].notice ? <NoticeBar content={MODES[mode].notice} /> : null}
      {error ? <View className="st-error">{error}</View> : null}
      <View className="st-list__summary">
        <View className="st-list__stat">
          <View className="st-list__num">{counts.overdue}</View>
          <View className="st-list__label">已逾期</View>
        </View>
        <View className="st-list__stat">
          <View className="st-list__num">{counts.due}</View>
          <View className="st-list__label">待走访</View>
        </View>
        <View className="st-list__stat">
          <View className="st-list__num">{counts.done}</View>
          <View className="st-list__label">已完成</View>
        </View>
      </View>
      {period ? <View className="st-list__period">{`本期 ${formatDate(period.from)} 至 ${formatDate(period.to)}，共包保 ${counts.all} 家企业`}</View> : null}
      {mode === 'checkin' && located !== null ? (
        <View className="st-list__period">{located ? '按距您由近到远排列' : '无法获取您的位置，按名单顺序排列'}</View>
      ) : null}
      {rows.length > 1 ? (
        <View className="st-list__search">
          <Input placeholder="搜索企业名称" value={query} onChange={setQuery} clearable maxLength={32} />
        </View>
      ) : null}
      <View className="st-list__filters">
        <ChoiceChips
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          options={[
            { value: 'all', label: `全部 ${counts.all}` },
            { value: 'overdue', label: `已逾期 ${counts.overdue}` },
            { value: 'due', label: `待走访 ${counts.due}` },
            { value: 'done', label: `已完成 ${counts.done}` },
          ]}
        />
      </View>
      {rows.length === 0 ? <StatusView status="empty" message="您还没有包保的企业，请联系调度员分配" /> : null}
      {rows.length > 0 && shown.length === 0 ? <StatusView status="empty" message={query.trim() ? `没有名称含“${query.trim()}”的企业` : '没有这一类的企业'} /> : null}
      {shown.map((r) => (
        <View key={r.enterprise.id} className="st-card st-list__item" onClick={() => open(r)}>
          <View className="st-card__row">
            <View className="st-card__main">
              <View className="st-card__title">{r.enterprise.name}</View>
              {r.enterprise.areaName ? <View className="st-card__sub">{r.enterprise.areaName}</View> : null}
            </View>
            <View className={`st-tag st-tag--${r.status}`}>{CONTACT_STATUS_LABELS[r.status]}</View>
          </View>
          <View className="st-list__meta">
            {r.rule ? <View className="st-list__meta-item">{`${r.rule} · 已完成 ${r.done}/${r.required}`}</View> : <View className="st-list__meta-item">本期无走访要求</View>}
            {r.distanceM !== undefined ? <View className="st-list__meta-item st-list__distance">{r.distanceM === null ? '未标注位置' : `距您 ${formatDistance(r.distanceM)}`}</View> : null}
            <View className="st-list__meta-item">{`最近联系 ${r.lastContactAt ? formatDateTime(r.lastContactAt) : '本期暂无'}`}</View>
            {r.remind ? <View className="st-list__meta-item st-list__remind">即将到期，请尽快联系</View> : null}
          </View>
        </View>
      ))}
    </View>
  );
}
