import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { http, messageOf } from '../../../../services';
import { createCityApi, monthLabel, monthOf, rateText, shiftMonth, type CityDistricts } from '../../../../services/city';
import './index.scss';

const city = createCityApi(http);

/** 全市对比: a city coordinator or leader compares the districts of the city for a month, ranked by the composite score. */
export default function CityPage() {
  const [month, setMonth] = useState(monthOf());
  const [data, setData] = useState<CityDistricts>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      setData(await city.districts(month));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, [month]);

  useEffect(() => { void load(); }, [load]);
  usePullDownRefresh(() => { void load().finally(() => Taro.stopPullDownRefresh()); });

  const latest = monthOf();
  return (
    <View className="co-page co-city">
      <View className="co-card">
        <View className="co-card__title">{data ? `${data.city.name} 各区县对比` : '全市对比'}</View>
        <View className="co-card__sub">综合得分 = 0.1×及时签收率 + 0.5×解决率 + 0.4×满意率；满意率 =（满意 + 0.9×基本满意）÷ 有效评价。</View>
        <View className="co-city__month">
          <Button size="small" onClick={() => setMonth(shiftMonth(month, -1))}>上月</Button>
          <View className="co-city__month-label">{monthLabel(month)}</View>
          <Button size="small" disabled={month >= latest} onClick={() => setMonth(shiftMonth(month, 1))}>下月</Button>
        </View>
      </View>
      {error ? <StatusView status="error" message={error} onRetry={load} /> : null}
      {!error && loading && !data ? <StatusView status="loading" /> : null}
      {!error && data && data.districts.length === 0 ? <StatusView status="empty" message="本市暂无已开通的区县" /> : null}
      {!error && data
        ? data.districts.map((d) => (
            <View key={d.district.id} className="co-card co-city__row">
              <View className="co-card__row">
                <View className={`co-city__rank ${d.rank <= 3 && d.score !== null ? 'co-city__rank--top' : ''}`}>{d.rank}</View>
                <View className="co-card__main">
                  <View className="co-card__title">{d.district.name}</View>
                  <View className="co-card__sub">{`受理诉求 ${d.received} 件 · 涉及企业 ${d.enterprises} 家 · 办结 ${d.closed} · 解决 ${d.solved} · 当前超期 ${d.overdue} · 走访联系 ${d.contacts} 次`}</View>
                </View>
                <View className="co-city__score">{d.score === null ? '—' : d.score.toFixed(1)}</View>
              </View>
              <View className="co-city__rates">
                <View className="co-city__rate"><View className="co-city__rate-v">{rateText(d.acceptOnTimeRate)}</View><View className="co-city__rate-k">及时签收率</View></View>
                <View className="co-city__rate"><View className="co-city__rate-v">{rateText(d.replyOnTimeRate)}</View><View className="co-city__rate-k">按时办结率</View></View>
                <View className="co-city__rate"><View className="co-city__rate-v">{rateText(d.solveRate)}</View><View className="co-city__rate-k">解决率</View></View>
                <View className="co-city__rate"><View className="co-city__rate-v">{rateText(d.satisfactionRate)}</View><View className="co-city__rate-k">满意率</View></View>
              </View>
            </View>
          ))
        : null}
    </View>
  );
}
