import fc from 'fast-check';
import {
  autoEscalationLevel,
  availableActions,
  can,
  canSubmit,
  escalationTriggersMet,
  newTicketSnapshot,
  submitTicket,
  TICKET_ACTIONS,
  TICKET_ROLES,
  TICKET_STATES,
  transition,
  type AnyTicketPayload,
  type TicketAction,
  type TicketContext,
  type TicketRole,
  type TicketSnapshot,
  type TicketState,
  type TransitionResult,
} from './ticket-machine';

// ---------------------------------------------------------------------------------------------------------------
// The readable spec: who may do what in which state (payload and counters aside). Written independently of the
// machine's own table; every (state, action, role) triple not listed here must be denied.
const SPEC = `
  route             | system                  | submitted
  dispatch          | coordinator             | submitted pending_dispatch
  accept            | department              | assigned
  return            | department              | assigned accepted
  reassign          | coordinator             | assigned accepted in_progress awaiting_info
  add_note          | department              | accepted in_progress awaiting_info
  add_note          | assisting_department    | assigned accepted in_progress awaiting_info
  add_note          | coordinator leader      | pending_dispatch assigned accepted in_progress awaiting_info replied awaiting_visit
  request_info      | department              | accepted in_progress
  provide_info      | enterprise steward      | awaiting_info
  request_extension | department              | accepted in_progress
  approve_extension | coordinator             | accepted in_progress awaiting_info
  reject_extension  | coordinator             | accepted in_progress awaiting_info
  reply             | department              | accepted in_progress awaiting_info
  confirm           | enterprise              | replied awaiting_visit
  open_visit        | system coordinator      | replied
  record_visit      | coordinator             | awaiting_visit withdrawn
  close             | coordinator             | confirmed
  withdraw          | enterprise              | submitted pending_dispatch assigned accepted in_progress awaiting_info
  merge             | coordinator             | submitted pending_dispatch assigned accepted in_progress awaiting_info
  escalate          | coordinator leader      | pending_dispatch assigned accepted in_progress awaiting_info
  escalate          | department              | accepted in_progress awaiting_info
  supervise         | coordinator             | assigned accepted in_progress awaiting_info
  supervise         | system                  | assigned accepted in_progress
`;

const allowed = new Set<string>();
for (const line of SPEC.trim().split('\n')) {
  const [action, roles, states] = line.split('|').map((c) => c.trim().split(/\s+/));
  for (const role of roles!) for (const state of states!) allowed.add(`${state} ${action![0]} ${role}`);
}
const isSpecAllowed = (s: TicketState, a: TicketAction, r: TicketRole) => allowed.has(`${s} ${a} ${r}`);
const stateAllowsAnyRole = (s: TicketState, a: TicketAction) => TICKET_ROLES.some((r) => isSpecAllowed(s, a, r));

const WITH_LEAD: readonly TicketState[] = ['assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied', 'awaiting_visit', 'confirmed', 'closed'];

/** A snapshot in `state` with neutral counters; extra fields override. */
function ticketIn(state: TicketState, extra: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    ...newTicketSnapshot('t1'),
    state,
    leadDepartmentId: WITH_LEAD.includes(state) ? 'd1' : null,
    ...(state === 'replied' || state === 'awaiting_visit' ? { isHandled: true, replyOutcome: 'solved' as const } : {}),
    ...(state === 'withdrawn' ? { withdrawReason: '已自行解决' } : {}),
    ...extra,
  };
}

/** Counters under which the guard of `action` passes, so the triple table tests permissions alone. */
function ctxFor(action: TicketAction): Partial<TicketSnapshot> {
  return action === 'approve_extension' || action === 'reject_extension' ? { pendingExtension: { days: 3, reason: '需要现场勘查' } } : {};
}

/** A valid payload for `action` by `role` in `state`. */
function validPayload(action: TicketAction, state: TicketState, role: TicketRole): AnyTicketPayload {
  switch (action) {
    case 'route':
      return { leadDepartmentId: 'd1', ruleId: 'r1' };
    case 'dispatch':
      return { leadDepartmentId: 'd1' };
    case 'reassign':
      return { leadDepartmentId: 'd2', reason: '职能不符' };
    case 'return':
      return { reason: '不属于本部门职责' };
    case 'add_note':
      return { text: '已联系企业', visibility: 'public' };
    case 'request_info':
    case 'provide_info':
      return { text: '请提供土地证复印件' };
    case 'request_extension':
      return { days: 3, reason: '需要协调市级部门' };
    case 'reject_extension':
      return { reason: '时限内可以办结' };
    case 'reply':
      return { outcome: 'solved', text: '已协调供电公司完成增容' };
    case 'confirm':
      return { verdict: 'satisfied', rating: 5 };
    case 'record_visit':
      return state === 'withdrawn' ? { withdrawalVoluntary: true } : { verdict: 'satisfied' };
    case 'withdraw':
      return { reason: '问题已自行解决' };
    case 'merge':
      return { intoTicketId: 't0' };
    case 'escalate':
      return { level: 2, reason: '属地难以解决' };
    case 'supervise':
      return { reason: role === 'system' ? 'overdue' : 'manual' };
    default:
      return {};
  }
}

function run(s: TicketSnapshot, action: TicketAction, role: TicketRole, payload: AnyTicketPayload): TransitionResult {
  return transition(s, action, role, payload as never);
}

