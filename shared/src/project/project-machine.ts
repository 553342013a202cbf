/**
 * THE stage machine of a key project (重点项目): which stage action each role may take, what it does to the
 * project and the one history event it writes. Pure, like the ticket machine: the server applies the result
 * inside one transaction (guarded by version), the mini-app calls `availableStageActions` for its buttons.
 *
 * Stages, in order (ADR 0009): 谋划(储备) → 签约 → 开工 → 竣工 → 投产 → 达效.
 *   advance (推进)  forward to a later stage. The next stage needs no reason; skipping stages (签约 → 竣工)
 *                   needs a reason, and the skipped stages are recorded on the event.
 *   revert  (退回)  back to an earlier stage: only the coordinator, always with a reason (a mistaken entry,
 *                   a contract that fell through).
 *   halt    (停工)  only while under construction (stage 开工), with a reason. The stage stays 开工.
 *   resume  (复工)  ends a halt, with the date work restarted (S0 counts 复工 projects).
 * While halted the project cannot advance or revert: resume (or the coordinator's revert after resuming) first.
 *
 * Every event carries the date it happened (`on`): not in the future and not before the previous stage
 * event, so "the stage on day D" is well defined from the history (figures count 新开工/复工/竣工 by it).
 *
 * Roles are per project: `leader` is the project's 包联县级领导, `steward` a member of its team, `department`
 * staff of its lead 责任单位. `enterprise` (the owner's contacts) and `viewer` (anyone else allowed to read)
 * may not change the stage. Mapping a person to a role is the server's job (project.policy.ts).
 */
import type { ErrorCode } from '../errors';
import { isLocalDate, type LocalDate } from '../calendar/shanghai-time';

/** Every stage, in order. */
export const PROJECT_STAGES = ['planning', 'signed', 'started', 'completed', 'producing', 'effective'] as const;
/** A project stage. */
export type ProjectStage = (typeof PROJECT_STAGES)[number];

/** Every stage action (one API endpoint each). */
export const PROJECT_STAGE_ACTIONS = ['advance', 'revert', 'halt', 'resume'] as const;
/** A stage action. */
export type ProjectStageAction = (typeof PROJECT_STAGE_ACTIONS)[number];

/** Roles a caller can have with respect to one project. */
export const PROJECT_ROLES = ['coordinator', 'leader', 'steward', 'department', 'enterprise', 'viewer'] as const;
/** A caller's role with respect to one project. */
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** Position of a stage in the order (谋划 = 0 … 达效 = 5). */
export function stageIndex(stage: ProjectStage): number {
  return PROJECT_STAGES.indexOf(stage);
}

/** True when `stage` is at or past `than` (e.g. "has started": `stageAtLeast(s, 'started')`). */
export function stageAtLeast(stage: ProjectStage, than: ProjectStage): boolean {
  return stageIndex(stage) >= stageIndex(than);
}

/** What the machine knows of a project. */
export type ProjectStageSnapshot = {
  stage: ProjectStage;
  /** 停工 in force */
  halted: boolean;
  /** date of the last stage event (creation counts); new events may not be earlier */
  lastChangeOn: LocalDate | null;
};

/** Payload of each action; texts are trimmed by the machine. */
export type ProjectStagePayloads = {
  advance: { to: ProjectStage; on: LocalDate; reason?: string; note?: string };
  revert: { to: ProjectStage; on: LocalDate; reason: string; note?: string };
  halt: { on: LocalDate; reason: string; note?: string };
  resume: { on: LocalDate; note?: string };
};

/** The one history event a successful action writes; the server adds who, when and evidence (photos). */
export type ProjectStageEvent = {
  action: ProjectStageAction;
  role: ProjectRole;
  from: ProjectStage;
  to: ProjectStage;
  haltedAfter: boolean;
  on: LocalDate;
  reason: string | null;
  note: string | null;
  /** stages jumped over by an advance (empty for the next stage) */
  skipped: ProjectStage[];
};

/** Where a payload problem is, for the Chinese message next to the field. */
export type StageFailure = { ok: false; code: ErrorCode; field?: 'to' | 'on' | 'reason' };
/** Result of `stageTransition`. */
export type StageResult = { ok: true; next: ProjectStageSnapshot; event: ProjectStageEvent } | StageFailure;

const CHANGERS: readonly ProjectRole[] = ['coordinator', 'leader', 'steward', 'department'];
const NOT_LAST = PROJECT_STAGES.filter((s) => s !== 'effective');
const NOT_FIRST = PROJECT_STAGES.filter((s) => s !== 'planning');

type Grant = { roles: readonly ProjectRole[]; stages: readonly ProjectStage[]; halted: boolean };

/** The permission table: allowed when some grant lists the role, the stage and the halt state. */
const GRANTS: Record<ProjectStageAction, readonly Grant[]> = {
  advance: [{ roles: CHANGERS, stages: NOT_LAST, halted: false }],
  revert: [{ roles: ['coordinator'], stages: NOT_FIRST, halted: false }],
  halt: [{ roles: CHANGERS, stages: ['started'], halted: false }],
  resume: [{ roles: CHANGERS, stages: ['started'], halted: true }],
};

