import { createTestApp, type TestApp } from '../../../../test/helper';
import { seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';
import type { SeedPerson } from '../../../../test/factories';
import type { AuthUser } from '../../../lib/principal';
import { createTicket, getTicket } from './ticket.service';
import { performAction } from './ticket-actions';
import { runTicketDeadlines } from '../ticket.jobs';

let t: TestApp;
let w: TicketWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211107');
});
afterAll(() => t.close());

const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });
/** An instant in Shanghai time. */
const cn = (local: string) => new Date(`${local}+08:00`);
const endOf = (date: string) => cn(`${date}T23:59:59.999`).toISOString();

async function file(at: string, body: Record<string, unknown> = {}) {
  return createTicket(t.db, as(w.contact1), {
    categoryId: w.cat('人才用工'), title: '急需招聘电焊工', description: '扩产需要熟练电焊工二十名，本地招聘困难', ...body,
  }, { now: cn(at) });
}
async function act(id: string, who: SeedPerson, action: Parameters<typeof performAction>[3], at: string, body: Record<string, unknown> = {}) {
  const cur = await getTicket(t.db, as(who), id, { now: cn(at) });
  return performAction(t.db, as(who), id, action, { version: cur.version, ...body }, { now: cn(at) });
}

describe('deadlines on China\'s working days', () => {
  it('across National Day 2026 and the 调休 Saturday 10-10: accept by 10-08, reply by 10-13', async () => {
    // Assigned Wed 2026-09-30: 10-01..10-07 are holidays, Sat 10-10 is a make-up working day.
    const tk = await file('2026-09-30T10:00:00');
    expect(tk.deadlines.acceptDueAt).toBe(endOf('2026-10-08'));
    expect(tk.deadlines.replyDueAt).toBe(endOf('2026-10-13')); // 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13
    expect(tk.deadlines.provisional).toBe(false);
  });

  it('urgent tickets get the urgent limit (1 working day)', async () => {
    const tk = await file('2026-09-30T10:00:00', { urgency: 'urgent' });
    expect(tk.deadlines.replyDueAt).toBe(endOf('2026-10-08'));
  });

  it('waiting for the enterprise pauses the clock: the working days waited are added back', async () => {
    const tk = await file('2026-11-02T09:00:00'); // Mon → reply by Mon 11-09
    expect(tk.deadlines.replyDueAt).toBe(endOf('2026-11-09'));
    await act(tk.id, w.staff1, 'accept', '2026-11-02T10:00:00');
    await act(tk.id, w.staff1, 'request_info', '2026-11-03T10:00:00', { text: '请提供岗位需求清单' }); // Tue
    const resumed = await act(tk.id, w.contact1, 'provide_info', '2026-11-05T16:00:00', { text: '清单已上传' }); // Thu: 2 working days
    expect(resumed.deadlines.replyDueAt).toBe(endOf('2026-11-11'));
    expect(resumed.timeline.at(-1)!.data).toMatchObject({ pausedWorkingDays: 2 });
  });

  it('an approved extension moves the reply deadline by working days; a new due date converts to working days', async () => {
    const tk = await file('2026-11-02T09:00:00');
    await act(tk.id, w.staff1, 'accept', '2026-11-02T10:00:00');
    const asked = await act(tk.id, w.staff1, 'request_extension', '2026-11-04T10:00:00', { newDueDate: '2026-11-13', reason: '需要现场核查' });
    expect(asked.pendingExtension).toEqual({ days: 4, reason: '需要现场核查' });
    const ok = await act(tk.id, w.coordinator, 'approve_extension', '2026-11-04T11:00:00');
    expect(ok.deadlines.replyDueAt).toBe(endOf('2026-11-13'));
    expect(ok.extensionDaysGranted).toBe(4);
    await expect(act(tk.id, w.staff1, 'request_extension', '2026-11-05T10:00:00', { days: 7, reason: '再延' })).rejects.toMatchObject({ code: 'EXTENSION_TOO_LONG' });
  });
});

