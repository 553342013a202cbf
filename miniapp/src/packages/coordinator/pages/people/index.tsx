import { useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ROLE_LABELS, ROLES, type Role } from '@guanjia/shared/roles';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useDraft } from '../../../../hooks/use-draft';
import { useSession } from '../../../../hooks/use-session';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { messageOf } from '../../../../services';
import { personBody, validatePerson, type Department, type Person, type PersonForm } from '../../../../services/admin';
import { admin, formErrors } from '../../lib/api';
import { useReshow } from '../../lib/hooks';
import { SearchPick, type Picked } from '../../lib/search-pick';
import { formatDateTime } from '../../../../services/display';
import './index.scss';

const EMPTY: PersonForm = { name: '', roles: [], username: '', phone: '', password: '', title: '', departmentId: '', enterpriseId: '', issueInvitation: true };
const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

/** New person: roles, the unit the role belongs to, and how they will log in (password, or a WeChat invitation code). */
function NewPerson({ departments, onCreated, onCancel }: { departments: Department[]; onCreated: (p: Person) => void; onCancel: () => void }) {
  const form = useDraft<PersonForm>('person-new', EMPTY);
  const [enterprise, setEnterprise] = useState<Picked | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const v = form.values;
  const set = <K extends keyof PersonForm>(k: K, value: PersonForm[K]) => {
    form.setField(k, value);
    setErrors((e) => ({ ...e, [k]: '' }));
  };
  const submit = async () => {
    if (form.submitting) return;
    const missing = validatePerson(v);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      onCreated(await form.submit((values, key) => admin.createPerson(personBody(values), key)));
    } catch (e) {
      setErrors(formErrors(e, ['name', 'roles', 'username', 'phone', 'password', 'title', 'departmentId', 'enterpriseId', 'issueInvitation']));
    }
  };
  return (
    <View className="co-form">
      <FormCard>
        <FormField label="姓名" required error={errors.name}>
          <Input placeholder="请输入姓名" value={v.name} maxLength={64} onChange={(t) => set('name', t)} />
        </FormField>
        <FormField label="角色" required error={errors.roles}>
          <ChoiceChips multiple value={v.roles} onChange={(r) => set('roles', r as Role[])} options={ROLE_OPTIONS} />
        </FormField>
        {v.roles.includes('department') ? (
          <FormField label="所属部门" required error={errors.departmentId}>
            <ChoiceChips value={v.departmentId} onChange={(d) => set('departmentId', d as string)} options={departments.map((d) => ({ value: d.id, label: d.shortName || d.name }))} />
          </FormField>
        ) : null}
        {v.roles.includes('enterprise') ? (
          <FormField label="所属企业" required error={errors.enterpriseId}>
            <SearchPick
              showInitial
              placeholder="输入企业名称搜索"
              value={enterprise}
              onChange={(p) => {
                setEnterprise(p);
                set('enterpriseId', p?.id ?? '');
              }}
              search={async (q) => (await admin.enterprises({ q: q || undefined, limit: 8 })).items.map((e) => ({ id: e.id, name: e.name, sub: e.area.name }))}
            />
          </FormField>
        ) : null}
        <FormField label="职务" error={errors.title}>
          <Input placeholder="如 项目管家、助企干部（可选）" value={v.title} maxLength={64} onChange={(t) => set('title', t)} />
        </FormField>
        <FormField label="手机号" error={errors.phone}>
          <Input placeholder="11 位手机号（可选）" type="number" value={v.phone} maxLength={11} onChange={(t) => set('phone', t)} />
        </FormField>
        <FormField label="用户名" error={errors.username}>
          <Input placeholder="电脑端登录用（可选）" value={v.username} maxLength={64} onChange={(t) => set('username', t)} />
        </FormField>
        <FormField label="初始密码" error={errors.password}>
          <Input placeholder="至少 8 位（可选）" type="password" value={v.password} maxLength={128} onChange={(t) => set('password', t)} />
        </FormField>
        <FormField label="邀请码" error={errors.issueInvitation}>
          <ChoiceChips value={v.issueInvitation ? 'yes' : 'no'} onChange={(x) => set('issueInvitation', x === 'yes')}
            options={[{ value: 'yes', label: '生成', hint: '首次微信登录时输入邀请码即可绑定身份' }, { value: 'no', label: '不生成' }]} />
        </FormField>
      </FormCard>
      {errors.form ? <View className="co-error">{errors.form}</View> : null}
      <View className="co-bar__buttons co-submit">
        <Button onClick={onCancel}>取消</Button>
        <Button type="primary" loading={form.submitting} onClick={submit}>保存人员</Button>
      </View>
    </View>
  );
}

