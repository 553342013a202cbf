import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { messageOf, projects } from '../../../../services';
import { todayInShanghai } from '../../../../services/display';
import {
  money, monthlyBars, PROJECT_LABELS, stageBar,
  type MilestoneItem, type Project, type ProjectProblem, type ProjectReport,
} from '../../../../services/projects';
import './index.scss';

type Loaded = { p: Project; reports: ProjectReport[]; milestones: MilestoneItem[]; problems: ProjectProblem[] };

/** A project at a glance: light and why, the stage bar, this year's money, the monthly chart, milestones, problems. */
export default function ProjectDetail() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [data, setData] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const year = Number(todayInShanghai().slice(0, 4));
      const [p, reports, milestones, problems] = await Promise.all([projects.get(id), projects.reports(id, year), projects.milestones(id), projects.problems(id)]);
      setData({ p, reports, milestones, problems });
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [id]);
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  if (!data) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  const { p, reports, milestones, problems } = data;
  const f = p.figures;
  return (
    <View className="project">
      <View className="project__card">
        <View className="project__name">{p.name}</View>
        <View className="project__sub">{p.no} · {p.enterprise.name}</View>
        <View className={`project__light project__light--${p.light ?? 'none'}`}>
          {PROJECT_LABELS.light[p.light ?? 'none']}{p.lightReason ? `：${p.lightReason}` : ''}{p.lightSince ? `（${p.lightSince}起）` : ''}
        </View>
        <View className="project__stages">
          {stageBar(p.stage).map((s) => (
            <View key={s.stage} className={`project__stage project__stage--${s.state}`}>{s.label}</View>
          ))}
        </View>
        {p.halted ? <View className="project__halt">{PROJECT_LABELS.halted}：{p.haltReason}</View> : null}
      </View>

      <View className="project__card">
        <View className="project__title">{f.year}年投资</View>
        <View className="project__figures">
          <View className="project__figure"><View className="project__value">{money(p.totalInvestment)}</View><View className="project__label">总投资</View></View>
          <View className="project__figure"><View className="project__value">{money(f.annualPlan)}</View><View className="project__label">年度计划</View></View>
          <View className="project__figure"><View className="project__value">{money(f.completedYtd)}</View><View className="project__label">年初累计</View></View>
          <View className="project__figure"><View className="project__value">{f.percentOfPlan ?? '—'}</View><View className="project__label">占年计划</View></View>
        </View>
        {f.deviationPoints ? (
          <View className="project__sub">{f.deviationPoints.startsWith('-') ? `落后时间进度${f.deviationPoints.slice(1)}个百分点` : `超过时间进度${f.deviationPoints}个百分点`}</View>
        ) : null}
        {!reports.length ? <View className="project__sub">本年度暂无月度调度</View> : null}
        <View className={`project__chart${reports.length ? '' : ' project__chart--empty'}`}>
          {monthlyBars(reports).map((b) => (
            <View key={b.month} className="project__bar">
              <View className="project__bar-fill" style={{ height: `${Math.max(b.percent, 2)}%` }} />
              <View className="project__bar-label">{Number(b.month.slice(5))}月</View>
            </View>
          ))}
        </View>
        {p.canReport ? (
          <Button type="primary" block onClick={() => void Taro.navigateTo({ url: `/packages/project/pages/report/index?id=${p.id}` })}>填报月度调度</Button>
        ) : null}
      </View>

      <View className="project__card">
        <View className="project__title">项目节点</View>
        {milestones.map((m) => (
          <View key={m.id} className={`project__row${m.overdue ? ' project__row--overdue' : ''}`}>
            <View className="project__row-name">{m.name}</View>
            <View className="project__row-value">{m.actualOn ? `已完成 ${m.actualOn}` : m.plannedOn ? `计划 ${m.plannedOn}${m.overdue ? '（逾期）' : ''}` : '未排期'}</View>
          </View>
        ))}
      </View>

      <View className="project__card">
        <View className="project__title">存在问题（{problems.filter((x) => x.open).length}项办理中）</View>
        {problems.length ? problems.map((x) => (
          <View key={x.id} className="project__row" onClick={() => openTicket(x.id)}>
            <View className="project__row-name">{x.title}</View>
            <View className="project__row-value">{x.open ? '办理中' : '已办结'} ›</View>
          </View>
        )) : <View className="project__sub">暂无</View>}
      </View>

      <View className="project__card">
        <View className="project__title">包联与责任</View>
        <View className="project__sub">包联县级领导：{p.leader?.name ?? '—'}</View>
        <View className="project__sub">责任单位：{p.leadDepartment.name}{p.helperDepartments.length ? `（配合：${p.helperDepartments.map((d) => d.name).join('、')}）` : ''}</View>
        <View className="project__sub">项目管家：{p.stewards.map((s) => s.name).join('、') || '—'}</View>
        <View className="project__sub">建设地点：{p.area.name}{p.location ? ` ${p.location}` : ''}</View>
      </View>
    </View>
  );
}
