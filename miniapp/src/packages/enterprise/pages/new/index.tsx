import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input, NoticeBar, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { ChoiceChips } from '../../../../components/choice-chips';
import { AttachmentPicker } from '../../../../components/attachment-picker';
import { openTicket } from '../../../../components/ticket-card';
import { useSession } from '../../../../hooks/use-session';
import { useDraft } from '../../../../hooks/use-draft';
import { isApiError, messageOf, projects, tickets } from '../../../../services';
import { placeErrors } from '../../../../services/ticket-action-forms';
import { param } from '../../../../services/navigation';
import {
  EMPTY_TICKET_FORM,
  formatTime,
  stateLabel,
  ticketBody,
  validateTicketForm,
  type CategoryNode,
  type Duplicate,
  type TicketForm,
} from '../../../../services/tickets';
import { PAGES } from '../../../../services/pages';
import './index.scss';

const FIELDS = ['categoryId', 'title', 'description', 'attachments', 'urgency'];
const URGENCY = [
  { value: 'normal', label: '一般' },
  { value: 'urgent', label: '紧急', hint: '紧急诉求答复时限更短，请仅在影响生产经营时选择' },
];

/**
 * 提交诉求: two-level category, a one-line title, the description, photos and urgency. The form is a draft kept on
 * the phone until it is filed (closing the app loses nothing) and its Idempotency-Key survives a retry, so a weak
 * network never files it twice. Before sending, open requests that read alike are shown (可能重复).
 * A steward filing for an enterprise opens it with `?enterpriseId=` (and `&visitId=` from a visit). From a key
 * project (为该项目反映问题) it carries `&projectId=`, and from a 调度会 task also `&meetingTaskId=&title=`.
 */
