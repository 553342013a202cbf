import { useMemo, useRef, useState } from 'react';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { AuthImage } from '../../../../components/auth-image';
import { useSession } from '../../../../hooks/use-session';
import { photoApi } from '../../lib/photos';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { FormField } from '../../../../components/form-field';
import { drafts, messageOf, projects, splitFormErrors } from '../../../../services';
import { todayInShanghai } from '../../../../services/display';
import { createSubmission } from '../../../../services/submission';
import { newIdempotencyKey } from '../../../../services/idempotency';
import { defaultReportMonth, money, validateReportForm, type ReportForm } from '../../../../services/projects';
import './index.scss';

/**
 * The monthly 调度 form: investment this month (万元), 形象进度, problems. Kept as a draft on every change (with the
 * Idempotency-Key its submission will carry), so it survives going offline or closing the app; the server's
 * field errors (a month already reported, completion beyond 总投资) show next to their fields.
 */
export default function ReportFormPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const formKey = `project-report:${id}`;
  const today = todayInShanghai();
  const draft = useMemo(() => drafts.load<ReportForm>(formKey), [formKey]);
  const [form, setForm] = useState<ReportForm>(draft?.values ?? { month: defaultReportMonth(today), amountWan: '', progress: '', problems: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof ReportForm, string>>>({});
  const [busy, setBusy] = useState(false);
  const [projectName, setProjectName] = useState('');
  const [uploading, setUploading] = useState(false);
  const { user } = useSession();
  // 形象进度 photos: uploaded when taken (the steward's camera upload) and kept in the draft by id
  const canPhoto = !!user?.roles.includes('steward');
  const key = useRef(draft?.idempotencyKey ?? newIdempotencyKey());
  const submission = useRef(createSubmission({ key: key.current, onKeyChange: (k) => { key.current = k; drafts.save(formKey, form, k); } }));
  useLoad(() => {
    void projects.get(id).then((p) => setProjectName(`${p.name}（总投资${money(p.totalInvestment)}，开工累计${money(p.figures.completedTotal)}）`)).catch(() => undefined);
  });
  const save = (next: ReportForm) => {
    setForm(next);
    drafts.save(formKey, next, key.current);
  };
  const set = (k: keyof ReportForm) => (v: string) => save({ ...form, [k]: v });
  const addPhoto = async () => {
    const have = form.photoIds ?? [];
    let paths: string[];
    try {
      paths = (await Taro.chooseImage({ count: Math.max(1, 9 - have.length), sizeType: ['compressed'], sourceType: ['camera', 'album'] })).tempFilePaths;
    } catch {
      return; // cancelled
    }
    setUploading(true);
    try {
      const ids: string[] = [];
      for (const [i, path] of paths.entries()) ids.push((await photoApi.uploadPhoto(path, `${key.current}-photo-${have.length + i}`)).id);
      save({ ...form, photoIds: [...have, ...ids].slice(0, 9) });
      setErrors((e) => ({ ...e, photoIds: undefined }));
    } catch (e) {
      setErrors((x) => ({ ...x, photoIds: messageOf(e) }));
    } finally {
      setUploading(false);
    }
  };
  const submit = async () => {
    const v = validateReportForm(form, today);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await submission.current.run((k) => projects.fileReport(id, v.body, k));
      drafts.clear(formKey);
      void Taro.showToast({ title: '已填报', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 600);
    } catch (e) {
      const { fields, form } = splitFormErrors(e, ['month', 'amountWan', 'progress', 'problems', 'photoIds'], { rename: { amount: 'amountWan' } });
      setErrors(fields);
      if (form) void Taro.showToast({ title: form, icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="report-form">
      {projectName ? <View className="report-form__project">{projectName}</View> : null}
      {draft ? <View className="report-form__draft">已恢复上次未提交的内容</View> : null}
      <FormField label="填报月份" required error={errors.month}>
        <Input placeholder="YYYY-MM，如 2026-10" value={form.month} onChange={set('month')} />
      </FormField>
      <FormField label="本月完成投资（万元）" required error={errors.amountWan}>
        <Input type="digit" placeholder="本月完成投资，单位万元" value={form.amountWan} onChange={set('amountWan')} />
      </FormField>
      <FormField label="形象进度" required error={errors.progress}>
        <TextArea placeholder="如：主体结构施工至第5层" value={form.progress} onChange={set('progress')} maxLength={2000} autoSize />
      </FormField>
      <FormField label="存在问题" error={errors.problems}>
        <TextArea placeholder="需要协调解决的问题（可不填）" value={form.problems} onChange={set('problems')} maxLength={2000} autoSize />
      </FormField>
      {canPhoto ? (
        <FormField label="现场照片" error={errors.photoIds}>
          <View className="report-form__photos">
            {(form.photoIds ?? []).map((pid) => (
              <View key={pid} className="report-form__photo">
                <AuthImage url={photoApi.photoPath(pid)} className="report-form__img" />
                <View className="report-form__remove" onClick={() => save({ ...form, photoIds: (form.photoIds ?? []).filter((x) => x !== pid) })}>删除</View>
              </View>
            ))}
            {(form.photoIds ?? []).length < 9 ? <View className="report-form__add" onClick={() => void addPhoto()}>{uploading ? '上传中…' : '+ 形象进度照片'}</View> : null}
          </View>
        </FormField>
      ) : null}
      <View className="report-form__hint">年初累计、开工累计和完成比例由系统根据各月填报自动计算。</View>
      <View className="report-form__actions">
        <Button type="primary" block loading={busy} onClick={() => void submit()}>提交调度信息</Button>
      </View>
    </View>
  );
}
