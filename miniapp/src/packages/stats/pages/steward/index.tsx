import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { PAGES } from '../../../../services/pages';
import type { StewardRatings } from '@guanjia/shared/schemas/everyday';
import { StatusView } from '../../../../components/status-view';
import { everyday, messageOf } from '../../../../services';
import './index.scss';

const stars = (n: number) => `${'★'.repeat(n)}${'☆'.repeat(Math.max(0, 5 - n))}`;
const day = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * A steward's detail for coordinators and leaders (issue 13): the ratings enterprises gave with their
 * confirmations — average, count and the latest ones with the ticket they came with.
 */
export default function StewardDetailPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [r, setR] = useState<StewardRatings>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      setR(await everyday.stewardRatings(id));
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  if (error) return <StatusView status="error" message={error} onRetry={load} />;
  if (!r) return <StatusView status="loading" />;
  return (
    <View className="steward-detail">
      <View className="steward-detail__card">
        <View className="steward-detail__name">{r.steward.name}</View>
        <View className="steward-detail__summary">
          <View className="steward-detail__avg">{r.average === null ? '—' : r.average.toFixed(2)}</View>
          <View className="steward-detail__avg-label">{r.count ? `企业评价平均星级（${r.count} 条）` : '暂无企业评价'}</View>
        </View>
      </View>
      {r.items.length ? <View className="steward-detail__section">最近的评价</View> : null}
      {r.items.map((x) => (
        <View key={`${x.ticketId}-${x.createdAt}`} className="steward-detail__item"
          onClick={() => void Taro.navigateTo({ url: `${PAGES.ticket.detail}?id=${encodeURIComponent(x.ticketId)}` })}>
          <View className="steward-detail__row">
            <View className="steward-detail__stars">{stars(x.rating)}</View>
            <View className="steward-detail__date">{day(x.createdAt)}</View>
          </View>
          <View className="steward-detail__enterprise">{`${x.enterprise.name} · ${x.ticketNo}`}</View>
          {x.comment ? <View className="steward-detail__comment">{x.comment}</View> : null}
        </View>
      ))}
    </View>
  );
}
