import type { TicketDetail, TicketSummary } from '@guanjia/shared/schemas/tickets';
import {
  assignBody, assignMode, createAdminApi, formatDayLines, lastReturn, loadDeskWorkCounts, mapLimit, meetingBody, parseAttendees, validateMeeting, parseDayLines, personBody, returnVisitBody,
  routingSuggestion, splitDispatch, validateAssign, validatePerson, validateReturnVisit, type PersonForm,
} from './admin';
import { createHttpClient } from './http';
import { createMemoryStorage } from './storage';
import { createTokenStore } from './token-store';
import { fakeTransport, keySequence, type Step } from '../test-support/fake-transport';

const BASE = '/api/v1';

function setup(script: Record<string, Step[]>) {
  const fake = fakeTransport(script);
  const tokens = createTokenStore(createMemoryStorage());
  tokens.set({ accessToken: 'a', refreshToken: 'r' });
  const http = createHttpClient({ baseUrl: BASE, transport: fake.transport, tokens, newKey: keySequence(), sleep: async () => undefined });
  return { api: createAdminApi(http), fake };
}

const summary = (id: string, over: Partial<TicketSummary> = {}): TicketSummary => ({
  id, no: `2026-00000${id}`, title: '招工难', state: 'pending_dispatch', stateLabel: '待交办', urgency: 'normal',
  category: { id: 'c', name: '人才用工', path: '人才用工' }, enterprise: { id: 'e', name: '甲公司' }, area: { id: 'a', name: '一号镇' },
  leadDepartment: null, escalationLevel: 1, overdue: false, acceptDueAt: null, replyDueAt: null, isHandled: false, isSolved: false,
  createdAt: '2026-11-20T00:00:00.000Z', updatedAt: '2026-11-20T00:00:00.000Z', version: 3, returnCount: 0, extensionPending: false, ...over,
});

const detail = (id: string, returnCount: number, over: Partial<TicketDetail> = {}): TicketDetail => ({
  ...summary(id),
  description: '', submittedBy: { id: 'p', name: '企业联系人甲', role: 'enterprise' }, assistingDepartments: [], routingRuleId: null,
  deadlines: { assignedAt: null, acceptDueAt: null, replyDueAt: null, confirmationDueAt: null, paused: false, provisional: false },
  counters: { returnCount, reopenCount: 0, overdueCount: 0, superviseCount: 0 }, pendingExtension: null, extensionDaysGranted: 0,
  reply: null, verdict: null, solvedAt: null, closedAt: null, withdrawReason: null, mergedInto: null, mergedTickets: [], availableActions: ['dispatch'],
  timeline: returnCount
    ? [
        { seq: 2, action: 'return', label: '退回', actor: null, role: 'department', from: 'assigned', to: 'pending_dispatch', visibility: 'internal', note: '不属于本部门', data: { departmentName: '金融办' }, attachments: [], createdAt: '2026-11-21T00:00:00.000Z' },
        { seq: 3, action: 'return', label: '退回', actor: null, role: 'department', from: 'assigned', to: 'pending_dispatch', visibility: 'internal', note: '应由人社局办理', data: { departmentName: '住建局' }, attachments: [], createdAt: '2026-11-22T00:00:00.000Z' },
      ]
    : [],
  ...over,
});

