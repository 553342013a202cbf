import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, Input } from '../../../../components/nutui';
import { FormCard, FormField } from '../../../../components/form-field';
import { StatusView } from '../../../../components/status-view';
import { http, messageOf, splitFormErrors } from '../../../../services';
import { createRankingsApi, SETTINGS_FIELDS, settingsBody, settingsForm, type SettingsForm } from '../../../../services/rankings';
import './index.scss';

const api = createRankingsApi(http);
type Errors = Partial<Record<(typeof SETTINGS_FIELDS)[number], string>>;

/**
 * 考核设置 (coordinator, admin): the district's 满意率 factor for 基本满意, the composite score's three weights and
 * the 红榜 / 黑榜 size (`/indicator-settings`). The server checks ranges and the sum; its messages show by field.
 */
export default function IndicatorSettingsPage() {
  const [form, setForm] = useState<SettingsForm>();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string>();
  const [loadError, setLoadError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      setForm(settingsForm(await api.settings()));
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const set = (k: keyof SettingsForm) => (v: string) => setForm((f) => (f ? { ...f, [k]: v } : f));

  const save = async () => {
    if (!form || busy) return;
    setFormError(undefined);
    const v = settingsBody(form);
    if ('errors' in v) { setErrors(v.errors); return; }
    setErrors({});
    setBusy(true);
    try {
      setForm(settingsForm(await api.saveSettings(v.body)));
      void Taro.showToast({ title: '已保存', icon: 'success' });
      setTimeout(() => { void Taro.navigateBack(); }, 600);
    } catch (e) {
      const { fields, form: msg } = splitFormErrors(e, SETTINGS_FIELDS, {
        rename: { 'weights.basicallySatisfied': 'basicallySatisfied', 'weights.response': 'response', 'weights.solve': 'solve', 'weights.satisfaction': 'satisfaction' },
      });
      setErrors(fields);
      setFormError(msg);
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <View className="ks-page"><StatusView status="error" message={loadError} onRetry={load} /></View>;
  if (!form) return <View className="ks-page"><StatusView status="loading" /></View>;
  return (
    <View className="ks-page">
      <View className="ks-section">满意率</View>
      <FormCard>
        <FormField label="基本满意折算系数" required error={errors.basicallySatisfied}>
          <Input type="digit" placeholder="0 到 1，默认 0.9" value={form.basicallySatisfied} onChange={set('basicallySatisfied')} />
        </FormField>
        <View className="ks-note">满意率 =（满意 + 系数 × 基本满意）÷ 有效回访</View>
      </FormCard>
      <View className="ks-section">综合得分权重（三项之和为 1）</View>
      <FormCard>
        <FormField label="响应率权重" required error={errors.response}>
          <Input type="digit" placeholder="默认 0.1" value={form.response} onChange={set('response')} />
        </FormField>
        <FormField label="解决率权重" required error={errors.solve}>
          <Input type="digit" placeholder="默认 0.5" value={form.solve} onChange={set('solve')} />
        </FormField>
        <FormField label="满意率权重" required error={errors.satisfaction}>
          <Input type="digit" placeholder="默认 0.4" value={form.satisfaction} onChange={set('satisfaction')} />
        </FormField>
        {errors.weights ? <View className="ks-error">{errors.weights}</View> : null}
      </FormCard>
      <View className="ks-section">红黑榜</View>
      <FormCard>
        <FormField label="红榜、黑榜各列名次" required error={errors.redBlackN}>
          <Input type="number" placeholder="1 到 20" value={form.redBlackN} onChange={set('redBlackN')} />
        </FormField>
      </FormCard>
      {formError ? <View className="ks-error">{formError}</View> : null}
      <View className="ks-note">已发布的排名保留发布时的权重，修改只影响未发布的排名。</View>
      <Button className="ks-save" type="primary" block loading={busy} onClick={() => void save()}>保存</Button>
    </View>
  );
}
