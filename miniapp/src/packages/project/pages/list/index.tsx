import { useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { ChoiceChips } from '../../../../components/choice-chips';
import { ListFooter } from '../../../../components/list-footer';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { projects } from '../../../../services';
import { DEFAULT_PROJECT_LEVELS } from '@guanjia/shared/project/project-labels';
import { glance, money, PROJECT_LABELS, type Named, type Project } from '../../../../services/projects';
import { useSession } from '../../../../hooks/use-session';
import { DeskNav } from '../../lib/desk';
import { PAGES } from '../../../../services/pages';
import './index.scss';
import { LedgerExportButton } from '../../../../components/ledger-export';

const LIGHTS = [
  { key: '', title: '全部' },
  { key: 'red', title: '红灯' },
  { key: 'yellow', title: '黄灯' },
  { key: 'green', title: '绿灯' },
] as const;
const STAGES = [{ value: 'all', label: '全部阶段' }, ...(Object.entries(PROJECT_LABELS.stage).map(([value, label]) => ({ value, label })))];
const levelChips = (levels: readonly string[]) => [{ value: 'all', label: '全部级别' }, ...levels.map((l) => ({ value: l, label: l }))];
const chips = (all: string, xs: Named[]) => [{ value: 'all', label: all }, ...xs.map((x) => ({ value: x.id, label: x.name }))];
type Scopes = { areas: Named[]; leaders: Named[]; batches: Named[] };

/** One project in a list: name, light, stage · % of plan, money. */
function ProjectCard({ p }: { p: Project }) {
  return (
    <View className="project-card" onClick={() => void Taro.navigateTo({ url: `${PAGES.project.detail}?id=${p.id}` })}>
      <View className="project-card__head">
        <View className={`project-card__light project-card__light--${p.light ?? 'none'}`} />
        <View className="project-card__name">{p.name}</View>
      </View>
      <View className="project-card__glance">{glance(p)}</View>
      <View className="project-card__meta">
        总投资{money(p.totalInvestment)} · 年计划{money(p.figures.annualPlan)} · 已完成{money(p.figures.completedYtd)}
      </View>
      <View className="project-card__meta">{p.area.name} · 包联领导 {p.leader?.name ?? '—'} · {p.leadDepartment.name}</View>
      {p.light && p.light !== 'green' && p.lightReason ? <View className="project-card__reason">{p.lightReason}</View> : null}
    </View>
  );
}

/**
 * 我的项目 (`?mine=1`, steward/leader/department) or the coordinator's project ledger (台账) with filters: light,
 * stage, level and a search. The same screen on a phone and on the 1280 px desk.
 */
export default function ProjectList() {
  const { params } = useRouter();
  const mine = params.mine === '1' || params.item === 'projects';
  const [light, setLight] = useState('');
  // 'all' (not '') so the chip shows as chosen
  const [stage, setStage] = useState('all');
  const [level, setLevel] = useState('all');
  const [areaId, setAreaId] = useState('all');
  const [leaderId, setLeaderId] = useState('all');
  const [batchId, setBatchId] = useState('all');
  const { user } = useSession();
  // the district's own levels (configurable); the defaults until they arrive
  const [levels, setLevels] = useState<readonly string[]>(DEFAULT_PROJECT_LEVELS);
  const [scopes, setScopes] = useState<Scopes>();
  const desk = !mine && !!user?.roles.some((r) => r === 'coordinator' || r === 'leader' || r === 'admin');
  useEffect(() => {
    if (mine) return;
    void projects.settings().then((s) => setLevels(s.levels), () => undefined);
  }, [mine]);
  useEffect(() => {
    if (!desk) return;
    void Promise.all([projects.areas(), projects.people('leader'), projects.batches()]).then(
      ([a, l, b]) => setScopes({ areas: a.items, leaders: l.items, batches: b.map((x) => ({ id: x.id, name: `第${x.no}期` })) }),
      () => undefined,
    );
  }, [desk]);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const list = usePagedList(
    (cursor) => projects.list({
      ...(mine ? { mine: true } : {}), ...(light ? { light: light as Project['light'] & string } : {}), ...(stage !== 'all' ? { stage: stage as Project['stage'] } : {}),
      ...(level !== 'all' ? { level } : {}), ...(search ? { q: search } : {}), ...(cursor ? { cursor } : {}), limit: 30,
      ...(areaId !== 'all' ? { areaId } : {}), ...(leaderId !== 'all' ? { leaderId } : {}), ...(batchId !== 'all' ? { batchId } : {}),
    }),
    [mine, light, stage, level, search, areaId, leaderId, batchId],
  );
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  return (
    <View className={`projects${desk ? ' projects--desk' : ''}`}>
      {desk ? <View className="projects__desk-nav"><DeskNav current="list" /></View> : null}
      <SegmentTabs tabs={LIGHTS} value={light} onChange={setLight} />
      {!mine ? (
        <View className="projects__filters">
          <Input className="projects__search" placeholder="搜索项目名称或编号" value={q} onChange={setQ} onConfirm={() => setSearch(q.trim())} onBlur={() => setSearch(q.trim())} />
          <ChoiceChips options={STAGES} value={stage} onChange={(v) => setStage(v as string)} />
          <ChoiceChips options={levelChips(levels)} value={level} onChange={(v) => setLevel(v as string)} />
          {scopes ? (
            <View>
              <ChoiceChips options={chips('全部属地', scopes.areas)} value={areaId} onChange={(v) => setAreaId(v as string)} />
              <ChoiceChips options={chips('全部包联领导', scopes.leaders)} value={leaderId} onChange={(v) => setLeaderId(v as string)} />
              {scopes.batches.length ? <ChoiceChips options={chips('全部批次', scopes.batches)} value={batchId} onChange={(v) => setBatchId(v as string)} /> : null}
            </View>
          ) : null}
          <LedgerExportButton kind="projects" query={{ ...(light ? { light } : {}), ...(stage !== 'all' ? { stage } : {}), ...(level !== 'all' ? { level } : {}), ...(areaId !== 'all' ? { areaId } : {}), ...(leaderId !== 'all' ? { leaderId } : {}), ...(batchId !== 'all' ? { batchId } : {}), ...(search ? { q: search } : {}) }} label="导出项目台账" />
        </View>
      ) : null}
      <View className="projects__list">
        {list.loading ? (
          <StatusView status="loading" />
        ) : list.error && !list.items.length ? (
          <StatusView status="error" message={list.error} onRetry={list.reload} />
        ) : !list.items.length ? (
          <StatusView status="empty" message={mine ? '暂无包联的项目' : '没有符合条件的项目'} />
        ) : (
          list.items.map((p) => <ProjectCard key={p.id} p={p} />)
        )}
        <ListFooter count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={list.more} />
      </View>
    </View>
  );
}
