import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Input, Textarea, View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { auth, http, messageOf, policies } from '../../../../services';
import { newIdempotencyKey } from '../../../../services/idempotency';
import {
  BENEFIT_TYPE_LABELS, CERTIFICATION_LABELS, EMPTY_EDITOR, eligibilityOf, POLICY_MODE_LABELS, SIZE_CLASS_LABELS, type EditorForm, type MatchPreview,
} from '../../../../services/policies';
import '../../policy.scss';
import { PAGES } from '../../../../services/pages';

const chips = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** The policy editor: text fields, the conditions, and the live count of matching enterprises as conditions change. */
export default function PolicyEditor() {
  const [departments, setDepartments] = useState<{ id: string; name: string }[]>([]);
  const [f, setF] = useState({ title: '', departmentId: '', docNo: '', summary: '', benefitType: 'subsidy', mode: 'no_application', expiresOn: '', contact: '' });
  const [c, setC] = useState<EditorForm>(EMPTY_EDITOR);
  const [preview, setPreview] = useState<MatchPreview | null>(null);
  const [previewError, setPreviewError] = useState<string>();
  const key = useRef(newIdempotencyKey());

  useDidShow(() => {
    void (async () => {
      const me = await auth.me();
      const deps = me.department ? [me.department] : (await http.get<{ items: { id: string; name: string }[] }>('/departments').catch(() => ({ items: [] }))).items;
      setDepartments(deps);
      setF((x) => ({ ...x, departmentId: x.departmentId || deps[0]?.id || '' }));
    })();
  });
  // Live count: debounced, the last answer wins.
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      policies.preview(eligibilityOf(c)).then((p) => { if (live) { setPreview(p); setPreviewError(undefined); } }, (e) => { if (live) setPreviewError(messageOf(e)); });
    }, 400);
    return () => { live = false; clearTimeout(t); };
  }, [c]);

  const save = async (publish: boolean) => {
    try {
      const created = await policies.create({
        title: f.title.trim(), departmentId: f.departmentId, benefitType: f.benefitType as never, mode: f.mode as never, summary: f.summary,
        ...(f.docNo.trim() ? { docNo: f.docNo.trim() } : {}), ...(f.expiresOn ? { expiresOn: f.expiresOn } : {}), ...(f.contact.trim() ? { contact: f.contact.trim() } : {}),
        eligibility: eligibilityOf(c),
      }, key.current);
      if (publish) await policies.publish(created.id, created.version, newIdempotencyKey());
      void Taro.showToast({ title: publish ? '已发布' : '已保存草稿', icon: 'success' });
      void Taro.redirectTo({ url: `${PAGES.policy.detail}?id=${created.id}` });
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  const text = (k: keyof typeof f, label: string, placeholder: string) => (
    <View className="pol-field">
      <View className="pol-label">{label}</View>
      <Input className="pol-input" value={f[k]} placeholder={placeholder} onInput={(e) => setF({ ...f, [k]: e.detail.value })} />
    </View>
  );
  return (
    <View className="pol-page">
      <View className="pol-card">
        <View className="pol-card__top">
          <View className="pol-card__title">匹配企业</View>
          <View className="pol-count">{preview ? preview.met : '—'}</View>
        </View>
        <View className="pol-card__line">{previewError ?? (preview ? `符合 ${preview.met} 家 · 待核实 ${preview.unknown} 家 · 不符合 ${preview.notMet} 家` : '正在统计…')}</View>
        {preview ? <View className="pol-card__line">{preview.byArea.filter((a) => a.met + a.unknown > 0).map((a) => `${a.area.name} 符合${a.met}家`).join('、')}</View> : null}
      </View>
      <View className="pol-grid">
        <View className="pol-card">
          <View className="pol-card__title">政策信息</View>
          {text('title', '政策名称', '如：专精特新中小企业一次性奖励')}
          <View className="pol-field">
            <View className="pol-label">发布部门</View>
            <ChoiceChips options={departments.map((d) => ({ value: d.id, label: d.name }))} value={f.departmentId} onChange={(v) => setF({ ...f, departmentId: v as string })} />
          </View>
          {text('docNo', '文号', '如：兴政发〔2026〕12号')}
          <View className="pol-field">
            <View className="pol-label">兑现方式</View>
            <ChoiceChips options={chips(POLICY_MODE_LABELS)} value={f.mode} onChange={(v) => setF({ ...f, mode: v as string })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">支持类型</View>
            <ChoiceChips options={chips(BENEFIT_TYPE_LABELS)} value={f.benefitType} onChange={(v) => setF({ ...f, benefitType: v as string })} />
          </View>
          {text('expiresOn', '有效期至', '年-月-日，如 2028-12-31')}
          {text('contact', '咨询联系人及电话', '如：工信局 0427-1234567')}
          <View className="pol-field">
            <View className="pol-label">政策摘要</View>
            <Textarea className="pol-input" value={f.summary} maxlength={2000} placeholder="支持对象、标准和兑现方式" onInput={(e) => setF({ ...f, summary: e.detail.value })} />
          </View>
        </View>
        <View className="pol-card">
          <View className="pol-card__title">适用条件</View>
          <View className="pol-field">
            <View className="pol-label">组合方式</View>
            <ChoiceChips options={[{ value: 'all', label: '全部满足' }, { value: 'any', label: '满足其一' }]} value={c.match} onChange={(v) => setC({ ...c, match: v as 'all' | 'any' })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">资质认定（有效期内）</View>
            <ChoiceChips multiple options={chips(CERTIFICATION_LABELS)} value={c.certifications} onChange={(v) => setC({ ...c, certifications: v as EditorForm['certifications'] })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">规模以上</View>
            <ChoiceChips options={[{ value: '', label: '不限' }, { value: 'yes', label: '规模以上' }, { value: 'no', label: '规模以下' }]} value={c.aboveScale} onChange={(v) => setC({ ...c, aboveScale: v as EditorForm['aboveScale'] })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">企业规模</View>
            <ChoiceChips multiple options={chips(SIZE_CLASS_LABELS)} value={c.sizes} onChange={(v) => setC({ ...c, sizes: v as EditorForm['sizes'] })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">从业人数不少于</View>
            <Input className="pol-input" type="number" value={c.minEmployees} placeholder="不限" onInput={(e) => setC({ ...c, minEmployees: e.detail.value })} />
          </View>
          <View className="pol-field">
            <View className="pol-label">成立日期早于</View>
            <Input className="pol-input" value={c.foundedBefore} placeholder="年-月-日，不限可留空" onInput={(e) => setC({ ...c, foundedBefore: e.detail.value })} />
          </View>
        </View>
      </View>
      <View className="pol-card__actions">
        <View className="pol-btn pol-btn--ghost" onClick={() => void save(false)}>保存草稿</View>
        <View className="pol-btn" onClick={() => void save(true)}>保存并发布</View>
      </View>
    </View>
  );
}
