import '../test-support/typebox-formats';
import { Value } from '@sinclair/typebox/value';
import { ATTACHMENT_MAX_BYTES, TicketCreate, type TimelineEntry } from '@guanjia/shared';
import { createHttpClient } from './http';
import { createMemoryStorage } from './storage';
import { createTokenStore } from './token-store';
import { MAX_UPLOAD_BYTES } from './files';
import {
  ACTION_PATHS,
  badgeText,
  createTicketService,
  deadlineOf,
  DEPARTMENT_TABS,
  departmentCounts,
  departmentInboxQuery,
  describeEvent,
  dueInfo,
  EMPTY_TICKET_FORM,
  ENTERPRISE_TABS,
  enterpriseCounts,
  formatDate,
  formatTime,
  loadTicketWorkCounts,
  sortByDeadline,
  tabFor,
  ticketBody,
  validateTicketForm,
  type CategoryNode,
  type TicketSummary,
} from './tickets';
import { acceptMany, extensionDecision, filedPromise, TICKET_STEPS, ticketStep } from './tickets';
import { fakeTransport, keySequence } from '../test-support/fake-transport';

const NOW = new Date('2026-11-25T02:00:00Z'); // 10:00 in Beijing, a Wednesday

function summary(p: Partial<TicketSummary>): TicketSummary {
  return {
    id: p.id ?? 'id', no: '2026-000001', title: '招工难', state: 'assigned', stateLabel: '已交办', urgency: 'normal',
    category: { id: 'c', name: '招工用工', path: '人才用工/招工用工' }, enterprise: { id: 'e', name: '甲公司' }, area: { id: 'a', name: '一号镇' },
    leadDepartment: null, escalationLevel: 1, overdue: false, acceptDueAt: null, replyDueAt: null, isHandled: false, isSolved: false,
    createdAt: '2026-11-20T02:00:00Z', updatedAt: '2026-11-20T02:00:00Z', version: 2, returnCount: 0, extensionPending: false, ...p,
  };
}

describe('dates in Beijing time', () => {
  it('formats instants as Beijing wall time, with the year only when it differs', () => {
    expect(formatTime('2026-11-25T09:30:00Z', NOW)).toBe('11-25 17:30');
    expect(formatTime('2026-12-31T16:30:00Z', NOW)).toBe('2027-01-01 00:30');
  });
  it('names the weekday of a date', () => {
    expect(formatDate('2026-11-26')).toBe('2026-11-26（周四）');
  });
});

describe('deadlines', () => {
  it('is the accept deadline while assigned and the reply deadline while handled', () => {
    expect(deadlineOf(summary({ state: 'assigned', acceptDueAt: 'A', replyDueAt: 'R' }))).toEqual({ kind: 'accept', at: 'A' });
    expect(deadlineOf(summary({ state: 'in_progress', replyDueAt: 'R' }))).toEqual({ kind: 'reply', at: 'R' });
    expect(deadlineOf(summary({ state: 'replied', replyDueAt: 'R' }))).toBeNull();
  });

  it.each([
    [{ state: 'assigned', acceptDueAt: '2026-11-23T09:30:00Z', overdue: true }, '签收已超期 1 天', 'overdue'],
    [{ state: 'in_progress', replyDueAt: '2026-11-25T01:00:00Z', overdue: false }, '答复已超期', 'overdue'],
    [{ state: 'assigned', acceptDueAt: '2026-11-25T09:30:00Z' }, '今天 17:30 前签收', 'soon'],
    [{ state: 'accepted', replyDueAt: '2026-11-26T01:30:00Z' }, '明天 09:30 前答复', 'soon'],
    [{ state: 'accepted', replyDueAt: '2026-11-30T09:30:00Z' }, '答复期限 11-30 17:30', 'normal'],
    [{ state: 'awaiting_info', replyDueAt: '2026-11-30T09:30:00Z' }, '等待企业补充材料，期限暂停', 'paused'],
  ] as const)('%j → %s', (p, text, tone) => {
    expect(dueInfo(summary(p as Partial<TicketSummary>), NOW)).toEqual({ text, tone });
  });

  it('tells the enterprise about the reply deadline only', () => {
    const t = summary({ state: 'assigned', acceptDueAt: '2026-11-24T09:30:00Z', replyDueAt: '2026-11-30T09:30:00Z', overdue: true });
    expect(dueInfo(t, NOW, 'enterprise')).toEqual({ text: '答复期限 11-30 17:30', tone: 'normal' });
    expect(dueInfo(summary({ state: 'awaiting_info' }), NOW, 'enterprise')).toEqual({ text: '请补充材料，部门办理期限暂停', tone: 'paused' });
  });

  it('has nothing to say once replied', () => {
    expect(dueInfo(summary({ state: 'replied' }), NOW)).toBeNull();
  });

  it('sorts the inbox overdue first, then by the nearest deadline, tickets without one last', () => {
    const items = [
      summary({ id: 'none', state: 'replied', createdAt: '2026-11-24T00:00:00Z' }),
      summary({ id: 'late', state: 'in_progress', replyDueAt: '2026-11-30T00:00:00Z' }),
      summary({ id: 'soon', state: 'assigned', acceptDueAt: '2026-11-25T09:00:00Z' }),
      summary({ id: 'overdue-old', state: 'assigned', acceptDueAt: '2026-11-20T09:00:00Z', overdue: true }),
      summary({ id: 'overdue-new', state: 'accepted', replyDueAt: '2026-11-24T09:00:00Z', overdue: true }),
    ];
    expect(sortByDeadline(items, NOW).map((t) => t.id)).toEqual(['overdue-old', 'overdue-new', 'soon', 'late', 'none']);
  });
});

