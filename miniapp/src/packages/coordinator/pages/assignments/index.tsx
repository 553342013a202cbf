import { useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { messageOf } from '../../../../services';
import type { Assignment } from '../../../../services/admin';
import { todayInShanghai } from '../../../../services/display';
import { EditorCard } from '../../lib/editor-card';
import { admin, formErrors } from '../../lib/api';
import { useReshow } from '../../lib/hooks';
import { SearchPick, type Picked } from '../../lib/search-pick';
import './index.scss';

/** 包保: assign a steward to an enterprise (the steward then sees it, its cadence and its 诉求). */
function NewAssignment({ onCreated, onCancel }: { onCreated: () => void; onCancel: () => void }) {
  const [steward, setSteward] = useState<Picked | null>(null);
  const [enterprise, setEnterprise] = useState<Picked | null>(null);
  const [startsOn, setStartsOn] = useState(todayInShanghai());
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const missing: Record<string, string> = {};
    if (!steward) missing.stewardId = '请选择管家';
    if (!enterprise) missing.enterpriseId = '请选择企业';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startsOn)) missing.startsOn = '日期格式为 2026-01-01';
    setErrors(missing);
    if (Object.keys(missing).length || busy || !steward || !enterprise) return;
    setBusy(true);
    try {
      await admin.createAssignment({ stewardId: steward.id, enterpriseId: enterprise.id, startsOn, ...(note.trim() ? { note: note.trim() } : {}) });
      void Taro.showToast({ title: '已指派', icon: 'success' });
      onCreated();
    } catch (e) {
      setErrors(formErrors(e, ['stewardId', 'enterpriseId', 'startsOn', 'note']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <EditorCard error={errors.form} busy={busy} onCancel={onCancel} onSave={submit} saveText="确认指派">
      <FormField label="管家" required error={errors.stewardId}>
        <SearchPick showInitial placeholder="输入管家姓名搜索" value={steward} onChange={setSteward}
          search={async (q) => (await admin.people({ role: 'steward', q: q || undefined, limit: 8 })).items.filter((p) => !p.disabled).map((p) => ({ id: p.id, name: p.name, sub: p.title ?? undefined }))} />
      </FormField>
      <FormField label="企业" required error={errors.enterpriseId}>
        <SearchPick showInitial placeholder="输入企业名称或信用代码搜索" value={enterprise} onChange={setEnterprise}
          search={async (q) => (await admin.enterprises({ q: q || undefined, limit: 8 })).items.map((e) => ({ id: e.id, name: e.name, sub: e.area.name }))} />
      </FormField>
      <FormField label="开始日期" error={errors.startsOn}>
        <Input placeholder="YYYY-MM-DD" value={startsOn} maxLength={10} onChange={setStartsOn} />
      </FormField>
      <FormField label="备注" error={errors.note}>
        <Input placeholder="可选" value={note} maxLength={256} onChange={setNote} />
      </FormField>
    </EditorCard>
  );
}

function AssignmentCard({ a, onEnded }: { a: Assignment; onEnded: () => void }) {
  const [busy, setBusy] = useState(false);
  const end = async () => {
    const { confirm } = await Taro.showModal({ title: '结束包保', content: `结束 ${a.steward.name} 对「${a.enterprise.name}」的包保？历史记录会保留。`, confirmText: '结束', cancelText: '取消' });
    if (!confirm) return;
    setBusy(true);
    try {
      await admin.endAssignment(a.id);
      void Taro.showToast({ title: '已结束包保', icon: 'success' });
      onEnded();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="co-card">
      <View className="co-asg__pair">
        <Text>{a.steward.name}</Text>
        <Text className="co-asg__arrow">→</Text>
        <Text>{a.enterprise.name}</Text>
      </View>
      <View className="co-card__sub">{`${a.startsOn} 起${a.endsOn ? `，${a.endsOn} 结束` : ''}${a.note ? ` · ${a.note}` : ''}`}</View>
      {!a.endsOn ? (
        <View className="co-bar__buttons">
          <Button size="small" loading={busy} onClick={end}>结束包保</Button>
        </View>
      ) : null}
    </View>
  );
}

/** 包保关系: who serves which enterprise, current or ended; assign and end. */
export default function AssignmentsPage() {
  const [active, setActive] = useState<'yes' | 'no'>('yes');
  const [steward, setSteward] = useState<Picked | null>(null);
  const [adding, setAdding] = useState(false);
  const list = usePagedList((cursor) => admin.assignments({ active: active === 'yes', stewardId: steward?.id, cursor }), [active, steward?.id]);
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());

  return (
    <View className="co-page co-asg">
      <View className="co-toolbar">
        <View className="co-section">包保关系</View>
        {!adding ? <Button size="small" type="primary" onClick={() => setAdding(true)}>指派管家</Button> : null}
      </View>
      {adding ? <NewAssignment onCancel={() => setAdding(false)} onCreated={() => { setAdding(false); void list.reload(); }} /> : null}
      <View className="co-card">
        <SearchPick placeholder="按管家筛选：输入姓名" value={steward} onChange={setSteward}
          search={async (q) => (await admin.people({ role: 'steward', q: q || undefined, limit: 5 })).items.map((p) => ({ id: p.id, name: p.name }))} />
      </View>
      <View className="co-asg__filters">
        <ChoiceChips value={active} onChange={(v) => setActive(v as 'yes' | 'no')} options={[{ value: 'yes', label: '包保中' }, { value: 'no', label: '全部（含已结束）' }]} />
      </View>
      {list.loading ? <StatusView status="loading" /> : null}
      {!list.loading && list.error && !list.items.length ? <StatusView status="error" message={list.error} onRetry={list.reload} /> : null}
      {!list.loading && !list.error && !list.items.length ? <StatusView status="empty" message="没有包保关系" /> : null}
      {list.items.map((a) => <AssignmentCard key={a.id} a={a} onEnded={list.reload} />)}
      {list.hasMore ? <View className="co-more" onClick={() => void list.more()}>{list.loadingMore ? '加载中…' : '加载更多'}</View> : null}
    </View>
  );
}
