import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { LedgerExportButton, WorkReportExportButton } from '../../../../components/ledger-export';
import { http, messageOf } from '../../../../services';
import { monthLabel, monthOf, shiftMonth } from '../../../../services/city';
import {
  areaSpec, categorySpec, createDashboardApi, drillUrl, lightSpec, monthRange, rankingSpec, weeklyTrendSpec,
  type Coverage, type VisitMap, type DashboardMonth, type MonthlyReport, type ProjectStats, type TicketStats,
} from '../../../../services/dashboard';
import { F2Chart } from '../../components/f2-chart';
import { visitMapSpec } from '../../lib/visit-map';
import { Tiles } from '../../components/tiles';
import '../../lib/dashboard.scss';

const api = createDashboardApi(http);

type Data = { month: DashboardMonth; stats: TicketStats; report: MonthlyReport; coverage: Coverage | null; projects: ProjectStats | null; visitMap: VisitMap | null };

/** 数据看板: the coordinator's and leader's month at a glance, every figure a way down to its tickets. */
export default function DashboardPage() {
  const [month, setMonth] = useState(monthOf());
  const [data, setData] = useState<Data>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const { from, to } = monthRange(month);
      const [m, stats, report, coverage, projects, visitMap] = await Promise.all([
        api.month(month), api.ticketStats(from, to), api.monthly(month),
        api.coverage(from, to).catch(() => null), api.projectStats().catch(() => null), api.visitMap(month).catch(() => null),
      ]);
      setData({ month: m, stats, report, coverage, projects, visitMap });
    } catch (e) {
      setError(messageOf(e));
    }
  }, [month]);

  useEffect(() => { setData(undefined); void load(); }, [load]);
  usePullDownRefresh(() => { void load().finally(() => Taro.stopPullDownRefresh()); });

  const { from, to } = monthRange(month);
  return (
    <View className="db-page">
      <View className="db-card db-month">
        <Button size="small" onClick={() => setMonth(shiftMonth(month, -1))}>上月</Button>
        <View className="db-month__label">{monthLabel(month)} 数据看板</View>
        <Button size="small" disabled={month >= monthOf()} onClick={() => setMonth(shiftMonth(month, 1))}>下月</Button>
      </View>
      {error ? <StatusView status="error" message={error} onRetry={load} /> : null}
      {!error && !data ? <StatusView status="loading" /> : null}
      {data ? (
        <>
          <Tiles stats={data.stats} from={from} to={to} />
          <View className="db-card">
            <View className="db-card__title">本月情况</View>
            <View className="db-card__sub">{data.report.paragraph}</View>
            <View className="db-exports">
              <LedgerExportButton kind="tickets" query={{ from, to }} label="导出本月诉求台账" />
              <WorkReportExportButton month={month} />
            </View>
          </View>
          <View className="db-grid">
            <View className="db-card">
              <View className="db-card__title">诉求趋势（按周）</View>
              <F2Chart label="诉求按周趋势" spec={weeklyTrendSpec(data.month.weeks)} />
            </View>
            <View className="db-card">
              <View className="db-card__title">诉求类别</View>
              {data.stats.byCategory.length ? <F2Chart label="诉求类别" spec={categorySpec(data.stats)} /> : <View className="db-card__sub">本月暂无诉求</View>}
              {data.stats.byCategory.map((c) => (
                <View key={c.category.id} className="db-rank" onClick={() => Taro.navigateTo({ url: drillUrl({ from, to, categoryId: c.category.id, title: `${c.category.name}诉求` }) })}>
                  <View className="db-rank__name">{c.category.name}</View>
                  <View className="db-rank__v">{`${c.count} 项 · 解决 ${c.solved}`}</View>
                </View>
              ))}
            </View>
            <View className="db-card">
              <View className="db-card__title">部门排名（解决率 %）</View>
              {data.month.departments.some((d) => d.received > 0) ? <F2Chart label="部门排名" spec={rankingSpec(data.month)} /> : <View className="db-card__sub">本月暂无交办的诉求</View>}
            </View>
            {data.visitMap && data.visitMap.areas.length ? (
              <View className="db-card db-map">
                <View className="db-card__title">走访地图（按属地签到）</View>
                <View className="db-card__sub">圆点在属地企业坐标的中心，按实际距离比例绘制，大小为本月现场走访签到次数</View>
                {data.visitMap.areas.some((a) => a.center) ? <F2Chart label="走访地图" height={260} spec={visitMapSpec(data.visitMap)} /> : <View className="db-card__sub">属地内企业尚未定位，无法绘制地图</View>}
                {data.visitMap.areas.map((a) => (
                  <View key={a.area.id} className="db-rank db-map__area">
                    <View className="db-rank__name">{a.center ? a.area.name : `${a.area.name}（未定位）`}</View>
                    <View className="db-rank__v">{`签到 ${a.checkins} 次`}</View>
                  </View>
                ))}
              </View>
            ) : null}
            {data.coverage ? (
              <View className="db-card">
                <View className="db-card__title">走访联系（按属地）</View>
                <View className="db-card__sub">{`联系企业 ${data.coverage.district?.contacted ?? 0} / ${data.coverage.district?.assigned ?? 0} 家，覆盖率 ${data.coverage.district?.coveragePct ?? '—'}%`}</View>
                {data.coverage.byArea.length ? <F2Chart label="走访按属地" spec={areaSpec(data.coverage)} /> : null}
              </View>
            ) : null}
            {data.projects && data.projects.projects > 0 ? (
              <View className="db-card">
                <View className="db-card__title">重点项目红黄绿灯</View>
                <F2Chart label="项目红黄绿灯" spec={lightSpec(data.projects)} />
              </View>
            ) : null}
          </View>
        </>
      ) : null}
    </View>
  );
}