describe('tabs and badges', () => {
  it('opens the tab a home work item names', () => {
    expect(tabFor(ENTERPRISE_TABS, 'confirm').key).toBe('confirm');
    expect(tabFor(ENTERPRISE_TABS, 'mine').key).toBe('all');
    expect(tabFor(DEPARTMENT_TABS, 'inbox').key).toBe('assigned');
    expect(tabFor(DEPARTMENT_TABS, 'nonsense').key).toBe('assigned');
  });

  it('counts what waits on an enterprise contact', () => {
    const states = ['assigned', 'in_progress', 'awaiting_info', 'replied', 'awaiting_visit', 'confirmed', 'closed', 'withdrawn'] as const;
    expect(enterpriseCounts(states.map((state) => ({ state })))).toEqual({ mine: 5, confirm: 2, info: 1 });
  });

  it('counts what waits on a department', () => {
    expect(departmentCounts([
      { state: 'assigned', overdue: true }, { state: 'assigned', overdue: false }, { state: 'in_progress', overdue: true }, { state: 'replied', overdue: false },
    ])).toEqual({ inbox: 2, handling: 1, overdue: 2 });
  });

  it('prints badges as WeChat does', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(120)).toBe('99+');
  });
});

describe('timeline lines', () => {
  const entry = (p: Partial<TimelineEntry>): TimelineEntry => ({
    seq: 1, action: 'submit', label: '提交诉求', actor: { id: 'p', name: '企业联系人甲' }, role: 'enterprise', from: null, to: 'submitted',
    visibility: 'public', note: null, data: {}, attachments: [], createdAt: '2026-11-25T02:00:00Z', ...p,
  });

  it('says who acted in which capacity', () => {
    expect(describeEvent(entry({}))).toMatchObject({ title: '提交诉求', who: '企业联系人甲 · 企业', internal: false });
    expect(describeEvent(entry({ action: 'route', label: '自动交办', actor: null, role: 'system', to: 'assigned', note: '按交办规则「人才用工 → 人社局」自动交办' })))
      .toMatchObject({ title: '自动交办', who: '系统', details: ['按交办规则「人才用工 → 人社局」自动交办'] });
  });

  it('spells out replies, verdicts with stars, extensions and escalations', () => {
    expect(describeEvent(entry({ action: 'reply', label: '答复', role: 'department', note: '已推荐 20 名电焊工', data: { outcome: 'solved' } })))
      .toMatchObject({ title: '答复：已解决', details: ['已推荐 20 名电焊工'] });
    expect(describeEvent(entry({ action: 'confirm', label: '确认办理结果', data: { verdict: 'satisfied', rating: 4 }, note: '很快' })))
      .toMatchObject({ title: '企业评价：满意', details: ['很快', '评分：★★★★☆'] });
    expect(describeEvent(entry({ action: 'confirm', label: '确认办理结果', data: { verdict: 'dissatisfied' } })).title).toBe('企业评价：不满意（重办）');
    expect(describeEvent(entry({ action: 'request_extension', label: '申请延期', visibility: 'internal', data: { days: 3 } })))
      .toMatchObject({ title: '申请延期 3 个工作日', internal: true });
    expect(describeEvent(entry({ action: 'return', label: '退回', data: { autoEscalation: { from: 1, to: 2 } } })).details).toEqual(['已自动升级至部门']);
  });
});

