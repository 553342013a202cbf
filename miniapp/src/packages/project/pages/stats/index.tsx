import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, Input } from '../../../../components/nutui';
import { ChoiceChips } from '../../../../components/choice-chips';
import { StatusView } from '../../../../components/status-view';
import { messageOf, projects } from '../../../../services';
import { todayInShanghai } from '../../../../services/display';
import {
  deviationText, money, PROJECT_LABELS, type Named, type ProjectParagraph, type ProjectSettings, type ProjectStats,
} from '../../../../services/projects';
import { DeskNav, DeskTable } from '../../lib/desk';

type Scope = { from: string; to: string; areaId: string; leaderId: string; batchId: string; level: string };
type Options = { areas: Named[]; leaders: Named[]; batches: Named[]; levels: string[] };

const ALL = { value: '', label: '全部' };
const STAGES = Object.keys(PROJECT_LABELS.stage) as (keyof typeof PROJECT_LABELS.stage)[];
const KINDS = Object.keys(PROJECT_LABELS.kind) as (keyof typeof PROJECT_LABELS.kind)[];

/** Figure tiles: value over its label. */
function Figure({ value, label }: { value: string | number; label: string }) {
  return <View className="desk-figures__item"><View className="desk-figures__value">{value}</View><View className="desk-figures__label">{label}</View></View>;
}

/**
 * 项目统计 (the coordinator's desk): for a period and a scope (属地, 包联领导, 三个一批 batch, level) the projects by
 * stage and kind, 新开工 / 复工 / 竣工 in the period, 开工率, total investment, annual plan, completed year to date,
 * % of plan and the deviation from the schedule — and the monthly report's project paragraph written from the
 * same figures (the server builds both from one query).
 */
