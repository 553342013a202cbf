import Taro from '@tarojs/taro';
import { Map as TaroMap, View } from '@tarojs/components';
import type { LatLng } from '@guanjia/shared/geo/coords';
import { fenceLayout, mapPoints, mapScale, webNavigationUrl } from '../services/fence-map';
import { formatDistance } from '../services/display';
import { Button } from './nutui';
import './fence-map.scss';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/**
 * The enterprise's check-in fence, the enterprise and a position (the steward's own, or a check-in under review).
 * In WeChat: Taro's Map (GCJ-02, ADR 0003) with the fence circle and two markers. In H5 (no map tiles): a drawing
 * to scale — the circle, the two points, the line between them and the distance in metres. Positions are WGS-84.
 * Nothing here stores or sends a location (ADR 0006): it draws what the page already holds.
 */
export function FenceMap({ center, radiusM, point, pointLabel }: { center: LatLng; radiusM: number; point: LatLng | null; pointLabel: string }) {
  const layout = fenceLayout(center, radiusM, point);
  const caption = layout.distanceM === null ? `签到范围 ${radiusM} 米` : `相距 ${formatDistance(layout.distanceM)} · 签到范围 ${radiusM} 米`;
  if (IS_WEAPP) {
    const g = mapPoints(center, point);
    return (
      <View className="fence-map">
        <TaroMap
          className="fence-map__native"
          latitude={g.center.lat}
          longitude={g.center.lng}
          scale={mapScale(layout.halfSideM)}
          showLocation
          circles={[{ latitude: g.center.lat, longitude: g.center.lng, radius: radiusM, color: '#fa2c19aa', fillColor: '#fa2c1922', strokeWidth: 2 }]}
          markers={[
            { id: 1, latitude: g.center.lat, longitude: g.center.lng, width: 24, height: 32, iconPath: '', title: '企业位置' },
            ...(g.point ? [{ id: 2, latitude: g.point.lat, longitude: g.point.lng, width: 20, height: 28, iconPath: '', title: pointLabel }] : []),
          ] as never}
          onError={() => undefined}
        />
        <View className="fence-map__caption">{caption}</View>
      </View>
    );
  }
  const p = layout.point;
  // The line from the enterprise to the point: length and angle in the square's percent units (it is square).
  const line = p ? { len: Math.hypot(p.x - 50, p.y - 50), deg: (Math.atan2(p.y - 50, p.x - 50) * 180) / Math.PI } : null;
  return (
    <View className="fence-map">
      <View className="fence-map__drawing">
        <View className="fence-map__grid" />
        <View className={`fence-map__fence${layout.inside === false ? ' fence-map__fence--outside' : ''}`}
          style={{ width: `${layout.fenceDiameter}%`, height: `${layout.fenceDiameter}%`, left: `${50 - layout.fenceDiameter / 2}%`, top: `${50 - layout.fenceDiameter / 2}%` }} />
        {line && line.len > 1 ? (
          <View className="fence-map__line" style={{ left: '50%', top: '50%', width: `${line.len}%`, transform: `rotate(${line.deg}deg)` }} />
        ) : null}
        <View className="fence-map__dot fence-map__dot--enterprise" style={{ left: '50%', top: '50%' }} />
        <View className="fence-map__label" style={{ left: '50%', top: '50%' }}>企业</View>
        {p ? <View className="fence-map__dot fence-map__dot--me" style={{ left: `${p.x}%`, top: `${p.y}%` }} /> : null}
        {p ? <View className="fence-map__label fence-map__label--me" style={{ left: `${p.x}%`, top: `${p.y}%` }}>{pointLabel}</View> : null}
        <View className="fence-map__north">北</View>
      </View>
      <View className="fence-map__caption">{caption}</View>
      <View className="fence-map__legend">
        <View className="fence-map__key"><View className="fence-map__swatch fence-map__swatch--enterprise" />企业位置</View>
        <View className="fence-map__key"><View className="fence-map__swatch fence-map__swatch--me" />{pointLabel}</View>
        <View className="fence-map__key"><View className="fence-map__swatch fence-map__swatch--fence" />签到范围</View>
      </View>
    </View>
  );
}

/**
 * 导航: WeChat's location page for the enterprise (Taro.openLocation takes GCJ-02). Outside WeChat, where H5 has
 * no openLocation, a web map opens at the enterprise and offers the route.
 */
export async function openEnterpriseLocation(center: LatLng, name: string, address?: string | null): Promise<void> {
  const g = mapPoints(center, null).center;
  try {
    await Taro.openLocation({ latitude: g.lat, longitude: g.lng, name, address: address ?? '', scale: 16 });
  } catch {
    if (!IS_WEAPP && typeof window !== 'undefined') window.open(webNavigationUrl(center, name), '_blank');
    else void Taro.showToast({ title: '无法打开地图', icon: 'none' });
  }
}

/** The 导航 button under a map. */
export function NavigateButton({ center, name, address }: { center: LatLng; name: string; address?: string | null }) {
  return (
    <Button className="fence-map__nav" size="small" type="primary" fill="outline" onClick={() => void openEnterpriseLocation(center, name, address)}>
      导航
    </Button>
  );
}
