import { useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { StatusView } from '../../../../components/status-view';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { TicketCard } from '../../../../components/ticket-card';
import { ListFooter } from '../../../../components/list-footer';
import { useSession } from '../../../../hooks/use-session';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { tickets } from '../../../../services';
import { DEPARTMENT_TABS, departmentInboxQuery, dueInfo, tabFor } from '../../../../services/tickets';
import './index.scss';
import { LedgerExportButton } from '../../../../components/ledger-export';

const SUPERVISIONS_PAGE = '/packages/department/pages/supervisions/index';

/**
 * The department's inbox: 待签收 / 办理中 / 已答复, sorted by deadline with overdue tickets first and drawn red,
 * an "只看超期" filter, and the way to the 督办单 addressed to the department.
 */
export default function DepartmentInbox() {
  const { params } = useRouter();
  const { user, error: sessionError, reload: reloadSession } = useSession();
  const [tab, setTab] = useState(() => tabFor(DEPARTMENT_TABS, params.item).key);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const spec = tabFor(DEPARTMENT_TABS, tab);
  const list = usePagedList(
    (cursor) => tickets.list(departmentInboxQuery(spec, overdueOnly, cursor)),
    [tab, overdueOnly],
  );
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());

  // The server orders the open tabs by deadline (nearest, so overdue, first) across pages.
  const now = new Date();
  const sorted = list.items;
  const overdue = sorted.filter((t) => dueInfo(t, now)?.tone === 'overdue').length;

  if (!user) return sessionError ? <StatusView status="error" message={sessionError} onRetry={reloadSession} /> : <StatusView status="loading" />;

  return (
    <View className="inbox">
      <SegmentTabs tabs={DEPARTMENT_TABS} value={tab} onChange={setTab} />
      <View className="inbox__filters">
        <View className="inbox__dept">{user.department?.name ?? ''}</View>
        {tab !== 'replied' ? (
          <View className={`inbox__chip${overdueOnly ? ' inbox__chip--on' : ''}`} onClick={() => setOverdueOnly((x) => !x)}>
            只看超期
          </View>
        ) : null}
        <View className="inbox__chip" onClick={() => void Taro.navigateTo({ url: SUPERVISIONS_PAGE })}>
          督办单 ›
        </View>
        <LedgerExportButton kind="tickets" query={overdueOnly ? { overdue: true } : {}} label="导出本部门台账" />
      </View>
      {!list.loading && overdue > 0 && !overdueOnly ? <View className="inbox__alert">{overdue} 件已超期，请优先办理</View> : null}
      <View className="inbox__list">
        {list.loading ? (
          <StatusView status="loading" />
        ) : list.error && !list.items.length ? (
          <StatusView status="error" message={list.error} onRetry={list.reload} />
        ) : !sorted.length ? (
          <StatusView status="empty" message={overdueOnly ? '没有超期的诉求' : `没有${spec.title}的诉求`} />
        ) : (
          sorted.map((t) => <TicketCard key={t.id} ticket={t} showEnterprise now={now} />)
        )}
        <ListFooter count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={list.more} />
      </View>
    </View>
  );
}
