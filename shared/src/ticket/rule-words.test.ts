import { describeRule } from './rule-words';

it('says a rule in plain words, without its internal numbers', () => {
  expect(describeRule({ category: { name: '政务服务' }, area: { name: '渤海街道' }, leadDepartment: { name: '行政审批局' }, assistingDepartments: [], priority: 0 }))
    .toBe('政务服务类、渤海街道的诉求 → 交给 行政审批局');
  expect(describeRule({ category: { name: '融资信贷' }, area: null, enterpriseTag: '专精特新', leadDepartment: { name: '金融办' }, assistingDepartments: [{ name: '人社局' }, { name: '税务局' }], priority: 5 }))
    .toBe('融资信贷类、标签为「专精特新」的企业的诉求 → 交给 金融办，人社局、税务局协办（同样适用的规则中优先）');
});
