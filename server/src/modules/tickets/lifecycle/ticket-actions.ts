import type { DataSource, EntityManager } from 'typeorm';
import {
  CONFIRMATION_WINDOW_WORKING_DAYS,
  deadlineAfter,
  ESCALATION_LEVEL_LABELS,
  pausedWorkingDays,
  shanghaiDate,
  transition,
  workingDaysBetween,
  type AnyTicketPayload,
  type MeetingCreate,
  type TicketAction,
  type TicketDetail,
  type TicketEvent,
  type TicketRole,
  type TicketSnapshot,
} from '@guanjia/shared';
import type { ErrorCode } from '@guanjia/shared';
import { AppError } from '../../../lib/app-error';
import { recordAudit } from '../../audit/audit';
import type { AuthUser } from '../../../lib/principal';
import { loadWorkCalendar, type LoadedCalendar } from '../../calendar/calendar.service';
import { assignmentColumns } from './deadlines';
import { loadTicketRow, nextNumber, writeStep } from './ticket-engine';
import { meetingRole, relationOf, relationTo } from './ticket.policy';
import { toSnapshot, type TicketRow } from './ticket-row';
import { notifyTicketEvent, type Audience } from './ticket-notify';
import { settleWork } from './work-settlement';
import { assertDepartments } from '../config/routing.service';
import { presentMeeting, type MeetingRow } from './ticket.presenter';
import { detailOf, getTicket, loadDetailRow, type Clock, type DetailRow } from './ticket.service';

/**
 * The ticket actions (one endpoint each). Every action is one transaction: the machine decides (state, role,
 * guards, payload), the step is written with the state-and-version guard and exactly one timeline event, then the
 * action's own rows (督办单, 回访 task…) and its notifications. Server-only concerns live here: deadlines on China's
 * working days, pauses, attachments, who is told.
 */

type Body = Record<string, unknown> & { version?: number; attachmentIds?: string[] };

/** Everything an action's hooks may use. */
export type ActionCtx = {
  em: EntityManager;
  row: TicketRow;
  actorId: string | null;
  auth: AuthUser | null;
  body: Body;
  now: Date;
  cal: () => Promise<LoadedCalendar>;
  /** set by jobs for the automatic 督办; `covers` are other deadlines missed the same day, answered by the same 督办单 */
  overdue?: { kind: 'overdue_accept' | 'overdue_reply'; missedDueAt: Date; covers?: { kind: 'overdue_accept' | 'overdue_reply'; missedDueAt: Date }[] };
};

/** The machine's verdict on the step. */
export type Decided = { next: TicketSnapshot; event: TicketEvent; role: TicketRole };

/** Server-side consequences of a step, written in the same UPDATE / event. */
type Effects = { columns?: Record<string, unknown>; data?: Record<string, unknown>; note?: string | null };

