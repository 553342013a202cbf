import { View } from '@tarojs/components';
import { CountBadge } from './count-badge';
import './segment-tabs.scss';

/** A row of list filters (全部 / 办理中 / 待确认…) that sticks under the navigation bar, with optional counts. */
export function SegmentTabs({ tabs, value, onChange, counts }: {
  tabs: readonly { key: string; title: string }[];
  value: string;
  onChange: (key: string) => void;
  counts?: Record<string, number | undefined>;
}) {
  return (
    <View className="segment-tabs">
      {tabs.map((t) => (
        <View key={t.key} className={`segment-tabs__tab${t.key === value ? ' segment-tabs__tab--on' : ''}`} onClick={() => onChange(t.key)}>
          <View className="segment-tabs__title">{t.title}</View>
          {counts?.[t.key] ? <CountBadge value={counts[t.key]} /> : null}
        </View>
      ))}
    </View>
  );
}
