import { useCallback, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Textarea, View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { StatusView } from '../../../../components/status-view';
import { useDraft } from '../../../../hooks/use-draft';
import { auth, messageOf, surveys } from '../../../../services';
import { answersToSend, barPercent, type Answers, type Survey, type SurveyResults } from '../../../../services/surveys';
import '../../policy.scss';

/** The enterprise's answer form, kept as a draft (restored on return, one Idempotency-Key per submission). */
function AnswerForm({ survey, onDone }: { survey: Survey; onDone: () => void }) {
  const form = useDraft<Answers>(`survey:${survey.id}`, {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async () => {
    const r = answersToSend(survey.questions, form.values);
    if (!r.ok) {
      setErrors(r.errors);
      void Taro.showToast({ title: '请完成必答题', icon: 'none' });
      return;
    }
    try {
      await form.submit((_, key) => surveys.answer(survey.id, r.answers, key));
      void Taro.showToast({ title: '已提交，感谢参与', icon: 'success' });
      onDone();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  const set = (qid: string, v: Answers[string]) => { form.setField(qid, v); setErrors(({ [qid]: _, ...rest }) => rest); };
  return (
    <View>
      {form.restored ? <View className="pol-head">已恢复上次未提交的内容</View> : null}
      {survey.questions.map((q, i) => (
        <View key={q.id} className="pol-card">
          <View className="pol-label">{i + 1}. {q.title}{q.required ? ' *' : ''}</View>
          {q.kind === 'single' || q.kind === 'multi' ? (
            <ChoiceChips multiple={q.kind === 'multi'} options={(q.options ?? []).map((o, k) => ({ value: String(k), label: o }))}
              value={q.kind === 'multi' ? ((form.values[q.id] as number[] | undefined) ?? []).map(String) : form.values[q.id] === undefined ? '' : String(form.values[q.id])}
              onChange={(v) => set(q.id, Array.isArray(v) ? v.map(Number) : Number(v))} />
          ) : q.kind === 'rating' ? (
            <ChoiceChips options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n}分` }))} value={form.values[q.id] === undefined ? '' : String(form.values[q.id])} onChange={(v) => set(q.id, Number(v))} />
          ) : (
            <Textarea className="pol-input" maxlength={1000} value={(form.values[q.id] as string | undefined) ?? ''} placeholder="请填写" onInput={(e) => set(q.id, e.detail.value)} />
          )}
          {errors[q.id] ? <View className="pol-card__why pol-card__why--warn">{errors[q.id]}</View> : null}
        </View>
      ))}
      <View className="pol-card__actions"><View className="pol-btn" onClick={() => void submit()}>{form.submitting ? '提交中…' : '提交问卷'}</View></View>
    </View>
  );
}

/** Results: bars per option, 1–5 with the average, text answers, response rate by area. */
function Results({ r, anonymous }: { r: SurveyResults; anonymous: boolean }) {
  return (
    <View>
      <View className="pol-card">
        <View className="pol-card__title">答卷 {r.responses} 份 / 发放 {r.targeted} 家</View>
        <View className="pol-table">
          <View className="pol-table__row pol-table__row--head">
            <View className="pol-table__cell pol-table__cell--name">属地</View><View className="pol-table__cell">发放</View><View className="pol-table__cell">答卷</View><View className="pol-table__cell">答卷率</View>
          </View>
          {r.byArea.map((a) => (
            <View key={a.area.id} className="pol-table__row">
              <View className="pol-table__cell pol-table__cell--name">{a.area.name}</View><View className="pol-table__cell">{a.targeted}</View><View className="pol-table__cell">{a.responded}</View><View className="pol-table__cell">{a.rate}</View>
            </View>
          ))}
        </View>
      </View>
      <View className="pol-grid">
        {r.questions.map((q, i) => (
          <View key={q.id} className="pol-card">
            <View className="pol-label">{i + 1}. {q.title}</View>
            <View className="pol-card__line">作答 {q.answered} 份{q.average ? ` · 平均 ${q.average} 分` : ''}</View>
            {(q.options ?? []).map((o) => (
              <View key={o.label} className="pol-bar">
                <View className="pol-bar__label">{o.label}</View>
                <View className="pol-bar__track"><View className="pol-bar__fill" style={{ width: `${barPercent(o.count, (q.options ?? []).map((x) => x.count))}%` }} /></View>
                <View className="pol-bar__n">{o.count}</View>
              </View>
            ))}
            {(q.texts ?? []).slice(0, 20).map((t, k) => <View key={k} className="pol-card__line">“{t.text}”{!anonymous && t.enterprise ? ` —— ${t.enterprise}` : ''}</View>)}
          </View>
        ))}
      </View>
    </View>
  );
}

/** A survey: the enterprise answers it (once); the coordinator reads its results. */
export default function SurveyPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [s, setS] = useState<{ loading: boolean; error?: string; survey?: Survey; results?: SurveyResults }>({ loading: true });
  const load = useCallback(async () => {
    try {
      const user = await auth.me();
      const survey = await surveys.get(id);
      const sees = user.roles.some((r) => ['coordinator', 'admin', 'leader'].includes(r));
      setS({ loading: false, survey, ...(sees ? { results: await surveys.results(id) } : {}) });
    } catch (e) {
      setS({ loading: false, error: messageOf(e) });
    }
  }, [id]);
  useDidShow(() => void load());
  if (s.loading) return <View className="pol-page"><StatusView status="loading" /></View>;
  if (s.error || !s.survey) return <View className="pol-page"><StatusView status="error" message={s.error ?? '问卷不存在'} onRetry={load} /></View>;
  const v = s.survey;
  return (
    <View className="pol-page">
      <View className="pol-card">
        <View className="pol-card__title">{v.title}</View>
        <View className="pol-card__line">{v.anonymous ? '匿名问卷：不记录企业名称' : '实名问卷'} · {v.opensOn} 至 {v.closesOn}</View>
        {v.intro ? <View className="pol-card__text">{v.intro}</View> : null}
      </View>
      {s.results ? <Results r={s.results} anonymous={v.anonymous} />
        : v.answered ? <StatusView status="empty" message="贵企业已提交本问卷，感谢参与" />
        : v.phase !== 'open' ? <StatusView status="empty" message="问卷未开始或已截止" />
        : <AnswerForm survey={v} onDone={() => void load()} />}
    </View>
  );
}