function ok(r: TransitionResult): { next: TicketSnapshot; event: Extract<TransitionResult, { ok: true }>['event'] } {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------

describe('every (state, action, role) triple follows the spec', () => {
  const triples: [TicketState, TicketAction, TicketRole, boolean][] = [];
  for (const s of TICKET_STATES) for (const a of TICKET_ACTIONS) for (const r of TICKET_ROLES) triples.push([s, a, r, isSpecAllowed(s, a, r)]);

  it('covers 12 states × 20 actions × 7 roles', () => expect(triples).toHaveLength(12 * 20 * 7));

  it.each(triples)('%s: %s by %s → %s', (state, action, role, expected) => {
    const snap = ticketIn(state, ctxFor(action));
    expect(can(state, action, role, snap)).toBe(expected);
    const r = run(snap, action, role, validPayload(action, state, role));
    expect(r.ok).toBe(expected);
    if (!r.ok) expect(r.code).toBe(stateAllowsAnyRole(state, action) ? 'TICKET_ROLE_NOT_ALLOWED' : 'TICKET_ACTION_NOT_ALLOWED');
    expect(availableActions(snap, role).includes(action)).toBe(expected);
  });
});

describe('where each action leads', () => {
  it.each<[TicketState, TicketAction, TicketRole, AnyTicketPayload, TicketState, Partial<TicketSnapshot>?]>([
    ['submitted', 'route', 'system', { leadDepartmentId: 'd1' }, 'assigned'],
    ['submitted', 'route', 'system', { leadDepartmentId: null }, 'pending_dispatch'],
    ['submitted', 'dispatch', 'coordinator', { leadDepartmentId: 'd1' }, 'assigned'],
    ['pending_dispatch', 'dispatch', 'coordinator', { leadDepartmentId: 'd1' }, 'assigned'],
    ['assigned', 'accept', 'department', {}, 'accepted'],
    ['assigned', 'return', 'department', { reason: '不属于本部门' }, 'pending_dispatch'],
    ['accepted', 'return', 'department', { reason: '不属于本部门' }, 'pending_dispatch'],
    ['in_progress', 'reassign', 'coordinator', { leadDepartmentId: 'd2', reason: '改由住建局办理' }, 'assigned'],
    ['accepted', 'add_note', 'department', { text: '已现场查看' }, 'in_progress'],
    ['in_progress', 'add_note', 'department', { text: '已现场查看' }, 'in_progress'],
    ['awaiting_info', 'add_note', 'department', { text: '已电话催促' }, 'awaiting_info'],
    ['accepted', 'add_note', 'coordinator', { text: '请抓紧办理' }, 'accepted'],
    ['accepted', 'add_note', 'assisting_department', { text: '协办意见' }, 'accepted'],
    ['accepted', 'request_info', 'department', { text: '请补充合同' }, 'awaiting_info'],
    ['awaiting_info', 'provide_info', 'steward', { text: '已上传合同' }, 'in_progress'],
    ['awaiting_info', 'provide_info', 'enterprise', { text: '已上传合同' }, 'in_progress'],
    ['accepted', 'request_extension', 'department', { days: 2, reason: '需市级协调' }, 'in_progress'],
    ['in_progress', 'approve_extension', 'coordinator', {}, 'in_progress', { pendingExtension: { days: 2, reason: 'x' } }],
    ['awaiting_info', 'reject_extension', 'coordinator', { reason: '不需要' }, 'awaiting_info', { pendingExtension: { days: 2, reason: 'x' } }],
    ['awaiting_info', 'reply', 'department', { outcome: 'explained', text: '不符合政策，已解释' }, 'replied'],
    ['replied', 'confirm', 'enterprise', { verdict: 'satisfied' }, 'confirmed'],
    ['replied', 'confirm', 'enterprise', { verdict: 'basically_satisfied' }, 'confirmed'],
    ['replied', 'confirm', 'enterprise', { verdict: 'dissatisfied', comment: '仍未通电' }, 'in_progress'],
    ['awaiting_visit', 'confirm', 'enterprise', { verdict: 'satisfied' }, 'confirmed'],
    ['replied', 'open_visit', 'system', {}, 'awaiting_visit'],
    ['awaiting_visit', 'record_visit', 'coordinator', { verdict: 'satisfied' }, 'closed'],
    ['awaiting_visit', 'record_visit', 'coordinator', { verdict: 'basically_satisfied' }, 'closed'],
    ['awaiting_visit', 'record_visit', 'coordinator', { verdict: 'dissatisfied' }, 'in_progress'],
    ['withdrawn', 'record_visit', 'coordinator', { withdrawalVoluntary: true }, 'withdrawn'],
    ['withdrawn', 'record_visit', 'coordinator', { withdrawalVoluntary: false }, 'pending_dispatch'],
    ['confirmed', 'close', 'coordinator', {}, 'closed'],
    ['in_progress', 'withdraw', 'enterprise', { reason: '企业已搬迁' }, 'withdrawn'],
    ['submitted', 'merge', 'coordinator', { intoTicketId: 't9' }, 'merged'],
    ['in_progress', 'escalate', 'leader', { level: 4, reason: '召开协调会' }, 'in_progress'],
    ['assigned', 'supervise', 'system', { reason: 'overdue' }, 'assigned'],
  ])('%s —%s by %s→ %j → %s', (...[state, action, role, payload, to, extra]) => {
    const r = ok(run(ticketIn(state, extra), action, role, payload));
    expect(r.next.state).toBe(to);
    expect(r.event).toMatchObject({ action, role, from: state, to });
  });
});

describe('guards and payload checks', () => {
  it.each<[string, string, TicketSnapshot, TicketAction, TicketRole, AnyTicketPayload]>([
    ['third return', 'RETURN_LIMIT_REACHED', ticketIn('assigned', { returnCount: 2 }), 'return', 'department', { reason: '不属于本部门' }],
    ['return without reason', 'TICKET_REASON_REQUIRED', ticketIn('assigned'), 'return', 'department', { reason: '  ' }],
    ['extension while one is pending', 'EXTENSION_PENDING', ticketIn('in_progress', { pendingExtension: { days: 1, reason: 'x' } }), 'request_extension', 'department', { days: 1, reason: 'y' }],
    ['extension over 10 days', 'EXTENSION_TOO_LONG', ticketIn('in_progress'), 'request_extension', 'department', { days: 11, reason: 'y' }],
    ['extension over the remaining budget', 'EXTENSION_TOO_LONG', ticketIn('in_progress', { extensionDaysGranted: 6 }), 'request_extension', 'department', { days: 5, reason: 'y' }],
    ['extension budget used up', 'EXTENSION_TOO_LONG', ticketIn('in_progress', { extensionDaysGranted: 10 }), 'request_extension', 'department', { days: 1, reason: 'y' }],
    ['extension of 0 days', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'request_extension', 'department', { days: 0, reason: 'y' }],
    ['extension of 1.5 days', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'request_extension', 'department', { days: 1.5, reason: 'y' }],
    ['extension without reason', 'TICKET_REASON_REQUIRED', ticketIn('in_progress'), 'request_extension', 'department', { days: 2, reason: '' }],
    ['approve without request', 'EXTENSION_NOT_PENDING', ticketIn('in_progress'), 'approve_extension', 'coordinator', {}],
    ['reject without request', 'EXTENSION_NOT_PENDING', ticketIn('in_progress'), 'reject_extension', 'coordinator', { reason: 'x' }],
    ['dispatch without department', 'TICKET_DEPARTMENT_REQUIRED', ticketIn('pending_dispatch'), 'dispatch', 'coordinator', { leadDepartmentId: ' ' }],
    ['route to a blank department', 'TICKET_DEPARTMENT_REQUIRED', ticketIn('submitted'), 'route', 'system', { leadDepartmentId: '' }],
    ['reassign to the same department', 'TICKET_SAME_DEPARTMENT', ticketIn('in_progress'), 'reassign', 'coordinator', { leadDepartmentId: 'd1', reason: 'x' }],
    ['reassign without reason', 'TICKET_REASON_REQUIRED', ticketIn('in_progress'), 'reassign', 'coordinator', { leadDepartmentId: 'd2', reason: '' }],
    ['reply with unknown outcome', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'reply', 'department', { outcome: 'done' as never, text: 'x' }],
    ['reply without text', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'reply', 'department', { outcome: 'solved', text: '' }],
    ['confirm with unknown verdict', 'TICKET_PAYLOAD_INVALID', ticketIn('replied'), 'confirm', 'enterprise', { verdict: 'ok' as never }],
    ['confirm with rating 6', 'TICKET_PAYLOAD_INVALID', ticketIn('replied'), 'confirm', 'enterprise', { verdict: 'satisfied', rating: 6 }],
    ['confirm with rating 0', 'TICKET_PAYLOAD_INVALID', ticketIn('replied'), 'confirm', 'enterprise', { verdict: 'satisfied', rating: 0 }],
    ['visit without verdict', 'TICKET_PAYLOAD_INVALID', ticketIn('awaiting_visit'), 'record_visit', 'coordinator', {}],
    ['withdrawal visit without answer', 'TICKET_PAYLOAD_INVALID', ticketIn('withdrawn'), 'record_visit', 'coordinator', { verdict: 'satisfied' }],
    ['withdrawal verified twice', 'TICKET_ACTION_NOT_ALLOWED', ticketIn('withdrawn', { withdrawalVerified: true }), 'record_visit', 'coordinator', { withdrawalVoluntary: true }],
    ['withdraw without reason', 'TICKET_REASON_REQUIRED', ticketIn('assigned'), 'withdraw', 'enterprise', { reason: '' }],
    ['merge into itself', 'TICKET_MERGE_INVALID', ticketIn('assigned'), 'merge', 'coordinator', { intoTicketId: 't1' }],
    ['merge into nothing', 'TICKET_MERGE_INVALID', ticketIn('assigned'), 'merge', 'coordinator', { intoTicketId: '' }],
    ['escalate to the same level', 'ESCALATION_LEVEL_INVALID', ticketIn('in_progress', { escalationLevel: 2 }), 'escalate', 'coordinator', { level: 2, reason: 'x' }],
    ['escalate down', 'ESCALATION_LEVEL_INVALID', ticketIn('in_progress', { escalationLevel: 3 }), 'escalate', 'leader', { level: 2, reason: 'x' }],
    ['escalate to level 5', 'ESCALATION_LEVEL_INVALID', ticketIn('in_progress'), 'escalate', 'coordinator', { level: 5 as never, reason: 'x' }],
    ['department skips a level', 'ESCALATION_LEVEL_INVALID', ticketIn('in_progress'), 'escalate', 'department', { level: 3, reason: 'x' }],
    ['escalate beyond 4', 'ESCALATION_LEVEL_INVALID', ticketIn('in_progress', { escalationLevel: 4 }), 'escalate', 'coordinator', { level: 4, reason: 'x' }],
    ['escalate without reason', 'TICKET_REASON_REQUIRED', ticketIn('in_progress'), 'escalate', 'coordinator', { level: 2, reason: '' }],
    ['system supervises by hand', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'supervise', 'system', { reason: 'manual' }],
    ['supervise with unknown reason', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'supervise', 'coordinator', { reason: 'x' as never }],
    ['note with unknown visibility', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'add_note', 'coordinator', { text: 'x', visibility: 'secret' as never }],
    ['empty note', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'add_note', 'coordinator', { text: ' ' }],
    ['null payload', 'TICKET_PAYLOAD_INVALID', ticketIn('in_progress'), 'add_note', 'coordinator', null as never],
    ['enterprise replies', 'TICKET_ROLE_NOT_ALLOWED', ticketIn('in_progress'), 'reply', 'enterprise', { outcome: 'solved', text: 'x' }],
    ['steward confirms', 'TICKET_ROLE_NOT_ALLOWED', ticketIn('replied'), 'confirm', 'steward', { verdict: 'satisfied' }],
    ['reply to a closed ticket', 'TICKET_ACTION_NOT_ALLOWED', ticketIn('closed'), 'reply', 'department', { outcome: 'solved', text: 'x' }],
  ])('%s → %s', (_name, code, snap, action, role, payload) => {
    const r = run(snap, action, role, payload);
    expect(r).toEqual({ ok: false, code });
  });

  it.each<[string, TicketSnapshot, TicketAction, TicketRole]>([
    ['third return', ticketIn('assigned', { returnCount: 2 }), 'return', 'department'],
    ['pending extension', ticketIn('in_progress', { pendingExtension: { days: 1, reason: 'x' } }), 'request_extension', 'department'],
    ['budget used up', ticketIn('in_progress', { extensionDaysGranted: 10 }), 'request_extension', 'department'],
    ['no pending extension', ticketIn('in_progress'), 'approve_extension', 'coordinator'],
    ['already at level 4', ticketIn('in_progress', { escalationLevel: 4 }), 'escalate', 'leader'],
    ['withdrawal already verified', ticketIn('withdrawn', { withdrawalVerified: false }), 'record_visit', 'coordinator'],
  ])('can() says no when the guard fails: %s', (_name, snap, action, role) => {
    expect(can(snap.state, action, role, snap)).toBe(false);
    expect(availableActions(snap, role)).not.toContain(action);
  });
});

describe('effects on the snapshot', () => {
  it('counts returns, clears the department, and stops the department at two', () => {
    let s = ticketIn('assigned');
    s = ok(run(s, 'return', 'department', { reason: '不属于本部门' })).next;
    expect(s).toMatchObject({ returnCount: 1, leadDepartmentId: null, state: 'pending_dispatch' });
    s = ok(run(s, 'dispatch', 'coordinator', { leadDepartmentId: 'd2', assistingDepartmentIds: ['d3', 'd2', 'd3'] })).next;
    expect(s).toMatchObject({ leadDepartmentId: 'd2', assistingDepartmentIds: ['d3'] });
    s = ok(run(s, 'accept', 'department', {})).next;
    s = ok(run(s, 'return', 'department', { reason: '也不属于本部门' })).next;
    expect(s.returnCount).toBe(2);
    s = ok(run(s, 'dispatch', 'coordinator', { leadDepartmentId: 'd1' })).next;
    expect(availableActions(s, 'department')).toEqual(['accept']);
    expect(run(s, 'return', 'department', { reason: 'x' })).toEqual({ ok: false, code: 'RETURN_LIMIT_REACHED' });
    // The coordinator still decides.
    expect(run(s, 'reassign', 'coordinator', { leadDepartmentId: 'd3', reason: '协调决定' }).ok).toBe(true);
  });

  it('grants extensions up to 10 working days per assignment, and a new department starts afresh', () => {
    let s = ticketIn('in_progress');
    s = ok(run(s, 'request_extension', 'department', { days: 4, reason: '需市级协调' })).next;
    expect(s.pendingExtension).toEqual({ days: 4, reason: '需市级协调' });
    s = ok(run(s, 'approve_extension', 'coordinator', {})).next;
    expect(s).toMatchObject({ pendingExtension: null, extensionDaysGranted: 4 });
    s = ok(run(s, 'request_extension', 'department', { days: 6, reason: '再次协调' })).next;
    const rejected = ok(run(s, 'reject_extension', 'coordinator', { reason: '不同意' })).next;
    expect(rejected).toMatchObject({ pendingExtension: null, extensionDaysGranted: 4 });
    s = ok(run(s, 'approve_extension', 'coordinator', {})).next;
    expect(s.extensionDaysGranted).toBe(10);
    expect(can(s.state, 'request_extension', 'department', s)).toBe(false);
    s = ok(run(s, 'reassign', 'coordinator', { leadDepartmentId: 'd2', reason: '改派' })).next;
    expect(s).toMatchObject({ extensionDaysGranted: 0, pendingExtension: null, state: 'assigned' });
  });

  it('keeps handled (replied) apart from solved (confirmed)', () => {
    let s = ticketIn('in_progress');
    s = ok(run(s, 'reply', 'department', { outcome: 'partly_solved', text: '已部分解决' })).next;
    expect(s).toMatchObject({ isHandled: true, isSolved: false, replyOutcome: 'partly_solved' });
    const reopened = ok(run(s, 'confirm', 'enterprise', { verdict: 'dissatisfied', rating: 2, comment: '仍未解决' }));
    expect(reopened.next).toMatchObject({ state: 'in_progress', isHandled: false, isSolved: false, reopenCount: 1, replyOutcome: null, leadDepartmentId: 'd1' });
    expect(reopened.event.data).toEqual({ verdict: 'dissatisfied', rating: 2, comment: '仍未解决' });
    s = ok(run(reopened.next, 'reply', 'department', { outcome: 'solved', text: '已解决' })).next;
    s = ok(run(s, 'confirm', 'enterprise', { verdict: 'basically_satisfied' })).next;
    expect(s).toMatchObject({ state: 'confirmed', isHandled: true, isSolved: true, verdict: { value: 'basically_satisfied', source: 'enterprise' } });
    s = ok(run(s, 'close', 'coordinator', {})).next;
    expect(s).toMatchObject({ state: 'closed', isSolved: true });
  });

  it('closes through the 回访 when the enterprise does not answer', () => {
    let s = ticketIn('replied');
    s = ok(run(s, 'open_visit', 'system', {})).next;
    s = ok(run(s, 'record_visit', 'coordinator', { verdict: 'satisfied', note: '电话回访，企业表示满意' })).next;
    expect(s).toMatchObject({ state: 'closed', isSolved: true, verdict: { value: 'satisfied', source: 'visit' } });
  });

  it('records withdrawals and voids an involuntary one', () => {
    let s = ok(run(ticketIn('in_progress'), 'withdraw', 'enterprise', { reason: ' 已自行解决 ' })).next;
    expect(s).toMatchObject({ state: 'withdrawn', withdrawReason: '已自行解决', withdrawalVerified: null });
    const voluntary = ok(run(s, 'record_visit', 'coordinator', { withdrawalVoluntary: true })).next;
    expect(voluntary).toMatchObject({ state: 'withdrawn', withdrawalVerified: true });
    expect(availableActions(voluntary, 'coordinator')).toEqual([]);
    s = ok(run(s, 'record_visit', 'coordinator', { withdrawalVoluntary: false, note: '企业称受到压力' })).next;
    expect(s).toMatchObject({ state: 'pending_dispatch', withdrawalVerified: false, leadDepartmentId: null });
  });

  it('records merges and supervision', () => {
    expect(ok(run(ticketIn('assigned'), 'merge', 'coordinator', { intoTicketId: ' t0 ' })).next.mergedIntoId).toBe('t0');
    const s = ok(run(ticketIn('assigned'), 'supervise', 'coordinator', { reason: 'manual' })).next;
    expect(s).toMatchObject({ superviseCount: 1, overdueCount: 0 });
    const o = ok(run(s, 'supervise', 'system', { reason: 'overdue' })).next;
    expect(o).toMatchObject({ superviseCount: 2, overdueCount: 1 });
  });

  it('never modifies its input', () => {
    const s = Object.freeze(ticketIn('in_progress'));
    const copy = JSON.stringify(s);
    run(s, 'reply', 'department', { outcome: 'solved', text: 'x' });
    run(s, 'confirm', 'enterprise', { verdict: 'satisfied' });
    expect(JSON.stringify(s)).toBe(copy);
  });
});

describe('event visibility', () => {
  it.each<[TicketState, TicketAction, TicketRole, AnyTicketPayload, 'public' | 'internal', Partial<TicketSnapshot>?]>([
    ['assigned', 'accept', 'department', {}, 'public'],
    ['assigned', 'return', 'department', { reason: 'x' }, 'internal'],
    ['in_progress', 'reassign', 'coordinator', { leadDepartmentId: 'd2', reason: 'x' }, 'internal'],
    ['in_progress', 'add_note', 'department', { text: 'x' }, 'internal'],
    ['in_progress', 'add_note', 'department', { text: 'x', visibility: 'public' }, 'public'],
    ['in_progress', 'request_info', 'department', { text: 'x' }, 'public'],
    ['in_progress', 'request_extension', 'department', { days: 1, reason: 'x' }, 'internal'],
    ['in_progress', 'approve_extension', 'coordinator', {}, 'public', { pendingExtension: { days: 1, reason: 'x' } }],
    ['in_progress', 'reply', 'department', { outcome: 'solved', text: 'x' }, 'public'],
    ['in_progress', 'escalate', 'coordinator', { level: 2, reason: 'x' }, 'internal'],
    ['in_progress', 'supervise', 'coordinator', { reason: 'manual' }, 'internal'],
    ['replied', 'open_visit', 'system', {}, 'internal'],
    ['confirmed', 'close', 'coordinator', {}, 'public'],
  ])('%s %s by %s → %s', (...[state, action, role, payload, visibility, extra]) => {
    expect(ok(run(ticketIn(state, extra), action, role, payload)).event.visibility).toBe(visibility);
  });
});

describe('automatic escalation', () => {
  const ctx = (c: Partial<TicketContext>): TicketContext => ({ ...newTicketSnapshot('t'), ...c });

  it.each<[string, Partial<TicketContext>, number]>([
    ['nothing met', {}, 1],
    ['overdue once', { overdueCount: 1 }, 1],
    ['overdue twice', { overdueCount: 2 }, 2],
    ['returned twice', { returnCount: 2 }, 2],
    ['reopened twice', { reopenCount: 2 }, 1],
    ['reopened three times', { reopenCount: 3 }, 2],
    ['all three', { overdueCount: 2, returnCount: 2, reopenCount: 3 }, 4],
    ['all three from level 3: capped at 4', { overdueCount: 2, returnCount: 2, reopenCount: 3, escalationLevel: 3 }, 4],
    ['manual level 3 then returned twice', { returnCount: 2, escalationLevel: 3 }, 4],
    ['trigger already applied', { returnCount: 2, escalationLevel: 2, escalationTriggers: ['returned_twice'] }, 2],
    ['one applied, one fresh', { returnCount: 2, overdueCount: 3, escalationLevel: 2, escalationTriggers: ['returned_twice'] }, 3],
  ])('%s → level %d', (_name, c, level) => {
    expect(autoEscalationLevel(ctx(c))).toBe(level);
  });

  it('lists the triggers met', () => {
    expect(escalationTriggersMet({ overdueCount: 2, returnCount: 1, reopenCount: 3 })).toEqual(['overdue_twice', 'reopened_thrice']);
  });

  it('raises the level inside the transition that crosses the threshold, once', () => {
    const s = ticketIn('in_progress');
    const first = ok(run(s, 'supervise', 'system', { reason: 'overdue' }));
    expect(first.event.autoEscalation).toBeUndefined();
    const second = ok(run(first.next, 'supervise', 'system', { reason: 'overdue' }));
    expect(second.event.autoEscalation).toEqual({ from: 1, to: 2, triggers: ['overdue_twice'] });
    expect(second.next).toMatchObject({ escalationLevel: 2, escalationTriggers: ['overdue_twice'] });
    const third = ok(run(second.next, 'supervise', 'system', { reason: 'overdue' }));
    expect(third.event.autoEscalation).toBeUndefined();
    expect(third.next.escalationLevel).toBe(2);
  });

  it('raises on the third reopen', () => {
    const r = ok(run(ticketIn('replied', { reopenCount: 2 }), 'confirm', 'enterprise', { verdict: 'dissatisfied' }));
    expect(r.next).toMatchObject({ reopenCount: 3, escalationLevel: 2 });
    expect(r.event.autoEscalation?.triggers).toEqual(['reopened_thrice']);
  });

  it('raises on the second return, from the level a person set', () => {
    const r = ok(run(ticketIn('accepted', { returnCount: 1, escalationLevel: 3 }), 'return', 'department', { reason: 'x' }));
    expect(r.event.autoEscalation).toEqual({ from: 3, to: 4, triggers: ['returned_twice'] });
  });
});

describe('submitTicket', () => {
  it.each<[TicketRole, boolean]>(TICKET_ROLES.map((r) => [r, r === 'enterprise' || r === 'steward']))('%s may submit: %s', (role, expected) => {
    expect(canSubmit(role)).toBe(expected);
    const r = submitTicket('t1', role);
    expect(r.ok).toBe(expected);
    if (r.ok) {
      expect(r.next).toEqual(newTicketSnapshot('t1'));
      expect(r.event).toMatchObject({ action: 'submit', from: null, to: 'submitted', role });
    } else {
      expect(r.code).toBe('TICKET_ROLE_NOT_ALLOWED');
    }
  });

  it('needs an id', () => expect(submitTicket(' ', 'enterprise')).toEqual({ ok: false, code: 'TICKET_PAYLOAD_INVALID' }));
});

describe('availableActions (the buttons)', () => {
  it.each<[string, TicketSnapshot, TicketRole, TicketAction[]]>([
    ['department on a new assignment', ticketIn('assigned'), 'department', ['accept', 'return']],
    ['department while handling', ticketIn('in_progress'), 'department', ['add_note', 'request_info', 'request_extension', 'reply', 'escalate']],
    ['department while waiting', ticketIn('awaiting_info'), 'department', ['add_note', 'reply', 'escalate']],
    ['enterprise while waiting', ticketIn('awaiting_info'), 'enterprise', ['provide_info', 'withdraw']],
    ['steward while waiting', ticketIn('awaiting_info'), 'steward', ['provide_info']],
    ['enterprise after the reply', ticketIn('replied'), 'enterprise', ['confirm']],
    ['coordinator after confirmation', ticketIn('confirmed'), 'coordinator', ['close']],
    ['coordinator with an extension to decide', ticketIn('in_progress', { pendingExtension: { days: 2, reason: 'x' } }), 'coordinator', ['reassign', 'add_note', 'approve_extension', 'reject_extension', 'merge', 'escalate', 'supervise']],
    ['leader on a closed ticket', ticketIn('closed'), 'leader', []],
    ['coordinator on a merged ticket', ticketIn('merged'), 'coordinator', []],
  ])('%s', (_name, snap, role, actions) => {
    expect(availableActions(snap, role)).toEqual(actions);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property: random action sequences never reach an illegal state.

const departments = fc.constantFrom('d1', 'd2', 'd3');
const text = fc.oneof({ arbitrary: fc.constant('说明'), weight: 6 }, { arbitrary: fc.constantFrom('  ', ''), weight: 1 });
const payloadArb: Record<TicketAction, fc.Arbitrary<AnyTicketPayload>> = {
  route: fc.record({ leadDepartmentId: fc.option(departments, { nil: null }) }),
  dispatch: fc.record({ leadDepartmentId: departments, assistingDepartmentIds: fc.array(departments, { maxLength: 2 }) }),
  accept: fc.constant({}),
  return: fc.record({ reason: text }),
  reassign: fc.record({ leadDepartmentId: departments, reason: text }),
  add_note: fc.record({ text, visibility: fc.constantFrom('public' as const, 'internal' as const) }),
  request_info: fc.record({ text }),
  provide_info: fc.record({ text }),
  request_extension: fc.record({ days: fc.integer({ min: -1, max: 12 }), reason: text }),
  approve_extension: fc.constant({}),
  reject_extension: fc.record({ reason: text }),
  reply: fc.record({ outcome: fc.constantFrom('solved' as const, 'explained' as const, 'partly_solved' as const), text }),
  confirm: fc.record({ verdict: fc.constantFrom('satisfied' as const, 'basically_satisfied' as const, 'dissatisfied' as const), rating: fc.integer({ min: 0, max: 6 }) }),
  open_visit: fc.constant({}),
  record_visit: fc.record(
    { verdict: fc.constantFrom('satisfied' as const, 'basically_satisfied' as const, 'dissatisfied' as const), withdrawalVoluntary: fc.boolean() },
    { requiredKeys: [] },
  ),
  close: fc.constant({}),
  withdraw: fc.record({ reason: text }),
  merge: fc.record({ intoTicketId: fc.constantFrom('t0', 't1', '') }),
  escalate: fc.record({ level: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<never>, reason: text }),
  supervise: fc.record({ reason: fc.constantFrom('overdue' as const, 'manual' as const) }),
};

// Each step carries a payload for every action; 80% of steps pick one of the currently permitted
// (action, role) pairs, so long lifecycles (reply → confirm → close) actually occur; the rest are arbitrary.
// Withdraw and merge end a ticket early, so a biased step considers them only one time in five.
const step = fc.record({
  biased: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  allowEnd: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  pick: fc.noBias(fc.nat()),
  action: fc.constantFrom(...TICKET_ACTIONS),
  role: fc.constantFrom(...TICKET_ROLES),
  payloads: fc.record(payloadArb),
});
type Step = { biased: boolean; allowEnd: boolean; pick: number; action: TicketAction; role: TicketRole; payloads: Record<TicketAction, AnyTicketPayload> };

function choose(s: TicketSnapshot, st: Step): { action: TicketAction; role: TicketRole; payload: AnyTicketPayload } {
  let { action, role } = st;
  if (st.biased) {
    const pairs = TICKET_ROLES.flatMap((r) => availableActions(s, r).map((a) => [a, r] as const)).filter(
      ([a]) => st.allowEnd || (a !== 'withdraw' && a !== 'merge'),
    );
    if (pairs.length > 0) [action, role] = pairs[st.pick % pairs.length]!;
  }
  return { action, role, payload: st.payloads[action] };
}

const HANDLED_STATES: readonly TicketState[] = ['replied', 'awaiting_visit', 'confirmed', 'closed'];
const EXTENSION_STATES: readonly TicketState[] = ['accepted', 'in_progress', 'awaiting_info'];
const NEEDS_LEAD: readonly TicketState[] = ['assigned', 'accepted', 'in_progress', 'awaiting_info', 'replied', 'awaiting_visit', 'confirmed', 'closed'];
const POSITIVE = ['satisfied', 'basically_satisfied'];

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('random action sequences (property)', () => {
  it('never reach an illegal state and write exactly one event per successful transition', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const start = submitTicket('t1', 'enterprise');
        if (!start.ok) throw new Error('submit failed');
        let s = deepFreeze(start.next);
        const events = [start.event];
        let returns = 0;
        let reopens = 0;
        let positiveSinceReopen = false;

        for (const st of steps) {
          const { action, role, payload } = choose(s, st);
          const before = JSON.stringify(s);
          const allowedNow = can(s.state, action, role, s);
          expect(availableActions(s, role).includes(action)).toBe(allowedNow);
          const r = run(s, action, role, payload);

          if (!r.ok) {
            expect(Object.keys(r).sort()).toEqual(['code', 'ok']); // no event, no next
            expect(JSON.stringify(s)).toBe(before);
            if (!allowedNow) expect(['TICKET_ACTION_NOT_ALLOWED', 'TICKET_ROLE_NOT_ALLOWED', 'RETURN_LIMIT_REACHED', 'EXTENSION_PENDING', 'EXTENSION_TOO_LONG', 'EXTENSION_NOT_PENDING', 'ESCALATION_LEVEL_INVALID']).toContain(r.code);
            continue;
          }

          // Exactly one event describing this very transition.
          expect(allowedNow).toBe(true);
          expect(r.event).toMatchObject({ action, role, from: s.state, to: r.next.state });
          events.push(r.event);
          expect(JSON.stringify(s)).toBe(before);

          const prev = s;
          const next = deepFreeze(r.next);
          if (action === 'return') returns++;
          const verdict = (r.event.data as { verdict?: string }).verdict;
          if ((action === 'confirm' || action === 'record_visit') && verdict === 'dissatisfied') {
            reopens++;
            positiveSinceReopen = false;
          }
          if (action === 'confirm' && POSITIVE.includes(verdict!)) positiveSinceReopen = true;

          // Closed only after a satisfied confirmation or a recorded visit.
          if (next.state === 'closed') {
            if (action === 'close') expect(positiveSinceReopen).toBe(true);
            else expect(action === 'record_visit' && POSITIVE.includes(verdict!)).toBe(true);
            expect(next.isSolved).toBe(true);
          }
          // Counters.
          expect(next.returnCount).toBe(returns);
          expect(next.returnCount).toBeLessThanOrEqual(2);
          expect(next.reopenCount).toBe(reopens);
          expect(next.extensionDaysGranted).toBeGreaterThanOrEqual(0);
          expect(next.extensionDaysGranted).toBeLessThanOrEqual(10);
          // Escalation is within 1–4, never goes down, each trigger at most once.
          expect([1, 2, 3, 4]).toContain(next.escalationLevel);
          expect(next.escalationLevel).toBeGreaterThanOrEqual(prev.escalationLevel);
          expect(new Set(next.escalationTriggers).size).toBe(next.escalationTriggers.length);
          for (const t of escalationTriggersMet(next)) expect(next.escalationTriggers).toContain(t);
          // Handled vs solved.
          expect(next.isHandled).toBe(HANDLED_STATES.includes(next.state));
          expect(next.isSolved).toBe(next.state === 'confirmed' || next.state === 'closed');
          expect(next.isSolved ? next.verdict !== null && POSITIVE.includes(next.verdict.value) : true).toBe(true);
          // Department and extension bookkeeping.
          if (NEEDS_LEAD.includes(next.state)) expect(next.leadDepartmentId).not.toBeNull();
          if (next.state === 'pending_dispatch' || next.state === 'submitted') expect(next.leadDepartmentId).toBeNull();
          if (next.pendingExtension) expect(EXTENSION_STATES).toContain(next.state);
          if (next.state === 'merged') expect(next.mergedIntoId).toBe('t0');
          if (next.state === 'withdrawn') expect(next.withdrawReason).toBe('说明');
          // Terminal states offer nothing.
          if (next.state === 'closed' || next.state === 'merged') {
            for (const role2 of TICKET_ROLES) expect(availableActions(next, role2)).toEqual([]);
          }
          s = next;
        }
        // The event log alone tells the ticket's path: it starts at submit, each event leaves the state the
        // previous one reached, and the last one reaches the final state. A refusal that wrote an event, or a
        // transition that wrote none, breaks the chain.
        expect(events[0]).toMatchObject({ action: 'submit', from: null, to: 'submitted' });
        for (let i = 1; i < events.length; i++) expect(events[i]!.from).toBe(events[i - 1]!.to);
        expect(events[events.length - 1]!.to).toBe(s.state);
      }),
      { numRuns: 500 },
    );
  });

  it('reaches the interesting states (the generator is not vacuous)', () => {
    const seen = new Set<TicketState>();
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        let s = newTicketSnapshot('t1');
        for (const st of steps) {
          const { action, role, payload } = choose(s, st);
          const r = run(s, action, role, payload);
          if (r.ok) s = r.next;
          seen.add(s.state);
        }
      }),
      { numRuns: 500, seed: 42 },
    );
    expect([...seen].sort()).toEqual([...TICKET_STATES].sort());
  });
});

