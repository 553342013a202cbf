import { View } from '@tarojs/components';
import { TICKET_ACTION_LABELS, type TicketAction } from '@guanjia/shared/ticket/ticket-machine';
import { Button } from '../../../components/nutui';
import './action-panel.scss';

/** The step a person most likely came to take, drawn as the main button. */
const PRIMARY: readonly Exclude<TicketAction, 'route'>[] = ['accept', 'reply', 'confirm', 'provide_info', 'close', 'dispatch', 'record_visit', 'approve_extension', 'reassign'];

/** Button caption: the shared machine's label, the same words the timeline uses. */
export function actionCaption(action: TicketAction): string {
  return TICKET_ACTION_LABELS[action] ?? '办理';
}

/**
 * The buttons of a ticket: exactly the actions the server says the caller may take now (`availableActions`, the
 * shared machine's answer for their roles), the main one first. Nothing is shown when nothing is allowed.
 */
export function ActionPanel({ actions, busy, onAction }: { actions: TicketAction[]; busy?: TicketAction; onAction: (a: TicketAction) => void }) {
  const shown = actions.filter((a): a is Exclude<TicketAction, 'route'> => a !== 'route');
  if (!shown.length) return null;
  const primary = PRIMARY.find((p) => shown.includes(p));
  const ordered = primary ? [primary, ...shown.filter((a) => a !== primary)] : shown;
  return (
    <View className="action-panel">
      <View className="action-panel__title">办理</View>
      <View className="action-panel__buttons">
        {ordered.map((a) => (
          <Button
            key={a}
            className={`action-panel__button action-panel__button--${a}`}
            type={a === primary ? 'primary' : 'default'}
            fill={a === primary ? undefined : 'outline'}
            size="normal"
            loading={busy === a}
            disabled={!!busy && busy !== a}
            onClick={() => onAction(a)}
          >
            {actionCaption(a)}
          </Button>
        ))}
      </View>
    </View>
  );
}
