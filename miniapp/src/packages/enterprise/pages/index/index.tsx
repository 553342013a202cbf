import { useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { TicketCard } from '../../../../components/ticket-card';
import { ListFooter } from '../../../../components/list-footer';
import { useSession } from '../../../../hooks/use-session';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { tickets } from '../../../../services';
import { ENTERPRISE_TABS, tabFor } from '../../../../services/tickets';
import { PAGES } from '../../../../services/pages';
import './index.scss';

const NEW_TICKET_PAGE = PAGES.enterprise.new;

/**
 * 我的诉求: the enterprise's requests with their state and the deadline that runs, by tab (全部 / 办理中 /
 * 待补充 / 待确认 / 已办结); the home screen's work items open the matching tab. Filing a new one is one tap away.
 */
export default function MyTickets() {
  const { params } = useRouter();
  const { user, error: sessionError, reload: reloadSession } = useSession();
  const [tab, setTab] = useState(() => tabFor(ENTERPRISE_TABS, params.item).key);
  const spec = tabFor(ENTERPRISE_TABS, tab);
  const list = usePagedList((cursor) => tickets.list({ state: spec.states, limit: 20, cursor }), [tab]);
  const shown = useRef(false);

  useDidShow(() => {
    // Coming back from a detail or the filing form: the states may have moved.
    if (shown.current) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());

  if (!user) return sessionError ? <StatusView status="error" message={sessionError} onRetry={reloadSession} /> : <StatusView status="loading" />;

  const empty = tab === 'all' ? '您还没有提交过诉求' : `没有${spec.title}的诉求`;
  return (
    <View className="my-tickets">
      <SegmentTabs tabs={ENTERPRISE_TABS} value={tab} onChange={setTab} />
      <View className="my-tickets__list">
        {list.loading ? (
          <StatusView status="loading" />
        ) : list.error && !list.items.length ? (
          <StatusView status="error" message={list.error} onRetry={list.reload} />
        ) : !list.items.length ? (
          <StatusView status="empty" message={empty} />
        ) : (
          list.items.map((t) => <TicketCard key={t.id} ticket={t} audience="enterprise" />)
        )}
        <ListFooter count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={list.more} />
      </View>
      <View className="my-tickets__bar">
        <Button type="primary" block className="my-tickets__new" onClick={() => void Taro.navigateTo({ url: NEW_TICKET_PAGE })}>
          提交新诉求
        </Button>
      </View>
    </View>
  );
}
