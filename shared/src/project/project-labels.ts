/**
 * The one table of Chinese labels for every project enum (stages, actions, kinds, lights, funding sources, batch
 * kinds, stats dimensions). Like ROLE_LABELS and TICKET_STATE_LABELS it sits next to its enums in shared/, so
 * the server's messages and the mini-app's screens print the same words. Levels (省重点…) and natures
 * (产业…) are configurable per district and are their own labels.
 */
import type { ProjectLight } from './project-light';
import type { ProjectRole, ProjectStage, ProjectStageAction } from './project-machine';

/** 新建 / 续建 / 改扩建 (复工 is an event, not a kind). */
export const PROJECT_KINDS = ['new', 'continuing', 'expansion'] as const;
/** A project kind. */
export type ProjectKind = (typeof PROJECT_KINDS)[number];

/** 资金拼盘: the funding source kinds whose sum is 总投资. */
export const FUNDING_SOURCES = ['fiscal', 'special_bond', 'self_raised', 'bank_loan', 'other'] as const;
/** A funding source kind. */
export type FundingSource = (typeof FUNDING_SOURCES)[number];

/** 三个一批: the list a project enters in a batch. */
export const BATCH_KINDS = ['sign', 'start', 'produce'] as const;
/** A batch list. */
export type BatchKind = (typeof BATCH_KINDS)[number];

/** Default level tags and natures of a district (district.settings.projects overrides). */
export const DEFAULT_PROJECT_LEVELS = ['省重点', '市重点', '县重点'] as const;
export const DEFAULT_PROJECT_NATURES = ['产业', '基础设施', '社会民生', '其他'] as const;

/** Every project label, by enum. */
export const PROJECT_LABELS: {
  stage: Record<ProjectStage, string>;
  stageAction: Record<ProjectStageAction, string>;
  role: Record<ProjectRole, string>;
  kind: Record<ProjectKind, string>;
  light: Record<ProjectLight | 'none', string>;
  fundingSource: Record<FundingSource, string>;
  batchKind: Record<BatchKind, string>;
  batchFulfilment: Record<BatchKind, string>;
  halted: string;
} = {
  stage: { planning: '谋划(储备)', signed: '签约', started: '开工', completed: '竣工', producing: '投产', effective: '达效' },
  stageAction: { advance: '推进阶段', revert: '退回阶段', halt: '停工', resume: '复工' },
  role: { coordinator: '调度员', leader: '包联县级领导', steward: '项目管家', department: '责任单位', enterprise: '业主单位联络人', viewer: '查看' },
  kind: { new: '新建', continuing: '续建', expansion: '改扩建' },
  light: { green: '绿灯', yellow: '黄灯', red: '红灯', none: '未评价' },
  fundingSource: { fiscal: '财政资金', special_bond: '专项债', self_raised: '企业自筹', bank_loan: '银行贷款', other: '其他' },
  batchKind: { sign: '签约一批', start: '开工一批', produce: '投产一批' },
  batchFulfilment: { sign: '签约转开工', start: '开工转投产', produce: '投产转达效' },
  halted: '停工中',
};
