import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { dueInfo, escalationLabel, stateLabel, stateTone, type Audience, type TicketSummary } from '../services/tickets';
import { PAGES } from '../services/pages';
import './ticket-card.scss';

export const TICKET_DETAIL_PAGE = PAGES.ticket.detail;

/** Opens a ticket's detail (the shared page every role uses). */
export function openTicket(id: string): void {
  void Taro.navigateTo({ url: `${TICKET_DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
}

/**
 * One 诉求 in a list: title and state, category and number, the deadline that runs (red when overdue, orange when
 * due today), urgency and escalation. `showEnterprise` for department and coordinator lists.
 */
export function TicketCard({ ticket: t, showEnterprise, now, audience }: { ticket: TicketSummary; showEnterprise?: boolean; now?: Date; audience?: Audience }) {
  const due = dueInfo(t, now, audience);
  const overdue = due?.tone === 'overdue';
  return (
    <View className={`ticket-card${overdue ? ' ticket-card--overdue' : ''}`} onClick={() => openTicket(t.id)}>
      <View className="ticket-card__head">
        <View className="ticket-card__title">{t.title}</View>
        <View className={`ticket-card__state ticket-card__state--${stateTone(t.state)}`}>{stateLabel(t.state, t.stateLabel)}</View>
      </View>
      <View className="ticket-card__meta">
        <View className="ticket-card__category">{t.category.path}</View>
        <View className="ticket-card__no">{t.no}</View>
      </View>
      {showEnterprise ? <View className="ticket-card__enterprise">{t.enterprise.name} · {t.area.name}</View> : null}
      {due || t.urgency === 'urgent' || (t.escalationLevel ?? 1) > 1 ? (
        <View className="ticket-card__foot">
          {t.urgency === 'urgent' ? <View className="ticket-card__flag ticket-card__flag--urgent">紧急</View> : null}
          {t.escalationLevel && t.escalationLevel > 1 ? <View className="ticket-card__flag">{`${t.escalationLevel}级 · ${escalationLabel(t.escalationLevel)}`}</View> : null}
          {due ? <View className={`ticket-card__due ticket-card__due--${due.tone}`}>{due.text}</View> : null}
        </View>
      ) : null}
    </View>
  );
}
