import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { formatDateTime } from '../../../services/display';
import { FLAG_TAGS, VISIT_KIND_LABELS, VISIT_STATUS_LABELS, type Visit } from '../../../services/visits';
import { pageUrl, STEWARD_PAGES } from './api';

/** One visit in the enterprise's history. */
export function VisitRow({ visit: v }: { visit: Visit }) {
  const outside = v.checkIn?.insideFence === false;
  return (
    <View className="st-card" onClick={() => void Taro.navigateTo({ url: pageUrl(STEWARD_PAGES.visit, { id: v.id }) })}>
      <View className="st-card__row">
        <View className="st-card__main">
          <View className="st-card__title">{VISIT_KIND_LABELS[v.kind]}</View>
          <View className="st-card__sub">{`${formatDateTime(v.checkIn?.at ?? v.occurredAt)} · ${v.steward.name}`}</View>
        </View>
        {outside ? <View className="st-tag st-tag--warning">外勤</View> : null}
        <View className={`st-tag ${v.status === 'checked_in' ? 'st-tag--info' : ''}`}>{VISIT_STATUS_LABELS[v.status]}</View>
      </View>
      {v.notes ? <View className="st-card__sub">{v.notes}</View> : null}
      {v.problems.length ? <View className="st-card__sub">{`发现问题 ${v.problems.length} 个`}</View> : null}
      {v.flags.filter((f) => f !== 'outside_fence').length ? (
        <View className="st-card__sub">{v.flags.filter((f) => f !== 'outside_fence').map((f) => FLAG_TAGS[f]).join('、')}</View>
      ) : null}
    </View>
  );
}

