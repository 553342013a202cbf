import fc from 'fast-check';
import { TICKET_STATES, availableActions, transition, type TicketAction, type TicketRole } from '@guanjia/shared';
import { createTestApp, type TestApp } from '../../../../test/helper';
import { seedTicketWorld, type TicketWorld } from '../../../../test/ticket-factories';
import type { SeedPerson } from '../../../../test/factories';
import type { AuthUser } from '../../../lib/principal';
import { AppError } from '../../../lib/app-error';
import { createTicket } from './ticket.service';
import { performAction } from './ticket-actions';
import { loadTicketRow } from './ticket-engine';
import { toSnapshot } from './ticket-row';
import { relationOf, type AccessFacts } from './ticket.policy';

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
const ACTORS = ['contact', 'steward', 'staff1', 'staff2', 'coordinator', 'leader'] as const;
// One command per action the test can drive; a step carries all of them and uses the one it picks.
const commands = fc.record({
  dispatch: fc.record({ action: fc.constant<TicketAction>('dispatch'), lead: dep }),
  reassign: fc.record({ action: fc.constant<TicketAction>('reassign'), lead: dep }),
  accept: fc.record({ action: fc.constant<TicketAction>('accept') }),
  return: fc.record({ action: fc.constant<TicketAction>('return') }),
  open_visit: fc.record({ action: fc.constant<TicketAction>('open_visit') }),
  close: fc.record({ action: fc.constant<TicketAction>('close') }),
  approve_extension: fc.record({ action: fc.constant<TicketAction>('approve_extension') }),
  supervise: fc.record({ action: fc.constant<TicketAction>('supervise') }),
  add_note: fc.record({ action: fc.constant<TicketAction>('add_note'), visibility: fc.constantFrom('public', 'internal') }),
  request_info: fc.record({ action: fc.constant<TicketAction>('request_info') }),
  provide_info: fc.record({ action: fc.constant<TicketAction>('provide_info') }),
  reject_extension: fc.record({ action: fc.constant<TicketAction>('reject_extension') }),
  withdraw: fc.record({ action: fc.constant<TicketAction>('withdraw') }),
  merge: fc.record({ action: fc.constant<TicketAction>('merge') }),
  request_extension: fc.record({ action: fc.constant<TicketAction>('request_extension'), days: fc.integer({ min: 1, max: 6 }) }),
  reply: fc.record({ action: fc.constant<TicketAction>('reply'), outcome: fc.constantFrom('solved', 'explained', 'partly_solved') }),
  confirm: fc.record({ action: fc.constant<TicketAction>('confirm'), verdict: fc.constantFrom('satisfied', 'basically_satisfied', 'dissatisfied'), rating: fc.integer({ min: 1, max: 5 }) }),
  record_visit: fc.record({ action: fc.constant<TicketAction>('record_visit'), verdict: fc.constantFrom('satisfied', 'dissatisfied'), voluntary: fc.boolean() }),
  escalate: fc.record({ action: fc.constant<TicketAction>('escalate'), level: fc.integer({ min: 2, max: 4 }) }),
});
type Cmd = Record<string, unknown> & { action: TicketAction };
type DrivenAction = keyof typeof commandKeys;
const commandKeys = { dispatch: 1, reassign: 1, accept: 1, return: 1, open_visit: 1, close: 1, approve_extension: 1, supervise: 1, add_note: 1, request_info: 1, provide_info: 1, reject_extension: 1, withdraw: 1, merge: 1, request_extension: 1, reply: 1, confirm: 1, record_visit: 1, escalate: 1 };
const DRIVEN = Object.keys(commandKeys) as DrivenAction[];
// Most steps pick an (actor, action) pair the machine permits now, so long lifecycles (reply → confirm → close)
// actually reach the database; the rest are arbitrary and mostly refused. Withdraw and merge end a ticket, so a
// biased step offers them one time in five.
const step = fc.record({
  biased: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  allowEnd: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  pick: fc.noBias(fc.nat()),
  actor: fc.constantFrom<Actor>(...ACTORS),
  action: fc.constantFrom<DrivenAction>(...DRIVEN),
  cmds: commands,
});
type Step = { biased: boolean; allowEnd: boolean; pick: number; actor: Actor; action: DrivenAction; cmds: Record<DrivenAction, Cmd> };

async function choose(row: Parameters<typeof toSnapshot>[0] & AccessFacts, st: Step): Promise<{ actor: Actor; cmd: Cmd }> {
  if (st.biased) {
    const snap = toSnapshot(row);
    const pairs: [Actor, DrivenAction][] = [];
    for (const a of ACTORS) {
      const rel = await relationOf(t.db, as(person(a)), row);
      for (const act of DRIVEN) {
        if (!st.allowEnd && (act === 'withdraw' || act === 'merge')) continue;
        if (rel.roles.some((r) => availableActions(snap, r).includes(act))) pairs.push([a, act]);
      }
    }
    if (pairs.length > 0) {
      const [a, act] = pairs[st.pick % pairs.length]!;
      return { actor: a, cmd: st.cmds[act] };
    }
  }
  return { actor: st.actor, cmd: st.cmds[st.action] };
}

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

const reached = new Set<string>();
const accepted = new Set<string>();

it('random action sequences persist exactly what the machine decides, one event per transition', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 24 }), async (steps) => {
      const tk = await createTicket(t.db, as(w.contact1), { categoryId: w.cat('人才用工'), title: '随机序列', description: '随机操作序列测试' });
      for (const st of steps) {
        const before = (await loadTicketRow(t.db, tk.id, new Date()))!;
        const s = await choose(before, st);
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
        reached.add(after.state);
        if (ok) accepted.add(s.cmd.action);
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
    // A fixed seed keeps the reach assertion below deterministic; the shared machine test explores randomly.
    { numRuns: 30, seed: 20261130 },
  );
  // The generator is not vacuous: sequences reach every stored state through the real API ('submitted' is never
  // stored: a created ticket is routed at once) and the lifecycle's main actions succeed.
  expect([...reached].sort()).toEqual(TICKET_STATES.filter((x) => x !== 'submitted').sort());
  for (const a of ['dispatch', 'reassign', 'accept', 'return', 'request_extension', 'reply', 'confirm', 'record_visit', 'withdraw', 'merge']) expect(accepted).toContain(a);
}, 240_000);
