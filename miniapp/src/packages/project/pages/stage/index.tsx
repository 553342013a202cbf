import { useRef, useState } from 'react';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormField } from '../../../../components/form-field';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { formErrors, isApiError, messageOf, projects } from '../../../../services';
import { todayInShanghai } from '../../../../services/display';
import { createSubmission } from '../../../../services/submission';
import { param } from '../../../../services/navigation';
import {
  PROJECT_LABELS, stageNeedsReason, stageTargets, validateStageForm, type Project, type StageForm,
} from '../../../../services/projects';
import { photoApi } from '../../lib/photos';
import './index.scss';

type Photo = { path: string; id?: string };

/**
 * 变更项目阶段 (ADR 0009): 推进 / 退回 / 停工 / 复工 with the date it happened, a reason when the machine asks for one
 * (退回, 停工, a skipped stage) and photos as evidence (stewards take them on site). The actions offered are the
 * server's `availableActions` for this person — the shared machine's rule (退回 only for the coordinator).
 */
export default function StagePage() {
  const { params } = useRouter();
  const id = param(params, 'id');
  const { user } = useSession();
  const today = todayInShanghai();
  const [p, setP] = useState<Project>();
  const [loadError, setLoadError] = useState<string>();
  const [form, setForm] = useState<StageForm>({ action: '', to: '', on: today, reason: '', note: '' });
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [errors, setErrors] = useState<Partial<Record<keyof StageForm | 'photos' | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const submission = useRef(createSubmission());
  const load = () => projects.get(id).then((x) => {
    setP(x);
    setForm((f) => ({ ...f, action: f.action || (x.availableActions[0] ?? '') }));
  }, (e) => setLoadError(messageOf(e)));
  useLoad(() => void load());

  if (!p) return loadError ? <StatusView status="error" message={loadError} onRetry={() => void load()} /> : <StatusView status="loading" />;
  if (!p.availableActions.length) return <StatusView status="empty" message="您不能变更该项目的阶段" />;
  const canPhoto = !!user?.roles.includes('steward');
  const set = <K extends keyof StageForm>(k: K, v: StageForm[K]) => {
    setForm((f) => ({ ...f, [k]: v, ...(k === 'action' ? { to: '' } : {}) }));
    // a new action or target changes what is required: the old messages no longer apply
    setErrors((e) => (k === 'action' || k === 'to' ? {} : { ...e, [k]: undefined, form: undefined }));
  };
  const targets = stageTargets(p.stage, form.action);
  const needsReason = !!form.action && stageNeedsReason(p.stage, form);

  const addPhoto = async () => {
    try {
      const res = await Taro.chooseImage({ count: Math.max(1, 9 - photos.length), sizeType: ['compressed'], sourceType: ['camera', 'album'] });
      setPhotos((xs) => [...xs, ...res.tempFilePaths.map((path) => ({ path }))].slice(0, 9));
    } catch (e) {
      const msg = String((e as { errMsg?: string })?.errMsg ?? '');
      if (!/cancel/i.test(msg)) setErrors((x) => ({ ...x, photos: '无法打开相机或相册，请检查权限后重试' }));
    }
  };

  const submit = async () => {
    if (busy) return;
    const checked = validateStageForm(p, form, today, []);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    try {
      // photos first (each upload keeps its own key, so a retry does not upload twice)
      const uploaded: Photo[] = [];
      for (const [i, ph] of photos.entries()) {
        uploaded.push(ph.id ? ph : { ...ph, id: (await photoApi.uploadPhoto(ph.path, `${submission.current.key}-photo-${i}`)).id });
      }
      setPhotos(uploaded);
      const body = { ...checked.body, ...(uploaded.length ? { photoIds: uploaded.map((x) => x.id!) } : {}) };
      await submission.current.run((k) => projects.stage(p.id, checked.action, body, k));
      void Taro.showToast({ title: '已变更', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 600);
    } catch (e) {
      setErrors(formErrors(e, ['to', 'on', 'reason', 'photos'], { rename: { photoIds: 'photos' } }));
      // a stale version: reload so the next try carries the current one
      if (isApiError(e) && (e.status === 409 || e.status === 412)) void load();
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="stage-form">
      <View className="stage-form__project">
        <View className="stage-form__name">{p.name}</View>
        <View className="stage-form__now">{`当前阶段：${PROJECT_LABELS.stage[p.stage]}${p.halted ? `（${PROJECT_LABELS.halted}）` : ''}`}</View>
      </View>
      <FormField label="操作" required error={errors.action}>
        <ChoiceChips options={p.availableActions.map((a) => ({ value: a, label: PROJECT_LABELS.stageAction[a] }))} value={form.action} onChange={(v) => set('action', v as StageForm['action'])} />
      </FormField>
      {targets.length ? (
        <FormField label="目标阶段" required error={errors.to}>
          <ChoiceChips options={targets} value={form.to} onChange={(v) => set('to', v as StageForm['to'])} />
        </FormField>
      ) : null}
      <FormField label={form.action === 'resume' ? '复工日期' : '发生日期'} required error={errors.on}>
        <Input placeholder="YYYY-MM-DD" value={form.on} onChange={(v) => set('on', v)} />
      </FormField>
      <FormField label="原因" required={needsReason} error={errors.reason}>
        <TextArea placeholder={form.action === 'revert' ? '退回原因，如：合同未履行' : form.action === 'halt' ? '停工原因' : needsReason ? '跨阶段推进的原因' : '可不填'} value={form.reason} onChange={(v) => set('reason', v)} maxLength={500} autoSize />
      </FormField>
      <FormField label="说明" error={errors.note}>
        <TextArea placeholder="现场情况说明（可不填）" value={form.note} onChange={(v) => set('note', v)} maxLength={2000} autoSize />
      </FormField>
      {canPhoto ? (
        <FormField label="现场照片" error={errors.photos}>
          <View className="stage-form__photos">
            {photos.map((ph, i) => (
              <View key={ph.path} className="stage-form__photo" onClick={() => setPhotos((xs) => xs.filter((_, j) => j !== i))}>
                <Image className="stage-form__img" src={ph.path} mode="aspectFill" />
              </View>
            ))}
            {photos.length < 9 ? <View className="stage-form__add" onClick={() => void addPhoto()}>+ 拍照</View> : null}
          </View>
        </FormField>
      ) : null}
      {errors.form ? <View className="stage-form__error">{errors.form}</View> : null}
      <View className="stage-form__actions">
        <Button type="primary" block loading={busy} onClick={() => void submit()}>确认变更</Button>
      </View>
    </View>
  );
}
