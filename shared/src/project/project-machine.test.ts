import fc from 'fast-check';
import {
  availableStageActions,
  canStage,
  isCompletion,
  isNewStart,
  PROJECT_ROLES,
  PROJECT_STAGE_ACTIONS,
  PROJECT_STAGES,
  stageIndex,
  stageTransition,
  type ProjectRole,
  type ProjectStage,
  type ProjectStageAction,
  type ProjectStageSnapshot,
} from './project-machine';

// The readable spec, written independently of the machine's table: action | roles | stages | halted?
// Every (stage, halted, action, role) not listed must be denied.
const SPEC = `
  advance | coordinator leader steward department | planning signed started completed producing | no
  revert  | coordinator                           | signed started completed producing effective | no
  halt    | coordinator leader steward department | started                                      | no
  resume  | coordinator leader steward department | started                                      | yes
`;
const allowed = new Set<string>();
for (const line of SPEC.trim().split('\n')) {
  const [action, roles, stages, halted] = line.split('|').map((c) => c.trim().split(/\s+/));
  for (const r of roles!) for (const s of stages!) allowed.add(`${s} ${halted![0]} ${action![0]} ${r}`);
}
const specAllows = (s: ProjectStage, halted: boolean, a: ProjectStageAction, r: ProjectRole) => allowed.has(`${s} ${halted ? 'yes' : 'no'} ${a} ${r}`);

const TODAY = '2026-06-15';
const snap = (stage: ProjectStage, halted = false, lastChangeOn: string | null = '2026-01-10'): ProjectStageSnapshot => ({ stage, halted, lastChangeOn });
const validPayload = (s: ProjectStageSnapshot, a: ProjectStageAction) => {
  const i = stageIndex(s.stage);
  switch (a) {
    case 'advance': return { to: PROJECT_STAGES[Math.min(i + 1, 5)]!, on: '2026-03-01' };
    case 'revert': return { to: PROJECT_STAGES[Math.max(i - 1, 0)]!, on: '2026-03-01', reason: '合同未履行' };
    case 'halt': return { on: '2026-03-01', reason: '冬季停工' };
    case 'resume': return { on: '2026-03-01' };
  }
};

describe('project stage machine: permission table', () => {
  const cases: [ProjectStage, boolean, ProjectStageAction, ProjectRole][] = [];
  for (const s of PROJECT_STAGES) for (const h of [false, true]) for (const a of PROJECT_STAGE_ACTIONS) for (const r of PROJECT_ROLES) cases.push([s, h, a, r]);

  test.each(cases)('%s halted=%s %s by %s', (stage, halted, action, role) => {
    if (halted && stage !== 'started') return; // only a started project can be halted
    const s = snap(stage, halted);
    const expected = specAllows(stage, halted, action, role);
    expect(canStage(s, action, role)).toBe(expected);
    const r = stageTransition(s, action, role, validPayload(s, action) as never, TODAY);
    expect(r.ok).toBe(expected);
    if (!r.ok && !expected) {
      const anyRole = PROJECT_ROLES.some((x) => specAllows(stage, halted, action, x));
      expect(r.code).toBe(anyRole ? 'PROJECT_ROLE_NOT_ALLOWED' : halted && action !== 'resume' ? 'PROJECT_HALTED' : 'PROJECT_STAGE_ACTION_NOT_ALLOWED');
    }
  });

  test('available actions are exactly the allowed ones', () => {
    expect(availableStageActions(snap('started'), 'steward')).toEqual(['advance', 'halt']);
    expect(availableStageActions(snap('started'), 'coordinator')).toEqual(['advance', 'revert', 'halt']);
    expect(availableStageActions(snap('started', true), 'leader')).toEqual(['resume']);
    expect(availableStageActions(snap('effective'), 'coordinator')).toEqual(['revert']);
    expect(availableStageActions(snap('signed'), 'enterprise')).toEqual([]);
    expect(availableStageActions(snap('signed'), 'viewer')).toEqual([]);
  });
});

