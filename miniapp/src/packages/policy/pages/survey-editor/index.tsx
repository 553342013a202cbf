import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Textarea, View } from '@tarojs/components';
import { addCalendarDays, shanghaiDate } from '@guanjia/shared/calendar/shanghai-time';
import { QUESTION_KIND_LABELS, SURVEY_TARGET_LABELS, type QuestionKind } from '@guanjia/shared/survey/survey';
import { ChoiceChips } from '../../../../components/choice-chips';
import { StatusView } from '../../../../components/status-view';
import { isApiError, messageOf, policies, profiles, projects, surveys } from '../../../../services';
import { newIdempotencyKey } from '../../../../services/idempotency';
import {
  addOption, addQuestion, builderBody, builderFromSurvey, emptyBuilder, moveOption, moveQuestion, removeOption, removeQuestion, setOption, updateQuestion,
  type BuilderErrors, type BuilderForm,
} from '../../../../services/survey-builder';
import '../../policy.scss';
import { PAGES } from '../../../../services/pages';

type Named = { id: string; name: string };
const KINDS = Object.keys(QUESTION_KIND_LABELS) as QuestionKind[];

/**
 * 问卷编辑 (coordinator desk): title, intro, anonymous or named, the target (all / area / tag / library / a policy's
 * matched enterprises), dates and the questions (single, multi, rating, text; required; options added, removed and
 * reordered). Saves a draft (created once per Idempotency-Key, then PATCHed with its version) and publishes.
 * `?id=` opens a saved draft.
 */
