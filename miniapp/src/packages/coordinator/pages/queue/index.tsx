import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { StatusView } from '../../../../components/status-view';
import { TicketCard } from '../../../../components/ticket-card';
import { useSession } from '../../../../hooks/use-session';
import { useWide } from '../../../../hooks/use-wide';
import { messageOf } from '../../../../services';
import { escalationFloor, type QueueItem, type QueueKind } from '../../../../services/admin';
import { admin, param } from '../../lib/api';
import { QueueNav } from '../../lib/nav';
import { QueueDesk } from './desk';
import { QueueActions } from './queue-actions';
import './index.scss';

const KINDS: readonly QueueKind[] = ['dispatch', 'returned', 'extensions', 'overdue', 'escalations', 'closing'];
const TITLES: Record<QueueKind, string> = { dispatch: '待交办', returned: '被退回', extensions: '延期审批', overdue: '超期诉求', escalations: '升级事项', closing: '待销号' };
const EMPTY: Record<QueueKind, string> = {
  dispatch: '没有待交办的诉求', returned: '没有被退回的诉求', extensions: '没有待审批的延期申请', overdue: '没有超期的诉求', escalations: '没有升级的事项', closing: '没有待销号的诉求',
};

async function loadQueue(kind: QueueKind, floor: 2 | 3 = 2): Promise<{ items: QueueItem[]; other?: number }> {
  if (kind === 'dispatch' || kind === 'returned') {
    const q = await admin.dispatchQueues();
    return kind === 'dispatch' ? { items: q.fresh, other: q.returned.length } : { items: q.returned, other: q.fresh.length };
  }
  if (kind === 'extensions') return { items: await admin.extensionQueue() };
  if (kind === 'closing') return { items: (await admin.closing()).map((ticket) => ({ ticket })) };
  if (kind === 'overdue') return { items: (await admin.allTickets({ overdue: true })).map((ticket) => ({ ticket })) };
  return { items: await admin.escalations(floor) };
}

/**
 * The coordinator's queues: 待交办 (no routing rule matched), 被退回 (a department sent it back: 改派), 延期审批,
 * 超期 (督办单 by hand, 改派, 升级) and 升级事项. Each ticket opens the shared detail page; the queue's own action is
 * taken in place.
 */
export default function QueuePage() {
  const { user } = useSession();
  const { params } = useRouter();
  const raw = param(params, 'kind') as QueueKind;
  const kind: QueueKind = KINDS.includes(raw) ? raw : 'dispatch';
  const [items, setItems] = useState<QueueItem[]>();
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [error, setError] = useState<string>();
  // 升级事项: a leader sees the levels that need a leader (3–4) unless switched to all (issue 13).
  const [levels, setLevels] = useState<string | undefined>(param(params, 'levels') || undefined);
  const floor = escalationFloor(user?.roles ?? [], levels);
  const userId = user?.id;
  // At the desk (wide H5) the queue is a table with its own paged loading (issue 13).
  const wide = useWide();

  const load = useCallback(async () => {
    if (kind === 'escalations' && !userId) return; // the floor depends on the roles
    if (wide) return;
    setError(undefined);
    try {
      const r = await loadQueue(kind, floor);
      setItems(r.items);
      setCounts((c) => ({ ...c, [kind]: r.items.length, ...(r.other !== undefined ? { [kind === 'dispatch' ? 'returned' : 'dispatch']: r.other } : {}) }));
    } catch (e) {
      setError(messageOf(e));
    }
  }, [kind, floor, userId, wide]);

  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: TITLES[kind] });
    void load();
  }, [load, kind]);
  useDidShow(() => {
    if (items && !wide) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const roles = user?.roles ?? [];
  const canAct = roles.includes('coordinator');
  const canEscalate = canAct || roles.includes('leader');
  const done = (message: string) => {
    void Taro.showToast({ title: message, icon: 'success' });
    void load();
  };

  return (
    <View className={`co-page co-queue${wide ? ' co-queue--desk' : ''}`}>
      <QueueNav current={kind} counts={counts} />
      {kind === 'escalations' ? (
        <View className="co-queue__levels">
          <ChoiceChips
            value={floor === 3 ? 'leader' : 'all'}
            onChange={(v) => {
              setItems(undefined);
              setLevels(v as string);
            }}
            options={[{ value: 'leader', label: '需领导协调（三、四级）' }, { value: 'all', label: '全部升级事项' }]}
          />
        </View>
      ) : null}
      {wide ? (
        kind === 'escalations' && !user ? <StatusView status="loading" /> : (
          <QueueDesk
            key={`${kind}-${floor}`}
            kind={kind}
            floor={floor}
            canAct={canAct}
            canEscalate={canEscalate}
            empty={kind === 'escalations' && floor === 3 ? '没有需要领导协调的升级事项（三、四级）' : EMPTY[kind]}
            onCount={(n) => setCounts((c) => ({ ...c, [kind]: n }))}
          />
        )
      ) : !items ? (
        error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />
      ) : (
        <View>
          {error ? <View className="co-error">{error}</View> : null}
          {items.length === 0 ? <StatusView status="empty" message={kind === 'escalations' && floor === 3 ? '没有需要领导协调的升级事项（三、四级）' : EMPTY[kind]} /> : null}
          {items.map((item) => (
            <View key={item.ticket.id} className="co-item">
              <TicketCard ticket={item.ticket} showEnterprise />
              <QueueActions kind={kind} item={item} canAct={canAct} canEscalate={canEscalate} onDone={done} />
            </View>
          ))}
          {items.length >= 200 ? <View className="co-hint">只显示前 200 条，请先处理后再刷新</View> : null}
        </View>
      )}
    </View>
  );
}
