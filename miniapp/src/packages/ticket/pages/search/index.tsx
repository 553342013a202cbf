import { useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom, useDidShow } from '@tarojs/taro';
import { Picker, View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Button, Input } from '../../../../components/nutui';
import { ListFooter } from '../../../../components/list-footer';
import { StatusView } from '../../../../components/status-view';
import { TicketCard } from '../../../../components/ticket-card';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { http, tickets } from '../../../../services';
import type { QueryValue } from '../../../../services/http';
import { buildSearchQuery, EMPTY_SEARCH, SEARCH_STATES, type SearchForm } from '../../../../services/ticket-search';
import './index.scss';

type Ref = { id: string; name: string };

/** A filter as a tappable line that opens a list picker (department, area, category). */
function PickRef({ label, value, options, onChange }: { label: string; value: string; options: Ref[]; onChange: (id: string) => void }) {
  const all = [{ id: '', name: `全部${label}` }, ...options];
  const index = Math.max(0, all.findIndex((o) => o.id === value));
  return (
    <Picker mode="selector" range={all.map((o) => o.name)} value={index} onChange={(e) => onChange(all[Number(e.detail.value)]?.id ?? '')}>
      <View className={`search__pick${value ? ' search__pick--on' : ''}`}>{value ? all[index].name : `${label}：全部`}</View>
    </Picker>
  );
}

function PickDate({ label, value, onChange }: { label: string; value: string; onChange: (d: string) => void }) {
  return (
    <Picker mode="date" value={value} onChange={(e) => onChange(String(e.detail.value))}>
      <View className={`search__pick${value ? ' search__pick--on' : ''}`}>{value ? `${label} ${value}` : `${label}：不限`}</View>
    </Picker>
  );
}

/**
 * 查找诉求 for staff (coordinator, leader, department): keyword (编号, 企业, 标题), state, department, area, category,
 * submission dates and 超期, over the visibility the server applies. Results page by keyset; each opens the detail.
 */
export default function TicketSearch() {
  const { user } = useSession();
  const [form, setForm] = useState<SearchForm>(EMPTY_SEARCH);
  const [applied, setApplied] = useState<SearchForm>(EMPTY_SEARCH);
  const [refs, setRefs] = useState<{ departments: Ref[]; areas: Ref[]; categories: Ref[] }>({ departments: [], areas: [], categories: [] });

  useEffect(() => {
    void Promise.allSettled([
      tickets.departments(),
      http.get<{ items: Ref[] }>('/areas').then((r) => r.items),
      tickets.categories().then((c) => c.map((x) => ({ id: x.id, name: x.name }))),
    ]).then(([d, a, c]) => setRefs({
      departments: d.status === 'fulfilled' ? d.value : [],
      areas: a.status === 'fulfilled' ? a.value : [],
      categories: c.status === 'fulfilled' ? c.value : [],
    }));
  }, []);

  const list = usePagedList((cursor) => tickets.list({ ...buildSearchQuery(applied), limit: 20, ...(cursor ? { cursor } : {}) } as Record<string, QueryValue>), [JSON.stringify(applied)]);
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  useDidShow(() => {
    if (!list.loading) void list.reload();
  });

  const set = (patch: Partial<SearchForm>) => setForm((f) => ({ ...f, ...patch }));
  const apply = (patch: Partial<SearchForm> = {}) => {
    const next = { ...form, ...patch };
    setForm(next);
    setApplied(next);
  };
  const isDepartment = !!user?.roles.includes('department') && !user.roles.some((r) => r === 'coordinator' || r === 'leader' || r === 'admin');

  return (
    <View className="search">
      <View className="search__filters">
        <View className="search__row">
          <View className="search__input">
            <Input placeholder="编号、企业名称或标题关键字" value={form.q} maxLength={64} onChange={(v) => set({ q: v })} onConfirm={() => apply()} />
          </View>
          <Button type="primary" className="search__go" onClick={() => apply()}>查找</Button>
        </View>
        <ChoiceChips value={form.state} onChange={(v) => apply({ state: v as string })} options={SEARCH_STATES.map((s) => ({ value: s.value, label: s.label }))} />
        <View className="search__row search__row--wrap">
          {isDepartment ? null : <PickRef label="部门" value={form.departmentId} options={refs.departments} onChange={(id) => apply({ departmentId: id })} />}
          <PickRef label="属地" value={form.areaId} options={refs.areas} onChange={(id) => apply({ areaId: id })} />
          <PickRef label="类别" value={form.categoryId} options={refs.categories} onChange={(id) => apply({ categoryId: id })} />
          <PickDate label="提交自" value={form.from} onChange={(d) => apply({ from: d })} />
          <PickDate label="提交至" value={form.to} onChange={(d) => apply({ to: d })} />
          <View className={`search__pick${form.overdue ? ' search__pick--on search__pick--danger' : ''}`} onClick={() => apply({ overdue: !form.overdue })}>
            {form.overdue ? '只看超期 ✓' : '只看超期'}
          </View>
          {JSON.stringify(form) !== JSON.stringify(EMPTY_SEARCH) ? (
            <View className="search__pick search__clear" onClick={() => apply(EMPTY_SEARCH)}>清除条件</View>
          ) : null}
        </View>
      </View>
      {list.loading ? <StatusView status="loading" /> : list.error && !list.items.length ? (
        <StatusView status="error" message={list.error} onRetry={list.reload} />
      ) : !list.items.length ? (
        <StatusView status="empty" message="没有符合条件的诉求" />
      ) : (
        <View className="search__results">
          {list.items.map((t) => <TicketCard key={t.id} ticket={t} showEnterprise audience="staff" />)}
          <ListFooter count={list.items.length} hasMore={list.hasMore} loadingMore={list.loadingMore} onMore={list.more} />
        </View>
      )}
    </View>
  );
}