describe('the deadlines job', () => {
  it('issues the 督办单 on the working day after the deadline, exactly once even when two instances run it at once', async () => {
    const tk = await file('2026-09-30T10:00:00'); // accept by 10-08 (Thu)
    const before = await Promise.all([runTicketDeadlines(t.db, cn('2026-10-08T20:00:00')), runTicketDeadlines(t.db, cn('2026-10-08T20:00:00'))]);
    expect(before.reduce((n, r) => n + r.supervised, 0)).toBe(0);
    const sups = () => t.db.query(`SELECT kind, missed_due_at, department_id, status FROM supervision WHERE ticket_id = $1`, [tk.id]);
    expect(await sups()).toHaveLength(0);
    const runs = await Promise.all([runTicketDeadlines(t.db, cn('2026-10-09T08:00:00')), runTicketDeadlines(t.db, cn('2026-10-09T08:00:00'))]);
    const mine = await sups();
    expect(mine).toEqual([{ kind: 'overdue_accept', missed_due_at: new Date(endOf('2026-10-08')), department_id: w.departments[0], status: 'issued' }]);
    expect(runs.some((r) => r.ran)).toBe(true);
    const again = await runTicketDeadlines(t.db, cn('2026-10-09T09:00:00'));
    expect(await sups()).toHaveLength(1);
    expect(again.supervised).toBe(0);
    const d = await getTicket(t.db, as(w.coordinator), tk.id, { now: cn('2026-10-09T09:00:00') });
    expect(d.counters).toMatchObject({ overdueCount: 1, superviseCount: 1 });
    expect(d.timeline.filter((e) => e.action === 'supervise')).toHaveLength(1);
    expect(d.timeline.at(-1)).toMatchObject({ actor: null, role: 'system', visibility: 'internal' });
    const staffNotes = await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND entity_id = $2 AND kind = 'ticket.supervise'`, [w.staff1.id, tk.id]);
    expect(staffNotes[0].n).toBe(1);
  });

  it('one lapse, one 督办单: 签收 and 答复 missed the same day (urgent) give one 督办单, counted once, no escalation', async () => {
    // Urgent on Thu 10-08: accept by Fri 10-09 and reply by Fri 10-09 — one missed day. Supervised on the 调休 Saturday 10-10.
    const tk = await file('2026-10-08T09:00:00', { urgency: 'urgent' });
    expect(tk.deadlines.acceptDueAt).toBe(endOf('2026-10-09'));
    expect(tk.deadlines.replyDueAt).toBe(endOf('2026-10-09'));
    const sat = await runTicketDeadlines(t.db, cn('2026-10-10T09:00:00'));
    expect(sat.ran).toBe(true);
    const sups = async () => t.db.query(`SELECT kind, missed_due_at FROM supervision WHERE ticket_id = $1 ORDER BY issued_at`, [tk.id]);
    expect(await sups()).toEqual([{ kind: 'overdue_accept', missed_due_at: new Date(endOf('2026-10-09')) }]);
    const d = await getTicket(t.db, as(w.coordinator), tk.id, { now: cn('2026-10-10T09:00:00') });
    expect(d.counters).toMatchObject({ overdueCount: 1, superviseCount: 1 });
    expect(d.escalationLevel).toBe(1);
    const step = d.timeline.filter((e) => e.action === 'supervise');
    expect(step).toHaveLength(1);
    expect(step[0].data).toMatchObject({ kind: 'overdue_accept', alsoMissed: [{ kind: 'overdue_reply', missedDueAt: endOf('2026-10-09') }] });
    // The covered reply deadline is not supervised again on a later run.
    await runTicketDeadlines(t.db, cn('2026-10-12T09:00:00'));
    expect(await sups()).toHaveLength(1);
  });

  it('two lapses on different days: two 督办单, and the second escalates (overdue twice)', async () => {
    // Thu 10-08: accept by Fri 10-09, the reply five working days later.
    const tk = await file('2026-10-08T09:00:00');
    await runTicketDeadlines(t.db, cn('2026-10-10T09:00:00'));
    expect((await getTicket(t.db, as(w.coordinator), tk.id, { now: cn('2026-10-10T09:00:00') })).escalationLevel).toBe(1);
    const due = (await getTicket(t.db, as(w.coordinator), tk.id, { now: cn('2026-10-10T09:00:00') })).deadlines.replyDueAt!;
    const after = new Date(new Date(due).getTime() + 3 * 86_400_000); // past the next working day, whatever the weekday
    await runTicketDeadlines(t.db, after);
    const kinds = (await t.db.query(`SELECT kind FROM supervision WHERE ticket_id = $1 ORDER BY issued_at`, [tk.id])).map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(['overdue_accept', 'overdue_reply']);
    const d = await getTicket(t.db, as(w.coordinator), tk.id, { now: after });
    expect(d.counters.overdueCount).toBe(2);
    expect(d.escalationLevel).toBe(2);
    const auto = d.timeline.find((e) => e.data.autoEscalation);
    expect(auto!.data.autoEscalation).toEqual({ from: 1, to: 2, triggers: ['overdue_twice'] });
  });

  it('a job that missed days issues one 督办单 per ticket and day, never two at once', async () => {
    // Accept missed on Fri 10-09, reply missed later; the job first runs long after both: one now, the other the next day.
    const tk = await file('2026-10-08T09:00:00');
    const due = (await getTicket(t.db, as(w.coordinator), tk.id, { now: cn('2026-10-08T10:00:00') })).deadlines.replyDueAt!;
    const late = new Date(new Date(due).getTime() + 2.5 * 86_400_000); // noon, two and a half days after the reply deadline
    await runTicketDeadlines(t.db, late);
    await runTicketDeadlines(t.db, new Date(late.getTime() + 3_600_000)); // same day: nothing more
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM supervision WHERE ticket_id = $1`, [tk.id]))[0].n;
    expect(await count()).toBe(1);
    expect((await getTicket(t.db, as(w.coordinator), tk.id, { now: late })).escalationLevel).toBe(1);
    await runTicketDeadlines(t.db, new Date(late.getTime() + 86_400_000)); // the next day: the second lapse
    expect(await count()).toBe(2);
  });

  it('a plain weekend: a Friday deadline is supervised on Monday, not on Saturday', async () => {
    const tk = await file('2026-11-19T09:00:00', { urgency: 'urgent' }); // Thu → accept/reply by Fri 11-20
    await runTicketDeadlines(t.db, cn('2026-11-21T10:00:00')); // Saturday
    expect(await t.db.query(`SELECT 1 FROM supervision WHERE ticket_id = $1`, [tk.id])).toHaveLength(0);
    await runTicketDeadlines(t.db, cn('2026-11-23T08:00:00')); // Monday: one 督办单 for the one missed day
    expect(await t.db.query(`SELECT 1 FROM supervision WHERE ticket_id = $1`, [tk.id])).toHaveLength(1);
  });

  it('opens a 回访 task when a reply stays unconfirmed for 5 working days; the recorded verdict closes the ticket', async () => {
    const tk = await file('2026-11-02T09:00:00');
    await act(tk.id, w.staff1, 'accept', '2026-11-02T10:00:00');
    const replied = await act(tk.id, w.staff1, 'reply', '2026-11-03T10:00:00', { outcome: 'solved', text: '已推荐求职者18名' });
    expect(replied.deadlines.confirmationDueAt).toBe(endOf('2026-11-10'));
    await runTicketDeadlines(t.db, cn('2026-11-10T20:00:00'));
    expect((await getTicket(t.db, as(w.coordinator), tk.id, { now: cn('2026-11-10T20:00:00') })).state).toBe('replied');
    await Promise.all([runTicketDeadlines(t.db, cn('2026-11-11T08:00:00')), runTicketDeadlines(t.db, cn('2026-11-11T08:00:00'))]);
    const tasks = await t.db.query(`SELECT id, kind, status FROM return_visit_task WHERE ticket_id = $1`, [tk.id]);
    expect(tasks).toEqual([{ id: expect.any(String), kind: 'confirmation', status: 'open' }]);
    const d = await getTicket(t.db, as(w.coordinator), tk.id, { now: cn('2026-11-11T09:00:00') });
    expect(d.state).toBe('awaiting_visit');
    expect(d.availableActions).toEqual(expect.arrayContaining(['record_visit']));
    const closed = await act(tk.id, w.coordinator, 'record_visit', '2026-11-11T10:00:00', { verdict: 'basically_satisfied', method: 'phone', note: '电话回访，企业基本满意' });
    expect(closed).toMatchObject({ state: 'closed', isSolved: true, verdict: { value: 'basically_satisfied', source: 'visit' } });
    expect(await t.db.query(`SELECT status, verdict, method FROM return_visit_task WHERE ticket_id = $1`, [tk.id])).toEqual([{ status: 'done', verdict: 'basically_satisfied', method: 'phone' }]);
  });
});