describe('dispatch queues', () => {
  it('splits waiting tickets into new and returned, with the last return reason', () => {
    const { fresh, returned } = splitDispatch([detail('1', 0), detail('2', 2)], [summary('1'), summary('2')]);
    expect(fresh.map((q) => q.ticket.id)).toEqual(['1']);
    expect(returned).toHaveLength(1);
    expect(returned[0].returned).toEqual({ departmentName: '住建局', reason: '应由人社局办理', at: '2026-11-22T00:00:00.000Z' });
    expect(lastReturn([])).toBeNull();
  });

  it('asks the server for new and returned tickets apart, following cursors, and reads only the returned details', async () => {
    const { api, fake } = setup({
      'GET /api/v1/tickets': [
        { status: 200, body: { items: [summary('1')], nextCursor: 'c2' } }, // new, page 1
        { status: 200, body: { items: [summary('2', { returnCount: 1 })], nextCursor: null } }, // returned
        { status: 200, body: { items: [summary('3')], nextCursor: null } }, // new, page 2
      ],
      'GET /api/v1/tickets/2': [{ status: 200, body: detail('2', 1) }],
    });
    const q = await api.dispatchQueues();
    expect(q.fresh.map((i) => i.ticket.id)).toEqual(['1', '3']);
    expect(q.fresh[0].detail).toBeUndefined();
    expect(q.returned.map((i) => i.ticket.id)).toEqual(['2']);
    expect(q.returned[0].returned).toEqual({ departmentName: '住建局', reason: '应由人社局办理', at: '2026-11-22T00:00:00.000Z' });
    const lists = fake.calls.filter((c) => /\/tickets\?/.test(c.url)).map((c) => c.url);
    expect(lists[0]).toContain('state=pending_dispatch&state=submitted');
    expect(lists[0]).toContain('returned=false');
    expect(lists[1]).toContain('returned=true');
    expect(lists[2]).toContain('cursor=c2');
    expect(fake.calls.filter((c) => /\/tickets\/\d/.test(c.url)).map((c) => c.url)).toEqual([expect.stringContaining('/tickets/2')]);
  });

  it('reads the extension approvals with the extensionPending filter, then their details', async () => {
    const { api, fake } = setup({
      'GET /api/v1/tickets': [{ status: 200, body: { items: [summary('1', { state: 'in_progress', extensionPending: true })], nextCursor: null } }],
      'GET /api/v1/tickets/1': [{ status: 200, body: detail('1', 0, { pendingExtension: { days: 3, reason: '需现场勘查' } }) }],
    });
    const q = await api.extensionQueue();
    expect(q.map((i) => i.detail?.pendingExtension?.days)).toEqual([3]);
    expect(fake.calls[0].url).toContain('extensionPending=true');
  });

  it('reads escalations with escalationLevelMin=2 in one list, highest level first', async () => {
    const { api, fake } = setup({
      'GET /api/v1/tickets': [{ status: 200, body: { items: [summary('1', { escalationLevel: 2 }), summary('2', { escalationLevel: 4 }), summary('3', { escalationLevel: 3 })], nextCursor: null } }],
    });
    const q = await api.escalations();
    expect(q.map((i) => i.ticket.id)).toEqual(['2', '3', '1']);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].url).toContain('escalationLevelMin=2');
  });

  it('maps with bounded concurrency and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
});

describe('交办 / 改派 form', () => {
  it('dispatches waiting tickets and reassigns those still with a department', () => {
    expect(assignMode('pending_dispatch')).toBe('dispatch');
    expect(assignMode('accepted')).toBe('reassign');
    expect(assignMode('replied')).toBeNull();
  });

  it('requires a lead department, a reason to reassign, and keeps the lead out of the helpers', () => {
    expect(validateAssign({ leadDepartmentId: '', assistingDepartmentIds: [], text: '' }, 'dispatch')).toEqual({ leadDepartmentId: '请选择主办部门' });
    expect(validateAssign({ leadDepartmentId: 'd1', assistingDepartmentIds: ['d1'], text: '' }, 'reassign', 'd2')).toEqual({
      assistingDepartmentIds: '协办部门不能与主办部门相同', reason: '请填写改派原因',
    });
    expect(validateAssign({ leadDepartmentId: 'd1', assistingDepartmentIds: [], text: '误派' }, 'reassign', 'd1').leadDepartmentId).toContain('相同');
  });

  it('builds the action body with the version read', () => {
    expect(assignBody({ leadDepartmentId: 'd1', assistingDepartmentIds: ['d2', 'd1'], text: ' 请尽快 ' }, 'dispatch', 4)).toEqual({
      version: 4, leadDepartmentId: 'd1', assistingDepartmentIds: ['d2'], note: '请尽快',
    });
    expect(assignBody({ leadDepartmentId: 'd1', assistingDepartmentIds: [], text: '职能不符' }, 'reassign', 5)).toEqual({ version: 5, leadDepartmentId: 'd1', reason: '职能不符' });
  });
});