export default function NewTicket() {
  const { params } = useRouter();
  const { user, error: sessionError, reload } = useSession();
  const enterpriseId = params.enterpriseId ?? user?.enterprise?.id ?? '';
  const projectId = param(params, 'projectId') || undefined;
  const meetingTaskId = param(params, 'meetingTaskId') || undefined;
  // 咨询政策: the 诉求 goes straight to the policy's issuing department (the server checks the policy).
  const policyId = param(params, 'policyId') || undefined;
  const form = useDraft<TicketForm>(
    `ticket-new:${enterpriseId || 'none'}${projectId ? `:${projectId}` : ''}${meetingTaskId ? `:${meetingTaskId}` : ''}${policyId ? `:p${policyId}` : ''}`,
    params.title || params.description ? { ...EMPTY_TICKET_FORM, title: param(params, 'title').slice(0, 64), description: param(params, 'description').slice(0, 2000) } : EMPTY_TICKET_FORM,
  );
  const [projectName, setProjectName] = useState<string>();
  useEffect(() => {
    if (projectId) void projects.get(projectId).then((p) => setProjectName(p.name), () => undefined);
  }, [projectId]);
  const v = form.values;
  const [categories, setCategories] = useState<CategoryNode[]>();
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [duplicates, setDuplicates] = useState<Duplicate[]>([]);
  const [checkedFor, setCheckedFor] = useState('');
  const [checking, setChecking] = useState(false);

  const loadCategories = () => {
    setLoadError(undefined);
    tickets.categories().then(setCategories, (e) => setLoadError(messageOf(e)));
  };
  useEffect(loadCategories, []);
  // A policy question (政策详情 → 咨询政策) opens the form with `?category=政策兑现&title=…`, a correction of the
  // enterprise's profile (企业档案 → 申请更正) with `?category=其他&title=…&description=…`: prefill an empty draft once.
  useEffect(() => {
    if (!categories || (!params.category && !params.title && !params.description)) return;
    form.update((prev) => {
      if (prev.categoryId || (prev.title && prev.title !== param(params, 'title').slice(0, 64))) return prev;
      const name = params.category ? decodeURIComponent(params.category) : '';
      const hit = categories.flatMap((c) => [{ parent: c, node: c }, ...c.children.map((ch) => ({ parent: c, node: ch }))]).find((x) => name && x.node.name.includes(name));
      const title = params.title ? decodeURIComponent(params.title).slice(0, 64) : prev.title;
      const description = prev.description || param(params, 'description').slice(0, 2000);
      return hit ? { ...prev, parentCategoryId: hit.parent.id, categoryId: hit.parent.children.length === 0 || hit.node !== hit.parent ? hit.node.id : '', title, description } : { ...prev, title, description };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [categories]);

  const set = <K extends keyof TicketForm>(k: K, value: TicketForm[K]) => {
    form.setField(k, value);
    if (errors[k as string]) setErrors(({ [k as string]: _, ...rest }) => rest);
  };

  if (!user) return sessionError ? <StatusView status="error" message={sessionError} onRetry={reload} /> : <StatusView status="loading" />;
  if (!enterpriseId) return <StatusView status="empty" message="您的账号尚未关联企业，请联系管家或管理员" />;
  if (loadError) return <StatusView status="error" message={loadError} onRetry={loadCategories} />;
  if (!categories) return <StatusView status="loading" />;

  const parent = categories.find((c) => c.id === v.parentCategoryId);
  const signature = `${v.categoryId}|${v.title.trim()}|${v.description.trim()}`;

  const pickParent = (id: string) => {
    const p = categories.find((c) => c.id === id);
    form.update((prev) => ({ ...prev, parentCategoryId: id, categoryId: p && p.children.length === 0 ? id : prev.parentCategoryId === id ? prev.categoryId : '' }));
    setErrors(({ categoryId: _, ...rest }) => rest);
  };

  const submit = async () => {
    if (form.submitting || checking) return;
    setFormError(undefined);
    const found = validateTicketForm(v, categories);
    setErrors(found);
    if (Object.keys(found).length) {
      void Taro.showToast({ title: '请完善标红的内容', icon: 'none' });
      return;
    }
    // Possible duplicates first (once per wording): the enterprise decides whether this is new.
    if (checkedFor !== signature) {
      setChecking(true);
      let similar: Duplicate[];
      try {
        similar = await tickets.similar({ enterpriseId, categoryId: v.categoryId, text: `${v.title.trim()} ${v.description.trim()}` });
      } catch {
        similar = []; // a failed hint must not block filing
      } finally {
        setChecking(false);
      }
      setCheckedFor(signature);
      setDuplicates(similar);
      if (similar.length) return;
    }
    try {
      const created = await form.submit((values, key) => tickets.create(ticketBody(values, { enterpriseId: params.enterpriseId, visitId: params.visitId, projectId, meetingTaskId, policyId }), key));
      void Taro.showToast({ title: '提交成功', icon: 'success' });
      setDuplicates([]);
      setCheckedFor('');
      // The detail replaces the form: "back" returns to where filing started.
      void Taro.redirectTo({ url: `${PAGES.ticket.detail}?id=${encodeURIComponent(created.id)}&filed=1` });
    } catch (e) {
      if (isApiError(e) && e.outcomeUnknown) {
        setFormError('网络不稳定，暂不确定是否提交成功。内容已保存，请稍后再点提交（不会重复提交）。');
        return;
      }
      const placed = placeErrors(e, FIELDS, messageOf(e));
      setErrors(placed.fields);
      setFormError(placed.form);
    }
  };

  return (
    <View className="ticket-form">
      {projectId ? (
        <View className="ticket-form__project">{`关联项目：${projectName ?? '…'}${meetingTaskId ? '（调度会交办事项）' : ''}`}</View>
      ) : null}
      {policyId ? <View className="ticket-form__project">咨询政策：将直接交由政策发文部门答复</View> : null}
      {form.restored ? (
        <View className="ticket-form__restored">
          <View>已恢复上次未提交的内容</View>
          <View
            className="ticket-form__discard"
            onClick={() => {
              form.discard();
              setErrors({});
              setDuplicates([]);
            }}
          >
            清空重填
          </View>
        </View>
      ) : null}

      <View className="ticket-form__section">
        <View className="ticket-form__label">
          <View className="ticket-form__required">*</View>诉求类别
        </View>
        <ChoiceChips options={categories.map((c) => ({ value: c.id, label: c.name }))} value={v.parentCategoryId} onChange={(id) => pickParent(id as string)} />
        {parent && parent.children.length ? (
          <View className="ticket-form__sub">
            <View className="ticket-form__sub-label">{parent.name} · 具体类别</View>
            <ChoiceChips options={parent.children.map((c) => ({ value: c.id, label: c.name }))} value={v.categoryId} onChange={(id) => set('categoryId', id as string)} />
          </View>
        ) : null}
        {errors.categoryId ? <View className="ticket-form__error">{errors.categoryId}</View> : null}
      </View>

      <FormCard>
        <FormField label="标题" required error={errors.title}>
          <Input name="title" placeholder="一句话概括问题，如：招工难" value={v.title} onChange={(x) => set('title', x)} maxLength={64} clearable />
        </FormField>
      </FormCard>

      <View className="ticket-form__section">
        <View className="ticket-form__label">
          <View className="ticket-form__required">*</View>问题描述
        </View>
        <TextArea
          className={`ticket-form__textarea${v.description.split('\n').length > 4 ? ' ticket-form__textarea--long' : ''}`}
          placeholder="请说明遇到的问题、影响和希望得到的帮助"
          value={v.description}
          onChange={(x) => set('description', x)}
          maxLength={2000}
          showCount
          autoSize
        />
        {errors.description ? <View className="ticket-form__error">{errors.description}</View> : null}
      </View>

      <View className="ticket-form__section">
        <View className="ticket-form__label">现场照片</View>
        <AttachmentPicker value={v.attachments} onChange={(next) => form.update((prev) => ({ ...prev, attachments: typeof next === 'function' ? next(prev.attachments) : next }))} error={errors.attachments} />
      </View>

      <View className="ticket-form__section">
        <View className="ticket-form__label">紧急程度</View>
        <ChoiceChips options={URGENCY} value={v.urgency} onChange={(x) => set('urgency', x as TicketForm['urgency'])} danger={['urgent']} />
      </View>

      {duplicates.length ? (
        <View className="ticket-form__dups">
          <NoticeBar content="发现您近期提交过内容相近、仍在办理的诉求，请确认是否为新问题" wrap />
          {duplicates.map((d) => (
            <View key={d.id} className="ticket-form__dup" onClick={() => openTicket(d.id)}>
              <View className="ticket-form__dup-title">{d.title}</View>
              <View className="ticket-form__dup-meta">
                {d.no} · {stateLabel(d.state)} · {formatTime(d.createdAt)} 提交 · 查看 ›
              </View>
            </View>
          ))}
        </View>
      ) : null}

      {formError ? <View className="ticket-form__form-error">{formError}</View> : null}
      <View className="ticket-form__actions">
        <Button type="primary" block loading={form.submitting || checking} onClick={() => void submit()} className="ticket-form__submit">
          {duplicates.length ? '不是重复问题，仍然提交' : '提交诉求'}
        </Button>
      </View>
    </View>
  );
}