export default function SurveyEditor() {
  const { params } = useRouter();
  const today = shanghaiDate(new Date());
  const [f, setF] = useState<BuilderForm>(() => emptyBuilder(today, addCalendarDays(today, 30)));
  const [saved, setSaved] = useState<{ id: string; version: number } | null>(null);
  const [loading, setLoading] = useState(Boolean(params.id));
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<BuilderErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [choices, setChoices] = useState<{ area?: Named[]; library?: Named[]; policy?: Named[] }>({});
  const createKey = useRef(newIdempotencyKey());

  useEffect(() => {
    if (!params.id) return;
    surveys.get(params.id).then((s) => {
      if (s.status !== 'draft') {
        void Taro.redirectTo({ url: `${PAGES.policy.survey}?id=${s.id}` });
        return;
      }
      setF(builderFromSurvey(s));
      setSaved({ id: s.id, version: s.version });
      setLoading(false);
    }, (e) => { setLoadError(messageOf(e)); setLoading(false); });
  }, [params.id]);

  // The lists a target picks from, loaded when that kind is chosen.
  useEffect(() => {
    const k = f.targetKind;
    if ((k !== 'area' && k !== 'library' && k !== 'policy') || choices[k]) return;
    const load: Promise<Named[]> = k === 'area' ? projects.areas().then((r) => r.items)
      : k === 'library' ? profiles.libraries().then((xs) => xs.map((x) => ({ id: x.id, name: x.name })))
      : policies.list({ status: 'published', limit: 100 }).then((r) => r.items.map((p) => ({ id: p.id, name: p.title })));
    load.then((xs) => setChoices((c) => ({ ...c, [k]: xs })), (e) => setFormError(messageOf(e)));
  }, [f.targetKind, choices]);

  const edit = (next: BuilderForm) => {
    setF(next);
    setFormError(undefined);
  };

  /** Saves the draft; returns its id and version (or null when the form or the server refused). */
  const save = async (): Promise<{ id: string; version: number } | null> => {
    const r = builderBody(f);
    setErrors(r.ok ? {} : r.errors);
    if (!r.ok) {
      setFormError('请完善标红的内容');
      return null;
    }
    try {
      const s = saved ? await surveys.update(saved.id, { ...r.body, version: saved.version }) : await surveys.create(r.body, createKey.current);
      const at = { id: s.id, version: s.version };
      setSaved(at);
      setFormError(undefined);
      return at;
    } catch (e) {
      // A refused create stored its answer under the key: a corrected form needs a new key. An unknown outcome
      // keeps it, so the retry replays rather than creating a second draft.
      if (!(isApiError(e) && e.outcomeUnknown)) createKey.current = newIdempotencyKey();
      setFormError(isApiError(e) && e.outcomeUnknown ? '网络不稳定，暂不确定是否保存成功，请稍后再试（不会重复创建）' : messageOf(e));
      return null;
    }
  };
  const saveDraft = async () => {
    if (busy) return;
    setBusy(true);
    const at = await save();
    setBusy(false);
    if (at) void Taro.showToast({ title: '草稿已保存', icon: 'success' });
  };
  const publish = async () => {
    if (busy) return;
    setBusy(true);
    const at = await save();
    if (!at) return setBusy(false);
    try {
      await surveys.publish(at.id, at.version, newIdempotencyKey());
      void Taro.showToast({ title: '已发布', icon: 'success' });
      void Taro.redirectTo({ url: `${PAGES.policy.survey}?id=${at.id}` });
    } catch (e) {
      setFormError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (loading) return <View className="pol-page"><StatusView status="loading" /></View>;
  if (loadError) return <View className="pol-page"><StatusView status="error" message={loadError} /></View>;
  const err = (m?: string) => (m ? <View className="pol-card__why pol-card__why--warn">{m}</View> : null);
  const list = f.targetKind === 'area' || f.targetKind === 'library' || f.targetKind === 'policy' ? choices[f.targetKind] : undefined;

  return (
    <View className="pol-page svb">
      <View className="pol-grid">
        <View className="pol-card">
          <View className="pol-card__title">问卷设置{saved ? <View className="pol-badge pol-badge--muted svb__saved">草稿已保存</View> : null}</View>
          <View className="pol-field">
            <View className="pol-label">问卷标题</View>
            <Input className="pol-input svb-title" value={f.title} maxlength={128} placeholder="如：2026年惠企政策知晓度调查" onInput={(e) => edit({ ...f, title: e.detail.value })} />
            {err(errors.title)}
          </View>
          <View className="pol-field">
            <View className="pol-label">问卷说明</View>
            <Textarea className="pol-input svb-intro" value={f.intro} maxlength={2000} placeholder="填写目的、所需时间等（选填）" onInput={(e) => edit({ ...f, intro: e.detail.value })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">填写方式</View>
            <ChoiceChips options={[{ value: 'named', label: '实名' }, { value: 'anon', label: '匿名', hint: '匿名问卷在任何页面和导出中都不显示答卷企业，且不能导出明细' }]}
              value={f.anonymous ? 'anon' : 'named'} onChange={(v) => edit({ ...f, anonymous: v === 'anon' })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">发放对象</View>
            <ChoiceChips options={Object.entries(SURVEY_TARGET_LABELS).map(([value, label]) => ({ value, label }))} value={f.targetKind}
              onChange={(v) => edit({ ...f, targetKind: v as BuilderForm['targetKind'], targetIds: [] })} />
            {f.targetKind === 'tag' ? (
              <Input className="pol-input svb-tag" value={f.tag} maxlength={16} placeholder="企业标签，如：外资企业" onInput={(e) => edit({ ...f, tag: e.detail.value })} />
            ) : null}
            {list ? (list.length
              ? <View className="svb__pick"><ChoiceChips multiple options={list.map((x) => ({ value: x.id, label: x.name }))} value={f.targetIds} onChange={(v) => edit({ ...f, targetIds: v as string[] })} /></View>
              : <View className="pol-card__line">{f.targetKind === 'policy' ? '暂无已发布的政策' : f.targetKind === 'library' ? '暂无培育库' : '暂无属地'}</View>) : null}
            {err(errors.target)}
          </View>
          <View className="svb__dates">
            <View className="pol-field svb__date">
              <View className="pol-label">开始日期</View>
              <Input className="pol-input svb-opens" value={f.opensOn} placeholder="年-月-日" onInput={(e) => edit({ ...f, opensOn: e.detail.value })} />
              {err(errors.opensOn)}
            </View>
            <View className="pol-field svb__date">
              <View className="pol-label">截止日期</View>
              <Input className="pol-input svb-closes" value={f.closesOn} placeholder="年-月-日" onInput={(e) => edit({ ...f, closesOn: e.detail.value })} />
              {err(errors.closesOn)}
            </View>
          </View>
        </View>

        <View className="pol-card">
          <View className="pol-card__title">题目（{f.questions.length}）</View>
          {f.questions.length ? null : <View className="pol-card__line">还没有题目，请在下方添加</View>}
          {f.questions.map((q, i) => (
            <View key={q.id} className="svb-q">
              <View className="svb-q__head">
                <View className="svb-q__no">第{i + 1}题</View>
                <View className="svb-link" onClick={() => edit(moveQuestion(f, i, -1))}>上移</View>
                <View className="svb-link" onClick={() => edit(moveQuestion(f, i, 1))}>下移</View>
                <View className="svb-link svb-link--danger" onClick={() => edit(removeQuestion(f, i))}>删除</View>
              </View>
              <ChoiceChips options={KINDS.map((k) => ({ value: k, label: QUESTION_KIND_LABELS[k] }))} value={q.kind} onChange={(v) => edit(updateQuestion(f, i, { kind: v as QuestionKind }))} />
              <Input className="pol-input svb-q__title" value={q.title} maxlength={200} placeholder="题目内容" onInput={(e) => edit(updateQuestion(f, i, { title: e.detail.value }))} />
              {q.options.map((o, k) => (
                <View key={k} className="svb-opt">
                  <Input className="pol-input svb-opt__input" value={o} maxlength={100} placeholder={`选项${k + 1}`} onInput={(e) => edit(setOption(f, i, k, e.detail.value))} />
                  <View className="svb-link" onClick={() => edit(moveOption(f, i, k, -1))}>上移</View>
                  <View className="svb-link" onClick={() => edit(moveOption(f, i, k, 1))}>下移</View>
                  <View className="svb-link svb-link--danger" onClick={() => edit(removeOption(f, i, k))}>删除</View>
                </View>
              ))}
              <View className="svb-q__foot">
                {q.kind === 'single' || q.kind === 'multi' ? <View className="svb-link svb-add-option" onClick={() => edit(addOption(f, i))}>＋添加选项</View> : <View />}
                <View className={`svb-req${q.required ? ' svb-req--on' : ''}`} onClick={() => edit(updateQuestion(f, i, { required: !q.required }))}>{q.required ? '必答' : '选答'}</View>
              </View>
              {err(errors.byQuestion?.[i])}
            </View>
          ))}
          {err(errors.questions)}
          <View className="svb-add">
            {KINDS.map((k) => <View key={k} className={`pol-btn pol-btn--plain svb-add__${k}`} onClick={() => edit(addQuestion(f, k))}>＋{QUESTION_KIND_LABELS[k]}</View>)}
          </View>
        </View>
      </View>
      {formError ? <View className="pol-card__why pol-card__why--warn svb__error">{formError}</View> : null}
      <View className="pol-card__actions">
        <View className="pol-btn pol-btn--ghost svb-save" onClick={() => void saveDraft()}>保存草稿</View>
        <View className="pol-btn svb-publish" onClick={() => void publish()}>{busy ? '正在提交…' : '保存并发布'}</View>
      </View>
    </View>
  );
}
