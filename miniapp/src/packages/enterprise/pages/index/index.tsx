import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { TicketCard } from '../../../../components/ticket-card';
import { ListFooter } from '../../../../components/list-footer';
import { useSession } from '../../../../hooks/use-session';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { everyday, tickets } from '../../../../services';
import type { MySteward } from '@guanjia/shared/schemas/everyday';
import { StewardCard } from '../../../../components/steward-card';
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
  // 搜索 (issue 13): the server's `q` (number, title, description); typed text applies on 搜索 or confirm.
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const list = usePagedList((cursor) => tickets.list({ state: spec.states, limit: 20, cursor, ...(q ? { q } : {}) }), [tab, q]);
  const shown = useRef(false);
  const [steward, setSteward] = useState<MySteward['steward']>(null);
  useEffect(() => {
    everyday.mySteward().then((r) => setSteward(r.steward), () => undefined);
  }, []);

  useDidShow(() => {
    // Coming back from a detail or the filing form: the states may have moved.
    if (shown.current) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());

  if (!user) return sessionError ? <StatusView status="error" message={sessionError} onRetry={reloadSession} /> : <StatusView status="loading" />;

  const empty = q ? `没有找到与“${q}”相关的诉求` : tab === 'all' ? '您还没有提交过诉求' : `没有${spec.title}的诉求`;
  const search = () => setQ(typed.trim().slice(0, 64));
  return (
    <View className="my-tickets">
      <SegmentTabs tabs={ENTERPRISE_TABS} value={tab} onChange={setTab} />
      <View className="my-tickets__search">
        <Input className="my-tickets__search-input" placeholder="搜索诉求编号或标题" value={typed} onChange={setTyped} onConfirm={search} clearable
          onClear={() => { setTyped(''); setQ(''); }} />
        <Button className="my-tickets__search-button" size="small" type="primary" fill="outline" onClick={search}>搜索</Button>
      </View>
      {steward ? <View className="my-tickets__steward"><StewardCard steward={steward} /></View> : null}
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