describe('filing form', () => {
  const categories = [{ id: 'p1', name: '人才用工', children: [{ id: 'c1', name: '招工用工' }] }] as unknown as CategoryNode[];

  it('asks for a sub-category, a title and a description, next to each field', () => {
    expect(validateTicketForm({ ...EMPTY_TICKET_FORM, parentCategoryId: 'p1', title: '招', description: '太短' }, categories)).toEqual({
      categoryId: '请选择「人才用工」下的具体类别',
      title: '请用一句话概括问题（至少 2 个字）',
      description: '请把问题描述清楚（至少 5 个字）',
    });
  });

  it('sends a body the server schema accepts', () => {
    const form = {
      ...EMPTY_TICKET_FORM, parentCategoryId: 'p1', categoryId: '3f1c2d4e-0000-4000-8000-000000000001', title: ' 招工难 ', description: '急需电焊工二十名，本地招不到。',
      attachments: [{ id: '3f1c2d4e-0000-4000-8000-000000000002' }] as never,
    };
    expect(validateTicketForm(form, categories)).toEqual({});
    const body = ticketBody(form);
    expect(body).toMatchObject({ title: '招工难', attachmentIds: ['3f1c2d4e-0000-4000-8000-000000000002'] });
    expect(Value.Check(TicketCreate, body)).toBe(true);
  });

  it('checks photo sizes with the server limit', () => {
    expect(MAX_UPLOAD_BYTES).toBe(ATTACHMENT_MAX_BYTES);
  });
});

