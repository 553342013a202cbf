import { useCallback, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { messageOf } from '../../../../services';
import { formatDateTime, formatDistance } from '../../../../services/display';
import { checkInVerdict, ticketOfProblem, VISIT_KIND_LABELS, VISIT_STATUS_LABELS, type Visit } from '../../../../services/visits';
import { pageUrl, param, STEWARD_PAGES, TICKET_DETAIL, visits } from '../../lib/api';
import './index.scss';

function Line({ label, children }: { label: string; children: string }) {
  return (
    <View className="st-visit__line">
      <View className="st-visit__label">{label}</View>
      <View className="st-visit__value">{children}</View>
    </View>
  );
}

/**
 * One visit: when, how, where (distance, 外勤 and the other check-in flags), what was noted, and the problems found —
 * each of which becomes a 诉求 for the enterprise, linked to this visit, with one tap.
 */
export default function VisitPage() {
  const { user } = useSession();
  const { params } = useRouter();
  const id = param(params, 'id');
  const [visit, setVisit] = useState<Visit>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setVisit(await visits.get(id));
    } catch (e) {
      setError(messageOf(e));
    }
  }, [id]);

  useDidShow(() => {
    if (id) void load();
  });

  if (!id) return <StatusView status="error" message="缺少走访记录" />;
  if (!visit) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;

  const mine = visit.steward.id === user?.id;
  const verdict = checkInVerdict(visit);
  const fileTicket = (problem?: string) =>
    void Taro.navigateTo({ url: pageUrl(STEWARD_PAGES.ticket, { enterpriseId: visit.enterprise.id, visitId: visit.id, problem }) });
  const cancel = async () => {
    const { confirm } = await Taro.showModal({ title: '取消走访', content: '确定取消这次尚未签到的现场走访吗？', confirmText: '取消走访', cancelText: '再想想' });
    if (!confirm) return;
    setBusy(true);
    try {
      setVisit(await visits.cancel(visit.id));
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="st-page st-visit">
      <View className="st-card">
        <View className="st-card__row">
          <View className="st-card__main">
            <View className="st-card__title">{visit.enterprise.name}</View>
            <View className="st-card__sub">{`${VISIT_KIND_LABELS[visit.kind]} · ${visit.steward.name}`}</View>
          </View>
          {verdict.outside ? <View className="st-tag st-tag--warning">外勤</View> : null}
          <View className="st-tag">{VISIT_STATUS_LABELS[visit.status]}</View>
        </View>
      </View>

      <View className="st-card">
        {visit.kind === 'onsite' ? (
          <View>
            <Line label="签到时间">{visit.checkIn ? formatDateTime(visit.checkIn.at) : '尚未签到'}</Line>
            {visit.checkIn ? (
              <Line label="签到位置">
                {verdict.unknown ? '企业无坐标，位置待调度员确认' : `距企业 ${formatDistance(visit.checkIn.distanceM)}，${verdict.outside ? `超出 ${visit.checkIn.fenceRadiusM ?? ''} 米范围（外勤）` : '在企业范围内'}`}
              </Line>
            ) : null}
            {verdict.flags.length ? <Line label="异常提示">{verdict.flags.join('、')}</Line> : null}
            <Line label="签退时间">{visit.checkOut ? formatDateTime(visit.checkOut.at) : visit.status === 'checked_in' ? '尚未签退' : '—'}</Line>
            {visit.review ? <Line label="调度员复核">{`${visit.review.by.name} ${formatDateTime(visit.review.at)}${visit.review.note ? `：${visit.review.note}` : ''}`}</Line> : null}
          </View>
        ) : (
          <Line label="沟通时间">{formatDateTime(visit.occurredAt)}</Line>
        )}
        <Line label="走访记录">{visit.notes || '未填写'}</Line>
      </View>

      <View className="st-section">{`发现的问题（${visit.problems.length}）`}</View>
      <View className="st-card">
        {visit.problems.length === 0 ? <View className="st-card__sub">本次未记录问题</View> : null}
        {visit.problems.map((p, i) => {
          // A problem already filed offers its 诉求, not a second filing (issue 13).
          const filed = ticketOfProblem(p.description, visit.tickets);
          return (
            <View key={i} className="st-visit__problem">
              <View className="st-visit__problem-text">{`${i + 1}. ${p.description}`}</View>
              {filed ? (
                <View className="st-visit__problem-go st-visit__problem-filed" onClick={() => void Taro.navigateTo({ url: pageUrl(TICKET_DETAIL, { id: filed.id }) })}>{`已转诉求 ${filed.no}`}</View>
              ) : mine ? (
                <View className="st-visit__problem-go" onClick={() => fileTicket(p.description)}>转为诉求</View>
              ) : null}
            </View>
          );
        })}
      </View>

      {visit.tickets?.length ? (
        <View>
          <View className="st-section">{`由本次走访提交的诉求（${visit.tickets.length}）`}</View>
          <View className="st-card">
            {visit.tickets.map((t) => (
              <View key={t.id} className="st-visit__problem" onClick={() => void Taro.navigateTo({ url: pageUrl(TICKET_DETAIL, { id: t.id }) })}>
                <View className="st-visit__problem-text">{`${t.no} ${t.title}`}</View>
                <View className="st-visit__problem-go">查看</View>
              </View>
            ))}
          </View>
        </View>
      ) : null}

      {mine && visit.status === 'checked_in' ? (
        <Button block type="primary" onClick={() => void Taro.navigateTo({ url: pageUrl(STEWARD_PAGES.checkin, { enterpriseId: visit.enterprise.id, visitId: visit.id }) })}>
          去签退
        </Button>
      ) : null}
      {mine && visit.status === 'planned' ? (
        <View className="st-actions">
          <Button type="primary" onClick={() => void Taro.navigateTo({ url: pageUrl(STEWARD_PAGES.checkin, { enterpriseId: visit.enterprise.id, visitId: visit.id }) })}>继续签到</Button>
          <Button type="default" loading={busy} onClick={cancel}>取消走访</Button>
        </View>
      ) : null}
      {mine && visit.status !== 'cancelled' ? (
        <Button className="st-submit" block fill="outline" type="primary" onClick={() => fileTicket()}>为企业提交诉求</Button>
      ) : null}
    </View>
  );
}