type Spec = {
  payload?: (c: ActionCtx) => Promise<AnyTicketPayload> | AnyTicketPayload;
  effects?: (c: ActionCtx, d: Decided) => Promise<Effects> | Effects;
  after?: (c: ActionCtx, d: Decided, step: { seq: number; eventId: string }) => Promise<void>;
  notify?: (c: ActionCtx, d: Decided) => { audiences: Audience[]; title: string } | null;
  attachments?: boolean;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Columns cleared when a ticket leaves a department (退回, or a withdrawal found involuntary). */
const UNASSIGNED = {
  assigned_at: null, accept_days: null, reply_days: null, reply_clock_at: null, reply_extra_days: 0,
  accept_due_at: null, reply_due_at: null, paused_at: null, accepted_at: null,
};

/** 重办 after 不满意: the same department gets a fresh reply window from now; the reply no longer stands. */
async function reopenColumns(c: ActionCtx) {
  const cal = await c.cal();
  const days = c.row.reply_days ?? 5;
  const replyDueAt = deadlineAfter(cal, c.now, days);
  return {
    columns: { reply_clock_at: c.now, reply_extra_days: 0, reply_due_at: replyDueAt, replied_at: null, reply_text: null, confirmation_due_at: null, rating: null, confirm_comment: null, solved_at: null },
    data: { replyDueAt: replyDueAt.toISOString() },
  };
}

/** Ends a pause (information provided, or a reply while waiting): the working days it cost are credited. */
async function resumeColumns(c: ActionCtx, credit: boolean) {
  if (!c.row.paused_at) return { columns: {}, data: {} };
  const cal = await c.cal();
  const pausedAt = new Date(c.row.paused_at);
  const days = credit && c.row.reply_due_at ? pausedWorkingDays(cal, new Date(c.row.reply_due_at), { pausedAt, resumedAt: c.now }) : 0;
  const extra = c.row.reply_extra_days + days;
  const replyDueAt = c.row.reply_clock_at && c.row.reply_days !== null ? deadlineAfter(cal, new Date(c.row.reply_clock_at), c.row.reply_days + extra) : null;
  return {
    columns: {
      paused_at: null, reply_extra_days: extra, reply_due_at: replyDueAt,
      pauses: JSON.stringify([...c.row.pauses, { pausedAt: pausedAt.toISOString(), resumedAt: c.now.toISOString(), days }]),
    },
    data: { pausedWorkingDays: days, replyDueAt: iso(replyDueAt) },
  };
}

async function departmentPayload(c: ActionCtx) {
  const lead = String(c.body.leadDepartmentId ?? '');
  const assisting = ((c.body.assistingDepartmentIds as string[] | undefined) ?? []).filter((d) => d !== lead);
  const names = await assertDepartments(c.em, c.row.district_id, [lead, ...assisting]);
  return { lead, assisting, names };
}

async function assignEffects(c: ActionCtx, d: Decided): Promise<Effects> {
  const a = await assignmentColumns(c.em, c.row, c.now, await c.cal());
  const names = await assertDepartments(c.em, c.row.district_id, [d.next.leadDepartmentId!, ...d.next.assistingDepartmentIds]);
  return {
    columns: { ...a.columns, routing_rule_id: null },
    data: { ...a.data, leadDepartmentName: names.get(d.next.leadDepartmentId!), assistingDepartmentNames: d.next.assistingDepartmentIds.map((x) => names.get(x)) },
  };
}

async function createReturnVisit(c: ActionCtx, kind: 'confirmation' | 'withdrawal') {
  await c.em.query(
    `INSERT INTO return_visit_task (district_id, ticket_id, kind, created_at) VALUES ($1,$2,$3,$4) ON CONFLICT (ticket_id, kind) WHERE status = 'open' DO NOTHING`,
    [c.row.district_id, c.row.id, kind, c.now],
  );
}

async function finishReturnVisit(c: ActionCtx, kind: 'confirmation' | 'withdrawal', status: 'done' | 'cancelled') {
  await c.em.query(
    `UPDATE return_visit_task SET status = $3, done_by = $4, done_at = $5, verdict = $6, withdrawal_voluntary = $7, method = $8, note = $9
      WHERE ticket_id = $1 AND kind = $2 AND status = 'open'`,
    [c.row.id, kind, status, c.actorId, c.now, status === 'done' ? (c.body.verdict ?? null) : null,
      status === 'done' ? (c.body.withdrawalVoluntary ?? null) : null, status === 'done' ? (c.body.method ?? null) : null,
      status === 'done' ? (c.body.note ?? null) : null],
  );
}

/** Issues a 督办单 to the lead department (by hand, or by the overdue job: then deduplicated per missed deadline). */
async function issueSupervision(c: ActionCtx, note: string | null) {
  const year = Number(shanghaiDate(c.now).slice(0, 4));
  const no = `DB${year}-${String(await nextNumber(c.em, c.row.district_id, 'supervision', year)).padStart(4, '0')}`;
  const rows: unknown[] = await c.em.query(
    `INSERT INTO supervision (district_id, ticket_id, no, department_id, kind, missed_due_at, note, issued_by, issued_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (ticket_id, kind, missed_due_at) WHERE kind <> 'manual' DO NOTHING RETURNING id`,
    [c.row.district_id, c.row.id, no, c.row.lead_department_id, c.overdue?.kind ?? 'manual', c.overdue?.missedDueAt ?? null, note, c.actorId, c.now],
  );
  // Already issued for this missed deadline (another instance won): abort the whole step, it happened once.
  if (!rows.length) throw new AppError('DUPLICATE');
}

/**
 * The automatic 督办's step: the missed deadline(s) in the event, and on the ticket which deadline was supervised
 * (the overdue job's scan skips those; see the Performance migration).
 */
function overdueEffects(o: NonNullable<ActionCtx['overdue']>): Effects {
  const all = [o, ...(o.covers ?? [])];
  const columns: Record<string, unknown> = {};
  for (const m of all) columns[m.kind === 'overdue_accept' ? 'accept_supervised_due_at' : 'reply_supervised_due_at'] = m.missedDueAt;
  const both = all.some((m) => m.kind === 'overdue_accept') && all.some((m) => m.kind === 'overdue_reply');
  return {
    columns,
    data: { kind: o.kind, missedDueAt: o.missedDueAt.toISOString(), ...(o.covers?.length ? { alsoMissed: o.covers.map((m) => ({ kind: m.kind, missedDueAt: m.missedDueAt.toISOString() })) } : {}) },
    note: both ? '超期未签收、未答复，系统自动下发督办单' : o.kind === 'overdue_accept' ? '超期未签收，系统自动下发督办单' : '超期未答复，系统自动下发督办单',
  };
}

const text = (b: Body, k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);

/** The steward rating given with a confirmation (issue 13), as the timeline step records it. */
function stewardRatingData(c: ActionCtx): Record<string, unknown> {
  if (typeof c.body.stewardRating !== 'number') return {};
  const comment = text(c.body, 'stewardComment')?.trim();
  return { stewardRating: c.body.stewardRating, ...(comment ? { stewardComment: comment } : {}) };
}

/**
 * Stores the enterprise's optional rating of its steward, given with the confirmation: for the steward assigned to
 * the enterprise now, linked to the confirmation's step (one per step), audited. Only the enterprise's contact
 * rates; an enterprise without a steward cannot (the form does not offer it).
 */
async function rateSteward(c: ActionCtx, d: Decided, eventId: string): Promise<void> {
  if (typeof c.body.stewardRating !== 'number') return;
  if (d.role !== 'enterprise') throw new AppError('VALIDATION_FAILED', [{ path: '/body/stewardRating', message: '只有企业联系人可以评价管家' }]);
  const [a] = await c.em.query(
    `SELECT steward_id FROM assignment WHERE enterprise_id = $1 AND ends_on IS NULL ORDER BY starts_on DESC, id LIMIT 1`, [c.row.enterprise_id],
  );
  if (!a) throw new AppError('STEWARD_RATING_NO_STEWARD');
  const comment = text(c.body, 'stewardComment')?.trim() || null;
  const [r] = await c.em.query(
    `INSERT INTO steward_rating (district_id, ticket_id, event_id, steward_id, enterprise_id, rated_by, rating, comment, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
    [c.row.district_id, c.row.id, eventId, a.steward_id, c.row.enterprise_id, c.actorId, c.body.stewardRating, comment, c.now],
  );
  await recordAudit(c.em, {
    districtId: c.row.district_id, actorId: c.actorId, action: 'steward.rated', entityType: 'steward_rating', entityId: r.id,
    data: { ticketId: c.row.id, stewardId: a.steward_id, rating: c.body.stewardRating },
  });
}

/** The action table. Payloads default to the body without `version`/`attachmentIds`. */
const SPECS: Record<TicketAction, Spec> = {
  route: {},
  dispatch: {
    payload: async (c) => {
      const { lead, assisting } = await departmentPayload(c);
      return { leadDepartmentId: lead, assistingDepartmentIds: assisting, note: text(c.body, 'note') };
    },
    effects: assignEffects,
    notify: (c) => ({ audiences: ['lead', 'assisting'], title: `新交办诉求 ${c.row.no}` }),
  },
  reassign: {
    payload: async (c) => {
      const { lead, assisting } = await departmentPayload(c);
      return { leadDepartmentId: lead, assistingDepartmentIds: assisting, reason: text(c.body, 'reason') ?? '' };
    },
    effects: assignEffects,
    notify: (c) => ({ audiences: ['lead', 'assisting'], title: `改派诉求 ${c.row.no}` }),
  },
  accept: {
    effects: (c) => ({ columns: { accepted_at: c.now } }),
    notify: (c) => ({ audiences: ['enterprise', 'stewards'], title: `诉求 ${c.row.no} 已签收` }),
  },
  return: {
    effects: (c) => ({ columns: { ...UNASSIGNED }, data: { departmentName: c.row.lead_department_name } }),
    notify: (c) => ({ audiences: ['coordinators'], title: `诉求 ${c.row.no} 被退回` }),
  },
  add_note: {
    attachments: true,
    notify: (c, d) => {
      const audiences: Audience[] = [];
      if (d.event.visibility === 'public') audiences.push('enterprise', 'stewards');
      if (d.role === 'coordinator' || d.role === 'leader') audiences.push('lead');
      // A 批示 tells the departments (lead and assisting) and the coordinators that a leader has instructed.
      if (d.event.data.kind === 'leader_instruction') return { audiences: ['lead', 'assisting', 'coordinators'], title: `诉求 ${c.row.no} 有领导批示` };
      return audiences.length ? { audiences, title: `诉求 ${c.row.no} 有新进展` } : null;
    },
  },
  request_info: {
    effects: (c) => ({ columns: { paused_at: c.now } }),
    notify: (c) => ({ audiences: ['enterprise', 'stewards'], title: `诉求 ${c.row.no} 需补充材料` }),
  },
  provide_info: {
    attachments: true,
    effects: (c) => resumeColumns(c, true),
    notify: (c) => ({ audiences: ['lead'], title: `诉求 ${c.row.no} 已补充材料` }),
  },
  request_extension: {
    payload: async (c) => {
      const reason = text(c.body, 'reason') ?? '';
      if (typeof c.body.days === 'number') return { days: c.body.days, reason };
      const newDue = text(c.body, 'newDueDate');
      if (!newDue || !c.row.reply_due_at)
        throw new AppError('TICKET_PAYLOAD_INVALID', [{ path: '/body/days', message: '请填写延长的工作日数或新的答复期限' }]);
      const days = workingDaysBetween(await c.cal(), shanghaiDate(new Date(c.row.reply_due_at)), newDue);
      if (days < 1) throw new AppError('TICKET_PAYLOAD_INVALID', [{ path: '/body/newDueDate', message: '新的答复期限应晚于当前期限' }]);
      return { days, reason };
    },
    effects: async (c, d) => {
      const days = d.next.pendingExtension!.days;
      const cal = await c.cal();
      const proposed = c.row.reply_clock_at && c.row.reply_days !== null
        ? deadlineAfter(cal, new Date(c.row.reply_clock_at), c.row.reply_days + c.row.reply_extra_days + days) : null;
      return { data: { proposedReplyDueAt: iso(proposed) } };
    },
    notify: (c) => ({ audiences: ['coordinators'], title: `诉求 ${c.row.no} 申请延期` }),
  },
  approve_extension: {
    effects: async (c, d) => {
      const days = (d.event.data.days as number) ?? 0;
      const extra = c.row.reply_extra_days + days;
      const replyDueAt = c.row.reply_clock_at && c.row.reply_days !== null ? deadlineAfter(await c.cal(), new Date(c.row.reply_clock_at), c.row.reply_days + extra) : null;
      return { columns: { reply_extra_days: extra, reply_due_at: replyDueAt }, data: { replyDueAt: iso(replyDueAt) } };
    },
    notify: (c) => ({ audiences: ['lead'], title: `诉求 ${c.row.no} 延期已同意` }),
  },
  reject_extension: {
    notify: (c) => ({ audiences: ['lead'], title: `诉求 ${c.row.no} 延期未同意` }),
  },
  reply: {
    attachments: true,
    effects: async (c) => {
      const resumed = await resumeColumns(c, false);
      const confirmationDueAt = deadlineAfter(await c.cal(), c.now, CONFIRMATION_WINDOW_WORKING_DAYS);
      return {
        columns: { ...resumed.columns, replied_at: c.now, reply_text: text(c.body, 'text')?.trim() ?? null, confirmation_due_at: confirmationDueAt },
        data: { confirmationDueAt: confirmationDueAt.toISOString() },
      };
    },
    notify: (c) => ({ audiences: ['enterprise', 'stewards'], title: `诉求 ${c.row.no} 已答复，请确认` }),
  },
  confirm: {
    payload: (c) => ({ verdict: c.body.verdict as never, rating: c.body.rating as number | undefined, comment: text(c.body, 'comment') }),
    effects: async (c, d) => {
      const steward = stewardRatingData(c);
      if (d.next.state === 'in_progress') {
        const r = await reopenColumns(c);
        return { columns: r.columns, data: { ...r.data, ...steward } };
      }
      return { columns: { rating: c.body.rating ?? null, confirm_comment: text(c.body, 'comment')?.trim() ?? null, solved_at: c.now }, data: steward };
    },
    after: async (c, d, step) => {
      await finishReturnVisit(c, 'confirmation', 'cancelled');
      await rateSteward(c, d, step.eventId);
    },
    notify: (c, d) => d.next.state === 'in_progress'
      ? { audiences: ['lead', 'coordinators'], title: `诉求 ${c.row.no} 企业不满意，重办` }
      : { audiences: ['coordinators'], title: `诉求 ${c.row.no} 企业已确认，待销号` },
  },
  open_visit: {
    after: async (c) => createReturnVisit(c, 'confirmation'),
    notify: (c) => ({ audiences: ['coordinators'], title: `诉求 ${c.row.no} 待回访` }),
  },
  record_visit: {
    payload: (c) => ({ verdict: c.body.verdict as never, withdrawalVoluntary: c.body.withdrawalVoluntary as boolean | undefined, note: text(c.body, 'note') }),
    effects: async (c, d) => {
      const data = { method: c.body.method ?? null };
      if (c.row.state === 'withdrawn') return d.next.state === 'pending_dispatch' ? { columns: { ...UNASSIGNED }, data } : { data };
      if (d.next.state === 'in_progress') {
        const r = await reopenColumns(c);
        return { columns: r.columns, data: { ...r.data, ...data } };
      }
      return { columns: { solved_at: c.now, closed_at: c.now }, data };
    },
    after: async (c) => finishReturnVisit(c, c.row.state === 'withdrawn' ? 'withdrawal' : 'confirmation', 'done'),
    notify: (c, d) => d.next.state === 'in_progress'
      ? { audiences: ['lead'], title: `诉求 ${c.row.no} 回访不满意，重办` }
      : d.next.state === 'pending_dispatch'
        ? { audiences: ['coordinators'], title: `诉求 ${c.row.no} 撤回非自愿，重新交办` }
        : d.next.state === 'closed' ? { audiences: ['enterprise', 'lead'], title: `诉求 ${c.row.no} 已销号` } : null,
  },
  close: {
    effects: (c) => ({ columns: { closed_at: c.now } }),
    notify: (c) => ({ audiences: ['enterprise', 'lead'], title: `诉求 ${c.row.no} 已销号` }),
  },
  withdraw: {
    effects: () => ({ columns: { paused_at: null } }),
    after: async (c) => createReturnVisit(c, 'withdrawal'),
    notify: (c) => ({ audiences: ['lead', 'assisting', 'coordinators'], title: `诉求 ${c.row.no} 已被企业撤回` }),
  },
  merge: {
    payload: async (c) => {
      const into = String(c.body.intoTicketId ?? '');
      const [target] = await c.em.query(`SELECT state FROM ticket WHERE id = $1 AND district_id = $2`, [into, c.row.district_id]);
      if (!target || ['closed', 'withdrawn', 'merged'].includes(target.state))
        throw new AppError('TICKET_MERGE_INVALID', [{ path: '/body/intoTicketId', message: '目标诉求不存在或已结束' }]);
      return { intoTicketId: into };
    },
    effects: async (c) => {
      const [t] = await c.em.query(`SELECT no FROM ticket WHERE id = $1`, [c.body.intoTicketId]);
      return { columns: { paused_at: null }, data: { intoTicketNo: t?.no ?? null } };
    },
    notify: (c) => ({ audiences: ['enterprise', 'lead'], title: `诉求 ${c.row.no} 已并单` }),
  },
  escalate: {
    effects: (_c, d) => ({ data: { levelLabel: ESCALATION_LEVEL_LABELS[d.next.escalationLevel] } }),
    notify: (c, d) => ({ audiences: d.next.escalationLevel >= 3 ? ['coordinators', 'leaders', 'lead'] : ['coordinators', 'lead'], title: `诉求 ${c.row.no} 升级至${ESCALATION_LEVEL_LABELS[d.next.escalationLevel]}` }),
  },
  supervise: {
    payload: (c) => (c.overdue ? { reason: 'overdue' as const } : { reason: 'manual' as const, note: text(c.body, 'note') }),
    // The timeline and the notification carry the coordinator's written instruction, never the reason code.
    effects: (c) => (c.overdue ? overdueEffects(c.overdue) : { data: { kind: 'manual' }, note: text(c.body, 'note')?.trim() || '人工督办' }),
    after: async (c) => issueSupervision(c, c.overdue ? null : (text(c.body, 'note') ?? null)),
    notify: (c) => ({ audiences: ['lead'], title: `督办：诉求 ${c.row.no}` }),
  },
};

/** The human text of a step for the timeline's `note` column. */
function noteOf(event: TicketEvent): string | null {
  const d = event.data;
  for (const k of ['text', 'reason', 'comment', 'note']) if (typeof d[k] === 'string' && d[k]) return d[k] as string;
  return null;
}

/** Tries the caller's roles in order; the first the machine accepts acts. Else the most telling refusal. */
function decide(snapshot: TicketSnapshot, action: TicketAction, roles: readonly TicketRole[], payload: AnyTicketPayload): Decided {
  const errors: ErrorCode[] = [];
  for (const role of roles) {
    const r = transition(snapshot, action, role, payload as never);
    if (r.ok) return { next: r.next, event: r.event, role };
    errors.push(r.code);
  }
  const specific = errors.find((e) => e !== 'TICKET_ROLE_NOT_ALLOWED' && e !== 'TICKET_ACTION_NOT_ALLOWED');
  throw new AppError(specific ?? errors[0] ?? 'TICKET_ROLE_NOT_ALLOWED');
}

/**
 * Runs one action on a loaded ticket inside the caller's transaction, as one of `roles` (users) or as 'system'
 * (jobs). Returns the new version.
 */
export async function runAction(
  em: EntityManager,
  row: TicketRow,
  action: TicketAction,
  roles: readonly TicketRole[],
  input: { actorId: string | null; auth: AuthUser | null; body: Body; now: Date; overdue?: ActionCtx['overdue']; written?: { row?: Record<string, unknown> } },
): Promise<number> {
  const spec = SPECS[action];
  let calendar: LoadedCalendar | null = null;
  const c: ActionCtx = {
    em, row, actorId: input.actorId, auth: input.auth, body: input.body, now: input.now, overdue: input.overdue,
    cal: async () => (calendar ??= await loadWorkCalendar(em, input.now, row.district_id)),
  };
  const { version: _v, attachmentIds: _a, ...rest } = input.body;
  const payload = spec.payload ? await spec.payload(c) : (rest as AnyTicketPayload);
  const d = decide(toSnapshot(row), action, roles, payload);
  const fx = spec.effects ? await spec.effects(c, d) : {};
  const autoData = d.event.autoEscalation ? { autoEscalation: d.event.autoEscalation } : {};
  const note = fx.note !== undefined ? fx.note : noteOf(d.event);
  const step = await writeStep(em, {
    row, next: d.next, event: { ...d.event, role: d.role }, actorId: input.actorId, now: input.now,
    columns: fx.columns, note, data: { ...d.event.data, ...(fx.data ?? {}), ...autoData },
    attachmentIds: spec.attachments ? input.body.attachmentIds : undefined,
  });
  if (input.written) input.written.row = step.row;
  await spec.after?.(c, d, step);
  await settleWork(em, {
    ticketId: row.id, districtId: row.district_id, action, actorId: input.actorId, now: input.now,
    next: { state: d.next.state, leadDepartmentId: d.next.leadDepartmentId }, fromDepartmentId: row.lead_department_id,
  });
  const nt = { ...row, lead_department_id: d.next.leadDepartmentId, assisting_department_ids: [...d.next.assistingDepartmentIds] };
  const n = spec.notify?.(c, d);
  if (n) await notifyTicketEvent(em, nt, { seq: step.seq, kind: action, title: n.title, body: `${row.title}${note ? `：${note}` : ''}`, actorId: input.actorId }, n.audiences);
  if (d.event.autoEscalation) {
    const to = d.event.autoEscalation.to;
    await notifyTicketEvent(em, nt, { seq: step.seq, kind: 'auto_escalated', title: `诉求 ${row.no} 自动升级至${ESCALATION_LEVEL_LABELS[to]}`, actorId: input.actorId },
      to >= 3 ? ['coordinators', 'leaders'] : ['coordinators']);
  }
  return step.seq;
}

/**
 * An action by a person (an API call): visibility, the version they read, their roles on this ticket. The ticket is
 * read once (the detail row, which also says whether the caller is its steward); the answer is that row patched
 * with the columns the step wrote, plus the timeline — not a second read of the 8-table ticket query.
 */
export async function performAction(db: DataSource, auth: AuthUser, id: string, action: TicketAction, body: Body, clock: Clock = {}): Promise<TicketDetail> {
  const now = clock.now ?? new Date();
  const { row, rel } = await db.transaction(async (em) => {
    const before = await loadDetailRow(em, auth, id, now);
    if (!before) throw new AppError('TICKET_NOT_FOUND');
    const r = relationTo(auth, before, before.x_steward);
    if (!r.canSee) throw new AppError('TICKET_NOT_FOUND');
    if (body.version !== before.version) throw new AppError('VERSION_CONFLICT', [{ path: '/body/version', message: `诉求已更新到第 ${before.version} 版，请刷新后重试` }]);
    if (!r.roles.length) throw new AppError('TICKET_ROLE_NOT_ALLOWED');
    const written: { row?: Record<string, unknown> } = {};
    await runAction(em, before, action, r.roles, { actorId: auth.id, auth, body, now, written });
    return { row: await patchDetailRow(em, before, written.row ?? {}, now), rel: r };
  });
  return detailOf(db, auth, row, { justActed: rel });
}

/** The detail row after a step: the written columns over the old ones, and the joined names the step may change. */
async function patchDetailRow(em: EntityManager, before: DetailRow, cols: Record<string, unknown>, now: Date): Promise<DetailRow> {
  const row = { ...before, ...cols } as DetailRow;
  const at = (d: Date | null) => (d ? new Date(d).getTime() : null);
  const lapsed = (d: Date | null) => d !== null && at(d)! < now.getTime();
  row.overdue = (row.state === 'assigned' && lapsed(row.accept_due_at)) || (['assigned', 'accepted', 'in_progress'].includes(row.state) && lapsed(row.reply_due_at));
  if (row.lead_department_id !== before.lead_department_id) {
    const [d] = row.lead_department_id ? await em.query(`SELECT name FROM department WHERE id = $1`, [row.lead_department_id]) : [];
    row.lead_department_name = d?.name ?? null;
  }
  if (row.assisting_department_ids.join() !== before.assisting_department_ids.join()) {
    const [x] = await em.query(
      `SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name) ORDER BY d.name), '[]') AS a FROM department d WHERE d.id = ANY($1::uuid[])`,
      [row.assisting_department_ids],
    );
    row.x_assisting = x.a;
  }
  if (row.merged_into_id !== before.merged_into_id) {
    const [m] = row.merged_into_id ? await em.query(`SELECT no FROM ticket WHERE id = $1`, [row.merged_into_id]) : [];
    row.merged_into_no = m?.no ?? null;
  }
  return row;
}

/**
 * Records a level-4 coordination meeting (协调会): date, attendees, decisions and the actions assigned. A timeline
 * step of its own (version bump, internal event), allowed to coordinators and leaders once the ticket is at level 4.
 */
export async function recordMeeting(db: DataSource, auth: AuthUser, id: string, b: MeetingCreate, clock: Clock = {}): Promise<TicketDetail> {
  const now = clock.now ?? new Date();
  await db.transaction(async (em) => {
    const row = await loadTicketRow(em, id, now);
    if (!row) throw new AppError('TICKET_NOT_FOUND');
    const rel = await relationOf(em, auth, row);
    if (!rel.canSee) throw new AppError('TICKET_NOT_FOUND');
    if (b.version !== row.version) throw new AppError('VERSION_CONFLICT');
    const role = meetingRole(rel);
    if (!role) throw new AppError('TICKET_ROLE_NOT_ALLOWED');
    if (row.escalation_level < 4) throw new AppError('MEETING_LEVEL_REQUIRED');
    if (['closed', 'withdrawn', 'merged'].includes(row.state)) throw new AppError('TICKET_ACTION_NOT_ALLOWED');
    const deps = [...(b.actions ?? []).map((a) => a.departmentId), ...b.attendees.map((a) => a.departmentId)].filter((x): x is string => !!x);
    if (deps.length) await assertDepartments(em, row.district_id, deps);
    const step = await writeStep(em, {
      row, next: null, event: { action: 'meeting' as never, from: row.state, to: row.state, visibility: 'internal', role }, actorId: auth.id, now,
      note: b.decisions, data: { heldOn: b.heldOn, location: b.location ?? null, attendees: b.attendees.map((a) => a.name), actions: b.actions ?? [] },
    });
    await em.query(
      `INSERT INTO coordination_meeting (district_id, ticket_id, event_id, held_on, location, attendees, decisions, actions, recorded_by, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [row.district_id, id, step.eventId, b.heldOn, b.location ?? null, JSON.stringify(b.attendees), b.decisions, JSON.stringify(b.actions ?? []), auth.id, now],
    );
    const actionDeps = [...new Set((b.actions ?? []).map((a) => a.departmentId).filter((x): x is string => !!x))];
    await notifyTicketEvent(em, { ...row, assisting_department_ids: [...new Set([...row.assisting_department_ids, ...actionDeps])] },
      { seq: step.seq, kind: 'meeting', title: `诉求 ${row.no} 协调会议定事项`, body: b.decisions.slice(0, 200), actorId: auth.id }, ['lead', 'assisting', 'coordinators', 'leaders']);
  });
  return getTicket(db, auth, id, { now });
}

/** The meetings recorded on a ticket (not shown to enterprise contacts). */
export async function listMeetings(db: DataSource, auth: AuthUser, id: string) {
  const row = await loadTicketRow(db, id, new Date());
  if (!row) throw new AppError('TICKET_NOT_FOUND');
  const rel = await relationOf(db, auth, row);
  if (!rel.canSee) throw new AppError('TICKET_NOT_FOUND');
  if (!rel.seesInternal) return { items: [] };
  const rows: MeetingRow[] = await db.query(
    `SELECT m.id, m.ticket_id, to_char(m.held_on, 'YYYY-MM-DD') AS held_on, m.location, m.attendees, m.decisions, m.actions, m.recorded_by, p.name AS recorded_by_name, m.created_at
       FROM coordination_meeting m JOIN person p ON p.id = m.recorded_by WHERE m.ticket_id = $1 ORDER BY m.held_on, m.created_at`,
    [id],
  );
  return { items: rows.map(presentMeeting) };
}