describe('ticket service', () => {
  function setup(script: Parameters<typeof fakeTransport>[0]) {
    const fake = fakeTransport(script);
    const tokens = createTokenStore(createMemoryStorage());
    tokens.set({ accessToken: 'a', refreshToken: 'r' });
    const http = createHttpClient({ baseUrl: '/api/v1', transport: fake.transport, tokens, newKey: keySequence(), sleep: async () => undefined });
    return { fake, svc: createTicketService(http) };
  }

  it('asks the server for the department inbox by deadline on the open tabs, newest first on 已答复', () => {
    const [assigned, handling, replied] = DEPARTMENT_TABS;
    expect(departmentInboxQuery(assigned, false)).toEqual({ state: ['assigned'], limit: 100, sort: 'deadline' });
    expect(departmentInboxQuery(handling, true, 'c2')).toEqual({ state: ['accepted', 'in_progress', 'awaiting_info'], limit: 100, cursor: 'c2', sort: 'deadline', overdue: true });
    expect(departmentInboxQuery(replied, false)).toEqual({ state: ['replied', 'awaiting_visit', 'confirmed', 'closed'], limit: 100 });
  });

  it('takes the enterprise and department home badges from one /tickets/counts', async () => {
    const { fake, svc } = setup({
      'GET /api/v1/tickets/counts': [{ status: 200, body: { toAccept: 2, inProgress: 5, overdue: 1, open: 7, awaitingConfirmation: 1, infoRequested: 3 } }],
      'GET /api/v1/supervisions': [{ status: 200, body: { items: [{ id: 's1' }], nextCursor: null } }],
      'GET /api/v1/notifications': [{ status: 200, body: { items: [], nextCursor: null, unreadCount: 4 } }],
    });
    expect(await loadTicketWorkCounts(svc, ['enterprise', 'department'])).toEqual({
      'enterprise:mine': 7, 'enterprise:confirm': 1, 'enterprise:info': 3, 'enterprise:notifications': 4,
      'department:inbox': 2, 'department:handling': 5, 'department:supervision': 1, 'department:notifications': 4,
    });
    expect(fake.callsTo('GET /api/v1/tickets/counts')).toHaveLength(1);
    expect(fake.callsTo('GET /api/v1/tickets')).toHaveLength(0);
  });

  it('leaves the list badges out when the counts fail, keeping the others', async () => {
    const { svc } = setup({
      'GET /api/v1/tickets/counts': [{ status: 500, body: {} }],
      'GET /api/v1/notifications': [{ status: 200, body: { items: [], nextCursor: null, unreadCount: 2 } }],
    });
    expect(await loadTicketWorkCounts(svc, ['enterprise'])).toEqual({ 'enterprise:notifications': 2 });
  });

  it('posts each action to its own endpoint with the form\'s Idempotency-Key', async () => {
    const { fake, svc } = setup({ 'POST /api/v1/tickets/t1/extension-request': [{ status: 200, body: { id: 't1' } }] });
    await svc.act('t1', 'request_extension', { version: 3, days: 2, reason: '需现场勘验' }, 'draft-key');
    expect(fake.calls[0].headers['Idempotency-Key']).toBe('draft-key');
    expect(fake.calls[0].body).toEqual({ version: 3, days: 2, reason: '需现场勘验' });
    expect(Object.keys(ACTION_PATHS)).toHaveLength(19);
  });

  it('loads categories once and drops inactive ones; a failure is retried next time', async () => {
    const tree = { items: [{ id: 'p', active: true, children: [{ id: 'a', active: true }, { id: 'b', active: false }] }, { id: 'q', active: false, children: [] }] };
    const { fake, svc } = setup({ 'GET /api/v1/ticket-categories': ['network-failure', 'network-failure', { status: 200, body: tree }] });
    await expect(svc.categories()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    const items = await svc.categories();
    await svc.categories();
    expect(items.map((c) => c.id)).toEqual(['p']);
    expect(items[0].children.map((c) => c.id)).toEqual(['a']);
    expect(fake.callsTo('GET /api/v1/ticket-categories')).toHaveLength(3);
  });
});

describe('filedPromise (issue 13)', () => {
  it('promises the reply date in Beijing time, or says it is being dispatched', () => {
    const base = { no: '2026-000123', deadlines: { assignedAt: null, acceptDueAt: null, replyDueAt: null, confirmationDueAt: null, paused: false, provisional: false } };
    expect(filedPromise(base)).toEqual({ no: '2026-000123', promise: expect.stringContaining('正在分派') });
    expect(filedPromise({ ...base, deadlines: { ...base.deadlines, replyDueAt: '2026-12-08T15:59:59.000Z' } }).promise).toBe('承诺于 2026-12-08（周二） 前答复');
  });
});

describe('acceptMany (issue 13: 批量签收)', () => {
  it('accepts each ticket with a key fixed by ticket and version, collecting failures', async () => {
    const calls: [string, unknown, string][] = [];
    const r = await acceptMany(
      [{ id: 'a', no: '2026-000001', version: 3 }, { id: 'b', no: '2026-000002', version: 5 }, { id: 'c', no: '2026-000003', version: 1 }],
      async (id, body, key) => {
        calls.push([id, body, key]);
        if (id === 'b') throw new Error('该诉求已被他人办理');
      },
      (e) => (e as Error).message,
    );
    expect(calls).toEqual([['a', { version: 3 }, 'accept-a-v3'], ['b', { version: 5 }, 'accept-b-v5'], ['c', { version: 1 }, 'accept-c-v1']]);
    expect(r).toEqual({ done: ['a', 'c'], failed: [{ no: '2026-000002', message: '该诉求已被他人办理' }] });
  });
});

describe('ticketStep (issue 13: the step bar)', () => {
  it('maps each state on the path to the step reached, off-path states to none', () => {
    expect(TICKET_STEPS).toEqual(['提交', '交办', '签收', '办理', '答复', '确认', '销号']);
    expect(['pending_dispatch', 'assigned', 'accepted', 'awaiting_info', 'replied', 'confirmed', 'closed'].map(ticketStep)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(ticketStep('withdrawn')).toBeNull();
    expect(ticketStep('merged')).toBeNull();
  });
});

describe('extensionDecision (同意延期)', () => {
  const base = {
    deadlines: { assignedAt: null, acceptDueAt: null, replyDueAt: '2026-12-08T15:59:59.000Z', confirmationDueAt: null, paused: false, provisional: false },
    timeline: [{ seq: 3, action: 'request_extension', data: { proposedReplyDueAt: '2026-12-11T15:59:59.000Z' } }],
  } as unknown as Parameters<typeof extensionDecision>[0];

  it('shows the deadline now and the one approving sets, from the request', () => {
    const d = extensionDecision({ ...base, pendingExtension: { days: 3, reason: '等待勘验' } })!;
    expect(d).toMatchObject({ days: 3, currentDue: '2026-12-08（周二）', newDue: '2026-12-11（周五）' });
    expect(d.confirmText.split('\n')).toEqual(['原答复期限：2026-12-08（周二）', '同意后延至：2026-12-11（周五）', '申请延长 3 个工作日：等待勘验']);
  });

  it('says the days when the request carries no date, and nothing without a pending request', () => {
    const d = extensionDecision({ ...base, timeline: [], pendingExtension: { days: 2, reason: 'x' } })!;
    expect(d.newDue).toBeNull();
    expect(d.confirmText).toContain('同意后答复期限顺延 2 个工作日');
    expect(extensionDecision({ ...base, pendingExtension: null })).toBeNull();
  });
});
