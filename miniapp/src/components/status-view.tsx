import { View } from '@tarojs/components';
import { Button, Empty, Skeleton } from './nutui';
import './status-view.scss';

export type StatusViewProps = {
  status: 'loading' | 'error' | 'empty';
  /** Chinese text under the picture; a default fits each status. */
  message?: string;
  onRetry?: () => void;
};

const DEFAULTS = { loading: '加载中…', error: '加载失败，请稍后重试', empty: '暂无内容' } as const;

/**
 * The loading, error and empty states every list and page shows, drawn alike everywhere. No remote images
 * (NutUI's default pictures live on a CDN the phones may not reach).
 */
export function StatusView({ status, message, onRetry }: StatusViewProps) {
  if (status === 'loading') {
    return (
      <View className="status-view" aria-busy>
        <Skeleton rows={3} animated />
      </View>
    );
  }
  return (
    <View className="status-view">
      <Empty
        image={<View className={`status-view__icon status-view__icon--${status}`}>{status === 'error' ? '!' : '…'}</View>}
        description={message ?? DEFAULTS[status]}
        size="small"
      />
      {onRetry ? (
        <Button size="small" fill="outline" type="primary" onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}
