import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Button, TextArea } from '../../../../components/nutui';
import { AuthImage } from '../../../../components/auth-image';
import { FenceMap } from '../../../../components/fence-map';
import { StatusView } from '../../../../components/status-view';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { messageOf } from '../../../../services';
import type { LocationProposal, OverdueReport, Visit } from '../../../../services/admin';
import { formatDateTime, formatDistance } from '../../../../services/display';
import { FLAG_TAGS, VISIT_KIND_LABELS } from '../../../../services/visits';
import { admin } from '../../lib/api';
import { useReshow } from '../../lib/hooks';
import './index.scss';
import { LedgerExportButton } from '../../../../components/ledger-export';
import { monthRange } from '../../../../services/dashboard';
import { monthOf } from '../../../../services/city';

type Tab = 'flagged' | 'proposals' | 'overdue';

/** A note box with a confirm button, for reviewing a check-in or deciding a location proposal. */
function NoteAction({ placeholder, actions, onDone }: {
  placeholder: string;
  actions: { label: string; primary?: boolean; run: (note: string) => Promise<unknown>; done: string }[];
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (a: (typeof actions)[number]) => {
    setBusy(true);
    try {
      await a.run(note);
      void Taro.showToast({ title: a.done, icon: 'success' });
      setOpen(false);
      onDone();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <View className="co-bar__buttons">
        <Button size="small" type="primary" onClick={() => setOpen(true)}>处理</Button>
      </View>
    );
  }
  return (
    <View>
      <View className="co-visits__input">
        <TextArea placeholder={placeholder} value={note} maxLength={256} autoSize onChange={(v) => { setNote(v); setError(undefined); }} />
      </View>
      {error ? <View className="co-error">{error}</View> : null}
      <View className="co-bar__buttons">
        <Button size="small" onClick={() => setOpen(false)}>取消</Button>
        {actions.map((a) => (
          <Button key={a.label} size="small" type={a.primary ? 'primary' : 'default'} loading={busy} onClick={() => void run(a)}>{a.label}</Button>
        ))}
      </View>
    </View>
  );
}

function FlaggedVisit({ v, canReview, onDone }: { v: Visit; canReview: boolean; onDone: () => void }) {
  return (
    <View className="co-card">
      <View className="co-card__title">{v.enterprise.name}</View>
      <View className="co-card__sub">{`${v.steward.name} · ${VISIT_KIND_LABELS[v.kind]} · ${formatDateTime(v.checkIn?.at ?? v.occurredAt)} 签到${
        v.checkIn?.distanceM !== null && v.checkIn?.distanceM !== undefined ? ` · 距企业 ${formatDistance(v.checkIn.distanceM)}` : ''}`}</View>
      <View className="co-visits__tags">
        {v.flags.map((f) => <View key={f} className={`co-tag ${f === 'outside_fence' ? 'co-tag--warning' : 'co-tag--danger'}`}>{FLAG_TAGS[f as keyof typeof FLAG_TAGS] ?? '异常'}</View>)}
      </View>
      {v.notes ? <View className="co-card__sub">{`走访记录：${v.notes}`}</View> : null}
      {/* The photo taken at check-in: what the reviewer judges the check-in by (issue 13). */}
      {v.checkIn?.photoId ? (
        <View className="co-visits__photo">
          <AuthImage url={admin.visitPhotoUrl(v.checkIn.photoId)} className="co-visits__img" />
          <View className="co-card__sub">签到照片，点击查看大图</View>
        </View>
      ) : null}
      {/* Where the check-in was against the enterprise's fence (issue 13). */}
      {v.enterprise.location && v.checkIn?.location ? (
        <View className="co-visits__map">
          <FenceMap center={v.enterprise.location} radiusM={v.checkIn.fenceRadiusM ?? 300} point={v.checkIn.location} pointLabel="签到位置" />
        </View>
      ) : v.checkIn && !v.checkIn.location ? <View className="co-card__sub">{v.locationPurged ? '签到位置已过保存期限' : '签到时未取得位置'}</View> : null}
      {canReview ? (
        <NoteAction placeholder="复核说明，如 已电话核实，企业新厂区在城东；驳回须填写理由" onDone={onDone}
          actions={[
            // 驳回: the visit stops counting toward the steward's contacts; the server asks for the reason.
            { label: '驳回', done: '已驳回', run: (note) => admin.rejectVisit(v.id, note) },
            { label: '复核通过', primary: true, done: '已复核', run: (note) => admin.reviewVisit(v.id, note) },
          ]} />
      ) : null}
    </View>
  );
}

function Proposal({ p, onDone }: { p: LocationProposal; onDone: () => void }) {
  return (
    <View className="co-card">
      <View className="co-card__title">{p.enterprise.name}</View>
      <View className="co-card__sub">{`${p.proposedBy.name} ${formatDateTime(p.createdAt)} 首次现场签到时提交`}</View>
      {p.location ? <View className="co-card__sub">{`位置 北纬 ${p.location.lat.toFixed(5)}，东经 ${p.location.lng.toFixed(5)}（WGS-84${p.location.accuracyM ? `，精度约 ${Math.round(p.location.accuracyM)} 米` : ''}）`}</View> : <View className="co-card__sub">位置信息已过保存期限</View>}
      <NoteAction placeholder="说明（可选）" onDone={onDone} actions={[
        { label: '驳回', done: '已驳回', run: (note) => admin.decideProposal(p.id, 'reject', note) },
        { label: '确认为企业位置', primary: true, done: '已更新企业位置', run: (note) => admin.decideProposal(p.id, 'confirm', note) },
      ]} />
    </View>
  );
}

function OverdueContacts() {
  const [report, setReport] = useState<OverdueReport>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    setError(undefined);
    try {
      setReport(await admin.overdueContacts());
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  if (!report) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  const stewards = report.bySteward.filter((s) => s.summary.overdue + s.summary.due > 0);
  return (
    <View>
      <View className="co-card">
        <View className="co-card__title">{`截至 ${report.asOf}：已逾期 ${report.total.overdue} 家次，待走访 ${report.total.due} 家次，已完成 ${report.total.done} 家次`}</View>
        <View className="co-visits__tags">
          {report.byArea.map((a) => <View key={a.area.id} className="co-tag">{`${a.area.name} 逾期 ${a.summary.overdue} · 待走访 ${a.summary.due}`}</View>)}
        </View>
      </View>
      {stewards.length === 0 ? <StatusView status="empty" message="本期所有包保企业均已按要求走访" /> : null}
      {stewards.map((s) => (
        <View key={s.steward.id} className="co-card">
          <View className="co-card__row">
            <View className="co-card__title">{s.steward.name}</View>
            {s.summary.overdue ? <View className="co-tag co-tag--danger">{`逾期 ${s.summary.overdue}`}</View> : null}
            {s.summary.due ? <View className="co-tag co-tag--warning">{`待走访 ${s.summary.due}`}</View> : null}
          </View>
          <View className="co-visits__pending">
            {s.pending.map((p) => `${p.enterprise.name}（${p.area.name}，${p.done}/${p.required}）`).join('、')}
            {/* pending is capped by the server (OVERDUE_PENDING_MAX); the summary counts them all */}
            {s.summary.overdue + s.summary.due > s.pending.length ? ` 等 ${s.summary.overdue + s.summary.due} 家` : ''}
          </View>
        </View>
      ))}
    </View>
  );
}

/**
 * 走访督查: check-ins the server flagged (外勤, implausible travel, a reused photo, poor accuracy) for the
 * coordinator to review, enterprise locations proposed by a first check-in, and who is behind on contacts.
 */
export default function VisitsOversightPage() {
  const { user } = useSession();
  const roles = user?.roles ?? [];
  const canReview = roles.includes('coordinator') || roles.includes('admin');
  const [tab, setTab] = useState<Tab>(canReview || !user ? 'flagged' : 'overdue');
  useEffect(() => {
    if (user && !canReview && tab !== 'overdue') setTab('overdue');
  }, [user, canReview, tab]);
  const flagged = usePagedList((cursor) => (tab === 'flagged' && canReview ? admin.flaggedVisits(cursor) : Promise.resolve({ items: [], nextCursor: null })), [tab, canReview]);
  const proposals = usePagedList((cursor) => (tab === 'proposals' && canReview ? admin.locationProposals(cursor) : Promise.resolve({ items: [], nextCursor: null })), [tab, canReview]);
  const list = tab === 'proposals' ? proposals : flagged;
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());

  const tabs = [
    ...(canReview ? [{ value: 'flagged', label: '异常签到' }, { value: 'proposals', label: '位置建议' }] : []),
    { value: 'overdue', label: '走访逾期' },
  ];
  return (
    <View className="co-page co-visits">
      <View className="co-visits__filters">
        <ChoiceChips value={tab} onChange={(v) => setTab(v as Tab)} options={tabs} />
        <LedgerExportButton kind="visits" query={{ ...monthRange(monthOf()), ...(tab === 'flagged' ? { flagged: true } : {}) }} label={tab === 'flagged' ? '导出异常签到台账' : '导出本月走访台账'} />
      </View>
      {tab === 'overdue' ? <OverdueContacts /> : (
        <View>
          {list.loading ? <StatusView status="loading" /> : null}
          {!list.loading && list.error && !list.items.length ? <StatusView status="error" message={list.error} onRetry={list.reload} /> : null}
          {!list.loading && !list.error && !list.items.length ? (
            <StatusView status="empty" message={tab === 'flagged' ? '没有待复核的异常签到' : '没有待确认的位置建议'} />
          ) : null}
          {tab === 'flagged'
            ? flagged.items.map((v) => <FlaggedVisit key={v.id} v={v} canReview={canReview} onDone={flagged.reload} />)
            : proposals.items.map((p) => <Proposal key={p.id} p={p} onDone={proposals.reload} />)}
          {list.hasMore ? <View className="co-more" onClick={() => void list.more()}>{list.loadingMore ? '加载中…' : '加载更多'}</View> : null}
          {tab === 'flagged' ? <View className="co-hint">查看签到位置会记入位置信息查阅记录（个人信息保护法第二十八条）。</View> : null}
        </View>
      )}
    </View>
  );
}
