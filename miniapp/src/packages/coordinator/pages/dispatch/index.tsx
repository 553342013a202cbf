import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { useDraft } from '../../../../hooks/use-draft';
import { messageOf } from '../../../../services';
import { assignBody, assignMode, routingSuggestion, validateAssign, type AssignForm, type Department, type RoutingPreview, type TicketDetail } from '../../../../services/admin';
import { URGENCY_LABELS } from '../../../../services/tickets';
import { Attachments } from '../../../ticket/components/timeline';
import { formatDateTime } from '../../../../services/display';
import { admin, formErrors, param } from '../../lib/api';
import './index.scss';

type Data = { ticket: TicketDetail; departments: Department[]; preview?: RoutingPreview };

/**
 * 交办 / 改派: pick the lead department (主办) and any assisting ones (协办) for a ticket routing could not place,
 * one a department sent back, or one to move to another department. The return history and the routing rule's
 * suggestion are shown; the form is a draft until the server accepts it.
 */
export default function DispatchPage() {
  const { params } = useRouter();
  const id = param(params, 'id');
  const [data, setData] = useState<Data>();
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useDraft<AssignForm>(`assign:${id}`, { leadDepartmentId: '', assistingDepartmentIds: [], text: '' });

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const [ticket, deps] = await Promise.all([admin.ticket(id), admin.departments()]);
      const preview = await admin.previewRouting(ticket.category.id, ticket.enterprise.id).catch(() => undefined);
      setData({ ticket, departments: deps.items.filter((d) => d.active), preview });
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }, [id]);

  useEffect(() => {
    if (id) void load();
  }, [load, id]);

  const returns = data ? data.ticket.timeline.filter((e) => e.action === 'return') : [];
  const returned = returns.length > 0;
  const mode = data ? assignMode(data.ticket.state) : null;
  const returnedNames = new Set(returns.map((e) => String((e.data as { departmentName?: unknown }).departmentName ?? '')));
  const currentLead = data && mode === 'reassign' ? data.ticket.leadDepartment?.id ?? null : null;
  const suggestion = data ? routingSuggestion(data.preview, { returnedDepartmentNames: returnedNames, currentLeadId: currentLead, activeDepartmentIds: new Set(data.departments.map((d) => d.id)) }) : null;
  const suggested = suggestion && 'leadDepartmentId' in suggestion ? suggestion : null;
  // The routing preview's department is preselected once (changeable); a restored draft keeps its own choice.
  const preselected = useRef(false);
  useEffect(() => {
    if (!suggested || preselected.current) return;
    preselected.current = true;
    if (form.restored || form.values.leadDepartmentId) return;
    form.update((p) => ({ ...p, leadDepartmentId: suggested.leadDepartmentId, assistingDepartmentIds: suggested.assistingDepartmentIds }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [suggested?.leadDepartmentId]);
  const verb = mode === 'reassign' || returned ? '改派' : '交办';
  useEffect(() => {
    if (data) void Taro.setNavigationBarTitle({ title: verb });
  }, [data, verb]);

  if (!id) return <StatusView status="error" message="缺少诉求信息" />;
  if (!data) return loadError ? <StatusView status="error" message={loadError} onRetry={load} /> : <StatusView status="loading" />;

  const t = data.ticket;
  if (!mode) {
    return (
      <View className="co-page">
        <StatusView status="empty" message={`该诉求${t.stateLabel}，不能再交办或改派`} />
        <Button block onClick={() => openTicket(t.id)}>查看诉求详情</Button>
      </View>
    );
  }

  const v = form.values;
  const label = (d: Department) => `${d.shortName || d.name}${d.id === currentLead ? '（当前）' : returnedNames.has(d.name) ? '（已退回）' : d.id === suggested?.leadDepartmentId ? '（建议）' : ''}`;
  // What the enterprise sent: photos and files of the request and of any material supplied since (issue 13).
  const files = t.timeline.filter((e) => e.visibility === 'public' && (e.action === 'submit' || e.action === 'provide_info')).flatMap((e) => e.attachments);

  const submit = async () => {
    if (form.submitting) return;
    const missing = validateAssign(v, mode, currentLead);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      await form.submit((values, key) => (mode === 'dispatch' ? admin.dispatch : admin.reassign)(t.id, assignBody(values, mode, t.version), key));
      void Taro.showToast({ title: `已${verb}`, icon: 'success' });
      setTimeout(() => void Taro.navigateBack().catch(() => openTicket(t.id)), 600);
    } catch (e) {
      setErrors(formErrors(e, ['leadDepartmentId', 'assistingDepartmentIds', 'reason', 'note']));
    }
  };

  return (
    <View className="co-page co-dispatch">
      <View className="co-card">
        <View className="co-card__row">
          <View className="co-card__main">
            <View className="co-card__title">{t.title}</View>
            <View className="co-card__sub">{`${t.no} · ${t.category.path} · ${t.enterprise.name}（${t.area.name}）`}</View>
          </View>
          <View className="co-dispatch__tags">
            {t.urgency === 'urgent' ? <View className="co-tag co-tag--danger co-dispatch__urgent">{URGENCY_LABELS.urgent}</View> : null}
            <View className="co-tag co-tag--info">{t.stateLabel}</View>
          </View>
        </View>
        {t.urgency === 'urgent' ? <View className="co-dispatch__urgent-note">紧急诉求：答复期限按紧急时限计算，请尽快交办</View> : null}
        <View className="co-dispatch__desc">{t.description}</View>
        {files.length ? (
          <View className="co-dispatch__files">
            <View className="co-card__sub">{`附件 ${files.length} 个（点击查看）`}</View>
            <Attachments list={files} />
          </View>
        ) : <View className="co-card__sub">企业未上传附件</View>}
        <View className="co-card__sub">{`${t.submittedBy.name} ${formatDateTime(t.createdAt)} 提交`}</View>
        {returns.map((e) => (
          <View key={e.seq} className="co-dispatch__return">
            {`${String((e.data as { departmentName?: unknown }).departmentName ?? e.actor?.name ?? '部门')} ${formatDateTime(e.createdAt)} 退回：${e.note ?? '未说明原因'}`}
          </View>
        ))}
        <View className="co-link" onClick={() => openTicket(t.id)}>查看完整办理记录</View>
      </View>

      <FormCard>
        <FormField label="主办部门" required error={errors.leadDepartmentId}>
          <ChoiceChips
            value={v.leadDepartmentId}
            onChange={(d) => form.update((p) => ({ ...p, leadDepartmentId: d as string, assistingDepartmentIds: p.assistingDepartmentIds.filter((x) => x !== d) }))}
            options={data.departments.map((d) => ({ value: d.id, label: label(d) }))}
          />
          {suggested ? (
            <View className="co-dispatch__suggest">{`建议交办 ${suggested.name}（已预选，可更改）：${suggested.why}`}</View>
          ) : suggestion && 'note' in suggestion ? <View className="co-hint">{suggestion.note}</View> : null}
        </FormField>
        <FormField label="协办部门" error={errors.assistingDepartmentIds}>
          <ChoiceChips
            multiple
            value={v.assistingDepartmentIds}
            onChange={(ids) => form.setField('assistingDepartmentIds', ids as string[])}
            options={data.departments.filter((d) => d.id !== v.leadDepartmentId).map((d) => ({ value: d.id, label: d.shortName || d.name }))}
          />
        </FormField>
        <FormField label={mode === 'reassign' ? '改派原因' : '交办说明'} required={mode === 'reassign'} error={errors.reason ?? errors.note}>
          <TextArea
            placeholder={mode === 'reassign' ? '为什么改派（部门可见）' : '办理要求（可选），部门可见'}
            value={v.text}
            maxLength={500}
            autoSize
            onChange={(text) => form.setField('text', text)}
          />
        </FormField>
      </FormCard>
      {form.restored ? <View className="co-hint">已恢复上次未提交的内容</View> : null}
      {errors.form ? <View className="co-error">{errors.form}</View> : null}
      <Button className="co-submit co-dispatch__submit" block type="primary" loading={form.submitting} onClick={submit}>
        {`确认${verb}`}
      </Button>
    </View>
  );
}
