import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { messageOf, projects } from '../../../../services';
import { todayInShanghai } from '../../../../services/display';
import { createSubmission } from '../../../../services/submission';
import { defaultReportMonth, PROJECT_LABELS, PROJECT_PAGES, type MissingReport } from '../../../../services/projects';
import { DeskNav, DeskTable, LightDot } from '../../lib/desk';

/** YYYY-MM shifted by `delta` months. */
function shift(month: string, delta: number): string {
  const n = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}

/**
 * 调度清单 (the coordinator's desk): the projects under way that have not filed the month's 调度 report, with their
 * stewards, month by month; 一键催报 reminds those stewards now (once a day per project).
 */
export default function DuePage() {
  const { user } = useSession();
  const today = todayInShanghai();
  const [month, setMonth] = useState(defaultReportMonth(today));
  const [items, setItems] = useState<MissingReport[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submission = useRef(createSubmission());
  const load = useCallback(async () => {
    setError(undefined);
    try {
      setItems((await projects.missing(month)).items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [month]);
  useEffect(() => {
    setItems(undefined);
    void load();
  }, [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  const canRemind = !!user?.roles.includes('coordinator');
  const remind = async () => {
    setBusy(true);
    try {
      const r = await submission.current.run((k) => projects.remind(month, k));
      void Taro.showToast({ title: r.sent ? `已提醒${r.sent}人次` : '今日已提醒过', icon: r.sent ? 'success' : 'none' });
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return (
    <View className="desk">
      <DeskNav current="due" />
      <View className="desk__bar">
        <View className="desk__bar-title">{`${y}年${m}月调度：未填报 ${items?.length ?? '…'} 个项目`}</View>
        <View className="desk__bar-tools">
          <Button size="small" onClick={() => setMonth(shift(month, -1))}>‹ 上月</Button>
          <Button size="small" disabled={month >= today.slice(0, 7)} onClick={() => setMonth(shift(month, 1))}>下月 ›</Button>
          {canRemind && items?.length ? <Button size="small" type="primary" loading={busy} onClick={() => void remind()}>一键催报</Button> : null}
        </View>
      </View>
      {!items ? (
        error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />
      ) : !items.length ? (
        <StatusView status="empty" message="本月在建项目均已填报调度信息" />
      ) : (
        <DeskTable cols="140PX 1fr 90PX 1fr 70PX" head={['项目编号', '项目名称', '红黄绿灯', '项目管家', '']}>
          {items.map((r) => (
            <View key={r.id} className="desk-table__row due-row">
              <View className="desk-table__cell desk-table__cell--muted">{r.no}</View>
              <View className="desk-table__cell desk-table__cell--main">{r.name}</View>
              <View className="desk-table__cell"><LightDot light={r.light} />{PROJECT_LABELS.light[r.light ?? 'none']}</View>
              <View className="desk-table__cell">{r.stewards.map((s) => s.name).join('、') || '未配备管家'}</View>
              <View className="desk-table__cell desk-table__link" onClick={() => void Taro.navigateTo({ url: `${PROJECT_PAGES.detail}?id=${r.id}` })}>查看 ›</View>
            </View>
          ))}
        </DeskTable>
      )}
      <View className="desk__hint">每月第5个工作日（可配置）起，系统自动提醒未填报项目的管家；一键催报立即提醒，同一项目每天至多一次。</View>
    </View>
  );
}
