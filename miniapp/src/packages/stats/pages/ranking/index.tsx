import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { PAGES } from '../../../../services/pages';
import { Button } from '../../../../components/nutui';
import { LedgerExportButton } from '../../../../components/ledger-export';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { http, messageOf } from '../../../../services';
import { monthLabel, monthOf, shiftMonth } from '../../../../services/city';
import { createRankingsApi, rankLines, type PublishedItem, type RankingKind, type RankLine } from '../../../../services/rankings';
import './index.scss';

const api = createRankingsApi(http);
const KINDS = [{ key: 'department', title: '部门考核' }, { key: 'steward', title: '管家排名' }] as const;
const WIDE = ['coordinator', 'leader', 'admin'];

type View_ = { lines: RankLine[]; red: RankLine[]; black: RankLine[]; publishedAt: string | null; mine: string | null; weights: string };

/**
 * 考核排名: the coordinator and leader see the month's ranking as it stands (or as published) and publish a closed
 * month; department staff and stewards see the rankings published for them, their own row marked.
 */
export default function RankingPage() {
  const { user } = useSession();
  const wide = !!user?.roles.some((r) => WIDE.includes(r));
  const canPublish = !!user?.roles.some((r) => r === 'coordinator' || r === 'admin');
  const [kind, setKind] = useState<RankingKind>('department');
  const [month, setMonth] = useState(shiftMonth(monthOf(), -1));
  const [published, setPublished] = useState<PublishedItem[]>([]);
  const [view, setView] = useState<View_>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    if (!user) return;
    setLoading(true);
    setError(undefined);
    try {
      if (wide) {
        const r = await api.live(kind, month);
        setView({
          lines: rankLines(kind, r.rows), red: rankLines(kind, r.red), black: rankLines(kind, r.black),
          publishedAt: r.published?.publishedAt ?? null, mine: null,
          weights: `${r.weights.response}×响应率 + ${r.weights.solve}×解决率 + ${r.weights.satisfaction}×满意率`,
        });
      } else {
        const list = (await api.published()).items;
        setPublished(list);
        const pick = list.find((x) => x.month === month && x.kind === kind) ?? list[0];
        if (!pick) { setView(undefined); return; }
        if (pick.month !== month) setMonth(pick.month);
        if (pick.kind !== kind) setKind(pick.kind);
        const r = await api.get(pick.id);
        const lines = rankLines(r.kind, r.rows);
        setView({
          lines, red: rankLines(r.kind, r.red), black: rankLines(r.kind, r.black), publishedAt: r.publishedAt,
          mine: r.mine === null ? null : lines[r.mine]?.id ?? null,
          weights: `${r.weights.response}×响应率 + ${r.weights.solve}×解决率 + ${r.weights.satisfaction}×满意率`,
        });
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, [user, wide, kind, month]);

  useEffect(() => { void load(); }, [load]);
  // back from 考核设置: the weights or N may have changed (the first show is the effect's load)
  const shown = useRef(false);
  useDidShow(() => { if (shown.current) void load(); shown.current = true; });
  usePullDownRefresh(() => { void load().finally(() => Taro.stopPullDownRefresh()); });

  const publish = async () => {
    const ok = await Taro.showModal({ title: '发布排名', content: `发布后${monthLabel(month)}排名将冻结，并通知相关${kind === 'department' ? '部门' : '管家'}，确定发布？` });
    if (!ok.confirm) return;
    setBusy(true);
    try {
      await api.publish(kind, month);
      void Taro.showToast({ title: '已发布', icon: 'success' });
      await load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  const row = (l: RankLine, tone?: 'red' | 'black') => (
    <View key={`${tone ?? 'all'}-${l.id}`} className={`rk-row ${l.id === view?.mine ? 'rk-row--mine' : ''}`}
      // Issue 13: a coordinator or leader opens a steward's detail (the enterprises' ratings).
      onClick={wide && kind === 'steward' ? () => void Taro.navigateTo({ url: `${PAGES.stats.steward}?id=${encodeURIComponent(l.id)}` }) : undefined}>
      <View className={`rk-row__rank ${tone ? `rk-row__rank--${tone}` : ''}`}>{l.rank ?? '—'}</View>
      <View className="rk-row__main">
        <View className="rk-row__name">{l.name}{l.id === view?.mine ? (kind === 'department' ? '（本部门）' : '（本人）') : ''}</View>
        <View className="rk-row__facts">{l.facts.join(' · ')}</View>
      </View>
      <View className="rk-row__side">
        <View className="rk-row__score">{l.score === null ? '—' : l.score.toFixed(1)}</View>
        <View className={`rk-row__change ${l.change.startsWith('↑') ? 'rk-row__change--up' : l.change.startsWith('↓') ? 'rk-row__change--down' : ''}`}>{l.change}</View>
      </View>
    </View>
  );

  const latest = shiftMonth(monthOf(), 0);
  const monthsOf = (k: RankingKind) => published.filter((p) => p.kind === k);
  return (
    <View className="rk-page">
      <View className="rk-card">
        <SegmentTabs tabs={KINDS} value={kind} onChange={(k) => setKind(k as RankingKind)} />
        <View className="rk-month">
          <Button size="small" onClick={() => setMonth(shiftMonth(month, -1))}>上月</Button>
          <View className="rk-month__label">{`${monthLabel(month)}${view?.publishedAt ? ' · 已发布' : wide ? ' · 未发布' : ''}`}</View>
          <Button size="small" disabled={month >= latest} onClick={() => setMonth(shiftMonth(month, 1))}>下月</Button>
        </View>
        {view ? <View className="rk-note">{kind === 'department' ? `综合得分 = ${view.weights}` : '得分 = 覆盖率、解决率、满意率的平均'}</View> : null}
        {!wide && monthsOf(kind).length > 0 ? (
          <View className="rk-note">{`已发布：${monthsOf(kind).map((p) => monthLabel(p.month)).join('、')}`}</View>
        ) : null}
        {wide && canPublish && view && !view.publishedAt && month < latest ? (
          <Button className="rk-publish" type="primary" size="small" loading={busy} onClick={() => void publish()}>发布本月排名</Button>
        ) : null}
        {view && (wide || view.publishedAt) ? (
          <View className="rk-export"><LedgerExportButton kind="rankings" query={{ month, kind }} label="导出排名表" /></View>
        ) : null}
        {canPublish ? (
          <View className="rk-settings" onClick={() => Taro.navigateTo({ url: PAGES.stats.settings })}>考核设置（权重、红黑榜名额）›</View>
        ) : null}
      </View>
      {error ? <StatusView status="error" message={error} onRetry={load} /> : null}
      {!error && loading && !view ? <StatusView status="loading" /> : null}
      {!error && !loading && !view ? <StatusView status="empty" message="暂无已发布的排名" /> : null}
      {!error && view ? (
        <View className="rk-grid">
          <View className="rk-card rk-lists">
            <View className="rk-title rk-title--red">红榜</View>
            {view.red.length ? view.red.map((l) => row(l, 'red')) : <View className="rk-note">暂无</View>}
            <View className="rk-title rk-title--black">黑榜</View>
            {view.black.length ? view.black.map((l) => row(l, 'black')) : <View className="rk-note">暂无</View>}
          </View>
          <View className="rk-card rk-all">
            <View className="rk-title">{`全部排名（${view.lines.length}）`}</View>
            {view.lines.map((l) => row(l))}
          </View>
        </View>
      ) : null}
    </View>
  );
}
