import { useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { DeskBatchBar, DeskFilterBar, DeskPager, DeskTable, type DeskColumn } from '../../../../components/desk-table';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { messageOf } from '../../../../services';
import { assignBody, assignMode, lastReturn, mapLimit, type QueueItem, type QueueKind } from '../../../../services/admin';
import { batchSummary, defaultSort, EMPTY_FILTERS, queueQuery, runBatch, type DeskFilters, type DeskSort } from '../../../../services/desk';
import { formatDateTime } from '../../../../services/display';
import { dueInfo, stateLabel } from '../../../../services/tickets';
import { admin } from '../../lib/api';
import { QueueActions, queueInfo } from './queue-actions';

type Batch = { action: 'dispatch' | 'supervise'; departmentId: string; text: string; error?: string };

/**
 * A coordinator queue at the desk (issue 13): filters above a table of one keyset page at a time (加载更多 for the
 * next), the columns 提交时间 and 期限 sorting through the server, rows picked for a batch 交办 (to one department)
 * or 督办 — one action per ticket, each with its own key — and each row's own queue actions in its last column.
 */
export function QueueDesk({ kind, floor, canAct, canEscalate, empty, onCount }: {
  kind: QueueKind; floor: 2 | 3; canAct: boolean; canEscalate: boolean; empty: string;
  onCount: (n: number) => void;
}) {
  const [sort, setSort] = useState<DeskSort>(defaultSort(kind));
  const [filters, setFilters] = useState<DeskFilters>(EMPTY_FILTERS);
  const [selected, setSelected] = useState<string[]>([]);
  const [batch, setBatch] = useState<Batch>();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; warn: boolean }>();
  const [departments, setDepartments] = useState<{ id: string; name: string }[]>([]);

  useEffect(() => {
    void admin.departments().then((r) => setDepartments(r.items.filter((d) => d.active).map((d) => ({ id: d.id, name: d.shortName || d.name }))), () => undefined);
  }, []);

  const list = usePagedList<QueueItem>(async (cursor) => {
    const page = await admin.tickets(queueQuery(kind, { floor, sort, filters, cursor }) as never);
    // 被退回 and 延期审批 show what only the detail carries (the reason, the days asked): read for this page only.
    if (kind !== 'returned' && kind !== 'extensions') return { items: page.items.map((ticket) => ({ ticket })), nextCursor: page.nextCursor };
    const details = await mapLimit(page.items, 6, (s) => admin.ticket(s.id));
    return { items: details.map((detail, i) => ({ ticket: page.items[i], detail, ...(kind === 'returned' ? { returned: lastReturn(detail.timeline) } : {}) })), nextCursor: page.nextCursor };
  }, [kind, floor, sort, JSON.stringify(filters)]);

  useEffect(() => {
    if (!list.loading && !list.hasMore) onCount(list.items.length);
    setSelected((s) => s.filter((id) => list.items.some((x) => x.ticket.id === id)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.items, list.loading]);
  useDidShow(() => {
    if (!list.loading) void list.reload();
  });

  const rows = list.items.map((x) => ({ ...x, id: x.ticket.id }));
  const chosen = rows.filter((r) => selected.includes(r.id)).map((r) => ({ id: r.id, no: r.ticket.no, version: r.detail?.version ?? r.ticket.version, state: r.ticket.state }));
  const canDispatch = canAct && chosen.length > 0 && chosen.every((t) => assignMode(t.state as never) === 'dispatch');
  const canSupervise = canAct && chosen.length > 0 && chosen.every((t) => assignMode(t.state as never) === 'reassign');

  const done = (message: string) => {
    void Taro.showToast({ title: message, icon: 'success' });
    void list.reload();
  };

  const runSelected = async () => {
    if (!batch || busy) return;
    if (batch.action === 'dispatch' && !batch.departmentId) return setBatch({ ...batch, error: '请选择主办部门' });
    if (batch.text.length > 500) return setBatch({ ...batch, error: '不能超过 500 字' });
    setBusy(true);
    try {
      const r = batch.action === 'dispatch'
        ? await runBatch('dispatch', chosen, (t, key) => admin.dispatch(t.id, assignBody({ leadDepartmentId: batch.departmentId, assistingDepartmentIds: [], text: batch.text }, 'dispatch', t.version), key), messageOf)
        : await runBatch('supervise', chosen, (t, key) => admin.supervise(t.id, t.version, batch.text, key), messageOf);
      setNote({ text: batchSummary(batch.action === 'dispatch' ? '交办' : '督办', r), warn: r.failed.length > 0 });
      setBatch(undefined);
      setSelected([]);
      await list.reload();
    } finally {
      setBusy(false);
    }
  };

  const allColumns: DeskColumn<(typeof rows)[number]>[] = [
    { key: 'no', title: '编号', width: '120px', render: (r) => r.ticket.no },
    {
      key: 'title', title: '诉求', width: 'minmax(180px, 2fr)',
      render: (r) => (
        <View>
          <View className="desk-table__title">
            {r.ticket.title}
            {r.ticket.urgency === 'urgent' ? <View className="desk-table__tag">紧急</View> : null}
          </View>
          <View className="desk-table__sub">{r.ticket.category.path}</View>
        </View>
      ),
    },
    { key: 'enterprise', title: '企业 · 属地', width: 'minmax(130px, 1.2fr)', render: (r) => <View>{r.ticket.enterprise.name}<View className="desk-table__sub">{r.ticket.area.name}</View></View> },
    { key: 'state', title: '状态', width: '96px', render: (r) => <View className="desk-table__state">{stateLabel(r.ticket.state, r.ticket.stateLabel)}</View> },
    { key: 'department', title: '承办部门', width: '96px', render: (r) => r.ticket.leadDepartment?.name ?? '未交办' },
    {
      key: 'due', title: '期限', width: '140px', sort: 'deadline',
      render: (r) => {
        const d = dueInfo(r.ticket);
        return d ? <View className={`desk-table__due--${d.tone}`}>{d.text}</View> : <View className="desk-table__sub">无</View>;
      },
    },
    { key: 'created', title: '提交时间', width: '110px', sort: 'created', render: (r) => formatDateTime(r.ticket.createdAt) },
    { key: 'info', title: '说明', width: 'minmax(140px, 1.3fr)', render: (r) => (kind === 'dispatch' ? ['未匹配到交办规则'] : queueInfo(kind, r)).map((l) => <View key={l} className="desk-table__sub">{l}</View>) },
    {
      key: 'actions', title: '操作', width: 'minmax(130px, 1fr)',
      render: (r) => (
        <View className="desk-table__actions" onClick={(e) => e.stopPropagation()}>
          <QueueActions kind={kind} item={r} canAct={canAct} canEscalate={canEscalate} onDone={done} compact />
        </View>
      ),
    },
  ];

  // 超期 and 升级事项 have nothing to say beyond the columns: their actions get the room.
  const columns = kind === 'overdue' || kind === 'escalations' ? allColumns.filter((c) => c.key !== 'info') : allColumns;

  return (
    <View className="co-desk">
      <DeskFilterBar value={filters} onChange={setFilters} departments={kind === 'dispatch' || kind === 'returned' ? undefined : departments} overdue={kind !== 'overdue'} />
      {note ? <View className={`desk-batch__note${note.warn ? ' desk-batch__note--warn' : ''}`}>{note.text}</View> : null}
      {canAct ? (
        <DeskBatchBar count={selected.length} onClear={() => { setSelected([]); setBatch(undefined); }}>
          {!batch ? (
            <>
              <Button type="primary" disabled={!canDispatch} onClick={() => setBatch({ action: 'dispatch', departmentId: '', text: '' })}>{`批量交办 ${selected.length} 件`}</Button>
              <Button disabled={!canSupervise} onClick={() => setBatch({ action: 'supervise', departmentId: '', text: '' })}>{`批量督办 ${selected.length} 件`}</Button>
              {!canDispatch && !canSupervise ? <View className="desk-table__sub">交办只能选待交办的诉求，督办只能选部门办理中的诉求</View> : null}
            </>
          ) : (
            <View className="desk-batch__panel">
              {batch.action === 'dispatch' ? (
                <View className="co-desk__field">
                  <View className="co-desk__label">主办部门</View>
                  <ChoiceChips value={batch.departmentId} onChange={(d) => setBatch({ ...batch, departmentId: d as string, error: undefined })} options={departments.map((d) => ({ value: d.id, label: d.name }))} />
                </View>
              ) : null}
              <View className="co-queue__input">
                <TextArea
                  placeholder={batch.action === 'dispatch' ? '交办说明（可选），部门可见' : '督办要求（可选），如 请于两日内答复'}
                  value={batch.text}
                  maxLength={500}
                  autoSize
                  onChange={(text) => setBatch({ ...batch, text, error: undefined })}
                />
              </View>
              {batch.error ? <View className="co-error">{batch.error}</View> : null}
              <View className="co-bar__buttons">
                <Button onClick={() => setBatch(undefined)}>取消</Button>
                <Button type="primary" loading={busy} onClick={() => void runSelected()}>
                  {batch.action === 'dispatch' ? `确认交办 ${chosen.length} 件` : `下发督办单 ${chosen.length} 件`}
                </Button>
              </View>
            </View>
          )}
        </DeskBatchBar>
      ) : null}
      {list.loading ? (
        <StatusView status="loading" />
      ) : list.error && !list.items.length ? (
        <StatusView status="error" message={list.error} onRetry={list.reload} />
      ) : !rows.length ? (
        <StatusView status="empty" message={JSON.stringify(filters) === JSON.stringify(EMPTY_FILTERS) ? empty : '没有符合条件的诉求'} />
      ) : (
        <DeskTable
          columns={columns}
          rows={rows}
          sort={sort}
          onSort={setSort}
          selected={canAct ? selected : undefined}
          onSelect={setSelected}
          onOpen={(r) => openTicket(r.id)}
          rowClass={(r) => `co-item${dueInfo(r.ticket)?.tone === 'overdue' ? ' desk-table__row--overdue' : ''}`}
        />
      )}
      <DeskPager count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={() => void list.more()} />
    </View>
  );
}
