import { View } from '@tarojs/components';
import { badgeText } from '../services/tickets';
import './count-badge.scss';

/** WeChat's red count dot (`3`, `99+`); nothing for zero. `muted` draws it grey (informational counts). */
export function CountBadge({ value, muted }: { value?: number; muted?: boolean }) {
  const text = badgeText(value);
  if (!text) return null;
  return <View className={`count-badge${muted ? ' count-badge--muted' : ''}`}>{text}</View>;
}
