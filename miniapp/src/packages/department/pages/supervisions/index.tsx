import { useRef, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { ListFooter } from '../../../../components/list-footer';
import { openTicket } from '../../../../components/ticket-card';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { formErrors, tickets } from '../../../../services';
import { createSubmission, type Submission } from '../../../../services/submission';
import { formatTime, SUPERVISION_KIND_LABELS, SUPERVISION_STATUS_LABELS, type Supervision } from '../../../../services/tickets';
import './index.scss';

const TABS = [
  { key: 'issued', title: '待签收' },
  { key: 'acknowledged', title: '办理中' },
  { key: 'done', title: '已办结' },
  { key: 'closed', title: '已关闭' },
] as const;

/** One 督办单: what was missed, on which 诉求; 签收 it, then report what was done (办结). */
function SupervisionCard({ s, onChanged }: { s: Supervision; onChanged: (next: Supervision) => void }) {
  const [response, setResponse] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const subs = useRef(new Map<string, Submission>());
  const run = async (kind: 'ack' | 'done') => {
    if (kind === 'done' && !response.trim()) {
      setError('请填写督办事项的办理情况');
      return;
    }
    if (kind === 'ack') {
      const ok = await Taro.showModal({ title: '签收督办单？', content: '签收后请尽快办理并反馈办理情况。', confirmText: '签收', confirmColor: '#fa2c19' });
      if (!ok.confirm) return;
    }
    const k = `${kind}@${s.version}`;
    let sub = subs.current.get(k);
    if (!sub) subs.current.set(k, (sub = createSubmission()));
    setBusy(true);
    setError(undefined);
    try {
      const next = await sub.run((key) => (kind === 'ack' ? tickets.acknowledgeSupervision(s.id, s.version, key) : tickets.completeSupervision(s.id, s.version, response.trim(), key)));
      void Taro.showToast({ title: kind === 'ack' ? '已签收' : '已办结', icon: 'success' });
      onChanged(next);
    } catch (e) {
      const fe = formErrors(e, ['response']);
      setError(fe.response ?? fe.form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="sup">
      <View className="sup__head">
        <View className="sup__no">{s.no}</View>
        <View className={`sup__status sup__status--${s.status}`}>{SUPERVISION_STATUS_LABELS[s.status]}</View>
      </View>
      <View className="sup__kind">{SUPERVISION_KIND_LABELS[s.kind]}{s.missedDueAt ? `（期限 ${formatTime(s.missedDueAt)}）` : ''}</View>
      <View className="sup__ticket" onClick={() => openTicket(s.ticket.id)}>
        {s.ticket.no} · {s.ticket.title} ›
      </View>
      {s.note ? <View className="sup__note">督办要求：{s.note}</View> : null}
      <View className="sup__meta">
        {s.issuedBy ? `${s.issuedBy.name} 下发` : '系统自动下发'} · {formatTime(s.issuedAt)}
      </View>
      {s.response ? <View className="sup__note">办理情况：{s.response}</View> : null}
      {s.status === 'closed' ? <View className="sup__note">{s.closedReason ?? '督办单已随诉求关闭'}{s.closedAt ? `（${formatTime(s.closedAt)}）` : ''}</View> : null}
      {s.status === 'acknowledged' ? (
        <View className="sup__form">
          <TextArea className="sup__textarea" placeholder="填写督办事项的办理情况" value={response} onChange={setResponse} maxLength={1000} showCount autoSize />
        </View>
      ) : null}
      {error ? <View className="sup__error">{error}</View> : null}
      {s.status === 'issued' || s.status === 'acknowledged' ? (
        <View className="sup__actions">
          <Button size="small" type="primary" loading={busy} onClick={() => void run(s.status === 'issued' ? 'ack' : 'done')}>
            {s.status === 'issued' ? '签收' : '办结'}
          </Button>
        </View>
      ) : null}
    </View>
  );
}

/** 督办单 addressed to the staff member's department, by status. */
export default function Supervisions() {
  const [tab, setTab] = useState<string>('issued');
  const list = usePagedList((cursor) => tickets.supervisions({ status: tab as Supervision['status'], cursor, limit: 30 }), [tab]);
  const [changed, setChanged] = useState<Record<string, Supervision>>({});
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  const items = list.items.map((s) => changed[s.id] ?? s);
  return (
    <View className="sups">
      <SegmentTabs tabs={TABS} value={tab} onChange={setTab} />
      <View className="sups__list">
        {list.loading ? (
          <StatusView status="loading" />
        ) : list.error && !items.length ? (
          <StatusView status="error" message={list.error} onRetry={list.reload} />
        ) : !items.length ? (
          <StatusView status="empty" message={`没有${TABS.find((t) => t.key === tab)?.title ?? ''}的督办单`} />
        ) : (
          items.map((s) => <SupervisionCard key={s.id} s={s} onChanged={(n) => setChanged((c) => ({ ...c, [n.id]: n }))} />)
        )}
        <ListFooter count={items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={list.more} />
      </View>
    </View>
  );
}
