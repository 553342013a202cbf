import { useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { StatusView } from '../../../../components/status-view';
import { ListFooter } from '../../../../components/list-footer';
import { openTicket } from '../../../../components/ticket-card';
import { JOIN_REQUESTS_PAGE } from '../../../../services/role-home';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { messageOf, tickets } from '../../../../services';
import { formatTime, type Notification } from '../../../../services/tickets';
import './index.scss';

/**
 * Where a notification leads: its ticket's detail (督办单 and 回访 notices are about a ticket too); a 加入申请 to the
 * approval queue where the steward or the coordinator decides it.
 */
function open(n: Notification) {
  if (n.entityType === 'join_request') void Taro.navigateTo({ url: JOIN_REQUESTS_PAGE });
  else if (n.entityId && (n.entityType === 'ticket' || !n.entityType)) openTicket(n.entityId);
}

/**
 * 消息通知 for every role: newest first, unread ones marked; tapping one marks it read and opens its 诉求.
 * The home screen's badge counts the unread ones.
 */
export default function Notifications() {
  const [unread, setUnread] = useState(0);
  const [readIds, setReadIds] = useState<Set<string>>(new Set());
  const list = usePagedList(async (cursor) => {
    const page = await tickets.notifications({ cursor, limit: 30 });
    setUnread(page.unreadCount);
    return page;
  }, []);
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());

  const tap = (n: Notification) => {
    if (!n.read && !n.done && !readIds.has(n.id)) {
      setReadIds((s) => new Set(s).add(n.id));
      setUnread((u) => Math.max(0, u - 1));
      tickets.markRead(n.id).catch(() => undefined); // best effort: the next load shows the truth
    }
    open(n);
  };

  const readAll = async () => {
    try {
      await tickets.markAllRead();
      setUnread(0);
      setReadIds(new Set(list.items.map((n) => n.id)));
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };

  if (list.loading) return <StatusView status="loading" />;
  if (list.error && !list.items.length) return <StatusView status="error" message={list.error} onRetry={list.reload} />;
  if (!list.items.length) return <StatusView status="empty" message="暂无消息" />;

  return (
    <View className="notices">
      <View className="notices__bar">
        <View>{unread ? `${unread} 条未读` : '全部已读'}</View>
        {unread ? (
          <View className="notices__read-all" onClick={() => void readAll()}>
            全部标为已读
          </View>
        ) : null}
      </View>
      {list.items.map((n) => {
        // Settled: someone entitled already did what it asked; it says what happened instead of asking.
        const isRead = n.read || readIds.has(n.id) || !!n.done;
        return (
          <View key={n.id} className={`notices__item${isRead ? '' : ' notices__item--unread'}${n.done ? ' notices__item--done' : ''}`} onClick={() => tap(n)}>
            <View className="notices__head">
              {!isRead ? <View className="notices__dot" /> : null}
              <View className="notices__title">{n.title}</View>
              <View className="notices__time">{formatTime(n.createdAt)}</View>
            </View>
            {n.body ? <View className="notices__body">{n.body}</View> : null}
            {n.done ? <View className="notices__done">已处理 · {n.doneNote ?? '无需再办理'}</View> : null}
          </View>
        );
      })}
      <ListFooter count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={list.more} />
    </View>
  );
}
