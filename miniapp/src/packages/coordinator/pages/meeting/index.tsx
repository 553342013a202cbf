import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { useDraft } from '../../../../hooks/use-draft';
import { messageOf } from '../../../../services';
import { meetingBody, validateMeeting, type Meeting, type MeetingForm, type TicketDetail } from '../../../../services/admin';
import { todayInShanghai } from '../../../../services/display';
import { admin, formErrors, param } from '../../lib/api';
import './index.scss';

/**
 * 协调会 (level 4, "由县级帮扶责任人召开协调会予以解决"): the meetings already held on a ticket, and recording a new one —
 * date, place, attendees, decisions and the tasks assigned. Coordinators and leaders record them.
 */
export default function MeetingPage() {
  const { params } = useRouter();
  const id = param(params, 'id');
  const [ticket, setTicket] = useState<TicketDetail>();
  const [meetings, setMeetings] = useState<Meeting[]>([]);
  const [error, setError] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const today = todayInShanghai();
  const form = useDraft<MeetingForm>(`meeting:${id}`, { heldOn: today, location: '', attendees: '', decisions: '', actions: '' });

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const [t, m] = await Promise.all([admin.ticket(id), admin.meetings(id)]);
      setTicket(t);
      setMeetings(m.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [id]);
  useEffect(() => {
    if (id) void load();
  }, [load, id]);

  if (!id) return <StatusView status="error" message="缺少诉求信息" />;
  if (!ticket) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;

  const v = form.values;
  const set = <K extends keyof MeetingForm>(k: K, value: MeetingForm[K]) => {
    form.setField(k, value);
    setErrors((e) => ({ ...e, [k]: '' }));
  };
  const submit = async () => {
    if (form.submitting) return;
    const missing = validateMeeting(v, today);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      await form.submit((values, key) => admin.recordMeeting(ticket.id, meetingBody(values, ticket.version), key));
      void Taro.showToast({ title: '协调会已记录', icon: 'success' });
      void load();
    } catch (e) {
      setErrors(formErrors(e, ['heldOn', 'location', 'attendees', 'decisions', 'actions']));
    }
  };

  return (
    <View className="co-page co-meeting">
      <View className="co-card" onClick={() => openTicket(ticket.id)}>
        <View className="co-card__title">{ticket.title}</View>
        <View className="co-card__sub">{`${ticket.no} · ${ticket.enterprise.name} · ${ticket.escalationLevel} 级 · ${ticket.stateLabel}`}</View>
      </View>

      {meetings.length ? <View className="co-section">{`已召开 ${meetings.length} 次`}</View> : null}
      {meetings.map((m) => (
        <View key={m.id} className="co-card">
          <View className="co-card__title">{`${m.heldOn}${m.location ? ` · ${m.location}` : ''}`}</View>
          <View className="co-card__sub">{`参会：${m.attendees.map((a) => (a.title ? `${a.name}（${a.title}）` : a.name)).join('、')}`}</View>
          <View className="co-meeting__text">{m.decisions}</View>
          {m.actions.length ? <View className="co-card__sub">{`交办任务：${m.actions.map((a) => a.text).join('；')}`}</View> : null}
          <View className="co-card__sub">{`${m.recordedBy.name} 记录`}</View>
        </View>
      ))}

      <View className="co-section">记录协调会</View>
      <FormCard>
        <FormField label="会议日期" required error={errors.heldOn}>
          <Input placeholder="YYYY-MM-DD" value={v.heldOn} maxLength={10} onChange={(t) => set('heldOn', t)} />
        </FormField>
        <FormField label="地点" error={errors.location}>
          <Input placeholder="如 区政府三楼会议室（可选）" value={v.location} maxLength={128} onChange={(t) => set('location', t)} />
        </FormField>
        <FormField label="参会人员" required error={errors.attendees}>
          <TextArea placeholder={'每行一人：姓名 职务\n如 赵某 常务副区长'} value={v.attendees} autoSize maxLength={3000} onChange={(t) => set('attendees', t)} />
        </FormField>
        <FormField label="议定事项" required error={errors.decisions}>
          <TextArea placeholder="会议议定的解决办法" value={v.decisions} autoSize maxLength={4000} onChange={(t) => set('decisions', t)} />
        </FormField>
        <FormField label="交办任务" error={errors.actions}>
          <TextArea placeholder="每行一条（可选），如 金融办两周内出具贴息方案" value={v.actions} autoSize maxLength={4000} onChange={(t) => set('actions', t)} />
        </FormField>
      </FormCard>
      {form.restored ? <View className="co-hint">已恢复上次未提交的内容</View> : null}
      {errors.form ? <View className="co-error">{errors.form}</View> : null}
      <Button className="co-submit" block type="primary" loading={form.submitting} onClick={submit}>保存协调会记录</Button>
    </View>
  );
}