function stateAllows(s: ProjectStageSnapshot, a: ProjectStageAction): boolean {
  return GRANTS[a].some((g) => g.stages.includes(s.stage) && g.halted === s.halted);
}

/** Whether `role` may take `action` now (payload aside): the server refuses what this refuses, the app hides it. */
export function canStage(s: ProjectStageSnapshot, action: ProjectStageAction, role: ProjectRole): boolean {
  return GRANTS[action].some((g) => g.stages.includes(s.stage) && g.halted === s.halted && g.roles.includes(role));
}

/** The stage actions `role` may take now, in `PROJECT_STAGE_ACTIONS` order. */
export function availableStageActions(s: ProjectStageSnapshot, role: ProjectRole): ProjectStageAction[] {
  return PROJECT_STAGE_ACTIONS.filter((a) => canStage(s, a, role));
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const isStage = (v: unknown): v is ProjectStage => (PROJECT_STAGES as readonly unknown[]).includes(v);

/**
 * Applies a stage action by `role` on `today` (Asia/Shanghai). Error order: PROJECT_STAGE_ACTION_NOT_ALLOWED when
 * nobody may do it now, PROJECT_ROLE_NOT_ALLOWED when others could, then the payload's problem with its field.
 * Pure: the snapshot is not modified.
 */
export function stageTransition<A extends ProjectStageAction>(
  s: ProjectStageSnapshot,
  action: A,
  role: ProjectRole,
  payload: ProjectStagePayloads[A],
  today: LocalDate,
): StageResult {
  if (!stateAllows(s, action)) return { ok: false, code: s.halted && action !== 'resume' ? 'PROJECT_HALTED' : 'PROJECT_STAGE_ACTION_NOT_ALLOWED' };
  if (!canStage(s, action, role)) return { ok: false, code: 'PROJECT_ROLE_NOT_ALLOWED' };
  if (payload === null || typeof payload !== 'object') return { ok: false, code: 'VALIDATION_FAILED' };
  const p = payload as Record<string, unknown>;
  const on = p.on;
  if (typeof on !== 'string' || !isLocalDate(on)) return { ok: false, code: 'PROJECT_DATE_INVALID', field: 'on' };
  if (on > today) return { ok: false, code: 'PROJECT_DATE_IN_FUTURE', field: 'on' };
  if (s.lastChangeOn && on < s.lastChangeOn) return { ok: false, code: 'PROJECT_DATE_ORDER', field: 'on' };
  const reason = text(p.reason);
  const note = text(p.note);
  const base = { action, role, from: s.stage, on, note };

  switch (action) {
    case 'advance': {
      if (!isStage(p.to) || stageIndex(p.to) <= stageIndex(s.stage)) return { ok: false, code: 'PROJECT_STAGE_TARGET_INVALID', field: 'to' };
      const skipped = PROJECT_STAGES.slice(stageIndex(s.stage) + 1, stageIndex(p.to));
      if (skipped.length > 0 && !reason) return { ok: false, code: 'PROJECT_STAGE_SKIP_REASON_REQUIRED', field: 'reason' };
      return {
        ok: true,
        next: { stage: p.to, halted: false, lastChangeOn: on },
        event: { ...base, to: p.to, haltedAfter: false, reason, skipped },
      };
    }
    case 'revert': {
      if (!isStage(p.to) || stageIndex(p.to) >= stageIndex(s.stage)) return { ok: false, code: 'PROJECT_STAGE_TARGET_INVALID', field: 'to' };
      if (!reason) return { ok: false, code: 'PROJECT_REASON_REQUIRED', field: 'reason' };
      return { ok: true, next: { stage: p.to, halted: false, lastChangeOn: on }, event: { ...base, to: p.to, haltedAfter: false, reason, skipped: [] } };
    }
    case 'halt':
      if (!reason) return { ok: false, code: 'PROJECT_REASON_REQUIRED', field: 'reason' };
      return { ok: true, next: { stage: s.stage, halted: true, lastChangeOn: on }, event: { ...base, to: s.stage, haltedAfter: true, reason, skipped: [] } };
    case 'resume':
      return { ok: true, next: { stage: s.stage, halted: false, lastChangeOn: on }, event: { ...base, to: s.stage, haltedAfter: false, reason, skipped: [] } };
  }
  return { ok: false, code: 'PROJECT_STAGE_ACTION_NOT_ALLOWED' };
}

/** True when an event moved the project into construction (新开工): from before 开工 to 开工 or later. */
export function isNewStart(e: Pick<ProjectStageEvent, 'action' | 'from' | 'to'>): boolean {
  return e.action === 'advance' && !stageAtLeast(e.from, 'started') && stageAtLeast(e.to, 'started');
}

/** True when an event completed construction (竣工): from before 竣工 to 竣工 or later. */
export function isCompletion(e: Pick<ProjectStageEvent, 'action' | 'from' | 'to'>): boolean {
  return e.action === 'advance' && !stageAtLeast(e.from, 'completed') && stageAtLeast(e.to, 'completed');
}
