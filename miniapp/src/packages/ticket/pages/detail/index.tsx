import { useRef, useState, type ReactNode } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import type { TicketAction } from '@guanjia/shared/ticket/ticket-machine';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useSession } from '../../../../hooks/use-session';
import { everyday, isApiError, messageOf, tickets } from '../../../../services';
import type { MySteward } from '@guanjia/shared/schemas/everyday';
import { StewardCard } from '../../../../components/steward-card';
import { createSubmission, type Submission } from '../../../../services/submission';
import { actionForm } from '../../../../services/ticket-action-forms';
import {
  dueInfo,
  escalationLabel,
  extensionDecision,
  formatTime,
  REPLY_OUTCOME_LABELS,
  stateLabel,
  stateTone,
  URGENCY_LABELS,
  asActions,
  filedPromise,
  isInstruction,
  TICKET_STEPS,
  ticketStep,
  VERDICT_LABELS,
  type TicketDetail,
} from '../../../../services/tickets';
import { ActionPanel } from '../../components/action-panel';
import { Attachments, Timeline } from '../../components/timeline';
import { PAGES } from '../../../../services/pages';
import './index.scss';

const ACTION_PAGE = PAGES.ticket.action;
const LOST_ACCESS = '该诉求已退回、改派或结束，您已不能查看或办理。';
const SUBMITTER_ROLES: Record<string, string> = { enterprise: '企业', steward: '管家代提' };

function Row({ label, children, tone }: { label: string; children: ReactNode; tone?: string }) {
  return (
    <View className="detail__row">
      <View className="detail__row-label">{label}</View>
      <View className={`detail__row-value${tone ? ` detail__row-value--${tone}` : ''}`}>{children}</View>
    </View>
  );
}

/**
 * One 诉求 for every role: header (state, deadline with overdue highlight, escalation), the action buttons the
 * caller may use now, the request itself, the department's reply and the enterprise's verdict, and the timeline
 * the caller may see (enterprises: public steps only — the server filters).
 */
