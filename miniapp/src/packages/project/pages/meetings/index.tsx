import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { ChoiceChips } from '../../../../components/choice-chips';
import { FormField } from '../../../../components/form-field';
import { StatusView } from '../../../../components/status-view';
import { openTicket } from '../../../../components/ticket-card';
import { useSession } from '../../../../hooks/use-session';
import { formErrors, messageOf, projects } from '../../../../services';
import { todayInShanghai } from '../../../../services/display';
import { createSubmission } from '../../../../services/submission';
import {
  PROJECT_LABELS, PROJECT_PAGES, validateMeetingForm,
  type MeetingForm, type MeetingTaskForm, type Named, type ProjectMeeting, type ProjectMeetingAgenda, type ProjectMeetingTask,
} from '../../../../services/projects';
import { DeskNav, DeskTable, LightDot } from '../../lib/desk';
import './index.scss';

type Loaded = { agenda: ProjectMeetingAgenda; meetings: ProjectMeeting[] };
type Pickers = { leaders: Named[]; departments: Named[] };

const taskStatus = (t: ProjectMeetingTask, today: string) =>
  t.status === 'done' ? '已办结' : t.ticket ? `已转诉求 ${t.ticket.no}（${t.ticket.stateLabel}）` : t.dueOn < today ? '已超期' : '办理中';

/** The tasks of a meeting or of the agenda: what, which project, who, by when, where it stands. */
function TaskTable({ tasks, today, onDone }: { tasks: ProjectMeetingTask[]; today: string; onDone?: (t: ProjectMeetingTask) => void }) {
  return (
    <DeskTable cols="1fr 180PX 130PX 100PX 190PX 70PX" head={['交办事项', '项目', '责任单位/责任人', '办结期限', '办理情况', '']}>
      {tasks.map((t) => (
        <View key={t.id} className="desk-table__row meeting-task">
          <View className="desk-table__cell desk-table__cell--main">{t.title}</View>
          <View className="desk-table__cell">{t.project?.name ?? '—'}</View>
          <View className="desk-table__cell">{[t.department?.name, t.person?.name].filter(Boolean).join(' · ') || '—'}</View>
          <View className={`desk-table__cell${t.status === 'open' && t.dueOn < today ? ' desk-table__cell--danger' : ''}`}>{t.dueOn}</View>
          <View className="desk-table__cell">
            {t.ticket ? <View className="desk-table__link" onClick={() => openTicket(t.ticket!.id)}>{taskStatus(t, today)}</View> : taskStatus(t, today)}
          </View>
          <View className="desk-table__cell">
            {onDone && t.status === 'open' && !t.ticket ? <View className="desk-table__link" onClick={() => onDone(t)}>办结</View> : null}
          </View>
        </View>
      ))}
    </DeskTable>
  );
}

const EMPTY_TASK = (due: string): MeetingTaskForm => ({ title: '', projectId: '', departmentId: '', dueOn: due });