describe('回访 record', () => {
  const form = { verdict: '' as const, voluntary: '' as const, method: 'phone' as const, note: '' };
  it('asks for a verdict, or for voluntary yes/no on a withdrawal, and a note when the enterprise is unhappy', () => {
    expect(validateReturnVisit('confirmation', form)).toEqual({ verdict: '请选择企业的评价' });
    expect(validateReturnVisit('withdrawal', form)).toEqual({ withdrawalVoluntary: '请选择企业是否自愿撤回' });
    expect(validateReturnVisit('confirmation', { ...form, verdict: 'dissatisfied' })).toEqual({ note: '请记录企业反映的情况' });
    expect(returnVisitBody('confirmation', { ...form, verdict: 'satisfied', note: ' 已解决 ' }, 7)).toEqual({ version: 7, method: 'phone', verdict: 'satisfied', note: '已解决' });
    expect(returnVisitBody('withdrawal', { ...form, voluntary: 'no' }, 7)).toEqual({ version: 7, method: 'phone', withdrawalVoluntary: false });
  });
});

describe('holiday calendar text', () => {
  it('reads single days and ranges with names, sorted and deduplicated', () => {
    const r = parseDayLines('2027-01-01 元旦\n\n2027-02-06~2027-02-08 春节\n2027-02-08，春节', 2027);
    expect(r.errors).toEqual([]);
    expect(r.days).toEqual([
      { date: '2027-01-01', name: '元旦' }, { date: '2027-02-06', name: '春节' }, { date: '2027-02-07', name: '春节' }, { date: '2027-02-08', name: '春节' },
    ]);
  });

  it('names the bad lines in Chinese', () => {
    const r = parseDayLines('2027-02-30 假日\n2026-12-31 元旦\n元旦', 2027);
    expect(r.errors).toEqual(['第 1 行日期无效', '第 2 行的日期不在 2027 年', expect.stringContaining('第 3 行格式')]);
  });

  it('writes consecutive days with one name as a range, round-tripping the parser', () => {
    const days = parseDayLines('2027-01-01 元旦\n2027-02-06~2027-02-08 春节', 2027).days;
    expect(formatDayLines(days)).toBe('2027-01-01 元旦\n2027-02-06~2027-02-08 春节');
  });
});

describe('new person', () => {
  const base: PersonForm = { name: '李四', roles: ['steward'], username: '', phone: '', password: '', title: '', departmentId: '', enterpriseId: '', issueInvitation: true };
  it('needs a way to log in and the unit a role belongs to', () => {
    expect(validatePerson(base)).toEqual({});
    expect(validatePerson({ ...base, issueInvitation: false })).toHaveProperty('issueInvitation');
    expect(validatePerson({ ...base, roles: ['department'] })).toEqual({ departmentId: '部门办理人需选择所属部门' });
    expect(validatePerson({ ...base, phone: '123', username: '1abc' })).toMatchObject({ phone: expect.any(String), username: expect.any(String) });
  });
  it('sends only what was filled, and the unit only for its role', () => {
    expect(personBody({ ...base, title: ' 项目管家 ', departmentId: 'd1' })).toEqual({ name: '李四', roles: ['steward'], title: '项目管家', issueInvitation: true });
  });
});

describe('home badges', () => {
  it('counts what waits on the steward and the coordinator (one /tickets/counts), leaving out parts that fail', async () => {
    const script = fakeTransport({
      'GET /api/v1/stewards/s1/cadence': [{ status: 200, body: { summary: { done: 3, due: 2, overdue: 1 } } }],
      'GET /api/v1/tickets/counts': [{ status: 200, body: { pendingDispatch: 1, returned: 1, extensionPending: 2, overdue: 1, escalated: 0, returnVisitsOpen: 4, supervisionsOpen: 0 } }],
    });
    const tokens = createTokenStore(createMemoryStorage());
    tokens.set({ accessToken: 'a', refreshToken: 'r' });
    const http = createHttpClient({ baseUrl: BASE, transport: script.transport, tokens, newKey: keySequence(), sleep: async () => undefined });
    const counts = await loadDeskWorkCounts(http, ['steward', 'coordinator'], 's1');
    expect(counts).toEqual({
      'steward:enterprises': 3, 'coordinator:dispatch': 1, 'coordinator:returned': 1, 'coordinator:extensions': 2, 'coordinator:overdue': 1, 'coordinator:followups': 4,
    });
    expect(script.calls.filter((c) => c.url.includes('/tickets'))).toHaveLength(1);
  });

  it('leaves the coordinator badges out when the counts fail', async () => {
    const script = fakeTransport({
      'GET /api/v1/stewards/s1/cadence': [{ status: 200, body: { summary: { done: 3, due: 2, overdue: 1 } } }],
      'GET /api/v1/tickets/counts': [{ status: 500, body: {} }],
    });
    const tokens = createTokenStore(createMemoryStorage());
    tokens.set({ accessToken: 'a', refreshToken: 'r' });
    const http = createHttpClient({ baseUrl: BASE, transport: script.transport, tokens, newKey: keySequence(), sleep: async () => undefined });
    expect(await loadDeskWorkCounts(http, ['steward', 'coordinator'], 's1')).toEqual({ 'steward:enterprises': 3 });
  });
});

