import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { messageOf, projects } from '../../../../services';
import { deadlineText, formatDateTime, todayInShanghai } from '../../../../services/display';
import { useSession } from '../../../../hooks/use-session';
import {
  deviationText, money, monthlyBars, problemFormUrl, projectCheckInUrl, PROJECT_LABELS, PROJECT_PAGES, stageBar,
  type MilestoneItem, type Project, type ProjectMeetingTask, type ProjectProblem, type ProjectReport, type ProjectVisit, type StageEventItem,
} from '../../../../services/projects';
import { PAGES } from '../../../../services/pages';
import './index.scss';

type Loaded = {
  p: Project; reports: ProjectReport[]; milestones: MilestoneItem[]; problems: ProjectProblem[]; tasks: ProjectMeetingTask[]; events: StageEventItem[]; visits: ProjectVisit[];
};

const EVENT_TEXT = (e: StageEventItem) =>
  e.action === 'create' ? `登记为${PROJECT_LABELS.stage[e.to]}`
    : e.action === 'halt' ? '停工'
      : e.action === 'resume' ? '复工'
        : `${PROJECT_LABELS.stage[e.from]} → ${PROJECT_LABELS.stage[e.to]}${e.action === 'revert' ? '（退回）' : ''}`;

/** A project at a glance: light and why, the stage bar, this year's money, the monthly chart, milestones, problems. */
export default function ProjectDetail() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { user } = useSession();
  const [data, setData] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const year = Number(todayInShanghai().slice(0, 4));
      const [p, reports, milestones, problems, tasks, events, visits] = await Promise.all([
        projects.get(id), projects.reports(id, year), projects.milestones(id), projects.problems(id), projects.tasks(id), projects.stageEvents(id), projects.visits(id),
      ]);
      setData({ p, reports, milestones, problems, tasks, events, visits });
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [id]);
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  if (!data) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  const { p, reports, milestones, problems, tasks, events, visits } = data;
  const f = p.figures;
  // 诉求 are filed by the owner's contact or a steward (the server checks the steward's 包保 of the owner)
  const canFile = !!user && ((user.roles.includes('enterprise') && user.enterprise?.id === p.enterprise.id) || user.roles.includes('steward'));
  const fileProblem = (task?: ProjectMeetingTask) => void Taro.navigateTo({ url: problemFormUrl({ id: p.id, enterpriseId: p.enterprise.id }, task) });
  const openProblems = problems.filter((x) => x.open);
  const isTeamSteward = !!user && p.stewards.some((s) => s.id === user.id);
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
        {events.length ? (
          <View className="project__history">
            {events.slice(-3).reverse().map((e) => (
              <View key={e.seq} className="project__sub">{`${e.on} ${EVENT_TEXT(e)}${e.actor ? ` · ${e.actor.name}` : ''}${e.reason ? ` · ${e.reason}` : ''}${e.photoIds.length ? ` · 照片${e.photoIds.length}张` : ''}`}</View>
            ))}
          </View>
        ) : null}
        {p.availableActions.length ? (
          <Button size="small" className="project__stage-button" onClick={() => void Taro.navigateTo({ url: `${PROJECT_PAGES.stage}?id=${p.id}` })}>变更阶段</Button>
        ) : null}
      </View>

      <View className="project__card">
        <View className="project__title">{f.year}年投资</View>
        <View className="project__figures">
          <View className="project__figure"><View className="project__value">{money(p.totalInvestment)}</View><View className="project__label">总投资</View></View>
          <View className="project__figure"><View className="project__value">{money(f.annualPlan)}</View><View className="project__label">年度计划</View></View>
          <View className="project__figure"><View className="project__value">{money(f.completedYtd)}</View><View className="project__label">年初累计</View></View>
          <View className="project__figure"><View className="project__value">{f.percentOfPlan ?? '—'}</View><View className="project__label">占年计划</View></View>
        </View>
        {f.deviationPoints ? <View className="project__sub">{deviationText(f.deviationPoints)}</View> : null}
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
          <Button type="primary" block onClick={() => void Taro.navigateTo({ url: `${PAGES.project.report}?id=${p.id}` })}>填报月度调度</Button>
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
        <View className="project__title">存在问题（{openProblems.length}项办理中）</View>
        {problems.length ? problems.map((x) => (
          <View key={x.id} className={`project__row${x.open && x.replyDueAt && x.replyDueAt < new Date().toISOString() ? ' project__row--overdue' : ''}`} onClick={() => openTicket(x.id)}>
            <View className="project__row-name">{x.title}</View>
            <View className="project__row-value">{x.open ? (x.replyDueAt ? deadlineText(x.replyDueAt) : '办理中') : '已办结'} ›</View>
          </View>
        )) : <View className="project__sub">暂无</View>}
        {canFile ? <Button block className="project__file" onClick={() => fileProblem()}>为该项目反映问题</Button> : null}
      </View>

      {tasks.length ? (
        <View className="project__card">
          <View className="project__title">调度会交办事项</View>
          {tasks.map((t) => (
            <View key={t.id} className="project__task">
              <View className="project__row-name">{t.title}</View>
              <View className="project__sub">
                {`办结期限 ${t.dueOn}${t.department ? ` · ${t.department.name}` : ''}${t.person ? ` · ${t.person.name}` : ''} · ${t.status === 'done' ? '已办结' : t.ticket ? `已转诉求 ${t.ticket.no}（${t.ticket.stateLabel}）` : '待办'}`}
              </View>
              {t.ticket ? <View className="project__link" onClick={() => openTicket(t.ticket!.id)}>查看诉求 ›</View> : null}
              {canFile && t.status === 'open' && !t.ticket ? <View className="project__link" onClick={() => fileProblem(t)}>转为诉求 ›</View> : null}
            </View>
          ))}
        </View>
      ) : null}

      <View className="project__card">
        <View className="project__title">{`现场走访（最近${visits.length}次）`}</View>
        {visits.length ? visits.slice(0, 10).map((v) => (
          <View key={v.id} className="project__row">
            <View className="project__row-name">{v.steward.name}</View>
            <View className="project__row-value">{formatDateTime(v.occurredAt)}</View>
          </View>
        )) : <View className="project__sub">暂无到项目现场的走访</View>}
        {isTeamSteward ? (
          <Button block className="project__file" onClick={() => void Taro.navigateTo({ url: projectCheckInUrl({ id: p.id, name: p.name, enterpriseId: p.enterprise.id }) })}>到项目现场签到</Button>
        ) : null}
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
