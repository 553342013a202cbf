import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { TicketCard } from '../../../../components/ticket-card';
import { useSession } from '../../../../hooks/use-session';
import { messageOf } from '../../../../services';
import { formatDateTime } from '../../../../services/display';
import { VisitRow } from '../../lib/visit-row';
import { CONTACT_STATUS_LABELS, stewardRows, type Enterprise, type StewardRow, type TicketSummary, type Visit } from '../../../../services/visits';
import { pageUrl, param, STEWARD_PAGES, visits } from '../../lib/api';
import { PAGES } from '../../../../services/pages';
import './index.scss';

type Data = { enterprise: Enterprise; row?: StewardRow; visits: Visit[]; tickets: TicketSummary[]; ticketsError?: string };

/**
 * 企业详情 for the steward: who to call, this period's contact status, and the enterprise's visits and 诉求. The
 * three things done there start here: check in on site, log a phone/WeChat contact, file a 诉求 on its behalf.
 */
export default function StewardEnterprise() {
  const { user } = useSession();
  const userId = user?.id;
  const { params } = useRouter();
  const enterpriseId = param(params, 'id') || param(params, 'enterpriseId');
  const [data, setData] = useState<Data>();
  const [error, setError] = useState<string>();
  const [tab, setTab] = useState<'visits' | 'tickets'>('visits');

  const load = useCallback(async () => {
    if (!enterpriseId) return;
    setError(undefined);
    try {
      const [enterprise, visitPage, cadence, tickets] = await Promise.all([
        visits.enterprise(enterpriseId),
        visits.list({ enterpriseId, limit: 30 }),
        userId ? visits.cadence(userId).catch(() => undefined) : Promise.resolve(undefined),
        visits.enterpriseTickets(enterpriseId).then((p) => ({ items: p.items }), (e: unknown) => ({ items: [] as TicketSummary[], error: messageOf(e) })),
      ]);
      const row = cadence ? stewardRows(cadence).find((r) => r.enterprise.id === enterpriseId) : undefined;
      setData({ enterprise, row, visits: visitPage.items, tickets: tickets.items, ticketsError: 'error' in tickets ? tickets.error : undefined });
    } catch (e) {
      setError(messageOf(e));
    }
  }, [enterpriseId, userId]);

  useEffect(() => {
    void load();
  }, [load]);
  const name = data?.enterprise.name;
  useEffect(() => {
    if (name) void Taro.setNavigationBarTitle({ title: name.length > 12 ? `${name.slice(0, 12)}…` : name });
  }, [name]);
  useDidShow(() => {
    if (data) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  if (!enterpriseId) return <StatusView status="error" message="缺少企业信息，请从企业列表进入" />;
  if (!data) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;

  const e = data.enterprise;
  const go = (path: string, extra: Record<string, string> = {}) => void Taro.navigateTo({ url: pageUrl(path, { enterpriseId: e.id, ...extra }) });
  const openVisit = data.visits.find((v) => v.status === 'checked_in' && v.steward.id === user?.id);

  return (
    <View className="st-page st-ent">
      <View className="st-card">
        <View className="st-card__title">{e.name}</View>
        <View className="st-card__sub">{`${e.area.name}${e.address ? ` · ${e.address}` : ''}`}</View>
        {e.contactName || e.contactPhone ? (
          <View className="st-ent__contact">
            <View>{`联系人 ${e.contactName ?? ''}`}</View>
            {e.contactPhone ? (
              <View className="st-ent__phone" onClick={() => void Taro.makePhoneCall({ phoneNumber: e.contactPhone! }).catch(() => undefined)}>
                {e.contactPhone}
              </View>
            ) : null}
          </View>
        ) : null}
        {data.row ? (
          <View className="st-ent__status">
            <View className={`st-tag st-tag--${data.row.status}`}>{CONTACT_STATUS_LABELS[data.row.status]}</View>
            {data.row.rule ? <View>{`${data.row.rule}，本期已完成 ${data.row.done}/${data.row.required}`}</View> : null}
          </View>
        ) : null}
        {!e.location ? <View className="st-hint">该企业尚未标注位置，首次现场签到时将提交位置供调度员确认。</View> : null}
      </View>

      {openVisit ? (
        <View className="st-card" onClick={() => go(STEWARD_PAGES.checkin, { visitId: openVisit.id })}>
          <View className="st-card__row">
            <View className="st-card__main">
              <View className="st-card__title">走访进行中</View>
              <View className="st-card__sub">{`${formatDateTime(openVisit.checkIn?.at)} 已签到，离开时请签退`}</View>
            </View>
            <View className="st-tag st-tag--info">去签退</View>
          </View>
        </View>
      ) : null}

      <View className="st-actions">
        {/* While a visit is open here the main action is leaving (issue 13): 签退, not a second check-in. */}
        {openVisit ? (
          <Button type="primary" className="st-ent__checkout" onClick={() => go(STEWARD_PAGES.checkin, { visitId: openVisit.id })}>签退</Button>
        ) : (
          <Button type="primary" onClick={() => go(STEWARD_PAGES.checkin)}>现场签到</Button>
        )}
        <Button type="default" onClick={() => go(STEWARD_PAGES.contact, { kind: 'phone' })}>记录沟通</Button>
        <Button type="default" onClick={() => go(STEWARD_PAGES.ticket)}>提交诉求</Button>
      </View>
      {/* 政策计算器 and 企业档案 (ADR 0014): the policies this enterprise matches, with why */}
      <View style={{ margin: '0 0 24px', padding: '20px 28px', borderRadius: '16px', background: '#ffffff', fontSize: '26px', color: '#fa2c19' }}
        onClick={() => void Taro.navigateTo({ url: `${PAGES.policy.list}?item=calc&enterpriseId=${e.id}` })}>政策计算器 · 企业档案 ›</View>

      <View className="st-ent__tabs">
        <View className={`st-ent__tab${tab === 'visits' ? ' st-ent__tab--on' : ''}`} onClick={() => setTab('visits')}>{`走访记录 ${data.visits.length}`}</View>
        <View className={`st-ent__tab${tab === 'tickets' ? ' st-ent__tab--on' : ''}`} onClick={() => setTab('tickets')}>{`诉求 ${data.tickets.length}`}</View>
      </View>

      {tab === 'visits' ? (
        data.visits.length ? data.visits.map((v) => <VisitRow key={v.id} visit={v} />) : <StatusView status="empty" message="还没有走访记录" />
      ) : data.ticketsError ? (
        <StatusView status="error" message={data.ticketsError} onRetry={load} />
      ) : data.tickets.length ? (
        data.tickets.map((t) => <TicketCard key={t.id} ticket={t} />)
      ) : (
        <StatusView status="empty" message="该企业暂无诉求" />
      )}
    </View>
  );
}