describe('project stage machine: payload rules', () => {
  test('the next stage needs no reason; skipping needs one and records the skipped stages', () => {
    const ok = stageTransition(snap('signed'), 'advance', 'steward', { to: 'started', on: '2026-03-01' }, TODAY);
    expect(ok).toMatchObject({ ok: true, next: { stage: 'started', halted: false, lastChangeOn: '2026-03-01' }, event: { skipped: [], from: 'signed', to: 'started' } });
    const skip = stageTransition(snap('signed'), 'advance', 'steward', { to: 'producing', on: '2026-03-01' }, TODAY);
    expect(skip).toEqual({ ok: false, code: 'PROJECT_STAGE_SKIP_REASON_REQUIRED', field: 'reason' });
    const blank = stageTransition(snap('signed'), 'advance', 'steward', { to: 'producing', on: '2026-03-01', reason: '   ' }, TODAY);
    expect(blank.ok).toBe(false);
    const withReason = stageTransition(snap('signed'), 'advance', 'steward', { to: 'producing', on: '2026-03-01', reason: ' 补录 ' }, TODAY);
    expect(withReason).toMatchObject({ ok: true, event: { skipped: ['started', 'completed'], reason: '补录' } });
  });

  test('advance must move forward, revert backward', () => {
    expect(stageTransition(snap('started'), 'advance', 'coordinator', { to: 'started', on: '2026-03-01' }, TODAY)).toMatchObject({ code: 'PROJECT_STAGE_TARGET_INVALID', field: 'to' });
    expect(stageTransition(snap('started'), 'advance', 'coordinator', { to: 'signed', on: '2026-03-01' }, TODAY)).toMatchObject({ code: 'PROJECT_STAGE_TARGET_INVALID' });
    expect(stageTransition(snap('started'), 'revert', 'coordinator', { to: 'completed', on: '2026-03-01', reason: 'x' }, TODAY)).toMatchObject({ code: 'PROJECT_STAGE_TARGET_INVALID' });
    expect(stageTransition(snap('started'), 'advance', 'coordinator', { to: 'bogus' as ProjectStage, on: '2026-03-01' }, TODAY)).toMatchObject({ code: 'PROJECT_STAGE_TARGET_INVALID' });
  });

  test('going back needs the coordinator and a reason', () => {
    expect(stageTransition(snap('started'), 'revert', 'leader', { to: 'signed', on: '2026-03-01', reason: 'x' }, TODAY)).toMatchObject({ code: 'PROJECT_ROLE_NOT_ALLOWED' });
    expect(stageTransition(snap('started'), 'revert', 'coordinator', { to: 'signed', on: '2026-03-01', reason: '' }, TODAY)).toMatchObject({ code: 'PROJECT_REASON_REQUIRED', field: 'reason' });
    expect(stageTransition(snap('started'), 'revert', 'coordinator', { to: 'planning', on: '2026-03-01', reason: '误录' }, TODAY)).toMatchObject({ ok: true, next: { stage: 'planning' } });
  });

  test('halt needs a reason, keeps the stage; resume clears it', () => {
    expect(stageTransition(snap('started'), 'halt', 'steward', { on: '2026-03-01', reason: '' }, TODAY)).toMatchObject({ code: 'PROJECT_REASON_REQUIRED' });
    const h = stageTransition(snap('started'), 'halt', 'steward', { on: '2026-03-01', reason: '资金未到位' }, TODAY);
    expect(h).toMatchObject({ ok: true, next: { stage: 'started', halted: true }, event: { action: 'halt', haltedAfter: true } });
    const r = stageTransition(snap('started', true), 'resume', 'steward', { on: '2026-04-01' }, TODAY);
    expect(r).toMatchObject({ ok: true, next: { stage: 'started', halted: false }, event: { action: 'resume', haltedAfter: false } });
    expect(stageTransition(snap('started', true), 'advance', 'coordinator', { to: 'completed', on: '2026-04-01' }, TODAY)).toMatchObject({ code: 'PROJECT_HALTED' });
  });

  test('dates: valid, not in the future, not before the previous change', () => {
    const s = snap('signed', false, '2026-02-01');
    expect(stageTransition(s, 'advance', 'steward', { to: 'started', on: '2026-2-1' }, TODAY)).toMatchObject({ code: 'PROJECT_DATE_INVALID', field: 'on' });
    expect(stageTransition(s, 'advance', 'steward', { to: 'started', on: '2026-06-16' }, TODAY)).toMatchObject({ code: 'PROJECT_DATE_IN_FUTURE', field: 'on' });
    expect(stageTransition(s, 'advance', 'steward', { to: 'started', on: '2026-01-31' }, TODAY)).toMatchObject({ code: 'PROJECT_DATE_ORDER', field: 'on' });
    expect(stageTransition(s, 'advance', 'steward', { to: 'started', on: '2026-02-01' }, TODAY).ok).toBe(true);
    expect(stageTransition(s, 'advance', 'steward', { to: 'started', on: TODAY }, TODAY).ok).toBe(true);
  });

  test('new start and completion classify the events the figures count', () => {
    expect(isNewStart({ action: 'advance', from: 'signed', to: 'started' })).toBe(true);
    expect(isNewStart({ action: 'advance', from: 'planning', to: 'producing' })).toBe(true);
    expect(isNewStart({ action: 'advance', from: 'started', to: 'completed' })).toBe(false);
    expect(isNewStart({ action: 'resume', from: 'started', to: 'started' })).toBe(false);
    expect(isCompletion({ action: 'advance', from: 'started', to: 'completed' })).toBe(true);
    expect(isCompletion({ action: 'advance', from: 'signed', to: 'effective' })).toBe(true);
    expect(isCompletion({ action: 'revert', from: 'producing', to: 'completed' })).toBe(false);
  });
});