describe('批示 (issue 13): a leader’s written instruction', () => {
  it('is an internal add_note event kept with its kind; the state does not move', () => {
    const r = transition(ticketIn('accepted'), 'add_note', 'leader', { text: ' 请本周内拿出方案 ', kind: 'leader_instruction' });
    expect(r.ok && r.event).toMatchObject({ action: 'add_note', role: 'leader', to: 'accepted', visibility: 'internal', data: { text: '请本周内拿出方案', kind: 'leader_instruction' } });
  });
  it('is refused from anyone but a leader, when public, or of an unknown kind', () => {
    for (const role of ['coordinator', 'department'] as const) {
      expect(transition(ticketIn('in_progress'), 'add_note', role, { text: '批示', kind: 'leader_instruction' })).toEqual({ ok: false, code: 'TICKET_ROLE_NOT_ALLOWED' });
    }
    expect(transition(ticketIn('accepted'), 'add_note', 'leader', { text: '批示', kind: 'leader_instruction', visibility: 'public' })).toEqual({ ok: false, code: 'TICKET_PAYLOAD_INVALID' });
    expect(transition(ticketIn('accepted'), 'add_note', 'leader', { text: '批示', kind: 'order' })).toEqual({ ok: false, code: 'TICKET_PAYLOAD_INVALID' });
    expect(transition(ticketIn('accepted'), 'add_note', 'leader', { text: ' ', kind: 'leader_instruction' })).toEqual({ ok: false, code: 'TICKET_PAYLOAD_INVALID' });
  });
});