export default function TicketDetailPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { user } = useSession();
  const [t, setT] = useState<TicketDetail>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<TicketAction>();
  const submissions = useRef(new Map<string, Submission>());
  // 联系管家 (issue 13): the enterprise's steward, with the phone when the steward shows it.
  const [steward, setSteward] = useState<MySteward['steward']>(null);
  const [urging, setUrging] = useState(false);

  const leaving = useRef(false);
  const load = async () => {
    try {
      setT(await tickets.get(id));
      setError(undefined);
    } catch (e) {
      // Access lost (退回, 改派, another department…): say so and go back to the list, which reloads when shown.
      if (isApiError(e) && e.status === 404 && !leaving.current) {
        leaving.current = true;
        setT(undefined);
        setError(LOST_ACCESS);
        await Taro.showModal({ title: '诉求已不在您的办理范围', content: LOST_ACCESS, showCancel: false, confirmText: '返回列表' });
        if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
        else void Taro.reLaunch({ url: PAGES.home });
        return;
      }
      setError(messageOf(e));
    }
  };

  useDidShow(() => {
    void load();
    if (user?.roles.includes('enterprise')) everyday.mySteward().then((r) => setSteward(r.steward), () => undefined);
  });
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (!t) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;

  const runQuick = async (action: Exclude<TicketAction, 'route'>) => {
    const spec = actionForm(action, { state: t.state, escalationLevel: t.escalationLevel ?? 1, extensionDaysGranted: t.extensionDaysGranted, verdict: t.verdict?.value ?? null });
    // 同意延期 (issue 13): the old and the new reply date in the question itself.
    const content = action === 'approve_extension' ? extensionDecision(t)?.confirmText ?? spec.intro ?? '' : spec.intro ?? '';
    const ok = await Taro.showModal({ title: `${spec.title}？`, content, confirmText: spec.submitText, cancelText: '取消', confirmColor: '#fa2c19' });
    if (!ok.confirm) return;
    // One submission per (action, version): a retry after a lost answer reuses its Idempotency-Key.
    const k = `${action}@${t.version}`;
    let sub = submissions.current.get(k);
    if (!sub) submissions.current.set(k, (sub = createSubmission()));
    setBusy(action);
    try {
      setT(await sub.run((key) => tickets.act(t.id, action, { version: t.version }, key)));
      void Taro.showToast({ title: `已${spec.submitText}`, icon: 'success' });
    } catch (e) {
      const stale = isApiError(e) && (e.code === 'VERSION_CONFLICT' || e.code === 'TICKET_ACTION_NOT_ALLOWED');
      void Taro.showModal({ title: '未能完成', content: stale ? '诉求已有新的办理进展，已为您刷新。' : messageOf(e), showCancel: false, confirmText: '知道了' });
      if (stale) void load();
    } finally {
      setBusy(undefined);
    }
  };

  // 催办 (issue 13): once per working day on an overdue ticket; a retry after a lost answer reuses its key.
  const urge = async () => {
    const ok = await Taro.showModal({ title: '催办', content: '诉求已超期，催办后将通知承办部门和您的管家尽快办理。每个工作日可催办一次。', confirmText: '催办', cancelText: '取消' });
    if (!ok.confirm) return;
    const k = `urge@${t.version}`;
    let sub = submissions.current.get(k);
    if (!sub) submissions.current.set(k, (sub = createSubmission()));
    setUrging(true);
    try {
      setT(await sub.run((key) => everyday.urge(t.id, undefined, key)));
      void Taro.showToast({ title: '已催办', icon: 'success' });
    } catch (e) {
      void Taro.showModal({ title: '未能催办', content: messageOf(e), showCancel: false, confirmText: '知道了' });
      void load();
    } finally {
      setUrging(false);
    }
  };

  const onAction = (action: TicketAction) => {
    if (action === 'route') return;
    const spec = actionForm(action, { state: t.state, escalationLevel: t.escalationLevel ?? 1, extensionDaysGranted: t.extensionDaysGranted, verdict: t.verdict?.value ?? null });
    if (spec.quick) void runQuick(action);
    else void Taro.navigateTo({ url: `${ACTION_PAGE}?id=${encodeURIComponent(t.id)}&action=${action}` });
  };

  const seesInternal = !!user && user.roles.some((r) => r !== 'enterprise');
  const isLeader = !!user?.roles.includes('leader');
  const instructions = t.timeline.filter(isInstruction).sort((a, b) => b.seq - a.seq);
  const due = dueInfo(t, new Date(), seesInternal ? 'staff' : 'enterprise');
  const submitted = t.timeline.find((e) => e.action === 'submit');
  const ended = ['closed', 'withdrawn', 'merged'].includes(t.state);

  // Just filed (issue 13): the 受理编号 and the promised reply date before anything else.
  const step = ticketStep(t.state);
  const filed = params.filed === '1' && user?.roles.includes('enterprise') ? filedPromise(t) : null;

  return (
    <View className="detail">
      {filed ? (
        <View className="detail__card detail__filed">
          <View className="detail__filed-title">提交成功</View>
          <View className="detail__filed-label">受理编号</View>
          <View className="detail__filed-no">{filed.no}</View>
          <View className="detail__filed-promise">{filed.promise}</View>
          <View className="detail__hint">办理进展会通过消息通知您，也可在「我的诉求」中随时查看。</View>
        </View>
      ) : null}
      <View className={`detail__card detail__header${due?.tone === 'overdue' ? ' detail__header--overdue' : ''}`}>
        <View className="detail__title-row">
          <View className="detail__title">{t.title}</View>
          <View className={`detail__state detail__state--${stateTone(t.state)}`}>{stateLabel(t.state, t.stateLabel)}</View>
        </View>
        <View className="detail__sub">
          {t.no} · {t.category.path}
        </View>
        <View className="detail__flags">
          {t.urgency === 'urgent' ? <View className="detail__flag detail__flag--urgent">{URGENCY_LABELS.urgent}</View> : null}
          {t.escalationLevel && t.escalationLevel > 1 ? <View className="detail__flag">{`${t.escalationLevel}级 · ${escalationLabel(t.escalationLevel)}`}</View> : null}
          {t.counters.reopenCount > 0 ? <View className="detail__flag">重办 {t.counters.reopenCount} 次</View> : null}
          {seesInternal && (t.counters.returnCount ?? 0) > 0 ? <View className="detail__flag">退回 {t.counters.returnCount} 次</View> : null}
          {seesInternal && (t.counters.superviseCount ?? 0) > 0 ? <View className="detail__flag detail__flag--urgent">督办 {t.counters.superviseCount} 次</View> : null}
        </View>
        {step !== null ? (
          // 提交 → 交办 → 签收 → 办理 → 答复 → 确认 → 销号 (issue 13): where the request stands, at a glance.
          <View className="detail__steps">
            {TICKET_STEPS.map((name, i) => (
              <View key={name} className={`detail__step${i < step ? ' detail__step--done' : i === step ? ' detail__step--current' : ''}`}>
                <View className="detail__step-dot">{i < step ? '✓' : String(i + 1)}</View>
                <View className="detail__step-name">{name}</View>
              </View>
            ))}
          </View>
        ) : null}
        {/* Missed: the working-day count below says by how much (not calendar days beside it). */}
        {due && !(t.countdown?.overdue && due.tone === 'overdue') ? <View className={`detail__due detail__due--${due.tone}`}>{due.text}</View> : null}
        {t.countdown ? (
          // 剩余 N 个工作日 / 已超期 N 个工作日 (issue 13), on the district's working-day calendar.
          <View className={`detail__countdown${t.countdown.overdue ? ' detail__countdown--overdue' : ''}`}>
            {`${t.countdown.of === 'accept' ? '签收' : '答复'}${t.countdown.text}`}
          </View>
        ) : null}
        {!ended && t.deadlines.confirmationDueAt ? <View className="detail__due detail__due--normal">请于 {formatTime(t.deadlines.confirmationDueAt)} 前确认办理结果</View> : null}
        {t.deadlines.provisional && due ? <View className="detail__hint">期限所在年份的节假日安排尚未公布，暂按周一至周五推算</View> : null}
        {t.pendingExtension ? (
          <View className="detail__notice">
            延期申请待审批：{t.pendingExtension.days} 个工作日（{t.pendingExtension.reason}）
            {seesInternal && extensionDecision(t)?.newDue ? `，同意后答复期限延至 ${extensionDecision(t)!.newDue}` : ''}
          </View>
        ) : null}
      </View>

      {instructions.length ? (
        // 领导批示 (issue 13): what a leader instructed, above everything the departments do next.
        <View className="detail__card detail__instruction">
          <View className="detail__section-title">领导批示</View>
          {instructions.map((e) => (
            <View key={e.seq} className="detail__instruction-item">
              <View className="detail__text">{e.note}</View>
              <View className="detail__instruction-meta">{`${e.actor?.name ?? ''} · ${formatTime(e.createdAt)}`}</View>
            </View>
          ))}
        </View>
      ) : null}
      {t.urge && (t.urge.available || t.urge.urgedToday) ? (
        <View className="detail__card detail__urge">
          <View className="detail__urge-text">{t.urge.urgedToday ? '今天已催办，承办部门和管家已收到通知。下个工作日可再次催办。' : '诉求已超期，您可以催办承办部门。'}</View>
          <Button className="detail__urge-button" type="primary" block disabled={!t.urge.available} loading={urging} onClick={() => void urge()}>
            {t.urge.available ? '催办' : '今日已催办'}
          </Button>
        </View>
      ) : null}
      <ActionPanel actions={asActions(t.availableActions)} busy={busy} onAction={onAction} />
      {isLeader && t.availableActions.includes('add_note') ? (
        <Button className="detail__instruct" block type="primary" fill="outline"
          onClick={() => void Taro.navigateTo({ url: `${ACTION_PAGE}?id=${encodeURIComponent(t.id)}&action=add_note&kind=leader_instruction` })}>
          批示
        </Button>
      ) : null}

      {t.reply || t.verdict || t.withdrawReason || t.mergedInto ? (
        <View className="detail__card">
          <View className="detail__section-title">办理结果</View>
          {t.reply ? (
            <>
              <Row label="答复" tone={t.reply.outcome === 'solved' ? 'success' : undefined}>{REPLY_OUTCOME_LABELS[t.reply.outcome]}</Row>
              <View className="detail__text">{t.reply.text}</View>
              <Row label="答复时间">{formatTime(t.reply.repliedAt)}</Row>
            </>
          ) : null}
          {t.verdict ? (
            <Row label={t.verdict.source === 'visit' ? '回访评价' : '企业评价'} tone={t.verdict.value === 'dissatisfied' ? 'danger' : 'success'}>
              {VERDICT_LABELS[t.verdict.value]}
              {t.verdict.rating ? ` · ${'★'.repeat(t.verdict.rating)}` : ''}
            </Row>
          ) : null}
          {t.verdict?.comment ? <View className="detail__text">{t.verdict.comment}</View> : null}
          {t.withdrawReason ? <Row label="撤回原因">{t.withdrawReason}</Row> : null}
          {t.mergedInto ? <Row label="已并入">{t.mergedInto.no}</Row> : null}
        </View>
      ) : null}

      <View className="detail__card">
        <View className="detail__section-title">诉求内容</View>
        <Row label="企业">{t.enterprise.name}</Row>
        {t.enterpriseContact ? (
          // Issue 13: the office calls the enterprise from the ticket.
          <Row label="联系人">
            <View className="detail__contact">
              <View>{[t.enterpriseContact.name, t.enterpriseContact.phone].filter(Boolean).join(' ')}</View>
              {t.enterpriseContact.phone ? (
                <View className="detail__call" onClick={() => void Taro.makePhoneCall({ phoneNumber: t.enterpriseContact!.phone! }).catch(() => undefined)}>拨打</View>
              ) : null}
            </View>
          </Row>
        ) : null}
        <Row label="属地">{t.area.name}</Row>
        <Row label="提交人">
          {t.submittedBy.name}（{SUBMITTER_ROLES[t.submittedBy.role] ?? ''}）· {formatTime(t.createdAt)}
        </Row>
        <Row label="承办部门">
          {t.leadDepartment ? t.leadDepartment.name : '待交办'}
          {t.assistingDepartments.length ? `（协办：${t.assistingDepartments.map((d) => d.name).join('、')}）` : ''}
        </Row>
        <View className="detail__text detail__description">{t.description}</View>
        {submitted ? <Attachments list={submitted.attachments} /> : null}
      </View>

      {steward && user?.roles.includes('enterprise') ? <StewardCard steward={steward} /> : null}

      <View className="detail__card">
        <View className="detail__section-title">办理记录</View>
        <Timeline entries={t.timeline} />
      </View>
    </View>
  );
}
