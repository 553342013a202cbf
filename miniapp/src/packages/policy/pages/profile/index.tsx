import { useCallback, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Input, View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { StatusView } from '../../../../components/status-view';
import { messageOf, profiles } from '../../../../services';
import { newIdempotencyKey } from '../../../../services/idempotency';
import {
  CERTIFICATION_LABELS, correctionRequestUrl, profileForm, profilePatch, REVENUE_BAND_LABELS, SIZE_CLASS_LABELS, TAX_BAND_LABELS, type EnterpriseProfile, type ProfileForm,
} from '../../../../services/policies';
import { INDUSTRY_SECTIONS } from '@guanjia/shared/policy/policy-labels';
import { shanghaiDate } from '@guanjia/shared/calendar/shanghai-time';
import '../../policy.scss';

const chips = (labels: Record<string, string>, none = true) => [...(none ? [{ value: '', label: '未知' }] : []), ...Object.entries(labels).map(([value, label]) => ({ value, label }))];

/** 企业档案: what policies depend on. Stewards of the enterprise and coordinators edit; the enterprise reads. */
export default function ProfilePage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [p, setP] = useState<EnterpriseProfile>();
  const [f, setF] = useState<ProfileForm>();
  const [error, setError] = useState<string>();
  const [errors, setErrors] = useState<Partial<Record<keyof ProfileForm, string>>>({});
  const [libs, setLibs] = useState<{ id: string; name: string }[]>([]);
  const [cert, setCert] = useState({ kind: 'specialized', certifiedOn: '', expiresOn: '' });
  const load = useCallback(async () => {
    try {
      const x = await profiles.get(id);
      setP(x);
      setF(profileForm(x));
      if (x.canEdit) setLibs(await profiles.libraries().catch(() => []));
    } catch (e) {
      setError(messageOf(e));
    }
  }, [id]);
  useDidShow(() => void load());
  const act = async (fn: () => Promise<EnterpriseProfile>, ok: string) => {
    try {
      const x = await fn();
      setP(x);
      setF(profileForm(x));
      void Taro.showToast({ title: ok, icon: 'success' });
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  if (error) return <View className="pol-page"><StatusView status="error" message={error} onRetry={load} /></View>;
  if (!p || !f) return <View className="pol-page"><StatusView status="loading" /></View>;
  const save = () => {
    const r = profilePatch(f, p.version);
    setErrors(r.ok ? {} : r.errors);
    if (r.ok) void act(() => profiles.update(id, r.body), '已保存');
  };
  // the district's day (Asia/Shanghai), not UTC's: a join at 07:00 in Panjin is that day
  const today = shanghaiDate(new Date());
  const field = (k: keyof ProfileForm, label: string, placeholder: string) => (
    <View className="pol-field">
      <View className="pol-label">{label}</View>
      <Input className="pol-input" disabled={!p.canEdit} value={f[k]} placeholder={placeholder} onInput={(e) => setF({ ...f, [k]: e.detail.value })} />
      {errors[k] ? <View className="pol-card__why pol-card__why--warn">{errors[k]}</View> : null}
    </View>
  );
  return (
    <View className="pol-page">
      <View className="pol-card">
        <View className="pol-card__title">{p.name}</View>
        <View className="pol-card__line">{p.area.name} · {p.industry ?? '行业未填'}{p.industrySection && INDUSTRY_SECTIONS[p.industrySection] ? ` · ${INDUSTRY_SECTIONS[p.industrySection]}` : ''}</View>
        {!p.canEdit ? (
          <View>
            <View className="pol-card__line">档案由管家和调度员维护。如信息有误，可提交诉求申请更正。</View>
            <View className="pol-card__actions">
              <View className="pol-btn pol-btn--ghost" onClick={() => void Taro.navigateTo({ url: correctionRequestUrl(p) })}>申请更正</View>
            </View>
          </View>
        ) : null}
      </View>
      <View className="pol-grid">
        <View className="pol-card">
          <View className="pol-card__title">基本信息</View>
          {field('industryDivision', '行业大类（国民经济行业分类两位代码）', '如 35 专用设备制造业')}
          <View className="pol-field"><View className="pol-label">规模以上</View>
            <ChoiceChips options={[{ value: 'yes', label: '规模以上' }, { value: 'no', label: '规模以下' }]} value={f.aboveScale} onChange={(v) => p.canEdit && setF({ ...f, aboveScale: v as 'yes' | 'no' })} /></View>
          <View className="pol-field"><View className="pol-label">企业规模</View>
            <ChoiceChips options={chips(SIZE_CLASS_LABELS)} value={f.sizeClass} onChange={(v) => p.canEdit && setF({ ...f, sizeClass: v as string })} /></View>
          {field('foundedOn', '成立日期', '年-月-日，如 2015-04-01')}
          {field('employees', '从业人数', '未知可留空')}
          <View className="pol-field"><View className="pol-label">上年营收</View>
            <ChoiceChips options={chips(REVENUE_BAND_LABELS)} value={f.revenueBand} onChange={(v) => p.canEdit && setF({ ...f, revenueBand: v as string })} /></View>
          <View className="pol-field"><View className="pol-label">上年纳税</View>
            <ChoiceChips options={chips(TAX_BAND_LABELS)} value={f.taxBand} onChange={(v) => p.canEdit && setF({ ...f, taxBand: v as string })} /></View>
          {p.canEdit ? <View className="pol-card__actions"><View className="pol-btn" onClick={save}>保存档案</View></View> : null}
        </View>
        <View>
          <View className="pol-card">
            <View className="pol-card__title">资质认定</View>
            {p.certifications.length ? p.certifications.map((c) => (
              <View key={c.id} className="pol-card__line">{CERTIFICATION_LABELS[c.kind]} · {c.certifiedOn} 认定{c.expiresOn ? ` · 有效期至 ${c.expiresOn}` : ''}{c.expiresOn && c.expiresOn < today ? '（已过期）' : ''}</View>
            )) : <View className="pol-card__line">暂无</View>}
            {p.canEdit ? (
              <View>
                <View className="pol-field"><ChoiceChips options={chips(CERTIFICATION_LABELS, false)} value={cert.kind} onChange={(v) => setCert({ ...cert, kind: v as string })} /></View>
                <View className="pol-field"><Input className="pol-input" value={cert.certifiedOn} placeholder="认定日期（年-月-日）" onInput={(e) => setCert({ ...cert, certifiedOn: e.detail.value })} /></View>
                <View className="pol-field"><Input className="pol-input" value={cert.expiresOn} placeholder="有效期至（年-月-日，可空）" onInput={(e) => setCert({ ...cert, expiresOn: e.detail.value })} /></View>
                <View className="pol-card__actions"><View className="pol-btn pol-btn--ghost" onClick={() => void act(() => profiles.addCertification(id, { kind: cert.kind as never, certifiedOn: cert.certifiedOn, ...(cert.expiresOn ? { expiresOn: cert.expiresOn } : {}) }, newIdempotencyKey()), '已登记')}>登记资质</View></View>
              </View>
            ) : null}
          </View>
          <View className="pol-card">
            <View className="pol-card__title">培育库</View>
            {p.libraries.length ? p.libraries.map((m) => (
              <View key={m.id} className="pol-card__line">{m.library.name} · {m.joinedOn} 入库{m.leftOn ? ` · ${m.leftOn} 出库` : ''}
                {p.canEdit && !m.leftOn ? <View style={{ display: 'inline', color: '#fa2c19', marginLeft: '16px' }} onClick={() => void act(() => profiles.leave(id, m.id, today), '已出库')}>出库</View> : null}
              </View>
            )) : <View className="pol-card__line">未入库</View>}
            {p.canEdit ? libs.filter((l) => !p.libraries.some((m) => m.library.id === l.id && !m.leftOn)).map((l) => (
              <View key={l.id} className="pol-card__line" style={{ color: '#fa2c19' }} onClick={() => void act(() => profiles.join(id, l.id, today, newIdempotencyKey()), '已入库')}>＋ 加入{l.name}</View>
            )) : null}
          </View>
        </View>
      </View>
    </View>
  );
}
