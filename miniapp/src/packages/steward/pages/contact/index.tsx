import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useDraft } from '../../../../hooks/use-draft';
import { useLoad } from '../../../../hooks/use-load';
import { formErrors } from '../../../../services';
import { formatDateTime } from '../../../../services/display';
import { CONTACT_DAY_PARTS, contactBody, contactDayOptions, validateContact, VISIT_KIND_LABELS, type ContactForm, type Enterprise, type Visit } from '../../../../services/visits';
import { pageUrl, param, STEWARD_PAGES, visits } from '../../lib/api';
import { ProblemsEditor } from '../../lib/problems-editor';
import './index.scss';

const EMPTY: ContactForm = { kind: 'phone', notes: '', problems: [''] };

/**
 * 记录电话 / 微信沟通: contacts that are not on site still count toward the cadence ("电话对接363次") and must be
 * recorded. The form is a local draft until saved; problems found can become 诉求 from the saved record.
 */
export default function ContactPage() {
  const { params } = useRouter();
  const enterpriseId = param(params, 'enterpriseId');
  const initialKind = param(params, 'kind') === 'wechat' ? 'wechat' : 'phone';
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<Visit>();
  const form = useDraft<ContactForm>(`visit-contact:${enterpriseId}`, { ...EMPTY, kind: initialKind });
  const page = useLoad(async () => {
    if (!enterpriseId) return undefined;
    const [ent, settings] = await Promise.all([visits.enterprise(enterpriseId), visits.settings().catch(() => undefined)]);
    return { enterprise: ent, backdateDays: settings?.backdateDays };
  }, [enterpriseId]);
  const enterprise: Enterprise | undefined = page.data?.enterprise;
  // The district's back-dating window (visit settings); until it loads only 今天 is offered.
  const backdateDays = page.data?.backdateDays ?? 0;

  if (!enterpriseId) return <StatusView status="error" message="缺少企业信息，请从企业列表进入" />;
  if (!enterprise) return page.error ? <StatusView status="error" message={page.error} onRetry={page.reload} /> : <StatusView status="loading" />;

  if (saved) {
    return (
      <View className="st-page st-contact">
        <View className="st-card st-contact__done">
          <View className="st-contact__done-title">{`已记录${VISIT_KIND_LABELS[saved.kind]}`}</View>
          <View className="st-card__sub">{`${enterprise.name} · ${formatDateTime(saved.occurredAt)}`}</View>
          {saved.problems.length ? <View className="st-card__sub">{`发现问题 ${saved.problems.length} 个，可在走访记录中转为诉求`}</View> : null}
        </View>
        <View className="st-actions">
          <Button type="primary" onClick={() => void Taro.redirectTo({ url: pageUrl(STEWARD_PAGES.visit, { id: saved.id }) })}>查看记录</Button>
          <Button type="default" onClick={() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: pageUrl(STEWARD_PAGES.enterprise, { id: enterprise.id }) }))}>返回</Button>
        </View>
      </View>
    );
  }

  const submit = async () => {
    if (form.submitting) return;
    const missing = validateContact(form.values);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      const visit = await form.submit((values, key) => visits.create(contactBody(enterpriseId, values, new Date(), backdateDays), key));
      setSaved(visit);
    } catch (e) {
      setErrors(formErrors(e, ['notes', 'problems']));
    }
  };

  return (
    <View className="st-page st-contact">
      <View className="st-card">
        <View className="st-card__title">{enterprise.name}</View>
        <View className="st-card__sub">{`联系人 ${enterprise.contactName ?? '未登记'}`}</View>
        {enterprise.contactPhone ? (
          <View className="st-contact__phone" onClick={() => void Taro.makePhoneCall({ phoneNumber: enterprise.contactPhone! }).catch(() => undefined)}>
            {`拨打 ${enterprise.contactPhone}`}
          </View>
        ) : null}
      </View>
      <View className="st-contact__kind">
        <ChoiceChips
          value={form.values.kind}
          onChange={(v) => form.setField('kind', v as ContactForm['kind'])}
          options={[{ value: 'phone', label: '电话沟通' }, { value: 'wechat', label: '微信沟通' }]}
        />
      </View>
      <FormCard>
        {contactDayOptions(backdateDays).length > 1 ? (
          <FormField label="沟通时间">
            <View className="st-contact__when">
              <ChoiceChips
                value={String(form.values.daysAgo ?? 0)}
                onChange={(v) => form.setField('daysAgo', Number(v))}
                options={contactDayOptions(backdateDays).map((o) => ({ value: String(o.value), label: o.label }))}
              />
              {(form.values.daysAgo ?? 0) > 0 ? (
                <View className="st-contact__part">
                <ChoiceChips
                  value={form.values.part ?? 'am'}
                  onChange={(v) => form.setField('part', v as ContactForm['part'])}
                  options={CONTACT_DAY_PARTS.map((p) => ({ value: p.value, label: `${p.label} ${p.hour}:00` }))}
                />
                </View>
              ) : null}
            </View>
          </FormField>
        ) : null}
        <FormField label="沟通内容" required error={errors.notes}>
          <TextArea placeholder="沟通了什么、企业反映的情况" value={form.values.notes} maxLength={2000} autoSize onChange={(t) => form.setField('notes', t)} />
        </FormField>
        <FormField label="发现问题" error={errors.problems}>
          <ProblemsEditor value={form.values.problems} onChange={(v) => form.setField('problems', v)} errors={errors} />
        </FormField>
      </FormCard>
      {form.restored ? <View className="st-hint">已恢复上次未提交的内容</View> : null}
      {errors.form ? <View className="st-error">{errors.form}</View> : null}
      <Button className="st-submit" block type="primary" loading={form.submitting} onClick={submit}>保存记录</Button>
      <View className="st-hint">{(form.values.daysAgo ?? 0) > 0 ? `补录 ${backdateDays} 天内的沟通，按所选日期计入走访次数。` : '沟通时间记为现在，计入本期走访次数。'}</View>
    </View>
  );
}
