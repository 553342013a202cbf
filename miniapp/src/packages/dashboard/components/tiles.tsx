import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { drillUrl, PROBLEM_STATES, type TicketStats } from '../../../services/dashboard';

/** The month's headline figures; each opens the tickets behind it. */
export function Tiles({ stats, from, to }: { stats: TicketStats; from: string; to: string }) {
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
  const tiles: { k: string; v: string | number; url: string; alert?: boolean }[] = [
    { k: '受理诉求', v: stats.total, url: drillUrl({ from, to, state: PROBLEM_STATES, title: '本月受理的诉求' }) },
    { k: '已解决', v: stats.solved, url: drillUrl({ from, to, solved: true, title: '本月已解决的诉求' }) },
    { k: '正在协调', v: stats.inProgress, url: drillUrl({ from, to, solved: false, state: PROBLEM_STATES, title: '正在协调解决的诉求' }) },
    { k: '解决率', v: pct(stats.solveRate), url: drillUrl({ from, to, solved: true, title: '本月已解决的诉求' }) },
    { k: '当前超期', v: stats.overdue, url: drillUrl({ from, to, overdue: true, title: '超期诉求' }), alert: stats.overdue > 0 },
    { k: '升级事项', v: stats.escalated, url: drillUrl({ from, to, escalationLevelMin: 2, title: '升级事项' }), alert: stats.escalated > 0 },
  ];
  return (
    <View className="db-tiles">
      {tiles.map((t) => (
        <View key={t.k} className={`db-tile${t.alert ? ' db-tile--alert' : ''}`} onClick={() => Taro.navigateTo({ url: t.url })}>
          <View className="db-tile__v">{t.v}</View>
          <View className="db-tile__k">{t.k}</View>
        </View>
      ))}
    </View>
  );
}
