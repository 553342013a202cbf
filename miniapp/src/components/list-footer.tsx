import { View } from '@tarojs/components';

/** The line under a list: loading more, the end, or a tap to load more when scrolling is not enough (H5 desk). */
export function ListFooter({ hasMore, loadingMore, onMore, count }: { hasMore: boolean; loadingMore: boolean; onMore: () => void; count: number }) {
  if (!count) return null;
  const style = { padding: '16px 0 32px', textAlign: 'center' as const, fontSize: '12px', color: '#8c8c8c' };
  if (loadingMore) return <View style={style}>加载中…</View>;
  if (hasMore) return <View style={{ ...style, color: '#576b95' }} onClick={onMore}>加载更多</View>;
  return <View style={style}>没有更多了</View>;
}
