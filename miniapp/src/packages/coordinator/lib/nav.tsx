import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../components/choice-chips';
import { CO_PAGES, pageUrl } from './api';

/** The queues a coordinator switches between (one tap, no going back to the hub). */
export const QUEUE_TABS = [
  { value: 'dispatch', label: '待交办', url: pageUrl(CO_PAGES.queue, { kind: 'dispatch' }) },
  { value: 'returned', label: '被退回', url: pageUrl(CO_PAGES.queue, { kind: 'returned' }) },
  { value: 'extensions', label: '延期审批', url: pageUrl(CO_PAGES.queue, { kind: 'extensions' }) },
  { value: 'overdue', label: '超期督办', url: pageUrl(CO_PAGES.queue, { kind: 'overdue' }) },
  { value: 'supervisions', label: '督办单', url: CO_PAGES.supervisions },
  { value: 'followups', label: '回访任务', url: CO_PAGES.followups },
  { value: 'escalations', label: '升级事项', url: pageUrl(CO_PAGES.queue, { kind: 'escalations' }) },
  { value: 'closing', label: '待销号', url: pageUrl(CO_PAGES.queue, { kind: 'closing' }) },
] as const;

/** Queue switcher shown on top of every queue screen; switching replaces the page (no growing back stack). */
export function QueueNav({ current, counts = {} }: { current: string; counts?: Record<string, number | undefined> }) {
  return (
    <View className="co-nav">
      <ChoiceChips
        value={current}
        onChange={(v) => {
          const tab = QUEUE_TABS.find((t) => t.value === v);
          if (tab && v !== current) void Taro.redirectTo({ url: tab.url });
        }}
        options={QUEUE_TABS.map((t) => ({ value: t.value, label: counts[t.value] !== undefined ? `${t.label} ${counts[t.value]}` : t.label }))}
      />
    </View>
  );
}
