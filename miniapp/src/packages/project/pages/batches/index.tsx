import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { StatusView } from '../../../../components/status-view';
import { messageOf, projects } from '../../../../services';
import { todayInShanghai } from '../../../../services/display';
import { batchLists, money, PROJECT_LABELS, PROJECT_PAGES, type ProjectBatch } from '../../../../services/projects';
import { DeskNav, DeskTable } from '../../lib/desk';

/**
 * 三个一批 (the coordinator's desk): the rolling batches (第N期); for the chosen one its 签约一批 / 开工一批 / 投产一批
 * with each project's stage, promised date and 兑现 — computed by the server from the stage history — and the
 * projects certified 达效 that left the rolling list (调出).
 */
export default function BatchesPage() {
  const today = todayInShanghai();
  const [batches, setBatches] = useState<ProjectBatch[]>();
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    setError(undefined);
    try {
      const bs = await projects.batches();
      setBatches(bs);
      setChosen((c) => (bs.some((b) => b.id === c) ? c : (bs[bs.length - 1]?.id ?? '')));
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => void load(), [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  if (!batches) return <View className="desk"><DeskNav current="batches" />{error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />}</View>;
  const b = batches.find((x) => x.id === chosen);
  return (
    <View className="desk">
      <DeskNav current="batches" />
      {!batches.length ? <StatusView status="empty" message="尚未建立“三个一批”批次" /> : (
        <View className="desk__filters">
          <ChoiceChips options={batches.map((x) => ({ value: x.id, label: `第${x.no}期` }))} value={chosen} onChange={(v) => setChosen(v as string)} />
        </View>
      )}
      {b ? (
        <View>
          <View className="desk__bar">
            <View className="desk__bar-title">{`${b.name}（${b.startsOn} 至 ${b.endsOn}）`}</View>
          </View>
          <View className="desk-figures">
            <View className="desk-figures__item"><View className="desk-figures__value">{b.summary.projects}</View><View className="desk-figures__label">{`入库项目 · 总投资${money(b.summary.totalInvestment)}`}</View></View>
            <View className="desk-figures__item"><View className="desk-figures__value">{b.summary.removed}</View><View className="desk-figures__label">达效调出</View></View>
            <View className="desk-figures__item"><View className="desk-figures__value">{b.summary.inLibrary}</View><View className="desk-figures__label">{`在库项目 · 总投资${money(b.summary.inLibraryInvestment)}`}</View></View>
          </View>
          {batchLists(b).map((list) => (
            <View key={list.kind} className={`batch-list batch-list--${list.kind}`}>
              <View className="desk__section">{`${list.title} · ${list.fulfilment}`}</View>
              {list.entries.length ? (
                <DeskTable cols="1fr 100PX 110PX 110PX 150PX" head={['项目名称', '当前阶段', '总投资', '承诺日期', '兑现']}>
                  {list.entries.map((e) => (
                    <View key={e.project.id} className="desk-table__row batch-row">
                      <View className="desk-table__cell desk-table__cell--main desk-table__link" onClick={() => void Taro.navigateTo({ url: `${PROJECT_PAGES.detail}?id=${e.project.id}` })}>{e.project.name}</View>
                      <View className="desk-table__cell">{`${PROJECT_LABELS.stage[e.project.stage]}${e.removed ? '（已调出）' : ''}`}</View>
                      <View className="desk-table__cell">{money(e.project.totalInvestment)}</View>
                      <View className="desk-table__cell desk-table__cell--muted">{`承诺 ${e.promisedOn}`}</View>
                      <View className={`desk-table__cell ${e.fulfilled ? 'desk-table__cell--ok' : e.promisedOn < today ? 'desk-table__cell--danger' : 'desk-table__cell--muted'}`}>
                        {e.fulfilled ? `已兑现 ${e.fulfilledOn}` : e.promisedOn < today ? '逾期未兑现' : '未兑现'}
                      </View>
                    </View>
                  ))}
                </DeskTable>
              ) : <View className="desk__hint">本批次没有列入该类的项目</View>}
            </View>
          ))}
          <View className="desk__hint">兑现按阶段记录计算：签约一批到开工、开工一批到投产、投产一批到达效即为兑现；达效项目调出滚动清单，保留在本批次历史中。</View>
        </View>
      ) : null}
    </View>
  );
}
