import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { StatusView } from '../../../../components/status-view';
import { WorkReportExportButton } from '../../../../components/ledger-export';
import { TicketCard } from '../../../../components/ticket-card';
import { http, messageOf, tickets } from '../../../../services';
import type { TicketSummary } from '../../../../services/tickets';
import { monthLabel, monthOf } from '../../../../services/city';
import {
  createDashboardApi, DASHBOARD_PAGE, drillUrl, monthRange, OPEN_STATES, PROBLEM_STATES, scoreSpec,
  type MonthlyReport, type ProjectItem, type TicketStats,
} from '../../../../services/dashboard';
import { createRankingsApi, type DepartmentRanking } from '../../../../services/rankings';
import { F2Chart } from '../../components/f2-chart';
import { Tiles } from '../../components/tiles';
import '../../lib/dashboard.scss';
import { PAGES } from '../../../../services/pages';

const api = createDashboardApi(http);
const rankings = createRankingsApi(http);

type Data = { escalations: TicketSummary[]; more: boolean; red: ProjectItem[]; ranking: DepartmentRanking; stats: TicketStats; report: MonthlyReport };

/**
 * 领导驾驶舱 (县领导): what waits for the leader (escalations at 县级帮扶责任人 and 协调会 level), the red projects
 * they lead, the month's department 考核 ranking (`/stats/rankings/departments`: composite score, 红榜 / 黑榜 of the
 * district's N, ↑↓ — the 考核排名 page's figures) and the month's paragraph; every number opens its tickets.
 */
export default function CockpitPage() {
  const month = monthOf();
  const { from, to } = monthRange(month);
  const [data, setData] = useState<Data>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    try {
      const [esc, red, ranking, stats, report] = await Promise.all([
        tickets.list({ escalationLevelMin: 3, state: [...OPEN_STATES], sort: 'deadline', limit: 5 }),
        api.redProjects().catch(() => ({ items: [] as ProjectItem[] })),
        rankings.live('department', month) as Promise<DepartmentRanking>, api.ticketStats(from, to), api.monthly(month),
      ]);
      setData({ escalations: esc.items, more: esc.nextCursor !== null, red: red.items, ranking, stats, report });
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [month, from, to]);

  useDidShow(() => { void load(); });
  usePullDownRefresh(() => { void load().finally(() => Taro.stopPullDownRefresh()); });

  if (error) return <View className="db-page"><StatusView status="error" message={error} onRetry={load} /></View>;
  if (!data) return <View className="db-page"><StatusView status="loading" /></View>;
  const { red, black } = data.ranking;
  const ranked = data.ranking.rows.filter((d) => d.rank !== null);
  const score = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} 分`);
  const change = (d: DepartmentRanking['rows'][number]) => (d.change ? ` · ${d.change.text}` : '');
  const depDrill = (id: string, name: string) => Taro.navigateTo({ url: drillUrl({ from, to, leadDepartmentId: id, state: PROBLEM_STATES, title: `${name}本月主办的诉求` }) });
  return (
    <View className="db-page">
      <View className="db-card">
        <View className="db-card__title">{`${monthLabel(month)} 领导驾驶舱`}</View>
        <View className="db-card__sub">{data.report.paragraph}</View>
        <View className="db-exports"><WorkReportExportButton month={month} label="导出本月工作报告（Word）" /></View>
        <View className="db-card__more" onClick={() => Taro.navigateTo({ url: DASHBOARD_PAGE })}>查看数据看板 ›</View>
      </View>
      <Tiles stats={data.stats} from={from} to={to} />
      <View className="db-grid">
        <View className="db-card">
          <View className="db-card__title">{`待我协调的升级事项${data.escalations.length ? `（${data.escalations.length}${data.more ? '+' : ''}）` : ''}`}</View>
          {data.escalations.length === 0 ? <View className="db-card__sub">暂无升级到县级帮扶责任人或协调会的事项</View> : null}
          {data.escalations.map((t) => <TicketCard key={t.id} ticket={t} showEnterprise />)}
          {data.more ? <View className="db-card__more" onClick={() => Taro.navigateTo({ url: drillUrl({ escalationLevelMin: 3, state: OPEN_STATES, title: '升级事项' }) })}>查看全部 ›</View> : null}
        </View>
        <View className="db-card">
          <View className="db-card__title">{`我包联的红灯项目（${data.red.length}）`}</View>
          {data.red.length === 0 ? <View className="db-card__sub">没有亮红灯的项目</View> : null}
          {data.red.map((p) => (
            <View key={p.id} className="db-rank" onClick={() => Taro.navigateTo({ url: `${PAGES.project.detail}?id=${p.id}` })}>
              <View className="db-rank__no db-rank__no--red">红</View>
              <View className="db-rank__name">{p.name}</View>
              <View className="db-rank__v">{p.lightReason ?? ''}</View>
            </View>
          ))}
        </View>
        <View className="db-card">
          <View className="db-card__title">部门考核排名（综合得分）</View>
          {ranked.length ? <F2Chart label="部门排名" spec={scoreSpec(data.ranking.rows)} height={200} /> : <View className="db-card__sub">本月暂无交办的诉求</View>}
          {red.map((d) => (
            <View key={d.department.id} className="db-rank" onClick={() => depDrill(d.department.id, d.department.name)}>
              <View className="db-rank__no db-rank__no--red">{d.rank}</View>
              <View className="db-rank__name">{`红榜 · ${d.department.name}`}</View>
              <View className="db-rank__v">{`${score(d.score)} · ${d.received} 件${change(d)}`}</View>
            </View>
          ))}
          {[...black].reverse().map((d) => (
            <View key={d.department.id} className="db-rank" onClick={() => depDrill(d.department.id, d.department.name)}>
              <View className="db-rank__no db-rank__no--black">{d.rank}</View>
              <View className="db-rank__name">{`黑榜 · ${d.department.name}`}</View>
              <View className="db-rank__v">{`${score(d.score)} · 超期 ${d.overdue}${change(d)}`}</View>
            </View>
          ))}
        </View>
      </View>
    </View>
  );
}
