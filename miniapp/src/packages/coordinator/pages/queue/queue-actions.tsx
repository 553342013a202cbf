import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Button, TextArea } from '../../../../components/nutui';
import { openTicket } from '../../../../components/ticket-card';
import { messageOf } from '../../../../services';
import { ESCALATION_LABELS, assignMode, type QueueItem, type QueueKind } from '../../../../services/admin';
import { formatDateTime } from '../../../../services/display';
import { extensionDecision } from '../../../../services/tickets';
import { admin, CO_PAGES, pageUrl } from '../../lib/api';

const ESCALATABLE: readonly string[] = ['pending_dispatch', 'assigned', 'accepted', 'in_progress', 'awaiting_info'];

/** What a queue says about one ticket: the last 退回 and its reason, the extension asked for, why it waits. */
export function queueInfo(kind: QueueKind, item: QueueItem): string[] {
  const t = item.ticket;
  const info: string[] = [];
  if (item.returned) info.push(`${item.returned.departmentName ?? '部门'}退回：${item.returned.reason ?? '未说明原因'}（${formatDateTime(item.returned.at)}）`);
  if (kind === 'returned' && item.detail && (item.detail.counters.returnCount ?? 0) >= 2) info.push(`已退回 ${item.detail.counters.returnCount} 次，部门不能再退回，请慎重选择承办部门`);
  const extension = kind === 'extensions' && item.detail ? extensionDecision(item.detail) : null;
  if (extension) {
    info.push(`${t.leadDepartment?.name ?? '主办部门'}申请延期 ${extension.days} 个工作日：${extension.reason}`);
    info.push(`答复期限 ${extension.currentDue ?? '未定'} → ${extension.newDue ?? `顺延 ${extension.days} 个工作日`}`);
  }
  if (kind === 'dispatch') info.push(`${formatDateTime(t.createdAt)} 提交，未匹配到交办规则`);
  if (kind === 'closing') info.push(`企业已确认办理结果（${formatDateTime(t.updatedAt)}），可以销号`);
  return info;
}

type Open = { action: 'reject' | 'supervise' | 'escalate'; text: string; level: string; error?: string };