describe('project stage machine: random sequences', () => {
  const actionArb = fc.record({
    action: fc.constantFrom(...PROJECT_STAGE_ACTIONS),
    role: fc.constantFrom(...PROJECT_ROLES),
    to: fc.constantFrom(...PROJECT_STAGES),
    dayOffset: fc.integer({ min: -3, max: 10 }),
    reason: fc.constantFrom('', '原因', undefined),
  });

  test('invariants hold over any sequence: halted only at 开工, dates never go back, one event per success', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 40 }), (steps) => {
        let s: ProjectStageSnapshot = { stage: 'planning', halted: false, lastChangeOn: '2026-01-01' };
        let day = 0;
        for (const st of steps) {
          day = Math.max(0, day + st.dayOffset);
          const on = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
          const r = stageTransition(s, st.action, st.role, { to: st.to, on, reason: st.reason } as never, '2026-12-31');
          if (!r.ok) {
            expect(canStage(s, st.action, st.role) && r.code === 'PROJECT_ROLE_NOT_ALLOWED').toBe(false);
            continue;
          }
          expect(canStage(s, st.action, st.role)).toBe(true);
          expect(r.event.from).toBe(s.stage);
          expect(r.event.to).toBe(r.next.stage);
          expect(r.next.lastChangeOn! >= s.lastChangeOn!).toBe(true);
          if (r.next.halted) expect(r.next.stage).toBe('started');
          if (st.action === 'revert') {
            expect(st.role).toBe('coordinator');
            expect(r.event.reason).toBeTruthy();
          }
          if (r.event.skipped.length > 0) expect(r.event.reason).toBeTruthy();
          if (st.action === 'advance') expect(stageIndex(r.next.stage)).toBeGreaterThan(stageIndex(s.stage));
          s = r.next;
        }
      }),
      { numRuns: 300 },
    );
  });
});
