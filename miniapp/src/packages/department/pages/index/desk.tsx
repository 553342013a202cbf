import { useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { DeskBatchBar, DeskFilterBar, DeskPager, DeskTable, type DeskColumn } from '../../../../components/desk-table';
import { LedgerExportButton } from '../../../../components/ledger-export';
import { Button } from '../../../../components/nutui';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { messageOf, tickets } from '../../../../services';
import { batchSummary, defaultSort, EMPTY_FILTERS, inboxQuery, type DeskFilters, type DeskSort } from '../../../../services/desk';
import { formatDateTime } from '../../../../services/display';
import { acceptMany, DEPARTMENT_TABS, dueInfo, stateLabel, tabFor, type TicketSummary } from '../../../../services/tickets';
import { PAGES } from '../../../../services/pages';

const SUPERVISIONS_PAGE = PAGES.department.supervisions;

/**
 * The department's inbox at the desk (issue 13): the tabs, filters and a table of one keyset page at a time, sorted
 * by deadline or by submission through the server; on 待签收 rows are picked and signed for in one go (批量签收 —
 * the phone's service: one accept per ticket with its own Idempotency-Key).
 */
export function InboxDesk({ initialTab, departmentName }: { initialTab?: string; departmentName: string }) {
  const [tab, setTab] = useState(() => tabFor(DEPARTMENT_TABS, initialTab).key);
  const spec = tabFor(DEPARTMENT_TABS, tab);
  const [sort, setSort] = useState<DeskSort>(defaultSort(spec.key as 'assigned'));
  const [filters, setFilters] = useState<DeskFilters>(EMPTY_FILTERS);
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; warn: boolean }>();
  const list = usePagedList((cursor) => tickets.list(inboxQuery(spec.states, { sort, filters, cursor })), [tab, sort, JSON.stringify(filters)]);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });

  const switchTab = (key: string) => {
    setTab(key);
    setSelected([]);
    setNote(undefined);
    setSort(defaultSort(key as 'assigned'));
  };

  const picking = tab === 'assigned';
  const chosen = list.items.filter((t) => selected.includes(t.id));
  const acceptChosen = async () => {
    if (!chosen.length || busy) return;
    const { confirm } = await Taro.showModal({ title: '批量签收', content: `确定签收选中的 ${chosen.length} 件诉求吗？签收后请在答复期限内答复企业。`, confirmText: '签收' });
    if (!confirm) return;
    setBusy(true);
    try {
      const r = await acceptMany(chosen, (id, body, key) => tickets.act(id, 'accept', body, key), messageOf);
      setNote({ text: batchSummary('签收', r), warn: r.failed.length > 0 });
      setSelected([]);
      await list.reload();
    } finally {
      setBusy(false);
    }
  };

  const now = new Date();
  const columns: DeskColumn<TicketSummary>[] = [
    { key: 'no', title: '编号', width: '128px', render: (t) => t.no },
    {
      key: 'title', title: '诉求', width: 'minmax(220px, 2fr)',
      render: (t) => (
        <View>
          <View className="desk-table__title">
            {t.title}
            {t.urgency === 'urgent' ? <View className="desk-table__tag">紧急</View> : null}
          </View>
          <View className="desk-table__sub">{t.category.path}</View>
        </View>
      ),
    },
    { key: 'enterprise', title: '企业 · 属地', width: 'minmax(160px, 1.4fr)', render: (t) => <View>{t.enterprise.name}<View className="desk-table__sub">{t.area.name}</View></View> },
    { key: 'state', title: '状态', width: '112px', render: (t) => <View className="desk-table__state">{stateLabel(t.state, t.stateLabel)}</View> },
    {
      key: 'due', title: '期限', width: '160px', sort: 'deadline',
      render: (t) => {
        const d = dueInfo(t, now);
        return d ? <View className={`desk-table__due--${d.tone}`}>{d.text}</View> : <View className="desk-table__sub">无</View>;
      },
    },
    { key: 'created', title: '提交时间', width: '120px', sort: 'created', render: (t) => formatDateTime(t.createdAt) },
  ];

  return (
    <View className="inbox inbox--desk">
      <SegmentTabs tabs={DEPARTMENT_TABS} value={tab} onChange={switchTab} />
      <DeskFilterBar value={filters} onChange={setFilters} overdue={tab !== 'replied'}>
        <View className="desk-filters__chip" onClick={() => void Taro.navigateTo({ url: SUPERVISIONS_PAGE })}>督办单 ›</View>
        <LedgerExportButton kind="tickets" query={filters.overdue ? { overdue: true } : {}} label="导出本部门台账" />
        <View className="inbox__dept">{departmentName}</View>
      </DeskFilterBar>
      {note ? <View className={`desk-batch__note${note.warn ? ' desk-batch__note--warn' : ''}`}>{note.text}</View> : null}
      {picking ? (
        <DeskBatchBar count={selected.length} onClear={() => setSelected([])}>
          <Button type="primary" loading={busy} onClick={() => void acceptChosen()}>{`签收选中的 ${chosen.length} 件`}</Button>
        </DeskBatchBar>
      ) : null}
      {list.loading ? (
        <StatusView status="loading" />
      ) : list.error && !list.items.length ? (
        <StatusView status="error" message={list.error} onRetry={list.reload} />
      ) : !list.items.length ? (
        <StatusView status="empty" message={filters.overdue ? '没有超期的诉求' : `没有${spec.title}的诉求`} />
      ) : (
        <DeskTable
          columns={columns}
          rows={list.items}
          sort={sort}
          onSort={setSort}
          selected={picking ? selected : undefined}
          onSelect={setSelected}
          onOpen={(t) => openTicket(t.id)}
          rowClass={(t) => (dueInfo(t, now)?.tone === 'overdue' ? 'desk-table__row--overdue' : '')}
        />
      )}
      <DeskPager count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={() => void list.more()} />
    </View>
  );
}
