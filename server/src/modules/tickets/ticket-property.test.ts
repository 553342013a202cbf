import fc from 'fast-check';
import { TICKET_STATES, transition, type TicketAction, type TicketRole } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../test/helper';
import { seedTicketWorld, type TicketWorld } from '../../../test/ticket-factories';
import type { SeedPerson } from '../../../test/factories';
import type { AuthUser } from '../../plugins/auth';
import { AppError } from '../../lib/app-error';
import { createTicket } from './ticket.service';
import { performAction } from './ticket-actions';
import { loadTicketRow } from './ticket-engine';
import { toSnapshot } from './ticket-row';

/**
 * The machine is property-tested on its own (shared). This checks the persistence around it: for random sequences of
 * API actions by random people, every accepted action bumps the version by one and writes exactly one event that
 * the machine agrees with (same from → to for the role recorded, same snapshot stored); every refused action
 * writes nothing; the stored state is always a machine state and "solved" always implies "handled".
 */
let t: TestApp;
let w: TicketWorld;
let target: string;
beforeAll(async () => {
  t = await createTestApp();
  w = await seedTicketWorld(t.db, '211115');
  target = (await createTicket(t.db, as(w.contact2), { categoryId: w.cat('融资信贷'), title: '并单目标', description: '作为并单目标的诉求', enterpriseId: w.enterprises[1].id })).id;
});
afterAll(() => t.close());

const as = (p: SeedPerson): AuthUser => ({ id: p.id, districtId: p.districtId, roles: p.roles, enterpriseId: p.enterpriseId, departmentId: p.departmentId });

type Actor = 'contact' | 'steward' | 'staff1' | 'staff2' | 'coordinator' | 'leader';
const person = (a: Actor): SeedPerson =>
  ({ contact: w.contact1, steward: w.steward, staff1: w.staff1, staff2: w.staff2, coordinator: w.coordinator, leader: w.leader })[a];

const dep = fc.constantFrom(0, 1);
const command = fc.oneof(
  fc.record({ action: fc.constant<TicketAction>('dispatch'), lead: dep }),
  fc.record({ action: fc.constant<TicketAction>('reassign'), lead: dep }),
  fc.record({ action: fc.constantFrom<TicketAction>('accept', 'return', 'open_visit', 'close', 'approve_extension', 'supervise') }),
  fc.record({ action: fc.constantFrom<TicketAction>('add_note'), visibility: fc.constantFrom('public', 'internal') }),
  fc.record({ action: fc.constantFrom<TicketAction>('request_info', 'provide_info', 'reject_extension', 'withdraw', 'merge') }),
  fc.record({ action: fc.constant<TicketAction>('request_extension'), days: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ action: fc.constant<TicketAction>('reply'), outcome: fc.constantFrom('solved', 'explained', 'partly_solved') }),
  fc.record({ action: fc.constant<TicketAction>('confirm'), verdict: fc.constantFrom('satisfied', 'basically_satisfied', 'dissatisfied'), rating: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ action: fc.constant<TicketAction>('record_visit'), verdict: fc.constantFrom('satisfied', 'dissatisfied'), voluntary: fc.boolean() }),
  fc.record({ action: fc.constant<TicketAction>('escalate'), level: fc.integer({ min: 2, max: 4 }) }),
);
const step = fc.record({ actor: fc.constantFrom<Actor>('contact', 'steward', 'staff1', 'staff2', 'coordinator', 'leader'), cmd: command });

function body(c: Record<string, unknown> & { action: TicketAction }): Record<string, unknown> {
  switch (c.action) {
    case 'dispatch': return { leadDepartmentId: w.departments[c.lead as number] };
    case 'reassign': return { leadDepartmentId: w.departments[c.lead as number], reason: '改派测试' };
    case 'add_note': return { text: '进展说明', visibility: c.visibility };
    case 'request_info': case 'provide_info': return { text: '材料说明' };
    case 'reject_extension': case 'withdraw': case 'return': return { reason: '原因说明' };
    case 'merge': return { intoTicketId: target };
    case 'request_extension': return { days: c.days, reason: '需要时间' };
    case 'reply': return { outcome: c.outcome, text: '答复内容' };
    case 'confirm': return { verdict: c.verdict, rating: c.rating };
    case 'record_visit': return { verdict: c.verdict, withdrawalVoluntary: c.voluntary };
    case 'escalate': return { level: c.level, reason: '升级原因' };
    default: return {};
  }
}

const eventCount = async (id: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ticket_event WHERE ticket_id = $1`, [id]))[0].n as number;

it('random action sequences persist exactly what the machine decides, one event per transition', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
      const tk = await createTicket(t.db, as(w.contact1), { categoryId: w.cat('人才用工'), title: '随机序列', description: '随机操作序列测试' });
      for (const s of steps) {
        const before = (await loadTicketRow(t.db, tk.id, new Date()))!;
        const n0 = await eventCount(tk.id);
        const b: Record<string, unknown> = { ...body(s.cmd), version: before.version };
        // The record_visit payload depends on the state the ticket is in.
        if (s.cmd.action === 'record_visit') delete b[before.state === 'withdrawn' ? 'verdict' : 'withdrawalVoluntary'];
        let ok = true;
        try {
          await performAction(t.db, as(person(s.actor)), tk.id, s.cmd.action, b);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          ok = false;
        }
        const after = (await loadTicketRow(t.db, tk.id, new Date()))!;
        const n1 = await eventCount(tk.id);
        expect(TICKET_STATES).toContain(after.state);
        if (after.is_solved) expect(after.is_handled).toBe(true);
        if (!ok) {
          expect(after.version).toBe(before.version);
          expect(n1).toBe(n0);
          continue;
        }
        expect(after.version).toBe(before.version + 1);
        expect(n1).toBe(n0 + 1);
        const [ev] = await t.db.query(`SELECT action, actor_role, from_state, to_state, seq FROM ticket_event WHERE ticket_id = $1 ORDER BY seq DESC LIMIT 1`, [tk.id]);
        expect(ev).toMatchObject({ action: s.cmd.action, from_state: before.state, to_state: after.state, seq: after.version });
        // The payload the server hands the machine: a manual 督办 is the body plus its reason.
        const payload = s.cmd.action === 'supervise' ? { reason: 'manual' } : b;
        const m = transition(toSnapshot(before), s.cmd.action, ev.actor_role as TicketRole, payload as never);
        expect(m.ok).toBe(true);
        if (m.ok) expect(toSnapshot(after)).toEqual({ ...m.next, assistingDepartmentIds: [...m.next.assistingDepartmentIds], escalationTriggers: [...m.next.escalationTriggers] });
      }
      const seqs = (await t.db.query(`SELECT seq FROM ticket_event WHERE ticket_id = $1 ORDER BY seq`, [tk.id])).map((r: { seq: number }) => r.seq);
      expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    }),
    { numRuns: 25 },
  );
}, 240_000);