describe('协调会', () => {
  const form = { heldOn: '2026-11-20', location: ' 区政府3楼会议室 ', attendees: '赵县长 常务副县长\n李四，发改局局长\n王五', decisions: ' 由金融办牵头协调贷款贴息 ', actions: '金融办两周内出具方案\n\n人社局配合' };
  it('reads attendees as name + title, one per line', () => {
    expect(parseAttendees(form.attendees)).toEqual([{ name: '赵县长', title: '常务副县长' }, { name: '李四', title: '发改局局长' }, { name: '王五' }]);
  });
  it('requires a past date, attendees and decisions', () => {
    expect(validateMeeting(form, '2026-11-25')).toEqual({});
    expect(validateMeeting({ ...form, heldOn: '2026-12-01', attendees: ' ', decisions: '' }, '2026-11-25')).toEqual({
      heldOn: '会议日期不能晚于今天', attendees: expect.any(String), decisions: expect.any(String),
    });
  });
  it('builds the body the API takes', () => {
    expect(meetingBody(form, 9)).toEqual({
      version: 9, heldOn: '2026-11-20', location: '区政府3楼会议室', decisions: '由金融办牵头协调贷款贴息',
      attendees: [{ name: '赵县长', title: '常务副县长' }, { name: '李四', title: '发改局局长' }, { name: '王五' }],
      actions: [{ text: '金融办两周内出具方案' }, { text: '人社局配合' }],
    });
  });
});

describe('routingSuggestion (交办 form)', () => {
  const rule = {
    id: 'r1', category: { id: 'c', name: '政务服务' }, area: null, enterpriseTag: null, leadDepartment: { id: 'd2', name: '金融办' },
    assistingDepartments: [{ id: 'd1', name: '人社局' }, { id: 'd9', name: '停用局' }], priority: 0, specificity: 1, note: null, active: true, version: 1, createdAt: '2026-01-01T00:00:00Z',
  };
  const opts = { returnedDepartmentNames: new Set<string>(), currentLeadId: null, activeDepartmentIds: new Set(['d1', 'd2']) };

  it('preselects the matched rule’s departments (active ones) with the rule in plain words', () => {
    expect(routingSuggestion({ outcome: 'matched', candidates: 1, rule }, opts)).toEqual({
      leadDepartmentId: 'd2', assistingDepartmentIds: ['d1'], name: '金融办', why: '政务服务类的诉求 → 交给 金融办，人社局、停用局协办',
    });
  });

  it('suggests nothing, saying why, for a tie, no rule, the returning or current department', () => {
    expect(routingSuggestion({ outcome: 'tie', candidates: 2, rule: null }, opts)).toEqual({ note: '有 2 条交办规则同样适用，请人工选择承办部门' });
    expect(routingSuggestion({ outcome: 'none', candidates: 0, rule: null }, opts)).toEqual({ note: '没有适用的交办规则，请人工选择承办部门' });
    expect(routingSuggestion({ outcome: 'matched', candidates: 1, rule }, { ...opts, returnedDepartmentNames: new Set(['金融办']) })).toHaveProperty('note');
    expect(routingSuggestion({ outcome: 'matched', candidates: 1, rule }, { ...opts, currentLeadId: 'd2' })).toHaveProperty('note');
    expect(routingSuggestion(undefined, opts)).toBeNull();
  });
});
