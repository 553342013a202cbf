import { useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import {
  METHOD_LABELS, RETURN_VISIT_KIND_LABELS, VERDICT_LABELS, returnVisitBody, validateReturnVisit, type ReturnVisit, type ReturnVisitForm,
} from '../../../../services/admin';
import { formatDateTime } from '../../../../services/display';
import { admin, formErrors } from '../../lib/api';
import { useReshow } from '../../lib/hooks';
import { QueueNav } from '../../lib/nav';
import './index.scss';

const EMPTY_FORM: ReturnVisitForm = { verdict: '', voluntary: '', method: 'phone', note: '' };

/** One 回访 task: who to phone, and the verdict to record. */
function FollowupCard({ rv, canRecord, onDone }: { rv: ReturnVisit; canRecord: boolean; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<ReturnVisitForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ReturnVisitForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors({});
  };
  const record = async () => {
    const missing = validateReturnVisit(rv.kind, form);
    setErrors(missing);
    if (Object.keys(missing).length || busy) return;
    setBusy(true);
    try {
      await admin.recordReturnVisit(rv.id, returnVisitBody(rv.kind, form, rv.ticket.version));
      void Taro.showToast({ title: '回访已记录', icon: 'success' });
      setOpen(false);
      onDone();
    } catch (e) {
      setErrors(formErrors(e, ['verdict', 'withdrawalVoluntary', 'method', 'note']));
    } finally {
      setBusy(false);
    }
  };
  const e = rv.enterprise;
  return (
    <View className="co-card">
      <View className="co-card__row">
        <View className="co-card__main">
          <View className="co-card__title co-link" onClick={() => openTicket(rv.ticket.id)}>{`${rv.ticket.no} ${rv.ticket.title}`}</View>
          <View className="co-card__sub">{`${e.name} · ${RETURN_VISIT_KIND_LABELS[rv.kind]} · ${formatDateTime(rv.createdAt)}`}</View>
        </View>
        <View className={`co-tag ${rv.status === 'open' ? 'co-tag--warning' : 'co-tag--success'}`}>{rv.status === 'open' ? '待回访' : rv.status === 'done' ? '已回访' : '已取消'}</View>
      </View>
      {e.contactName || e.contactPhone ? (
        <View className="co-fu__phone" onClick={() => e.contactPhone && void Taro.makePhoneCall({ phoneNumber: e.contactPhone }).catch(() => undefined)}>
          {`联系人 ${e.contactName ?? ''} ${e.contactPhone ?? ''}`}
        </View>
      ) : null}
      {rv.status === 'done' ? (
        <View className="co-card__sub">
          {`${rv.doneBy?.name ?? ''} ${formatDateTime(rv.doneAt)} ${rv.method ? METHOD_LABELS[rv.method as keyof typeof METHOD_LABELS] ?? '' : ''}回访：${
            rv.verdict ? VERDICT_LABELS[rv.verdict as keyof typeof VERDICT_LABELS] ?? '' : rv.withdrawalVoluntary === null ? '' : rv.withdrawalVoluntary ? '自愿撤回' : '非自愿撤回'
          }${rv.note ? `，${rv.note}` : ''}`}
        </View>
      ) : null}
      {canRecord && rv.status === 'open' ? (
        open ? (
          <View className="co-fu__form">
            {rv.kind === 'confirmation' ? (
              <View>
                <View className="co-fu__label">企业对办理结果的评价</View>
                <ChoiceChips value={form.verdict} onChange={(v) => set({ verdict: v as ReturnVisitForm['verdict'] })} danger={['dissatisfied']}
                  options={[
                    { value: 'satisfied', label: '满意', hint: '满意即销号' },
                    { value: 'basically_satisfied', label: '基本满意', hint: '基本满意即销号' },
                    { value: 'dissatisfied', label: '不满意', hint: '不满意将退回原部门重办' },
                  ]} />
                {errors.verdict ? <View className="co-error">{errors.verdict}</View> : null}
              </View>
            ) : (
              <View>
                <View className="co-fu__label">企业是否自愿撤回</View>
                <ChoiceChips value={form.voluntary} onChange={(v) => set({ voluntary: v as ReturnVisitForm['voluntary'] })} danger={['no']}
                  options={[{ value: 'yes', label: '自愿撤回' }, { value: 'no', label: '非自愿，恢复办理', hint: '诉求将回到待交办队列' }]} />
                {errors.withdrawalVoluntary ? <View className="co-error">{errors.withdrawalVoluntary}</View> : null}
              </View>
            )}
            <View className="co-fu__label">回访方式</View>
            <ChoiceChips value={form.method} onChange={(v) => set({ method: v as ReturnVisitForm['method'] })} options={Object.entries(METHOD_LABELS).map(([value, label]) => ({ value, label }))} />
            <View className="co-fu__input">
              <TextArea placeholder="回访记录：企业反映的情况" value={form.note} maxLength={1000} autoSize onChange={(v) => set({ note: v })} />
            </View>
            {errors.note ? <View className="co-error">{errors.note}</View> : null}
            {errors.form ? <View className="co-error">{errors.form}</View> : null}
            <View className="co-bar__buttons">
              <Button size="small" onClick={() => setOpen(false)}>取消</Button>
              <Button size="small" type="primary" loading={busy} onClick={record}>保存回访结果</Button>
            </View>
          </View>
        ) : (
          <View className="co-bar__buttons">
            <Button size="small" type="primary" onClick={() => setOpen(true)}>记录回访</Button>
          </View>
        )
      ) : null}
    </View>
  );
}

/** 回访任务: replies the enterprise did not confirm within 5 working days, and withdrawals to verify, phoned by the coordinator. */
export default function FollowupsPage() {
  const { user } = useSession();
  const [filter, setFilter] = useState<'open' | 'done'>('open');
  const list = usePagedList((cursor) => admin.returnVisits({ status: filter, cursor }), [filter]);
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  const canRecord = !!user?.roles.includes('coordinator');

  return (
    <View className="co-page co-fu">
      <QueueNav current="followups" />
      <View className="co-fu__filters">
        <ChoiceChips value={filter} onChange={(v) => setFilter(v as 'open' | 'done')} options={[{ value: 'open', label: '待回访' }, { value: 'done', label: '已回访' }]} />
      </View>
      {list.loading ? <StatusView status="loading" /> : null}
      {!list.loading && list.error && !list.items.length ? <StatusView status="error" message={list.error} onRetry={list.reload} /> : null}
      {!list.loading && !list.error && !list.items.length ? <StatusView status="empty" message={filter === 'open' ? '没有待回访的任务' : '还没有回访记录'} /> : null}
      {list.items.map((rv) => <FollowupCard key={rv.id} rv={rv} canRecord={canRecord} onDone={list.reload} />)}
      {list.hasMore ? <View className="co-more" onClick={() => void list.more()}>{list.loadingMore ? '加载中…' : '加载更多'}</View> : null}
    </View>
  );
}
