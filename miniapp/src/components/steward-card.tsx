import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import type { MySteward } from '@guanjia/shared/schemas/everyday';
import './steward-card.scss';

/** 联系管家 (issue 13): the enterprise's steward and a call button when the steward shows the phone. */
export function StewardCard({ steward }: { steward: NonNullable<MySteward['steward']> }) {
  return (
    <View className="steward-card">
      <View className="steward-card-info">
        <View className="steward-card-label">我的管家</View>
        <View className="steward-card-name">{steward.name}</View>
      </View>
      {steward.phone ? (
        <View className="steward-card-call" onClick={() => void Taro.makePhoneCall({ phoneNumber: steward.phone! }).catch(() => undefined)}>联系管家</View>
      ) : (
        <View className="steward-card-hint">管家未公开手机号，可通过诉求留言联系</View>
      )}
    </View>
  );
}