/** The action bar under one ticket of a queue: what the queue asks of the coordinator, done in place. */
export function QueueActions({ kind, item, canAct, canEscalate, onDone, compact }: {
  kind: QueueKind; item: QueueItem; canAct: boolean; canEscalate: boolean; onDone: (message: string) => void;
  /** In a desk table row: the info lines live in their own column (`queueInfo`), and 详情 is the row itself. */
  compact?: boolean;
}) {
  const t = item.ticket;
  const [open, setOpen] = useState<Open>();
  const [busy, setBusy] = useState(false);
  const mode = assignMode(t.state);
  const version = item.detail?.version ?? t.version;

  const run = async (send: () => Promise<unknown>, message: string) => {
    if (busy) return;
    setBusy(true);
    try {
      await send();
      setOpen(undefined);
      onDone(message);
    } catch (e) {
      setOpen((o) => (o ? { ...o, error: messageOf(e) } : o));
      if (!open) void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  const confirmOpen = () => {
    if (!open) return;
    const text = open.text.trim();
    if (open.action === 'reject') {
      if (!text) return setOpen({ ...open, error: '请填写不同意的理由' });
      void run(() => admin.rejectExtension(t.id, version, text), '已驳回延期申请');
    } else if (open.action === 'supervise') {
      void run(() => admin.supervise(t.id, version, text), '督办单已下发');
    } else {
      if (!open.level) return setOpen({ ...open, error: '请选择升级到哪一级' });
      if (!text) return setOpen({ ...open, error: '请填写升级原因' });
      void run(() => admin.escalate(t.id, version, Number(open.level), text), '已升级');
    }
  };

  const assign = () => void Taro.navigateTo({ url: pageUrl(CO_PAGES.dispatch, { id: t.id }) });
  const info = compact ? [] : queueInfo(kind, item);

  const close = async () => {
    const ok = await Taro.showModal({ title: '销号？', content: `${t.no} ${t.title}\n销号后诉求办结归档，不能再办理。`, confirmText: '确认销号', cancelText: '取消', confirmColor: '#fa2c19' });
    if (ok.confirm) void run(() => admin.close(t.id, version), '已销号');
  };

  // 同意延期 (issue 13): the new date against the old one, confirmed before the deadline moves.
  const approve = async () => {
    const extension = item.detail ? extensionDecision(item.detail) : null;
    const ok = await Taro.showModal({ title: '同意延期？', content: extension?.confirmText ?? '同意后答复期限按申请的工作日顺延。', confirmText: '同意延期', cancelText: '取消' });
    if (ok.confirm) void run(() => admin.approveExtension(t.id, version), '已同意延期');
  };

  const higher = [2, 3, 4].filter((l) => l > (t.escalationLevel ?? 1));

  return (
    <View className="co-bar">
      {info.map((line) => <View key={line} className="co-bar__info">{line}</View>)}
      {open ? (
        <View className="co-queue__box">
          {open.action === 'escalate' ? (
            <View className="co-queue__levels">
              <ChoiceChips value={open.level} onChange={(l) => setOpen({ ...open, level: l as string, error: undefined })} options={higher.map((l) => ({ value: String(l), label: ESCALATION_LABELS[l] }))} />
            </View>
          ) : null}
          <View className="co-queue__input">
            <TextArea
              placeholder={open.action === 'reject' ? '不同意的理由（部门可见）' : open.action === 'supervise' ? '督办要求（可选），如 请于两日内答复' : '升级原因'}
              value={open.text}
              maxLength={500}
              autoSize
              onChange={(v) => setOpen({ ...open, text: v, error: undefined })}
            />
          </View>
          {open.error ? <View className="co-error">{open.error}</View> : null}
          <View className="co-bar__buttons">
            <Button size="small" onClick={() => setOpen(undefined)}>取消</Button>
            <Button size="small" type="primary" loading={busy} onClick={confirmOpen}>
              {open.action === 'reject' ? '确认不同意' : open.action === 'supervise' ? '下发督办单' : '确认升级'}
            </Button>
          </View>
        </View>
      ) : (
        <View className="co-bar__buttons">
          {compact ? null : <Button size="small" onClick={() => openTicket(t.id)}>详情</Button>}
          {canAct && kind === 'extensions' ? (
            <>
              <Button size="small" onClick={() => setOpen({ action: 'reject', text: '', level: '' })}>不同意</Button>
              <Button size="small" type="primary" loading={busy} onClick={() => void approve()}>同意延期</Button>
            </>
          ) : null}
          {canAct && kind === 'closing' ? (
            <Button size="small" type="primary" loading={busy} onClick={() => void close()}>销号</Button>
          ) : null}
          {canAct && kind === 'overdue' && mode === 'reassign' ? (
            <Button size="small" onClick={() => setOpen({ action: 'supervise', text: '', level: '' })}>督办</Button>
          ) : null}
          {canEscalate && (kind === 'escalations' || kind === 'overdue') && higher.length && ESCALATABLE.includes(t.state) ? (
            <Button size="small" onClick={() => setOpen({ action: 'escalate', text: '', level: String(higher[0]) })}>升级</Button>
          ) : null}
          {canEscalate && kind === 'escalations' && t.escalationLevel === 4 ? (
            <Button size="small" onClick={() => void Taro.navigateTo({ url: pageUrl(CO_PAGES.meeting, { id: t.id }) })}>协调会</Button>
          ) : null}
          {canAct && mode && kind !== 'extensions' ? (
            <Button size="small" type="primary" onClick={assign}>{kind === 'dispatch' ? '交办' : '改派'}</Button>
          ) : null}
        </View>
      )}
    </View>
  );
}

