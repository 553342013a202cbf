import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { INDICATOR_LABELS } from '@guanjia/shared/report/indicators';
import { PROJECT_LABELS } from '@guanjia/shared/project/project-labels';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { http, messageOf } from '../../../../services';
import {
  areasByDistrict, categoryTable, createCityApi, monthLabel, monthOf, rateText, shiftMonth, type CityBreakdown, type CitySummary, type DistrictRanking,
} from '../../../../services/city';
import './index.scss';

const city = createCityApi(http);
const L = INDICATOR_LABELS;

/**
 * 全市对比: a city coordinator or leader sees the month of the whole city (the sum of its districts) and the districts
 * side by side, ranked by the composite score with last month's change and the sentence offices write
 * ("在全市3个区县综合考评中居第一"), the 诉求类别 with each district's column, each district's areas, and the city's key
 * projects (the districts' summed). Figures are `/stats/*`'s, counted as each district's own.
 */
export default function CityPage() {
  const [month, setMonth] = useState(monthOf());
  const [ranking, setRanking] = useState<DistrictRanking>();
  const [summary, setSummary] = useState<CitySummary>();
  const [byCategory, setByCategory] = useState<CityBreakdown>();
  const [byArea, setByArea] = useState<CityBreakdown>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      const [r, s, c, a] = await Promise.all([city.ranking(month), city.summary(month), city.breakdown(month, 'category'), city.breakdown(month, 'area')]);
      setRanking(r);
      setSummary(s);
      setByCategory(c);
      setByArea(a);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, [month]);

  useEffect(() => { void load(); }, [load]);
  usePullDownRefresh(() => { void load().finally(() => Taro.stopPullDownRefresh()); });

  const latest = monthOf();
  const w = ranking?.weights;
  const tk = summary?.tickets;
  const pj = summary?.projects;
  const cats = byCategory ? categoryTable(byCategory) : undefined;
  const areas = byArea ? areasByDistrict(byArea) : [];
  const figure = (v: string | number, k: string) => (
    <View className="co-city__rate" key={k}><View className="co-city__rate-v">{v}</View><View className="co-city__rate-k">{k}</View></View>
  );
  return (
    <View className="co-page co-city">
      <View className="co-card">
        <View className="co-card__title">{ranking ? `${ranking.city.name} 各区县对比` : '全市对比'}</View>
        <View className="co-card__sub">
          {w ? `${L.score} = ${w.response}×${L.responseRate} + ${w.solve}×${L.solveRate} + ${w.satisfaction}×${L.satisfactionRate}；${L.satisfactionRate} =（${L.satisfied} + ${w.basicallySatisfied}×${L.basicallySatisfied}）÷ 有效回访。各区县按全市统一权重计分。` : ''}
        </View>
        <View className="co-city__month">
          <Button size="small" onClick={() => setMonth(shiftMonth(month, -1))}>上月</Button>
          <View className="co-city__month-label">{monthLabel(month)}</View>
          <Button size="small" disabled={month >= latest} onClick={() => setMonth(shiftMonth(month, 1))}>下月</Button>
        </View>
      </View>
      {error ? <StatusView status="error" message={error} onRetry={load} /> : null}
      {!error && loading && !ranking ? <StatusView status="loading" /> : null}
      {!error && tk && summary ? (
        <View className="co-card co-city__total">
          <View className="co-card__title">全市合计</View>
          <View className="co-card__sub">{`${L.received} ${tk.received} 件 · 涉及企业 ${tk.enterprises} 家 · ${L.solved} ${tk.solved} 件 · ${L.inCoordination} ${tk.inCoordination} 件 · 当前超期 ${tk.overdue} 件${summary.visits ? ` · ${L.contacts} ${summary.visits.contacts} 次 · ${L.stewardsBehind} ${summary.visits.stewardsBehind ?? 0} 名` : ''}`}</View>
          <View className="co-city__rates">
            {figure(rateText(tk.acceptOnTimeRate), L.responseRate)}
            {figure(rateText(tk.solveRate), L.solveRate)}
            {figure(rateText(tk.satisfactionRate), L.satisfactionRate)}
            {figure(tk.score === null ? '—' : tk.score.toFixed(1), L.score)}
          </View>
        </View>
      ) : null}
      {!error && pj && pj.projects > 0 ? (
        <View className="co-card co-city__projects">
          <View className="co-card__title">全市重点项目</View>
          <View className="co-card__sub">{`共 ${pj.projects} 个 · 总投资 ${pj.text.totalInvestment} · 年度计划 ${pj.text.annualPlan} · 已完成 ${pj.text.completedYtd}${pj.percentOfPlan ? `（${pj.percentOfPlan}）` : ''}`}</View>
          <View className="co-city__rates">
            {figure(pj.active, '在建')}
            {figure(pj.newStarts, '新开工')}
            {figure(pj.byLight.red, PROJECT_LABELS.light.red)}
            {figure(pj.byLight.yellow, PROJECT_LABELS.light.yellow)}
          </View>
        </View>
      ) : null}
      {!error && cats && cats.rows.length ? (
        <View className="co-card co-city__cats">
          <View className="co-card__title">诉求类别 · 各区县受理（件）</View>
          <View className="co-city__trow co-city__trow--head">
            <View className="co-city__tname">类别</View>
            {cats.heads.map((h) => <View key={h} className="co-city__tcell">{h}</View>)}
            <View className="co-city__tcell co-city__tcell--total">全市</View>
          </View>
          {cats.rows.map((r) => (
            <View key={r.name} className="co-city__trow">
              <View className="co-city__tname">{r.name}</View>
              {r.cells.map((n, i) => <View key={cats.heads[i]} className="co-city__tcell">{n}</View>)}
              <View className="co-city__tcell co-city__tcell--total">{r.total}</View>
            </View>
          ))}
        </View>
      ) : null}
      {!error && ranking && ranking.rows.length === 0 ? <StatusView status="empty" message="本市暂无已开通的区县" /> : null}
      {!error && ranking
        ? ranking.rows.map((d) => (
            <View key={d.district.id} className="co-card co-city__row">
              <View className="co-card__row">
                <View className={`co-city__rank ${d.rank !== null && d.rank <= 3 ? 'co-city__rank--top' : ''}`}>{d.rank ?? '—'}</View>
                <View className="co-card__main">
                  <View className="co-card__title">{d.district.name}</View>
                  {d.text ? <View className="co-city__text">{d.text}</View> : null}
                  <View className="co-card__sub">{`受理诉求 ${d.received} 件 · 涉及企业 ${d.enterprises} 家 · 办结 ${d.handled} · 解决 ${d.solved} · 当前超期 ${d.overdue}`}</View>
                </View>
                <View className="co-city__side">
                  <View className="co-city__score">{d.score === null ? '—' : d.score.toFixed(1)}</View>
                  {d.change ? <View className={`co-city__change co-city__change--${d.change.direction}`}>{d.change.text}</View> : null}
                </View>
              </View>
              <View className="co-city__rates">
                {figure(rateText(d.acceptOnTimeRate), L.acceptOnTimeRate)}
                {figure(rateText(d.replyOnTimeRate), L.replyOnTimeRate)}
                {figure(rateText(d.solveRate), L.solveRate)}
                {figure(rateText(d.satisfactionRate), L.satisfactionRate)}
              </View>
            </View>
          ))
        : null}
      {!error && areas.length ? (
        <View className="co-card co-city__areas">
          <View className="co-card__title">各区县属地诉求</View>
          {areas.map((g) => (
            <View key={g.district.id} className="co-city__area-group">
              <View className="co-city__area-district">{g.district.name}</View>
              {g.areas.map((x) => (
                <View key={x.id} className="co-city__area">
                  <View className="co-city__area-name">{x.name}</View>
                  <View className="co-city__area-v">{`${L.received} ${x.received} 件 · ${L.solveRate} ${rateText(x.solveRate)}`}</View>
                </View>
              ))}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}
