import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { messageOf } from '../../../../services';
import type { TicketCategory } from '../../../../services/admin';
import { useLoad } from '../../../../hooks/use-load';
import { EditorCard } from '../../lib/editor-card';
import { admin, formErrors } from '../../lib/api';
import './index.scss';

type Form = { name: string; acceptDays: string; replyDays: string; urgentReplyDays: string; active: boolean };

const limits = (c: TicketCategory) => `签收 ${c.effective.acceptDays} · 答复 ${c.effective.replyDays} · 紧急 ${c.effective.urgentReplyDays} 个工作日`;

/** `''` → null (use the default), else an integer in range, else an error message. */
function days(v: string, min: number, max: number): number | null | string {
  if (!v.trim()) return null;
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : `请输入 ${min}–${max} 的整数，留空表示使用默认值`;
}

function CategoryForm({ initial, parentName, onSave, onCancel }: {
  initial?: TicketCategory; parentName?: string;
  onSave: (body: { name: string; acceptDays: number | null; replyDays: number | null; urgentReplyDays: number | null; active: boolean }) => Promise<void>;
  onCancel: () => void;
}) {
  const [f, setF] = useState<Form>({
    name: initial?.name ?? '', acceptDays: initial?.acceptDays?.toString() ?? '', replyDays: initial?.replyDays?.toString() ?? '',
    urgentReplyDays: initial?.urgentReplyDays?.toString() ?? '', active: initial?.active ?? true,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const a = days(f.acceptDays, 0, 10);
    const r = days(f.replyDays, 1, 60);
    const u = days(f.urgentReplyDays, 0, 60);
    const missing: Record<string, string> = {};
    if (!f.name.trim()) missing.name = '请输入类别名称';
    if (typeof a === 'string') missing.acceptDays = a;
    if (typeof r === 'string') missing.replyDays = r;
    if (typeof u === 'string') missing.urgentReplyDays = u;
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      await onSave({ name: f.name.trim(), acceptDays: a as number | null, replyDays: r as number | null, urgentReplyDays: u as number | null, active: f.active });
    } catch (e) {
      setErrors(formErrors(e, ['name', 'acceptDays', 'replyDays', 'urgentReplyDays', 'active']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <EditorCard error={errors.form} busy={busy} onCancel={onCancel} onSave={save}>
      {parentName ? <FormField label="上级类别"><View>{parentName}</View></FormField> : null}
      <FormField label="名称" required error={errors.name}>
        <Input placeholder="如 人才用工" value={f.name} maxLength={32} onChange={(name) => setF({ ...f, name })} />
      </FormField>
      <FormField label="签收期限" error={errors.acceptDays}>
        <Input placeholder="工作日，留空用默认值" type="number" value={f.acceptDays} maxLength={2} onChange={(acceptDays) => setF({ ...f, acceptDays })} />
      </FormField>
      <FormField label="答复期限" error={errors.replyDays}>
        <Input placeholder="工作日，留空用默认值" type="number" value={f.replyDays} maxLength={2} onChange={(replyDays) => setF({ ...f, replyDays })} />
      </FormField>
      <FormField label="紧急期限" error={errors.urgentReplyDays}>
        <Input placeholder="紧急诉求答复期限，工作日" type="number" value={f.urgentReplyDays} maxLength={2} onChange={(urgentReplyDays) => setF({ ...f, urgentReplyDays })} />
      </FormField>
      {initial ? (
        <FormField label="状态">
          <ChoiceChips value={f.active ? 'on' : 'off'} onChange={(v) => setF({ ...f, active: v === 'on' })} options={[{ value: 'on', label: '启用' }, { value: 'off', label: '停用' }]} />
        </FormField>
      ) : null}
    </EditorCard>
  );
}

/** 诉求类别: the two-level tree enterprises pick from, each with its time limits (working days). */
export default function CategoriesPage() {
  const { data: items, setData: setItems, error, reload: load } = useLoad(async () => (await admin.categories()).items);
  const [editing, setEditing] = useState<string>();
  const [busy, setBusy] = useState(false);

  const update = (c: TicketCategory) => async (b: { name: string; acceptDays: number | null; replyDays: number | null; urgentReplyDays: number | null; active: boolean }) => {
    // Only what changed: untouched limits stay as they are (null = the district default).
    const changed = (Object.keys(b) as (keyof typeof b)[]).filter((k) => b[k] !== c[k]);
    if (!changed.length) return setEditing(undefined);
    await admin.updateCategory(c.id, { version: c.version, ...Object.fromEntries(changed.map((k) => [k, b[k]])) });
    setEditing(undefined);
    void load();
  };
  const create = (parentId?: string) => async (b: { name: string; acceptDays: number | null; replyDays: number | null; urgentReplyDays: number | null }) => {
    await admin.createCategory({
      name: b.name, ...(parentId ? { parentId } : {}),
      ...(b.acceptDays !== null ? { acceptDays: b.acceptDays } : {}), ...(b.replyDays !== null ? { replyDays: b.replyDays } : {}), ...(b.urgentReplyDays !== null ? { urgentReplyDays: b.urgentReplyDays } : {}),
    });
    setEditing(undefined);
    void load();
  };
  const defaults = async () => {
    setBusy(true);
    try {
      const r = await admin.loadDefaultCategories();
      void Taro.showToast({ title: r.added ? `已添加 ${r.added} 个类别` : '默认类别均已存在', icon: 'none' });
      setItems(r.items);
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  if (!items) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  return (
    <View className="co-page co-cat">
      <View className="co-toolbar">
        <View className="co-section">{`一级类别 ${items.length} 个`}</View>
        <View className="co-bar__buttons">
          <Button size="small" loading={busy} onClick={defaults}>载入默认类别</Button>
          {editing !== 'new' ? <Button size="small" type="primary" onClick={() => setEditing('new')}>新增一级类别</Button> : null}
        </View>
      </View>
      {editing === 'new' ? <CategoryForm onCancel={() => setEditing(undefined)} onSave={create()} /> : null}
      {items.length === 0 ? <StatusView status="empty" message="还没有诉求类别，可载入默认类别（人才用工、融资信贷……）" /> : null}
      {items.map((c) =>
        editing === c.id ? (
          <CategoryForm key={c.id} initial={c} onCancel={() => setEditing(undefined)} onSave={update(c)} />
        ) : (
          <View key={c.id} className="co-card">
            <View className="co-card__row">
              <View className="co-card__main">
                <View className="co-card__title">{c.name}</View>
                <View className="co-card__sub">{limits(c)}</View>
              </View>
              {!c.active ? <View className="co-tag co-tag--danger">已停用</View> : null}
            </View>
            {c.children.map((ch) =>
              editing === ch.id ? (
                <CategoryForm key={ch.id} initial={ch} parentName={c.name} onCancel={() => setEditing(undefined)} onSave={update(ch)} />
              ) : (
                <View key={ch.id} className="co-cat__child" onClick={() => setEditing(ch.id)}>
                  <View>
                    <View className="co-cat__name">{`${ch.name}${ch.active ? '' : '（已停用）'}`}</View>
                    <View className="co-card__sub">{limits(ch)}</View>
                  </View>
                  <View className="co-link">编辑</View>
                </View>
              ),
            )}
            {editing === `child:${c.id}` ? <CategoryForm parentName={c.name} onCancel={() => setEditing(undefined)} onSave={create(c.id)} /> : null}
            <View className="co-bar__buttons">
              <Button size="small" onClick={() => setEditing(c.id)}>编辑</Button>
              <Button size="small" onClick={() => setEditing(`child:${c.id}`)}>新增子类别</Button>
            </View>
          </View>
        ),
      )}
    </View>
  );
}
