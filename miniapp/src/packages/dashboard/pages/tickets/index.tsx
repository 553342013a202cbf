import { useCallback, useEffect, useMemo, useState } from 'react';
import Taro, { useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { StatusView } from '../../../../components/status-view';
import { TicketCard } from '../../../../components/ticket-card';
import { LedgerExportButton } from '../../../../components/ledger-export';
import { messageOf, tickets } from '../../../../services';
import type { TicketSummary } from '../../../../services/tickets';
import { drillFromParams, drillQuery } from '../../../../services/dashboard';
import '../../lib/dashboard.scss';

/** The tickets behind a dashboard figure: the ticket list with the figure's filters, and its 台账 export. */
export default function DrillPage() {
  const router = useRouter();
  const filters = useMemo(() => drillFromParams(router.params as Record<string, string | undefined>), [router.params]);
  const query = useMemo(() => drillQuery(filters), [filters]);
  const [items, setItems] = useState<TicketSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);

  const load = useCallback(async (after?: string) => {
    setLoading(true);
    try {
      const page = await tickets.list({ ...query, limit: 20, cursor: after });
      setItems((cur) => (after ? [...cur, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, [query]);

  useEffect(() => {
    if (filters.title) void Taro.setNavigationBarTitle({ title: filters.title });
    void load();
  }, [load, filters.title]);
  useReachBottom(() => { if (cursor && !loading) void load(cursor); });

  const period = filters.from && filters.to ? `${filters.from} 至 ${filters.to}` : '全部时间';
  return (
    <View className="db-page">
      <View className="db-card">
        <View className="db-card__title">{filters.title ?? '诉求列表'}</View>
        <View className="db-card__sub">{`提交时间：${period}`}</View>
        <View style={{ marginTop: '12px' }}><LedgerExportButton kind="tickets" query={query} /></View>
      </View>
      {error ? <StatusView status="error" message={error} onRetry={() => load()} /> : null}
      {!error && loading && !items.length ? <StatusView status="loading" /> : null}
      {!error && !loading && !items.length ? <StatusView status="empty" message="没有符合条件的诉求" /> : null}
      {items.map((t) => <TicketCard key={t.id} ticket={t} showEnterprise />)}
      {cursor ? <View className="db-card__more" onClick={() => load(cursor)}>加载更多</View> : null}
    </View>
  );
}
