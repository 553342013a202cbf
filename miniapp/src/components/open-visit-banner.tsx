import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import type { Visit } from '@guanjia/shared/schemas/visits';
import { http } from '../services';
import { formatDateTime } from '../services/display';
import { PAGES } from '../services/pages';
import './open-visit-banner.scss';

const CHECKIN_PAGE = PAGES.steward.checkin;

/**
 * A steward's open on-site visit on home: where and since when, with a big 签退 button (one open visit at a time;
 * one left open past the district's limit is closed by the system and flagged).
 */
export function OpenVisitBanner({ stewardId }: { stewardId: string }) {
  const [open, setOpen] = useState<Visit | null>(null);
  const load = useCallback(async () => {
    const page = await http.get<{ items: Visit[] }>('/visits', { stewardId, status: 'checked_in', kind: 'onsite', limit: 1 }).catch(() => ({ items: [] }));
    setOpen(page.items[0] ?? null);
  }, [stewardId]);
  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => void load());
  if (!open) return null;
  const go = () => void Taro.navigateTo({ url: `${CHECKIN_PAGE}?enterpriseId=${encodeURIComponent(open.enterprise.id)}&visitId=${encodeURIComponent(open.id)}` });
  return (
    <View className="open-visit">
      <View className="open-visit__text">
        <View className="open-visit__title">走访进行中</View>
        <View className="open-visit__sub">{`${open.enterprise.name} · ${formatDateTime(open.checkIn?.at ?? open.occurredAt)} 签到`}</View>
      </View>
      <View className="open-visit__button" onClick={go}>签退</View>
    </View>
  );
}