function PersonCard({ p, departments, onChanged }: { p: Person; departments: Department[]; onChanged: (p: Person) => void }) {
  const [busy, setBusy] = useState(false);
  const dep = departments.find((d) => d.id === p.departmentId);
  const patch = async (body: Record<string, unknown>, done: string) => {
    setBusy(true);
    try {
      onChanged(await admin.updatePerson(p.id, { version: p.version, ...body }));
      void Taro.showToast({ title: done, icon: 'success' });
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  const toggle = async () => {
    const { confirm } = await Taro.showModal({
      title: p.disabled ? '启用账号' : '停用账号',
      content: p.disabled ? `确定启用 ${p.name} 的账号吗？` : `停用后 ${p.name} 将立即退出登录，且不能再登录。`,
      confirmText: p.disabled ? '启用' : '停用',
      cancelText: '取消',
    });
    if (confirm) void patch({ disabled: !p.disabled }, p.disabled ? '已启用' : '已停用');
  };
  return (
    <View className="co-card co-people__person">
      <View className="co-card__row">
        <View className="co-card__main">
          <View className="co-card__title">{`${p.name}${p.title ? ` · ${p.title}` : ''}`}</View>
          <View className="co-card__sub">
            {[dep ? dep.name : null, p.enterpriseId ? '企业联系人' : null, p.username ? `用户名 ${p.username}` : null, p.phoneMasked].filter(Boolean).join(' · ') || '未设置登录方式'}
          </View>
        </View>
        {p.disabled ? <View className="co-tag co-tag--danger">已停用</View> : p.wechatBound ? <View className="co-tag co-tag--success">已绑定微信</View> : <View className="co-tag">未绑定微信</View>}
      </View>
      <View className="co-people__roles">
        {p.roles.map((r) => <View key={r} className="co-tag co-tag--info">{ROLE_LABELS[r]}</View>)}
      </View>
      {p.invitationCode ? <View className="co-people__code">{`邀请码 ${p.invitationCode}（仅显示这一次，请立即告知本人）`}</View>
        : p.invitationExpiresAt ? <View className="co-people__code">{`邀请码待使用，${formatDateTime(p.invitationExpiresAt)} 前有效`}</View> : null}
      <View className="co-bar__buttons">
        {!p.wechatBound && !p.disabled ? (
          <Button size="small" loading={busy} onClick={() => void patch({ issueInvitation: true }, '已生成邀请码')}>{p.invitationCode || p.invitationExpiresAt ? '重新生成邀请码' : '生成邀请码'}</Button>
        ) : null}
        <Button size="small" type={p.disabled ? 'primary' : 'default'} loading={busy} onClick={toggle}>{p.disabled ? '启用' : '停用'}</Button>
      </View>
    </View>
  );
}

/** 人员: the district's people by role or name; add people, issue WeChat invitation codes, disable accounts. */
export default function PeoplePage() {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [role, setRole] = useState<Role | 'all'>('all');
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<Person>();
  const [departments, setDepartments] = useState<Department[]>([]);
  const list = usePagedList((cursor) => admin.people({ q: query || undefined, role: role === 'all' ? undefined : role, cursor }), [query, role]);
  const [patched, setPatched] = useState<Record<string, Person>>({});

  useEffect(() => {
    void admin.departments().then((d) => setDepartments(d.items), () => undefined);
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 400);
    return () => clearTimeout(timer);
  }, [q]);
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  const { user } = useSession();

  // People management is the coordinator's and the admin's (issue 13); the server refuses it to anyone else.
  if (user && !user.roles.some((r) => r === 'coordinator' || r === 'admin')) {
    return <StatusView status="error" message="人员与邀请码由调度员和系统管理员管理，当前账号不能查看" />;
  }

  return (
    <View className="co-page co-people">
      <View className="co-toolbar">
        <View className="co-section">{`共 ${list.items.length}${list.hasMore ? '+' : ''} 人`}</View>
        {!adding ? <Button size="small" type="primary" onClick={() => { setAdding(true); setCreated(undefined); }}>新增人员</Button> : null}
      </View>
      {adding ? (
        <NewPerson
          departments={departments.filter((d) => d.active)}
          onCancel={() => setAdding(false)}
          onCreated={(p) => {
            setAdding(false);
            setCreated(p);
            void list.reload();
          }}
        />
      ) : null}
      {created ? (
        <View className="co-people__created">
          {`已添加 ${created.name}。`}
          {created.invitationCode ? `请将邀请码 ${created.invitationCode} 告知本人，首次用微信登录时输入即可绑定。` : '可用用户名或手机号和密码登录。'}
        </View>
      ) : null}
      <View className="co-people__search">
        <Input placeholder="搜索姓名、用户名或手机号" value={q} onChange={setQ} clearable maxLength={64} />
      </View>
      <View className="co-people__filters">
        <ChoiceChips value={role} onChange={(r) => setRole(r as Role | 'all')} options={[{ value: 'all', label: '全部' }, ...ROLE_OPTIONS]} />
      </View>
      {list.loading ? <StatusView status="loading" /> : null}
      {!list.loading && list.error && !list.items.length ? <StatusView status="error" message={list.error} onRetry={list.reload} /> : null}
      {!list.loading && !list.error && !list.items.length ? <StatusView status="empty" message="没有符合条件的人员" /> : null}
      {list.items.map((p) => (
        <PersonCard key={p.id} p={(patched[p.id]?.version ?? 0) > p.version ? patched[p.id] : p} departments={departments} onChanged={(n) => setPatched((m) => ({ ...m, [n.id]: n }))} />
      ))}
      {list.hasMore ? <View className="co-more" onClick={() => void list.more()}>{list.loadingMore ? '加载中…' : '加载更多'}</View> : null}
    </View>
  );
}
