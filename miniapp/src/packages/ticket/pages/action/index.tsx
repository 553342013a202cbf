import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { TICKET_ACTIONS, type TicketAction } from '@guanjia/shared/ticket/ticket-machine';
import { Button, Input, Rate, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { ChoiceChips } from '../../../../components/choice-chips';
import { AttachmentPicker } from '../../../../components/attachment-picker';
import { useSession } from '../../../../hooks/use-session';
import { useDraft } from '../../../../hooks/use-draft';
import { everyday, isApiError, messageOf, tickets } from '../../../../services';
import { insertTemplate, type ExtensionPreview } from '../../../../services/everyday';
import type { ReplyTemplate } from '@guanjia/shared/schemas/everyday';
import {
  actionBody,
  actionContext,
  actionForm,
  initialValues,
  placeErrors,
  validateAction,
  type ActionFormSpec,
  type ActionValues,
  type FieldSpec,
} from '../../../../services/ticket-action-forms';
import { beijingDate, formatDate, type Attachment, type Department, type TicketDetail, type TicketSummary } from '../../../../services/tickets';
import { PAGES } from '../../../../services/pages';
import './index.scss';

type Act = Exclude<TicketAction, 'route'>;
const PHRASES_PAGE = PAGES.department.phrases;
const isAction = (a: string | undefined): a is Act => !!a && a !== 'route' && (TICKET_ACTIONS as readonly string[]).includes(a);

/**
 * The new reply deadline an extension of `days` working days gives, against today, and a warning when it would
 * still be overdue (issue 13) — the server's preview, counted the way the approval counts.
 */
function ExtensionDate({ ticket, days }: { ticket: TicketDetail; days: number }) {
  const [p, setP] = useState<ExtensionPreview>();
  const due = ticket.deadlines.replyDueAt;
  const ticketId = ticket.id;
  useEffect(() => {
    setP(undefined);
    if (!due || days < 1) return undefined;
    let live = true;
    everyday.extensionPreview(ticketId, days).then((r) => live && setP(r), () => live && setP(undefined));
    return () => {
      live = false;
    };
  }, [ticketId, due, days]);
  if (!due) return null;
  return (
    <View className="action-form__extension">
      <View className="action-form__hint">{`当前答复期限 ${formatDate(beijingDate(due))}${p ? `，延期后为 ${formatDate(beijingDate(p.newDueAt))}` : ''}`}</View>
      {p ? (
        <>
          <View className="action-form__extension-new">{`今天 ${formatDate(p.today)}，延期后${p.text}`}</View>
          {p.stillOverdue ? <View className="action-form__extension-warn">{`延期 ${days} 个工作日后仍已超期，请尽快答复企业或增加延期天数`}</View> : null}
        </>
      ) : null}
    </View>
  );
}

/** 常用语 (issue 13): the department's templates; a tap adds one to the text. */
function Templates({ items, onPick }: { items: ReplyTemplate[]; onPick: (text: string) => void }) {
  return (
    <View className="action-form__templates">
      <View className="action-form__templates-head">
        <View className="action-form__templates-title">常用语</View>
        <View className="action-form__templates-manage" onClick={() => void Taro.navigateTo({ url: PHRASES_PAGE })}>管理</View>
      </View>
      {items.length ? (
        <View className="action-form__templates-list">
          {items.map((x) => (
            <View key={x.id} className="action-form__template" onClick={() => onPick(x.text)}>{x.text}</View>
          ))}
        </View>
      ) : (
        <View className="action-form__hint">还没有常用语，点“管理”添加</View>
      )}
    </View>
  );
}

/** Picks the ticket to merge into: search by number or title words among the tickets the caller sees. */
function TicketPicker({ value, onChange, exclude }: { value: string; onChange: (id: string) => void; exclude: string }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<TicketSummary[]>([]);
  const [busy, setBusy] = useState(false);
  const search = async () => {
    if (!q.trim()) return;
    setBusy(true);
    try {
      const page = await tickets.list({ q: q.trim(), limit: 10, state: ['pending_dispatch', 'assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied'] });
      setFound(page.items.filter((t) => t.id !== exclude));
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View>
      <View className="action-form__search">
        <Input placeholder="诉求编号或标题关键字" value={q} onChange={setQ} onConfirm={search} clearable />
        <Button size="small" type="primary" fill="outline" loading={busy} onClick={() => void search()}>
          查找
        </Button>
      </View>
      {found.map((t) => (
        <View key={t.id} className={`action-form__pick${t.id === value ? ' action-form__pick--on' : ''}`} onClick={() => onChange(t.id)}>
          {t.no} · {t.title}
        </View>
      ))}
    </View>
  );
}

/**
 * The small form of one ticket action (答复, 退回, 申请延期, 评价…), drawn from its spec. A draft kept on the phone
 * with its Idempotency-Key until the server accepts it; field errors under their fields; the ticket's version is
 * sent so a stale form cannot overwrite a newer step.
 */
export default function TicketActionPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const action = isAction(params.action) ? params.action : undefined;
  const { user } = useSession();
  const [t, setT] = useState<TicketDetail>();
  const [loadError, setLoadError] = useState<string>();
  const [departments, setDepartments] = useState<Department[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  // `kind=leader_instruction`: the add_note form as a leader's 批示 (issue 13).
  const instruction = action === 'add_note' && params.kind === 'leader_instruction';
  const probe: ActionFormSpec | undefined = action ? actionForm(action, { state: '', escalationLevel: 1, extensionDaysGranted: 0, instruction }) : undefined;
  const form = useDraft<ActionValues>(`ticket-action:${id}:${action ?? ''}${instruction ? ':instruction' : ''}`, probe ? initialValues(probe) : {});

  const isEnterprise = !!user?.roles.includes('enterprise');
  const [stewardName, setStewardName] = useState<string | null>(null);
  const [templates, setTemplates] = useState<ReplyTemplate[]>();
  const usesTemplates = !!user?.roles.includes('department') && !instruction && (action === 'reply' || action === 'add_note' || action === 'request_info');
  useDidShow(() => {
    // Back from 管理常用语: the list may have changed.
    if (usesTemplates) everyday.templates().then(setTemplates, () => setTemplates([]));
  });
  useEffect(() => {
    if (usesTemplates) everyday.templates().then(setTemplates, () => setTemplates([]));
    if (action === 'confirm' && isEnterprise) everyday.mySteward().then((r) => setStewardName(r.steward?.name ?? null), () => undefined);
  }, [usesTemplates, action, isEnterprise]);

  const needsDepartments = !!probe?.fields.some((f) => f.kind === 'department' || f.kind === 'departments');
  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const detail = await tickets.get(id);
      setT(detail);
      if (needsDepartments) setDepartments(await tickets.departments());
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [id, needsDepartments]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!action) return <StatusView status="error" message="未知的办理操作" />;
  if (loadError) return <StatusView status="error" message={loadError} onRetry={load} />;
  if (!t) return <StatusView status="loading" />;
  if (!t.availableActions.includes(action)) {
    return <StatusView status="empty" message="该诉求当前不能执行此操作（可能已被他人办理），请返回查看最新进展" />;
  }

  const departmentOnly = !user?.roles.some((r) => r === 'coordinator' || r === 'leader');
  const spec = actionForm(action, { state: t.state, escalationLevel: t.escalationLevel ?? 1, extensionDaysGranted: t.extensionDaysGranted, departmentOnly, instruction, stewardName });
  const v = form.values;
  const context = actionContext(action, t);
  const set = (name: string, value: ActionValues[string]) => {
    form.setField(name, value);
    if (errors[name]) setErrors(({ [name]: _, ...rest }) => rest);
  };

  const submit = async () => {
    if (form.submitting) return;
    setFormError(undefined);
    const found = validateAction(spec, v);
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      await form.submit((values, key) => tickets.act(t.id, action, actionBody(spec, values, t.version), key));
      void Taro.showToast({ title: '已提交', icon: 'success' });
      if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
      else void Taro.redirectTo({ url: `${PAGES.ticket.detail}?id=${encodeURIComponent(t.id)}` });
    } catch (e) {
      if (isApiError(e) && e.outcomeUnknown) {
        setFormError('网络不稳定，暂不确定是否提交成功。内容已保存，请稍后再点提交（不会重复提交）。');
        return;
      }
      if (isApiError(e) && (e.code === 'VERSION_CONFLICT' || e.code === 'TICKET_ACTION_NOT_ALLOWED')) {
        setFormError('诉求已有新的办理进展，已刷新，请确认后再提交。');
        void load();
        return;
      }
      const placed = placeErrors(e, spec.fields.map((f) => f.name), messageOf(e));
      setErrors(placed.fields);
      setFormError(placed.form);
    }
  };

  const field = (f: FieldSpec) => {
    switch (f.kind) {
      case 'textarea':
        return (
          <TextArea
            className="action-form__textarea"
            placeholder={f.placeholder}
            value={(v[f.name] as string) ?? ''}
            onChange={(x) => set(f.name, x)}
            maxLength={f.max}
            showCount
            autoSize
          />
        );
      case 'choice':
        return <ChoiceChips options={f.options} value={(v[f.name] as string) ?? ''} onChange={(x) => set(f.name, x as string)} danger={['dissatisfied', 'no']} />;
      case 'rating':
        return (
          <View className="action-form__rate">
            <Rate value={(v[f.name] as number) ?? 0} onChange={(x: number) => set(f.name, x)} />
            <View className="action-form__rate-text">{v[f.name] ? `${v[f.name]} 分` : '点击星星评分'}</View>
          </View>
        );
      case 'days':
        return f.max < 1 ? (
          <View className="action-form__hint">延期已达 10 个工作日上限</View>
        ) : (
          <View>
            <ChoiceChips
              options={Array.from({ length: f.max }, (_, i) => ({ value: String(i + 1), label: `${i + 1} 个工作日` }))}
              value={v[f.name] ? String(v[f.name]) : ''}
              onChange={(x) => set(f.name, Number(x))}
            />
            <ExtensionDate ticket={t} days={(v[f.name] as number) ?? 0} />
          </View>
        );
      case 'department':
        return departments.length ? (
          <ChoiceChips options={departments.filter((d) => d.id !== t.leadDepartment?.id || action !== 'reassign').map((d) => ({ value: d.id, label: d.name }))} value={(v[f.name] as string) ?? ''} onChange={(x) => set(f.name, x as string)} />
        ) : (
          <View className="action-form__hint">加载部门…</View>
        );
      case 'departments':
        return (
          <ChoiceChips
            multiple
            options={departments.filter((d) => d.id !== v.leadDepartmentId).map((d) => ({ value: d.id, label: d.name }))}
            value={(v[f.name] as string[]) ?? []}
            onChange={(x) => set(f.name, x as string[])}
          />
        );
      case 'ticket':
        return <TicketPicker value={(v[f.name] as string) ?? ''} onChange={(x) => set(f.name, x)} exclude={t.id} />;
      case 'attachments':
        return (
          <AttachmentPicker
            pdf={f.pdf}
            value={(v[f.name] as Attachment[]) ?? []}
            onChange={(next) => form.update((prev) => ({ ...prev, [f.name]: typeof next === 'function' ? next((prev[f.name] as Attachment[]) ?? []) : next }))}
            error={errors[f.name]}
          />
        );
    }
  };

  return (
    <View className="action-form">
      <View className="action-form__ticket">
        <View className="action-form__ticket-title">{t.title}</View>
        <View className="action-form__ticket-no">{t.no}</View>
      </View>
      <View className="action-form__card">
        <View className="action-form__title">{spec.title}</View>
        {spec.intro ? <View className="action-form__intro">{spec.intro}</View> : null}
        {context ? <View className="action-form__context">{context}</View> : null}
        {form.restored ? <View className="action-form__restored">已恢复上次未提交的内容</View> : null}
        {spec.fields.map((f) => (
          <View key={f.name} className={`action-form__field action-form__field--${f.kind}`}>
            <View className="action-form__label">
              {('required' in f && f.required) || f.kind === 'days' || f.kind === 'ticket' ? <View className="action-form__required">*</View> : null}
              {f.label}
            </View>
            {f.name === 'text' && f.kind === 'textarea' && usesTemplates && templates ? (
              <Templates items={templates} onPick={(x) => set('text', insertTemplate((v.text as string) ?? '', x))} />
            ) : null}
            {field(f)}
            {errors[f.name] && f.kind !== 'attachments' ? <View className="action-form__error">{errors[f.name]}</View> : null}
          </View>
        ))}
      </View>
      {formError ? <View className="action-form__form-error">{formError}</View> : null}
      <Button type="primary" block loading={form.submitting} onClick={() => void submit()} className="action-form__submit">
        {spec.submitText}
      </Button>
    </View>
  );
}
