import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { everyday, messageOf } from '../services';
import { rateText, type DepartmentFigures as Figures } from '../services/everyday';
import './department-figures.scss';

/**
 * The department's own figures on its home (issue 13): 超期, 按时办结率, 满意率 of its tickets as 主办 this year
 * — the indicators' one definition (`/stats/summary`, docs/metrics.md), not a formula of the app's own.
 */
export function DepartmentFigures({ departmentId, reloadKey }: { departmentId: string; reloadKey?: number }) {
  const [f, setF] = useState<Figures>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    everyday.departmentFigures(departmentId).then((x) => live && (setF(x), setError(undefined)), (e) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [departmentId, reloadKey]);
  if (error) return <View className="dept-figures dept-figures--error">{`本部门指标暂不可用：${error}`}</View>;
  if (!f) return null;
  return (
    <View className="dept-figures">
      <View className="dept-figures__title">{`本部门办理情况（${Number(f.from.slice(5, 7))}月${Number(f.from.slice(8))}日至今，主办 ${f.received} 件）`}</View>
      <View className="dept-figures__row">
        <View className={`dept-figures__item${f.overdue > 0 ? ' dept-figures__item--alert' : ''}`}>
          <View className="dept-figures__value">{String(f.overdue)}</View>
          <View className="dept-figures__label">当前超期</View>
        </View>
        <View className="dept-figures__item">
          <View className="dept-figures__value">{rateText(f.replyOnTimeRate)}</View>
          <View className="dept-figures__label">按时办结率</View>
        </View>
        <View className="dept-figures__item">
          <View className="dept-figures__value">{rateText(f.satisfactionRate)}</View>
          <View className="dept-figures__label">满意率</View>
        </View>
      </View>
    </View>
  );
}
