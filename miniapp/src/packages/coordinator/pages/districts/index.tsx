import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { http } from '../../../../services';
import { formatDateTime } from '../../../../services/display';
import { createPlatformApi, districtSetupBody, validateDistrictSetup, type DistrictForm, type DistrictSetupResult } from '../../../../services/platform';
import { CO_PAGES, formErrors } from '../../lib/api';
import './index.scss';

const platform = createPlatformApi(http);
const EMPTY: DistrictForm = { code: '', name: '', cityName: '', adminName: '', adminPhone: '' };

/** 区县开通: the platform operator opens a district with its first administrator and hands over the one-time code. */
export default function DistrictsPage() {
  const list = usePagedList((cursor) => platform.districts(cursor), []);
  const [form, setForm] = useState<DistrictForm>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DistrictSetupResult>();
  const set = (k: keyof DistrictForm, v: string) => setForm({ ...form, [k]: v });

  const save = async () => {
    const problems = validateDistrictSetup(form);
    setErrors(problems);
    if (Object.keys(problems).length || busy) return;
    setBusy(true);
    try {
      const r = await platform.setupDistrict(districtSetupBody(form));
      setResult(r);
      if (r.created) setForm(EMPTY);
      void list.reload();
    } catch (e) {
      const f = formErrors(e, ['code', 'name', 'cityName', 'admin']);
      setErrors({ ...f, ...(f.admin ? { adminPhone: f.admin } : {}) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="co-page co-districts">
      <View className="co-card">
        <View className="co-card__title">开通新区县</View>
        <View className="co-card__sub">录入区县行政区划代码与首位管理员，系统生成一次性邀请码，管理员用微信登录后输入即可进入。</View>
        <FormCard>
          <FormField label="区划代码" required error={errors.code}>
            <Input placeholder="如 211103" value={form.code} maxLength={6} onChange={(v) => set('code', v)} />
          </FormField>
          <FormField label="区县名称" required error={errors.name}>
            <Input placeholder="如 兴隆台区" value={form.name} maxLength={64} onChange={(v) => set('name', v)} />
          </FormField>
          <FormField label="所属市" error={errors.cityName}>
            <Input placeholder="如 盘锦市" value={form.cityName} maxLength={64} onChange={(v) => set('cityName', v)} />
          </FormField>
          <FormField label="管理员姓名" required error={errors.adminName}>
            <Input placeholder="首位管理员姓名" value={form.adminName} maxLength={64} onChange={(v) => set('adminName', v)} />
          </FormField>
          <FormField label="管理员手机" required error={errors.adminPhone}>
            <Input placeholder="11 位手机号" value={form.adminPhone} maxLength={11} onChange={(v) => set('adminPhone', v)} />
          </FormField>
        </FormCard>
        {errors.form ? <View className="co-error">{errors.form}</View> : null}
        <View className="co-bar__buttons co-submit">
          <Button onClick={() => Taro.navigateTo({ url: CO_PAGES.calendar })}>全国节假日</Button>
          <Button type="primary" loading={busy} onClick={save}>开通</Button>
        </View>
        {result ? (
          <View className="co-districts__result">
            {result.created ? (
              <>
                <View className="co-card__sub">{`已开通 ${result.district.name}（${result.district.code}）。请将邀请码告知 ${result.admin?.name ?? '管理员'}，7 天内有效，仅显示这一次：`}</View>
                <View className="co-districts__code">{result.invitationCode}</View>
              </>
            ) : (
              <View className="co-card__sub">{`${result.district.name}（${result.district.code}）已开通，未做任何更改。`}</View>
            )}
          </View>
        ) : null}
      </View>
      {list.error && !list.items.length ? <StatusView status="error" message={list.error} onRetry={list.reload} /> : null}
      {list.items.map((d) => (
        <View key={d.id} className="co-card">
          <View className="co-card__row">
            <View className="co-card__main">
              <View className="co-card__title">{`${d.name}（${d.code}）`}</View>
              <View className="co-card__sub">{`${d.city ? `${d.city.name} · ` : ''}管理员 ${d.admins} 人 · ${formatDateTime(d.createdAt)} 开通`}</View>
            </View>
          </View>
        </View>
      ))}
      {list.loading ? <StatusView status="loading" /> : null}
      {!list.loading && !list.items.length && !list.error ? <View className="co-card__sub">尚未开通任何区县</View> : null}
      {list.error && list.items.length ? <View className="co-error">{list.error}</View> : null}
    </View>
  );
}