export default function StatsPage() {
  const today = todayInShanghai();
  const [scope, setScope] = useState<Scope>({ from: `${today.slice(0, 4)}-01-01`, to: today, areaId: '', leaderId: '', batchId: '', level: '' });
  const [applied, setApplied] = useState(scope);
  const [opts, setOpts] = useState<Options>();
  const [data, setData] = useState<ProjectParagraph>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    void Promise.all([projects.areas(), projects.people('leader'), projects.batches(), projects.settings()]).then(
      ([a, l, b, s]: [{ items: Named[] }, { items: Named[] }, { id: string; no: number }[], ProjectSettings]) =>
        setOpts({ areas: a.items, leaders: l.items, batches: b.map((x) => ({ id: x.id, name: `第${x.no}期` })), levels: s.levels }),
      () => setOpts({ areas: [], leaders: [], batches: [], levels: [] }),
    );
  }, []);
  const load = useCallback(async () => {
    setError(undefined);
    try {
      setData(await projects.paragraph({
        from: applied.from, to: applied.to,
        ...(applied.areaId ? { areaId: applied.areaId } : {}), ...(applied.leaderId ? { leaderId: applied.leaderId } : {}),
        ...(applied.batchId ? { batchId: applied.batchId } : {}), ...(applied.level ? { levels: [applied.level] } : {}),
      }));
    } catch (e) {
      setData(undefined);
      setError(messageOf(e));
    }
  }, [applied]);
  useEffect(() => void load(), [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  const set = (k: keyof Scope) => (v: string | string[]) => setScope((s) => ({ ...s, [k]: v as string }));
  const s: ProjectStats | undefined = data?.ledger;
  return (
    <View className="desk">
      <DeskNav current="stats" />
      <View className="desk__filters">
        <View className="desk__filter-label">统计期间</View>
        <View>
          <View className="desk__input"><Input placeholder="起 YYYY-MM-DD" value={scope.from} onChange={set('from')} /></View>
          <View className="desk__input"><Input placeholder="止 YYYY-MM-DD" value={scope.to} onChange={set('to')} /></View>
          <Button size="small" type="primary" onClick={() => setApplied(scope)}>统计</Button>
        </View>
        {opts ? (
          <View>
            <View className="desk__filter-label">属地</View>
            <ChoiceChips options={[ALL, ...opts.areas.map((a) => ({ value: a.id, label: a.name }))]} value={scope.areaId} onChange={(v) => { set('areaId')(v); setApplied((x) => ({ ...x, areaId: v as string })); }} />
            <View className="desk__filter-label">包联领导</View>
            <ChoiceChips options={[ALL, ...opts.leaders.map((a) => ({ value: a.id, label: a.name }))]} value={scope.leaderId} onChange={(v) => { set('leaderId')(v); setApplied((x) => ({ ...x, leaderId: v as string })); }} />
            {opts.batches.length ? (
              <View>
                <View className="desk__filter-label">“三个一批”批次</View>
                <ChoiceChips options={[ALL, ...opts.batches.map((a) => ({ value: a.id, label: a.name }))]} value={scope.batchId} onChange={(v) => { set('batchId')(v); setApplied((x) => ({ ...x, batchId: v as string })); }} />
              </View>
            ) : null}
            <View className="desk__filter-label">级别</View>
            <ChoiceChips options={[ALL, ...opts.levels.map((l) => ({ value: l, label: l }))]} value={scope.level} onChange={(v) => { set('level')(v); setApplied((x) => ({ ...x, level: v as string })); }} />
          </View>
        ) : null}
      </View>
      {!s ? (error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />) : (
        <View>
          <View className="desk-figures stats-figures">
            <Figure value={s.projects} label="项目数" />
            <Figure value={s.text.totalInvestment} label="总投资" />
            <Figure value={s.text.annualPlan} label="年度计划投资" />
            <Figure value={s.text.completedYtd} label="年初至今完成投资" />
            <Figure value={s.percentOfPlan ?? '—'} label="占年度计划" />
            <Figure value={`${s.schedule.percent}`} label="时间进度" />
            <Figure value={s.startRate.percent ?? '—'} label={`开工率（${s.startRate.started}/${s.startRate.due}）`} />
            <Figure value={`${s.newStarts} / ${s.restarts} / ${s.completions}`} label="期间新开工 / 复工 / 竣工" />
          </View>
          <View className="desk__hint stats-deviation">{`${deviationText(s.deviationPoints)}；在建项目${s.active}个，停工${s.halted}个。`}</View>
          <View className="desk__section">按阶段</View>
          <DeskTable cols={`repeat(${STAGES.length}, 1fr)`} head={STAGES.map((x) => PROJECT_LABELS.stage[x])}>
            <View className="desk-table__row stats-row">
              {STAGES.map((x) => <View key={x} className="desk-table__cell">{`${s.byStage[x]}个`}</View>)}
            </View>
          </DeskTable>
          <View className="desk__section">按类型与红黄绿灯</View>
          <DeskTable cols="repeat(7, 1fr)" head={[...KINDS.map((k) => PROJECT_LABELS.kind[k]), '绿灯', '黄灯', '红灯', '未评价']}>
            <View className="desk-table__row stats-row">
              {KINDS.map((k) => <View key={k} className="desk-table__cell">{`${s.byKind[k]}个`}</View>)}
              <View className="desk-table__cell desk-table__cell--ok">{`${s.byLight.green}个`}</View>
              <View className="desk-table__cell">{`${s.byLight.yellow}个`}</View>
              <View className="desk-table__cell desk-table__cell--danger">{`${s.byLight.red}个`}</View>
              <View className="desk-table__cell desk-table__cell--muted">{`${s.byLight.none}个`}</View>
            </View>
          </DeskTable>
          <View className="desk__section">月报项目段落</View>
          <View className="desk__paragraph stats-paragraph">{data!.text}</View>
          <View className="desk__hint">{`段落第一句与上方统计同源；第二句为总投资${money('50000000')}以上项目（${data!.large.projects}个）的口径。`}</View>
        </View>
      )}
    </View>
  );
}
