import type { CSSProperties, ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { PROJECT_PAGES } from '../../../services/projects';
import './desk.scss';

const TABS = [
  { key: 'list', title: '项目台账', url: `${PROJECT_PAGES.list}?item=ledger` },
  { key: 'due', title: '调度清单', url: PROJECT_PAGES.due },
  { key: 'batches', title: '三个一批', url: PROJECT_PAGES.batches },
  { key: 'meetings', title: '调度会', url: PROJECT_PAGES.meetings },
  { key: 'stats', title: '项目统计', url: PROJECT_PAGES.stats },
] as const;

/** The coordinator's project desk tabs: the ledger, 调度清单, 三个一批, 调度会 and the figures, one tap apart. */
export function DeskNav({ current }: { current: (typeof TABS)[number]['key'] }) {
  return (
    <View className="desk__nav">
      {TABS.map((t) => (
        <View key={t.key} className={`desk__tab${t.key === current ? ' desk__tab--on' : ''}`}
          onClick={() => { if (t.key !== current) void Taro.redirectTo({ url: t.url }); }}>
          {t.title}
        </View>
      ))}
    </View>
  );
}

/** A table whose columns line up at desk width (CSS grid `cols`) and stack on the phone. */
export function DeskTable({ cols, head, children }: { cols: string; head: string[]; children: ReactNode }) {
  return (
    <View className="desk-table" style={{ '--cols': cols } as CSSProperties}>
      <View className="desk-table__head">{head.map((h) => <View key={h}>{h}</View>)}</View>
      {children}
    </View>
  );
}

/** A light dot (红/黄/绿/未评价). */
export function LightDot({ light }: { light: string | null | undefined }) {
  return <View className={`desk-light desk-light--${light ?? 'none'}`} />;
}
