import { useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { messageOf } from '../../../../services';
import { SUPERVISION_KIND_LABELS, SUPERVISION_STATUS_LABELS, type Supervision } from '../../../../services/admin';
import { formatDateTime } from '../../../../services/display';
import { admin } from '../../lib/api';
import { useReshow } from '../../lib/hooks';
import { QueueNav } from '../../lib/nav';
import './index.scss';

type Filter = Supervision['status'] | 'all';
const TONE: Record<Supervision['status'], string> = { issued: 'danger', acknowledged: 'warning', done: 'success', closed: 'muted' };

function SupervisionCard({ s, canComplete, onDone }: { s: Supervision; canComplete: boolean; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const complete = async () => {
    if (!text.trim()) return setError('请填写督办事项的办理情况');
    setBusy(true);
    try {
      await admin.completeSupervision(s.id, s.version, text);
      void Taro.showToast({ title: '督办单已办结', icon: 'success' });
      setOpen(false);
      onDone();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="co-card">
      <View className="co-card__row">
        <View className="co-card__main">
          <View className="co-card__title">{`${s.no} · ${s.department.name}`}</View>
          <View className="co-card__sub co-link" onClick={() => openTicket(s.ticket.id)}>{`${s.ticket.no} ${s.ticket.title}`}</View>
        </View>
        <View className={`co-tag co-tag--${TONE[s.status]}`}>{SUPERVISION_STATUS_LABELS[s.status]}</View>
      </View>
      <View className="co-card__sub">
        {`${SUPERVISION_KIND_LABELS[s.kind]} · ${formatDateTime(s.issuedAt)} 下发${s.issuedBy ? `（${s.issuedBy.name}）` : '（系统）'}${s.missedDueAt ? ` · 原期限 ${formatDateTime(s.missedDueAt)}` : ''}`}
      </View>
      {s.note ? <View className="co-card__sub">{`督办要求：${s.note}`}</View> : null}
      {s.acknowledgedAt ? <View className="co-card__sub">{`${formatDateTime(s.acknowledgedAt)} 部门签收`}</View> : null}
      {s.response ? <View className="co-card__sub">{`办理情况：${s.response}`}</View> : null}
      {s.status === 'closed' ? <View className="co-card__sub">{`${s.closedReason ?? '督办单已随诉求关闭'}${s.closedAt ? `（${formatDateTime(s.closedAt)}）` : ''}`}</View> : null}
      {canComplete && (s.status === 'issued' || s.status === 'acknowledged') ? (
        open ? (
          <View>
            <View className="co-sup__input">
              <TextArea placeholder="督办事项的办理情况" value={text} maxLength={1000} autoSize onChange={(v) => { setText(v); setError(undefined); }} />
            </View>
            {error ? <View className="co-error">{error}</View> : null}
            <View className="co-bar__buttons">
              <Button size="small" onClick={() => setOpen(false)}>取消</Button>
              <Button size="small" type="primary" loading={busy} onClick={complete}>确认办结</Button>
            </View>
          </View>
        ) : (
          <View className="co-bar__buttons">
            <Button size="small" onClick={() => setOpen(true)}>办结督办单</Button>
          </View>
        )
      ) : null}
    </View>
  );
}

/** 督办单: every 督办单 of the district (automatic after a missed deadline, or issued by hand), by status. */
export default function SupervisionsPage() {
  const { user } = useSession();
  const [filter, setFilter] = useState<Filter>('issued');
  const list = usePagedList((cursor) => admin.supervisions({ status: filter === 'all' ? undefined : filter, cursor }), [filter]);
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  const canComplete = !!user?.roles.includes('coordinator');

  return (
    <View className="co-page co-sup">
      <QueueNav current="supervisions" />
      <View className="co-sup__filters">
        <ChoiceChips
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          options={[{ value: 'issued', label: '已下发' }, { value: 'acknowledged', label: '已签收' }, { value: 'done', label: '已办结' }, { value: 'closed', label: '已关闭' }, { value: 'all', label: '全部' }]}
        />
      </View>
      {list.loading ? <StatusView status="loading" /> : null}
      {!list.loading && list.error && !list.items.length ? <StatusView status="error" message={list.error} onRetry={list.reload} /> : null}
      {!list.loading && !list.error && !list.items.length ? <StatusView status="empty" message="没有这一类的督办单" /> : null}
      {list.items.map((s) => <SupervisionCard key={s.id} s={s} canComplete={canComplete} onDone={list.reload} />)}
      {list.hasMore ? <View className="co-more" onClick={() => void list.more()}>{list.loadingMore ? '加载中…' : '加载更多'}</View> : null}
      <View className="co-hint">超期诉求的督办单由系统在期限后的第一个工作日自动下发；人工督办请在「超期督办」中操作。</View>
    </View>
  );
}