/** 记录调度会: date, chair, attendees, projects discussed (the agenda's, preselected), decisions and the tasks it assigns. */
function MeetingFormCard({ agenda, pickers, onSaved }: { agenda: ProjectMeetingAgenda; pickers: Pickers; onSaved: () => void }) {
  const today = todayInShanghai();
  const [f, setF] = useState<MeetingForm>({ heldOn: today, chairId: '', attendeeIds: [], projectIds: agenda.projects.map((p) => p.id), decisions: '', tasks: [] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submission = useRef(createSubmission());
  const set = <K extends keyof MeetingForm>(k: K, v: MeetingForm[K]) => setF((x) => ({ ...x, [k]: v }));
  const setTask = (i: number, patch: Partial<MeetingTaskForm>) => setF((x) => ({ ...x, tasks: x.tasks.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));
  const projectsDiscussed = agenda.projects.filter((p) => f.projectIds.includes(p.id));
  const save = async () => {
    const v = validateMeetingForm(f);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await submission.current.run((k) => projects.createMeeting(v.body, k));
      void Taro.showToast({ title: '已记录', icon: 'success' });
      onSaved();
    } catch (e) {
      setErrors(formErrors(e, ['heldOn', 'chairId', 'attendeeIds', 'projectIds', 'decisions', 'tasks'], { nested: ['tasks'] }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="meeting-form">
      <FormField label="会议日期" required error={errors.heldOn}>
        <Input placeholder="YYYY-MM-DD" value={f.heldOn} onChange={(v) => set('heldOn', v)} />
      </FormField>
      <FormField label="主持人" required error={errors.chairId}>
        <ChoiceChips options={pickers.leaders.map((p) => ({ value: p.id, label: p.name }))} value={f.chairId} onChange={(v) => set('chairId', v as string)} />
      </FormField>
      <FormField label="参会人员" error={errors.attendeeIds}>
        <ChoiceChips multiple options={pickers.leaders.map((p) => ({ value: p.id, label: p.name }))} value={f.attendeeIds} onChange={(v) => set('attendeeIds', v as string[])} />
      </FormField>
      <FormField label="研究项目" error={errors.projectIds}>
        {agenda.projects.length ? (
          <ChoiceChips multiple options={agenda.projects.map((p) => ({ value: p.id, label: `${PROJECT_LABELS.light[p.light]} ${p.name}` }))} value={f.projectIds} onChange={(v) => set('projectIds', v as string[])} />
        ) : <View className="desk__hint">本次无红黄灯项目</View>}
      </FormField>
      <FormField label="议定事项" error={errors.decisions}>
        <TextArea placeholder="会议研究决定的事项" value={f.decisions} onChange={(v) => set('decisions', v)} maxLength={5000} autoSize />
      </FormField>
      {f.tasks.map((t, i) => (
        <View key={i} className="meeting-form__task">
          <View className="desk__filter-label">{`交办事项 ${i + 1}`}</View>
          <FormField label="事项" required error={errors[`tasks.${i}.title`]}>
            <Input placeholder="如：协调解决施工用电" value={t.title} onChange={(v) => setTask(i, { title: v })} maxLength={200} />
          </FormField>
          <FormField label="项目" error={errors[`tasks.${i}.projectId`]}>
            <ChoiceChips options={[{ value: '', label: '不限项目' }, ...projectsDiscussed.map((p) => ({ value: p.id, label: p.name }))]} value={t.projectId} onChange={(v) => setTask(i, { projectId: v as string })} />
          </FormField>
          <FormField label="责任单位" error={errors.tasks}>
            <ChoiceChips options={pickers.departments.map((d) => ({ value: d.id, label: d.name }))} value={t.departmentId} onChange={(v) => setTask(i, { departmentId: v as string })} />
          </FormField>
          <FormField label="办结期限" required error={errors[`tasks.${i}.dueOn`]}>
            <Input placeholder="YYYY-MM-DD" value={t.dueOn} onChange={(v) => setTask(i, { dueOn: v })} />
          </FormField>
          <View className="desk-table__link meeting-form__remove" onClick={() => set('tasks', f.tasks.filter((_, j) => j !== i))}>删除此事项</View>
        </View>
      ))}
      {errors.form ? <View className="desk__error">{errors.form}</View> : null}
      <View className="meeting-form__actions">
        <Button size="small" onClick={() => set('tasks', [...f.tasks, EMPTY_TASK(f.heldOn)])}>+ 交办事项</Button>
        <Button size="small" type="primary" loading={busy} onClick={() => void save()}>保存会议记录</Button>
      </View>
    </View>
  );
}

/**
 * 重点项目调度会 (the coordinator's desk, "每周召开重点项目调度会"): the next meeting's agenda — the red and yellow
 * projects and the open tasks of earlier meetings — the form that records a meeting with its tasks (owner and
 * deadline; a task becomes a 诉求 from the project's page), and the past meetings.
 */
export default function MeetingsPage() {
  const { user } = useSession();
  const today = todayInShanghai();
  const [data, setData] = useState<Loaded>();
  const [pickers, setPickers] = useState<Pickers>();
  const [error, setError] = useState<string>();
  const [writing, setWriting] = useState(false);
  const canWrite = !!user?.roles.includes('coordinator');
  const load = useCallback(async () => {
    setError(undefined);
    try {
      const [agenda, meetings] = await Promise.all([projects.agenda(), projects.meetings()]);
      setData({ agenda, meetings });
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => void load(), [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  const openForm = async () => {
    if (!pickers) {
      try {
        const [leaders, departments] = await Promise.all([projects.people('leader'), projects.departments()]);
        setPickers({ leaders: leaders.items, departments: departments.items });
      } catch (e) {
        void Taro.showToast({ title: messageOf(e), icon: 'none' });
        return;
      }
    }
    setWriting(true);
  };
  const done = async (t: ProjectMeetingTask) => {
    try {
      await projects.completeTask(t.id);
      void Taro.showToast({ title: '已办结', icon: 'success' });
      void load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  if (!data) return <View className="desk"><DeskNav current="meetings" />{error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />}</View>;
  const { agenda, meetings } = data;
  return (
    <View className="desk">
      <DeskNav current="meetings" />
      <View className="desk__bar">
        <View className="desk__bar-title">{`下次调度会议程：红黄灯项目 ${agenda.projects.length} 个，往次未办结事项 ${agenda.openTasks.length} 项`}</View>
        <View className="desk__bar-tools">
          {canWrite && !writing ? <Button size="small" type="primary" onClick={() => void openForm()}>记录调度会</Button> : null}
        </View>
      </View>
      {writing && pickers ? (
        <View>
          <View className="desk__section">记录调度会</View>
          <MeetingFormCard agenda={agenda} pickers={pickers} onSaved={() => { setWriting(false); void load(); }} />
        </View>
      ) : null}
      <View className="desk__section">红黄灯项目</View>
      {agenda.projects.length ? (
        <DeskTable cols="100PX 1fr 1.4fr 70PX" head={['红黄绿灯', '项目名称', '原因', '']}>
          {agenda.projects.map((p) => (
            <View key={p.id} className="desk-table__row agenda-project">
              <View className="desk-table__cell"><LightDot light={p.light} />{PROJECT_LABELS.light[p.light]}</View>
              <View className="desk-table__cell desk-table__cell--main">{p.name}</View>
              <View className="desk-table__cell desk-table__cell--muted">{p.lightReason ?? ''}</View>
              <View className="desk-table__cell desk-table__link" onClick={() => void Taro.navigateTo({ url: `${PROJECT_PAGES.detail}?id=${p.id}` })}>查看 ›</View>
            </View>
          ))}
        </DeskTable>
      ) : <View className="desk__hint">没有红灯或黄灯项目</View>}
      <View className="desk__section">往次会议未办结事项</View>
      {agenda.openTasks.length ? <TaskTable tasks={agenda.openTasks} today={today} onDone={canWrite ? (t) => void done(t) : undefined} /> : <View className="desk__hint">没有未办结事项</View>}
      <View className="desk__section">会议记录</View>
      {meetings.length ? meetings.map((m) => (
        <View key={m.id} className="meeting-record">
          <View className="meeting-record__title">{`${m.heldOn} 重点项目调度会 · 主持：${m.chair.name}`}</View>
          {m.attendees.length ? <View className="desk__hint">{`参会：${m.attendees.map((a) => a.name).join('、')}`}</View> : null}
          {m.projects.length ? <View className="desk__hint">{`研究项目：${m.projects.map((p) => p.name).join('、')}`}</View> : null}
          {m.decisions ? <View className="meeting-record__decisions">{`议定事项：${m.decisions}`}</View> : null}
          {m.tasks.length ? <TaskTable tasks={m.tasks} today={today} /> : null}
        </View>
      )) : <StatusView status="empty" message="尚无调度会记录" />}
    </View>
  );
}
