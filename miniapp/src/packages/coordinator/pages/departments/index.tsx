import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormField } from '../../../../components/form-field';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { messageOf } from '../../../../services';
import type { Department } from '../../../../services/admin';
import { useLoad } from '../../../../hooks/use-load';
import { EditorCard } from '../../lib/editor-card';
import { admin, formErrors } from '../../lib/api';
import './index.scss';

type Form = { name: string; shortName: string; functions: string };
const EMPTY: Form = { name: '', shortName: '', functions: '' };

/** Add or edit one department: its name, short name and functions (what routing and coordinators go by). */
function DepartmentForm({ initial, onSave, onCancel }: { initial?: Department; onSave: (f: Form) => Promise<void>; onCancel: () => void }) {
  const [f, setF] = useState<Form>(initial ? { name: initial.name, shortName: initial.shortName ?? '', functions: initial.functions ?? '' } : EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!f.name.trim()) return setErrors({ name: '请输入部门名称' });
    setBusy(true);
    try {
      await onSave(f);
    } catch (e) {
      setErrors(formErrors(e, ['name', 'shortName', 'functions']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <EditorCard error={errors.form} busy={busy} onCancel={onCancel} onSave={save}>
      <FormField label="名称" required error={errors.name}>
        <Input placeholder="如 人力资源和社会保障局" value={f.name} maxLength={64} onChange={(name) => setF({ ...f, name })} />
      </FormField>
      <FormField label="简称" error={errors.shortName}>
        <Input placeholder="如 人社局（可选）" value={f.shortName} maxLength={32} onChange={(shortName) => setF({ ...f, shortName })} />
      </FormField>
      <FormField label="职能" error={errors.functions}>
        <TextArea placeholder="部门职能，供交办参考（可选）" value={f.functions} maxLength={1000} autoSize onChange={(functions) => setF({ ...f, functions })} />
      </FormField>
    </EditorCard>
  );
}

/** 部门: the departments tickets are routed to; add, edit, deactivate (a deactivated one is not offered for 交办). */
export default function DepartmentsPage() {
  const { data: items, error, reload: load } = useLoad(async () => (await admin.departments()).items);
  const [editing, setEditing] = useState<string>();

  const body = (f: Form) => ({ name: f.name.trim(), ...(f.shortName.trim() ? { shortName: f.shortName.trim() } : {}), ...(f.functions.trim() ? { functions: f.functions.trim() } : {}) });
  const toggle = async (d: Department) => {
    try {
      await admin.updateDepartment(d.id, { active: !d.active });
      void Taro.showToast({ title: d.active ? '已停用' : '已启用', icon: 'success' });
      void load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };

  if (!items) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  return (
    <View className="co-page">
      <View className="co-toolbar">
        <View className="co-section">{`共 ${items.length} 个部门`}</View>
        {editing !== 'new' ? <Button size="small" type="primary" onClick={() => setEditing('new')}>新增部门</Button> : null}
      </View>
      {editing === 'new' ? (
        <DepartmentForm onCancel={() => setEditing(undefined)} onSave={async (f) => {
          await admin.createDepartment(body(f));
          setEditing(undefined);
          void load();
        }} />
      ) : null}
      {items.length === 0 ? <StatusView status="empty" message="还没有部门" /> : null}
      {items.map((d) =>
        editing === d.id ? (
          <DepartmentForm key={d.id} initial={d} onCancel={() => setEditing(undefined)} onSave={async (f) => {
            await admin.updateDepartment(d.id, body(f));
            setEditing(undefined);
            void load();
          }} />
        ) : (
          <View key={d.id} className="co-card">
            <View className="co-card__row">
              <View className="co-card__main">
                <View className="co-card__title">{`${d.name}${d.shortName ? `（${d.shortName}）` : ''}`}</View>
                {d.functions ? <View className="co-card__sub">{d.functions}</View> : null}
              </View>
              {!d.active ? <View className="co-tag co-tag--danger">已停用</View> : null}
            </View>
            <View className="co-bar__buttons">
              <Button size="small" onClick={() => setEditing(d.id)}>编辑</Button>
              <Button size="small" onClick={() => void toggle(d)}>{d.active ? '停用' : '启用'}</Button>
            </View>
          </View>
        ),
      )}
    </View>
  );
}
