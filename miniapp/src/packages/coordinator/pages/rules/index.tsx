import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { messageOf } from '../../../../services';
import type { Area, Department, RoutingRule, TicketCategoryNode } from '../../../../services/admin';
import { useLoad } from '../../../../hooks/use-load';
import { EditorCard } from '../../lib/editor-card';
import { admin, formErrors } from '../../lib/api';
import { describeRule } from '@guanjia/shared/ticket/rule-words';
import './index.scss';

type Refs = { categories: TicketCategoryNode[]; areas: Area[]; departments: Department[] };
type Form = { parentId: string; categoryId: string; areaId: string; enterpriseTag: string; leadDepartmentId: string; assistingDepartmentIds: string[]; priority: string; note: string };
const EMPTY: Form = { parentId: '', categoryId: '', areaId: '', enterpriseTag: '', leadDepartmentId: '', assistingDepartmentIds: [], priority: '0', note: '' };

/** New rule: (category, area?, enterprise tag?) → lead department + assisting ones. Ties are refused by the server. */
function RuleForm({ refs, onSaved, onCancel }: { refs: Refs; onSaved: () => void; onCancel: () => void }) {
  const [f, setF] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const parent = refs.categories.find((c) => c.id === f.parentId);
  const save = async () => {
    const missing: Record<string, string> = {};
    if (!f.categoryId) missing.categoryId = '请选择类别';
    if (!f.leadDepartmentId) missing.leadDepartmentId = '请选择主办部门';
    const priority = Number(f.priority || '0');
    if (!Number.isInteger(priority) || priority < 0 || priority > 100) missing.priority = '0–100 的整数';
    setErrors(missing);
    if (Object.keys(missing).length || busy) return;
    setBusy(true);
    try {
      await admin.createRule({
        categoryId: f.categoryId,
        ...(f.areaId ? { areaId: f.areaId } : {}),
        ...(f.enterpriseTag.trim() ? { enterpriseTag: f.enterpriseTag.trim() } : {}),
        leadDepartmentId: f.leadDepartmentId,
        assistingDepartmentIds: f.assistingDepartmentIds.filter((d) => d !== f.leadDepartmentId),
        priority,
        ...(f.note.trim() ? { note: f.note.trim() } : {}),
      });
      void Taro.showToast({ title: '规则已保存', icon: 'success' });
      onSaved();
    } catch (e) {
      setErrors(formErrors(e, ['categoryId', 'areaId', 'enterpriseTag', 'leadDepartmentId', 'assistingDepartmentIds', 'priority', 'note']));
    } finally {
      setBusy(false);
    }
  };
  const deps = refs.departments.filter((d) => d.active).map((d) => ({ value: d.id, label: d.shortName || d.name }));
  return (
    <EditorCard error={errors.form} busy={busy} onCancel={onCancel} onSave={save} saveText="保存规则">
      <FormField label="诉求类别" required error={errors.categoryId}>
        <ChoiceChips value={f.parentId} onChange={(id) => setF({ ...f, parentId: id as string, categoryId: id as string })} options={refs.categories.filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))} />
        {parent && parent.children.length ? (
          <View className="co-rules__children">
            <ChoiceChips value={f.categoryId} onChange={(id) => setF({ ...f, categoryId: id as string })}
              options={[{ value: parent.id, label: `整个「${parent.name}」` }, ...parent.children.filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))]} />
          </View>
        ) : null}
      </FormField>
      <FormField label="属地" error={errors.areaId}>
        <ChoiceChips value={f.areaId || 'all'} onChange={(id) => setF({ ...f, areaId: id === 'all' ? '' : (id as string) })} options={[{ value: 'all', label: '全部属地' }, ...refs.areas.map((a) => ({ value: a.id, label: a.name }))]} />
      </FormField>
      <FormField label="企业标签" error={errors.enterpriseTag}>
        <Input placeholder="如 专精特新（可选）" value={f.enterpriseTag} maxLength={16} onChange={(enterpriseTag) => setF({ ...f, enterpriseTag })} />
      </FormField>
      <FormField label="主办部门" required error={errors.leadDepartmentId}>
        <ChoiceChips value={f.leadDepartmentId} onChange={(id) => setF({ ...f, leadDepartmentId: id as string, assistingDepartmentIds: f.assistingDepartmentIds.filter((x) => x !== id) })} options={deps} />
      </FormField>
      <FormField label="协办部门" error={errors.assistingDepartmentIds}>
        <ChoiceChips multiple value={f.assistingDepartmentIds} onChange={(ids) => setF({ ...f, assistingDepartmentIds: ids as string[] })} options={deps.filter((d) => d.value !== f.leadDepartmentId)} />
      </FormField>
      <FormField label="优先级" error={errors.priority}>
        <Input placeholder="0–100，同等具体时大者优先" type="number" value={f.priority} maxLength={3} onChange={(priority) => setF({ ...f, priority })} />
      </FormField>
      <FormField label="备注" error={errors.note}>
        <Input placeholder="可选" value={f.note} maxLength={256} onChange={(note) => setF({ ...f, note })} />
      </FormField>
    </EditorCard>
  );
}

/** 交办规则: which department a 诉求 goes to by category, area and enterprise tag; the most specific rule wins. */
export default function RulesPage() {
  const { data, error, reload: load } = useLoad(async () => {
    const [r, categories, areas, departments] = await Promise.all([admin.routingRules(), admin.categories(false), admin.areas(), admin.departments()]);
    return { rules: r.items, refs: { categories: categories.items, areas: areas.items, departments: departments.items } as Refs };
  });
  const rules = data?.rules;
  const refs = data?.refs;
  const [adding, setAdding] = useState(false);

  const toggle = async (r: RoutingRule) => {
    try {
      await admin.updateRule(r.id, { version: r.version, active: !r.active });
      void Taro.showToast({ title: r.active ? '已停用' : '已启用', icon: 'success' });
      void load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };

  if (!rules || !refs) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  return (
    <View className="co-page co-rules">
      <View className="co-toolbar">
        <View className="co-section">{`共 ${rules.length} 条规则`}</View>
        {!adding ? <Button size="small" type="primary" onClick={() => setAdding(true)}>新增规则</Button> : null}
      </View>
      {adding ? <RuleForm refs={refs} onCancel={() => setAdding(false)} onSaved={() => { setAdding(false); void load(); }} /> : null}
      {rules.length === 0 ? <StatusView status="empty" message="还没有交办规则，所有诉求都将进入待交办队列" /> : null}
      {rules.map((r) => (
        <View key={r.id} className="co-card">
          <View className="co-card__row">
            <View className="co-card__main">
              <View className="co-card__title co-rules__words">{describeRule(r)}</View>
              {!r.area ? <View className="co-card__sub">适用于全部属地</View> : null}
            </View>
            {!r.active ? <View className="co-tag co-tag--danger">已停用</View> : null}
          </View>
          {r.note ? <View className="co-card__sub">{r.note}</View> : null}
          <View className="co-bar__buttons">
            <Button size="small" onClick={() => void toggle(r)}>{r.active ? '停用' : '启用'}</Button>
          </View>
        </View>
      ))}
    </View>
  );
}
