import { levelWord, projectParagraph } from './project-paragraph';
import { PROJECT_LABELS, PROJECT_KINDS, FUNDING_SOURCES, BATCH_KINDS } from './project-labels';
import { PROJECT_STAGES, PROJECT_STAGE_ACTIONS, PROJECT_ROLES } from './project-machine';
import { PROJECT_LIGHTS } from './project-light';

describe('project paragraph', () => {
  test('S4 and S0 wording', () => {
    const text = projectParagraph({
      levels: ['省重点', '市重点'],
      ledger: { projects: 56, totalInvestment: 79_650_000_000n, annualPlan: 34_340_000_000n, byKind: { new: 36, continuing: 20, expansion: 0 }, completedYtd: 12_846_594_000n },
      large: { threshold: 50_000_000n, active: 22, newStarts: 7, restarts: 15, completions: 5 },
    });
    expect(text).toBe(
      '共实施省市重点项目56个，总投资796.5亿元，年度计划投资343.4亿元，其中新建项目36个、续建项目20个。截至目前，已完成投资128.47亿元，占年度计划投资的37.41%。'
      + '实施5000万元以上项目22项，其中新开工7项，复工15项。竣工项目5项。',
    );
  });

  test('no projects, no plan, no large part', () => {
    expect(projectParagraph({ levels: [], ledger: { projects: 0, totalInvestment: 0n, annualPlan: 0n, byKind: { new: 0, continuing: 0, expansion: 0 }, completedYtd: 0n }, large: null }))
      .toBe('暂无重点项目。');
    expect(projectParagraph({ levels: ['县重点'], ledger: { projects: 1, totalInvestment: 1n, annualPlan: 0n, byKind: { new: 0, continuing: 0, expansion: 1 }, completedYtd: 0n }, large: { threshold: 100_000_000n, active: 0, newStarts: 0, restarts: 0, completions: 0 } }))
      .toBe('共实施县重点项目1个，总投资0万元，年度计划投资0万元，其中改扩建项目1个。截至目前，已完成投资0万元。实施1亿元以上项目0项。竣工项目0项。');
  });

  test('refuses figures that do not add up', () => {
    expect(() => projectParagraph({ levels: [], ledger: { projects: 3, totalInvestment: 0n, annualPlan: 0n, byKind: { new: 1, continuing: 1, expansion: 0 }, completedYtd: 0n }, large: null })).toThrow(RangeError);
  });

  test('level word', () => {
    expect(levelWord(['省重点', '市重点'])).toBe('省市重点项目');
    expect(levelWord([])).toBe('重点项目');
  });

  test('every enum has a non-empty Chinese label in the one table', () => {
    const tables: [readonly string[], Record<string, string>][] = [
      [PROJECT_STAGES, PROJECT_LABELS.stage], [PROJECT_STAGE_ACTIONS, PROJECT_LABELS.stageAction], [PROJECT_ROLES, PROJECT_LABELS.role],
      [PROJECT_KINDS, PROJECT_LABELS.kind], [PROJECT_LIGHTS, PROJECT_LABELS.light], [FUNDING_SOURCES, PROJECT_LABELS.fundingSource],
      [BATCH_KINDS, PROJECT_LABELS.batchKind], [BATCH_KINDS, PROJECT_LABELS.batchFulfilment],
    ];
    for (const [values, labels] of tables) for (const v of values) expect(labels[v]).toMatch(/[\u4e00-\u9fa5]/);
  });
});
