import { makeCreditCode } from '@guanjia/shared/enterprise/credit-code';
import { importSummary, joinBody, validateJoinForm } from './going-live';

const good = { district: '211103', creditCode: makeCreditCode(3).toLowerCase(), companyName: ' 示范公司 ', contactName: '赵', phone: '' };

describe('self-join form', () => {
  it('accepts a good form and normalises the body', () => {
    expect(validateJoinForm(good)).toEqual({});
    expect(joinBody('t'.repeat(12), good)).toEqual({ bindToken: 't'.repeat(12), district: '211103', creditCode: makeCreditCode(3), companyName: '示范公司', contactName: '赵' });
  });
  it('says what is wrong, in Chinese', () => {
    const c = makeCreditCode(3);
    expect(validateJoinForm({ ...good, creditCode: c.slice(0, 17) + (c[17] === '0' ? '1' : '0') }).creditCode).toContain('校验位');
    expect(validateJoinForm({ ...good, creditCode: c.slice(0, 10) }).creditCode).toContain('已输入 10 位');
    expect(Object.keys(validateJoinForm({ district: '2111', creditCode: '', companyName: '', contactName: '', phone: '123' })).sort())
      .toEqual(['companyName', 'contactName', 'creditCode', 'district', 'phone']);
  });
});

describe('import summary', () => {
  const base = { dryRun: true, totalRows: 10, created: 5, updated: 2, unchanged: 1, rejected: 2, areasCreated: 0, assignmentsStarted: 0, assignmentsEnded: 0 };
  it('reads as a sentence for each kind', () => {
    expect(importSummary({ ...base, kind: 'enterprises' })).toBe('共 10 行：将新增 5，将更新 2，无变化 1，未导入 2 行');
    expect(importSummary({ ...base, dryRun: false, kind: 'assignments', assignmentsStarted: 3, assignmentsEnded: 1 })).toBe('共 10 行：已新建包保 3 条，已结束包保 1 条，无变化 1 行，未导入 2 行');
  });
});
