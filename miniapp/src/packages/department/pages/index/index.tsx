import { useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { StatusView } from '../../../../components/status-view';
import { SegmentTabs } from '../../../../components/segment-tabs';
import { TicketCard } from '../../../../components/ticket-card';
import { ListFooter } from '../../../../components/list-footer';
import { useSession } from '../../../../hooks/use-session';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { messageOf, tickets } from '../../../../services';
import { Button } from '../../../../components/nutui';
import { acceptMany, DEPARTMENT_TABS, departmentInboxQuery, dueInfo, tabFor } from '../../../../services/tickets';
import { useWide } from '../../../../hooks/use-wide';
import { InboxDesk } from './desk';
import { PAGES } from '../../../../services/pages';
import './index.scss';
import { LedgerExportButton } from '../../../../components/ledger-export';

const SUPERVISIONS_PAGE = PAGES.department.supervisions;

/**
 * The department's inbox: 待签收 / 办理中 / 已答复, sorted by deadline with overdue tickets first and drawn red,
 * an "只看超期" filter, and the way to the 督办单 addressed to the department.
 */
export default function DepartmentInbox() {
  // At the desk (wide H5) the inbox is a table (issue 13); the phone keeps its cards.
  const wide = useWide();
  const { params } = useRouter();
  const { user, error, reload } = useSession();
  if (!wide) return <PhoneInbox />;
  if (!user) return error ? <StatusView status="error" message={error} onRetry={reload} /> : <StatusView status="loading" />;
  return <InboxDesk initialTab={params.item} departmentName={user.department?.name ?? ''} />;
}

function PhoneInbox() {
  const { params } = useRouter();
  const { user, error: sessionError, reload: reloadSession } = useSession();
  const [tab, setTab] = useState(() => tabFor(DEPARTMENT_TABS, params.item).key);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const spec = tabFor(DEPARTMENT_TABS, tab);
  const list = usePagedList(
    (cursor) => tickets.list(departmentInboxQuery(spec, overdueOnly, cursor)),
    [tab, overdueOnly],
  );
  // 批量签收 (issue 13): pick several 待签收 tickets and sign for them at once.
  const [picking, setPicking] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [batchBusy, setBatchBusy] = useState(false);
  const [batchNote, setBatchNote] = useState<string>();
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

  const togglePick = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const acceptPicked = async () => {
    const chosen = list.items.filter((t) => picked.includes(t.id));
    if (!chosen.length || batchBusy) return;
    const { confirm } = await Taro.showModal({ title: '批量签收', content: `确定签收选中的 ${chosen.length} 件诉求吗？签收后请在答复期限内答复企业。`, confirmText: '签收' });
    if (!confirm) return;
    setBatchBusy(true);
    try {
      const r = await acceptMany(chosen, (id, body, key) => tickets.act(id, 'accept', body, key), messageOf);
      setBatchNote(r.failed.length
        ? `已签收 ${r.done.length} 件；${r.failed.length} 件未签收：${r.failed.map((f) => `${f.no}（${f.message}）`).join('；')}`
        : `已签收 ${r.done.length} 件`);
      setPicked([]);
      setPicking(false);
      await list.reload();
    } finally {
      setBatchBusy(false);
    }
  };

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
        {tab === 'assigned' && sorted.length > 1 ? (
          <View className={`inbox__chip inbox__batch${picking ? ' inbox__chip--on' : ''}`} onClick={() => { setPicking((x) => !x); setPicked([]); setBatchNote(undefined); }}>
            {picking ? '取消批量' : '批量签收'}
          </View>
        ) : null}
      </View>
      {batchNote ? <View className="inbox__batch-note">{batchNote}</View> : null}
      {picking && tab === 'assigned' ? (
        <View className="inbox__batch-bar">
          <View className="inbox__batch-count">{`已选 ${picked.length} 件`}</View>
          <Button size="small" onClick={() => setPicked(picked.length === sorted.length ? [] : sorted.map((t) => t.id))}>{picked.length === sorted.length ? '全不选' : '全选'}</Button>
          <Button size="small" type="primary" disabled={!picked.length} loading={batchBusy} onClick={() => void acceptPicked()}>{`签收选中的 ${picked.length} 件`}</Button>
        </View>
      ) : null}
      {!list.loading && overdue > 0 && !overdueOnly ? <View className="inbox__alert">{overdue} 件已超期，请优先办理</View> : null}
      <View className="inbox__list">
        {list.loading ? (
          <StatusView status="loading" />
        ) : list.error && !list.items.length ? (
          <StatusView status="error" message={list.error} onRetry={list.reload} />
        ) : !sorted.length ? (
          <StatusView status="empty" message={overdueOnly ? '没有超期的诉求' : `没有${spec.title}的诉求`} />
        ) : (
          sorted.map((t) =>
            picking && tab === 'assigned' ? (
              // In batch mode a tap picks the ticket instead of opening it.
              <View key={t.id} className={`inbox__pick${picked.includes(t.id) ? ' inbox__pick--on' : ''}`} onClick={() => togglePick(t.id)}>
                <View className="inbox__pick-box">{picked.includes(t.id) ? '✓' : ''}</View>
                <View className="inbox__pick-card"><TicketCard ticket={t} showEnterprise now={now} /></View>
              </View>
            ) : (
              <TicketCard key={t.id} ticket={t} showEnterprise now={now} />
            ))
        )}
        <ListFooter count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={list.more} />
      </View>
    </View>
  );
}
