import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useDraft } from '../../../../hooks/use-draft';
import { useLoad } from '../../../../hooks/use-load';
import { formErrors } from '../../../../services';
import {
  pickParentCategory, stewardTicketBody, titleFromProblem, validateStewardTicket, type CategoryNode, type Duplicate, type Enterprise, type StewardTicketForm,
} from '../../../../services/visits';
import { pageUrl, param, TICKET_DETAIL, visits } from '../../lib/api';
import './index.scss';

/**
 * 代企业提交诉求: the steward files a problem found at a visit (or by phone) on the enterprise's behalf, linked to the
 * visit. Possible duplicates (same enterprise and category, still open) are shown before it is sent, and the
 * form is a local draft until the server has it.
 */
export default function StewardTicketPage() {
  const { params } = useRouter();
  const enterpriseId = param(params, 'enterpriseId');
  const visitId = param(params, 'visitId') || undefined;
  const problem = param(params, 'problem');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [dups, setDups] = useState<Duplicate[]>();
  const [checking, setChecking] = useState(false);
  const form = useDraft<StewardTicketForm>(`ticket-steward:${enterpriseId}:${visitId ?? ''}:${problem.slice(0, 20)}`, {
    parentCategoryId: '', categoryId: '', title: titleFromProblem(problem), description: problem, urgency: 'normal',
  });

  const page = useLoad(async () => {
    if (!enterpriseId) return undefined;
    const [ent, cats] = await Promise.all([visits.enterprise(enterpriseId), visits.categories()]);
    return { enterprise: ent, categories: cats.filter((c) => c.active) };
  }, [enterpriseId]);
  const enterprise: Enterprise | undefined = page.data?.enterprise;
  const categories: CategoryNode[] | undefined = page.data?.categories;

  if (!enterpriseId) return <StatusView status="error" message="缺少企业信息，请从企业或走访记录进入" />;
  if (!enterprise || !categories) return page.error ? <StatusView status="error" message={page.error} onRetry={page.reload} /> : <StatusView status="loading" />;
  if (!categories.length) return <StatusView status="empty" message="本区县尚未设置诉求类别，请联系调度员" />;

  const v = form.values;
  const parent = categories.find((c) => c.id === v.parentCategoryId);
  const children = parent?.children.filter((c) => c.active) ?? [];

  const send = async () => {
    try {
      const created = await form.submit((values, key) => visits.fileTicket(stewardTicketBody(values, enterpriseId, visitId), key));
      void Taro.showToast({ title: '诉求已提交', icon: 'success' });
      void Taro.redirectTo({ url: pageUrl(TICKET_DETAIL, { id: created.id }) });
    } catch (e) {
      setErrors(formErrors(e, ['categoryId', 'title', 'description', 'urgency']));
    }
  };

  const submit = async () => {
    if (form.submitting || checking) return;
    const missing = validateStewardTicket(v, categories);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    if (dups === undefined) {
      // First tap: look for open 诉求 of this enterprise that read alike, and show them before filing another.
      setChecking(true);
      const found = await visits.similarTickets({ enterpriseId, categoryId: v.categoryId, text: `${v.title} ${v.description}` }).catch(() => []);
      setChecking(false);
      setDups(found);
      if (found.length) return;
    }
    await send();
  };

  return (
    <View className="st-page st-ticket">
      <View className="st-card">
        <View className="st-card__title">{enterprise.name}</View>
        <View className="st-card__sub">{visitId ? '由走访发现的问题转为诉求，将关联本次走访' : '代企业提交诉求'}</View>
      </View>
      <FormCard>
        <FormField label="诉求类别" required error={errors.categoryId}>
          <View className="st-ticket__cats">
            <ChoiceChips
              value={v.parentCategoryId}
              onChange={(id) => {
                const p = categories.find((c) => c.id === id);
                if (p) form.update(pickParentCategory(v, p));
                setDups(undefined);
              }}
              options={categories.map((c) => ({ value: c.id, label: c.name }))}
            />
            {children.length ? (
              <View className="st-ticket__children">
                <ChoiceChips
                  value={v.categoryId}
                  onChange={(id) => {
                    form.setField('categoryId', id as string);
                    setDups(undefined);
                  }}
                  options={children.map((c) => ({ value: c.id, label: c.name }))}
                />
              </View>
            ) : null}
          </View>
        </FormField>
        <FormField label="标题" required error={errors.title}>
          <Input placeholder="一句话概括问题" value={v.title} maxLength={64} onChange={(t) => form.setField('title', t)} />
        </FormField>
        <FormField label="问题描述" required error={errors.description}>
          <TextArea placeholder="企业遇到的困难、诉求和期望" value={v.description} maxLength={2000} autoSize onChange={(t) => {
            form.setField('description', t);
            setDups(undefined);
          }} />
        </FormField>
        <FormField label="紧急程度" error={errors.urgency}>
          <ChoiceChips value={v.urgency} onChange={(u) => form.setField('urgency', u as StewardTicketForm['urgency'])} options={[{ value: 'normal', label: '一般' }, { value: 'urgent', label: '紧急' }]} />
        </FormField>
      </FormCard>
      {form.restored ? <View className="st-hint">已恢复上次未提交的内容</View> : null}
      {dups && dups.length ? (
        <View className="st-ticket__dup">
          <View className="st-ticket__dup-title">该企业已有相近的诉求正在办理</View>
          {dups.map((d) => (
            <View key={d.id} className="st-ticket__dup-item" onClick={() => void Taro.navigateTo({ url: pageUrl(TICKET_DETAIL, { id: d.id }) })}>
              {`${d.no} ${d.title}（查看）`}
            </View>
          ))}
          <View className="st-hint">如确属不同问题，可继续提交。</View>
        </View>
      ) : null}
      {errors.form ? <View className="st-error">{errors.form}</View> : null}
      <Button className="st-submit" block type="primary" loading={form.submitting || checking} onClick={dups && dups.length ? send : submit}>
        {dups && dups.length ? '仍然提交' : '提交诉求'}
      </Button>
    </View>
  );
}
