import { useState } from 'react';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { AREA_KIND_LABELS, type Area } from '../../../../services/admin';
import { useLoad } from '../../../../hooks/use-load';
import { EditorCard } from '../../lib/editor-card';
import { admin, formErrors } from '../../lib/api';
import './index.scss';

type Form = { code: string; name: string; kind: Area['kind'] };
const KINDS = Object.entries(AREA_KIND_LABELS).map(([value, label]) => ({ value, label }));

function AreaForm({ initial, districtCode, onSave, onCancel }: { initial?: Area; districtCode: string; onSave: (f: Form) => Promise<void>; onCancel: () => void }) {
  const [f, setF] = useState<Form>(initial ? { code: initial.code, name: initial.name, kind: initial.kind } : { code: districtCode, name: '', kind: 'township' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const missing: Record<string, string> = {};
    if (!initial && !/^\d{9}(\d{3})?$/.test(f.code)) missing.code = '9 位或 12 位行政区划代码';
    else if (!initial && districtCode && !f.code.startsWith(districtCode)) missing.code = `前 6 位应为本区县代码 ${districtCode}`;
    if (!f.name.trim()) missing.name = '请输入名称';
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      await onSave(f);
    } catch (e) {
      setErrors(formErrors(e, ['code', 'name', 'kind']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <EditorCard error={errors.form} busy={busy} onCancel={onCancel} onSave={save}>
      {!initial ? (
        <FormField label="区划代码" required error={errors.code}>
          <Input placeholder="如 211103001" type="number" value={f.code} maxLength={12} onChange={(code) => setF({ ...f, code })} />
        </FormField>
      ) : null}
      <FormField label="名称" required error={errors.name}>
        <Input placeholder="如 兴隆台街道" value={f.name} maxLength={64} onChange={(name) => setF({ ...f, name })} />
      </FormField>
      <FormField label="类型" error={errors.kind}>
        <ChoiceChips value={f.kind} onChange={(kind) => setF({ ...f, kind: kind as Area['kind'] })} options={KINDS} />
      </FormField>
    </EditorCard>
  );
}

/** 属地: the district's 乡镇/街道/园区 (GB/T 2260 codes), used by routing rules and reports. */
export default function AreasPage() {
  const { user } = useSession();
  const { data: items, error, reload: load } = useLoad(async () => (await admin.areas()).items);
  const [editing, setEditing] = useState<string>();

  if (!items) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  const districtCode = user?.district?.code ?? '';
  return (
    <View className="co-page">
      <View className="co-toolbar">
        <View className="co-section">{`共 ${items.length} 个属地`}</View>
        {editing !== 'new' ? <Button size="small" type="primary" onClick={() => setEditing('new')}>新增属地</Button> : null}
      </View>
      {editing === 'new' ? (
        <AreaForm districtCode={districtCode} onCancel={() => setEditing(undefined)} onSave={async (f) => {
          await admin.createArea({ code: f.code, name: f.name.trim(), kind: f.kind });
          setEditing(undefined);
          void load();
        }} />
      ) : null}
      {items.length === 0 ? <StatusView status="empty" message="还没有属地" /> : null}
      {items.map((a) =>
        editing === a.id ? (
          <AreaForm key={a.id} initial={a} districtCode={districtCode} onCancel={() => setEditing(undefined)} onSave={async (f) => {
            await admin.updateArea(a.id, { name: f.name.trim(), kind: f.kind });
            setEditing(undefined);
            void load();
          }} />
        ) : (
          <View key={a.id} className="co-card">
            <View className="co-card__row">
              <View className="co-card__main">
                <View className="co-card__title">{a.name}</View>
                <View className="co-card__sub">{`${AREA_KIND_LABELS[a.kind]} · ${a.code}`}</View>
              </View>
              <Button size="small" onClick={() => setEditing(a.id)}>编辑</Button>
            </View>
          </View>
        ),
      )}
    </View>
  );
}
