import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useLoad } from '../../../../hooks/use-load';
import { goingLive, messageOf } from '../../../../services';
import type { JoinRequest } from '../../../../services/going-live';
import './index.scss';

/** One request: who asks, for which company, and whether the district has an enterprise with that credit code. */
function RequestCard({ r, onDone }: { r: JoinRequest; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject'>();
  const [rejecting, setRejecting] = useState(false);
  const decide = async (action: 'approve' | 'reject') => {
    setBusy(action);
    try {
      await goingLive.decide(r, action, action === 'reject' ? reason.trim() || undefined : undefined);
      void Taro.showToast({ title: action === 'approve' ? '已通过，对方重新进入小程序即可使用' : '已驳回', icon: 'none' });
      onDone();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <View className="co-card" data-request={r.id}>
      <View className="co-card__title">{r.companyName}</View>
      <View className="co-card__sub">{`统一社会信用代码 ${r.creditCode}`}</View>
      <View className="co-card__sub">{`申请人 ${r.contactName}${r.phone ? ` · ${r.phone}` : ''} · ${r.createdAt.slice(0, 10)}`}</View>
      {r.enterprise ? (
        <View className="jr-match jr-match--ok">{`本区县登记的企业：${r.enterprise.name}（请核对名称是否为同一企业）`}</View>
      ) : (
        <View className="jr-match jr-match--none">本区县没有该信用代码的企业：需先登记企业才能通过，或驳回</View>
      )}
      {rejecting ? (
        <FormField label="驳回原因">
          <Input placeholder="如：非本企业人员、请联系包保管家" value={reason} maxLength={256} onChange={setReason} />
        </FormField>
      ) : null}
      <View className="co-bar__buttons">
        {rejecting ? (
          <>
            <Button size="small" onClick={() => setRejecting(false)}>取消</Button>
            <Button size="small" type="danger" loading={busy === 'reject'} onClick={() => void decide('reject')}>确认驳回</Button>
          </>
        ) : (
          <>
            <Button size="small" onClick={() => setRejecting(true)}>驳回</Button>
            <Button size="small" type="primary" disabled={!r.enterprise} loading={busy === 'approve'} onClick={() => void decide('approve')}>通过</Button>
          </>
        )}
      </View>
    </View>
  );
}

/** 企业加入申请: requests an enterprise contact made when code and name did not match at once (steward: own enterprises). */
export default function JoinRequestsPage() {
  const { data: items, error, reload: load } = useLoad<JoinRequest[]>(async () => (await goingLive.joinRequests('pending')).items, [], { pullDown: true });

  if (!items) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  return (
    <View className="co-page">
      <View className="co-section">{`待审核 ${items.length} 条`}</View>
      {items.length === 0 ? <StatusView status="empty" message="暂无待审核的加入申请" /> : null}
      {items.map((r) => <RequestCard key={r.id} r={r} onDone={load} />)}
    </View>
  );
}
