import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { StatusView } from '../../../../components/status-view';
import { auth, messageOf, surveys } from '../../../../services';
import type { Survey } from '../../../../services/surveys';
import { SURVEY_STATUS_LABELS } from '@guanjia/shared/survey/survey';
import '../../policy.scss';
import { PAGES } from '../../../../services/pages';

/** 我的问卷 (enterprise: the surveys sent to it, answered or not) or the coordinator's surveys (results). */
export default function SurveyList() {
  const [s, setS] = useState<{ loading: boolean; error?: string; items?: Survey[]; builder?: boolean }>({ loading: true });
  const load = useCallback(async () => {
    try {
      const [me, page] = await Promise.all([auth.me(), surveys.list()]);
      setS({ loading: false, items: page.items, builder: me.roles.some((r) => r === 'coordinator' || r === 'admin') });
    } catch (e) {
      setS({ loading: false, error: messageOf(e) });
    }
  }, []);
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  if (s.loading) return <View className="pol-page"><StatusView status="loading" /></View>;
  if (s.error) return <View className="pol-page"><StatusView status="error" message={s.error} onRetry={load} /></View>;
  const EDITOR = PAGES.policy.surveyEditor;
  const create = s.builder ? (
    <View className="pol-card__actions" style={{ marginTop: 0, marginBottom: '24px' }}>
      <View className="pol-btn svb-new" onClick={() => void Taro.navigateTo({ url: EDITOR })}>新建问卷</View>
    </View>
  ) : null;
  if (!s.items?.length) return <View className="pol-page">{create}<StatusView status="empty" message="暂无问卷" /></View>;
  return (
    <View className="pol-page">
      {create}
      <View className="pol-grid">
        {s.items.map((x) => {
          const phase = x.phase === 'open' ? '进行中' : x.phase === 'closed' ? SURVEY_STATUS_LABELS.closed : x.phase === 'draft' ? SURVEY_STATUS_LABELS.draft : '未开始';
          const badge = x.answered ? { t: '已提交', c: 'ok' } : x.phase === 'open' ? { t: x.answered === false ? '待填写' : phase, c: 'warn' } : { t: phase, c: 'muted' };
          return (
            <View key={x.id} className="pol-card" onClick={() => void Taro.navigateTo({ url: x.status === 'draft' && s.builder ? `${EDITOR}?id=${x.id}` : `${PAGES.policy.survey}?id=${x.id}` })}>
              <View className="pol-card__top">
                <View className="pol-card__title">{x.title}</View>
                <View className={`pol-badge pol-badge--${badge.c}`}>{badge.t}</View>
              </View>
              <View className="pol-card__line">{x.anonymous ? '匿名' : '实名'} · {x.questions.length} 题 · {x.opensOn} 至 {x.closesOn}</View>
            </View>
          );
        })}
      </View>
    </View>
  );
}
