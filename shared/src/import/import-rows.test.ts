import { makeCreditCode } from '../enterprise/credit-code';
import { matchHeaders, normalizeHeader } from './import-columns';
import {
  areaKindFromName, duplicateProblems, normalizeCompanyName, normalizePhone, parseCoords, parseDateCell,
  validateAssignmentRow, validateEnterpriseRow, validatePersonRow,
} from './import-rows';

const code = makeCreditCode(7);
const badCheck = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');

describe('header matching', () => {
  it('matches labels, synonyms, full-width and bracketed notes; reports unknown and missing', () => {
    const m = matchHeaders('enterprises', ['序号', '企业名称（必填）', '＊统一社会信用代码', '所属街道', 'ＧＰＳ', '干部电话']);
    expect(m.columns).toEqual({ name: 1, creditCode: 2, area: 3, stewardPhone: 5 });
    expect(m.unknown).toEqual(['ＧＰＳ']);
    expect(m.missing).toEqual([]);
    expect(matchHeaders('people', ['姓名']).missing).toEqual(['手机号', '角色']);
    expect(normalizeHeader(' 经 纬 度 (GCJ-02) ')).toBe('经纬度');
  });
});

describe('enterprise rows', () => {
  const row = (cells: Record<string, string>) => validateEnterpriseRow({ row: 5, cells: { name: '盘锦示范机械有限公司', creditCode: code, area: '兴隆街道', ...cells } });
  it('accepts a good row and converts GCJ-02 to WGS-84', () => {
    const r = row({ coords: '122.0701,41.1199', scale: '规上', contactPhone: '139 0000 0001' });
    expect(r.problems).toEqual([]);
    expect(r.value!.scale).toBe('above');
    expect(r.value!.contactPhone).toBe('13900000001');
    expect(r.value!.lng).toBeLessThan(122.0701); // GCJ-02 is shifted east of WGS-84 here
    expect(Math.abs(r.value!.lat! - 41.1199)).toBeLessThan(0.01);
  });
  it('accepts swapped order and WGS-84 unchanged', () => {
    expect(row({ coords: '41.1199, 122.0701', datum: 'WGS-84' }).value).toMatchObject({ lat: 41.1199, lng: 122.0701 });
  });
  it.each([
    [{ creditCode: badCheck }, '统一社会信用代码', '校验位'],
    [{ creditCode: '9121110300000000' }, '统一社会信用代码', '18 位'],
    [{ name: '' }, '企业名称', '不能为空'],
    [{ area: '' }, '所属乡镇/街道', '不能为空'],
    [{ contactPhone: '0427-1234567' }, '联系电话', '11 位'],
    [{ coords: '200,41' }, '经纬度', '超出范围'],
    [{ coords: '2.35,48.85' }, '经纬度', '中国境内'],
    [{ coords: '122' }, '经纬度', '经度,纬度'],
    [{ lng: '122.07' }, '经度', '同时填写'],
    [{ datum: 'BD09' }, '坐标系', 'GCJ-02'],
    [{ scale: '中型' }, '规模', '规上'],
    [{ stewardName: '李四' }, '干部电话', '须填写干部电话'],
  ])('rejects %j in column %s', (cells, column, reason) => {
    const r = row(cells as Record<string, string>);
    expect(r.value).toBeNull();
    expect(r.problems).toEqual([expect.objectContaining({ row: 5, column, reason: expect.stringContaining(reason) })]);
  });
});

describe('people and assignment rows', () => {
  it('parses several roles and requires a department for department staff', () => {
    expect(validatePersonRow({ row: 2, cells: { name: '李四', phone: '13900000001', roles: '管家、领导' } }).value!.roles).toEqual(['steward', 'leader']);
    const r = validatePersonRow({ row: 3, cells: { name: '王五', phone: '1390000', roles: '部门办理人，厨师' } });
    expect(new Set(r.problems.map((p) => p.column))).toEqual(new Set(['手机号', '所属部门', '角色']));
  });
  it('checks the 包保 row', () => {
    expect(validateAssignmentRow({ row: 2, cells: { creditCode: code.toLowerCase(), stewardPhone: '13900000001', startsOn: '2026/1/5' } }).value)
      .toMatchObject({ creditCode: code, startsOn: '2026-01-05' });
    expect(validateAssignmentRow({ row: 2, cells: { creditCode: code, stewardPhone: '13900000001', startsOn: '2026-02-30' } }).problems[0]!.column).toBe('开始日期');
  });
});

describe('helpers', () => {
  it('normalises names, phones, dates, area kinds', () => {
    expect(normalizeCompanyName('盘锦（示范） 机械有限公司')).toBe(normalizeCompanyName('盘锦(示范)机械有限公司'));
    expect(normalizeCompanyName('ＡＢＣ有限公司')).toBe('abc有限公司');
    expect(normalizePhone('+86 139-0000-0001')).toBe('13900000001');
    expect(normalizePhone('23900000001')).toBeNull();
    expect(parseDateCell('2026年3月1日')).toBe('2026-03-01');
    expect(areaKindFromName('兴隆街道')).toBe('street');
    expect(areaKindFromName('新兴镇')).toBe('township');
    expect(areaKindFromName('石油装备产业园')).toBe('park');
    expect(parseCoords('', '', '', 'gcj02')).toBeNull();
  });
  it('reports each later duplicate against the first row', () => {
    const rows = [{ row: 2, k: 'a' }, { row: 3, k: 'b' }, { row: 4, k: 'a' }, { row: 9, k: 'a' }];
    expect(duplicateProblems(rows, (r) => r.k, '统一社会信用代码', '统一社会信用代码')).toEqual([
      { row: 4, column: '统一社会信用代码', reason: '与第 2 行统一社会信用代码重复' },
      { row: 9, column: '统一社会信用代码', reason: '与第 2 行统一社会信用代码重复' },
    ]);
  });
});

describe('docs/import.md', () => {
  it('lists every column and synonym the importer accepts', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require('node:path') as typeof import('node:path');
    const doc = fs.readFileSync(path.join(__dirname, '../../../docs/import.md'), 'utf8');
    const { IMPORT_COLUMNS } = jest.requireActual('./import-columns') as typeof import('./import-columns');
    const missing = Object.values(IMPORT_COLUMNS).flat().flatMap((c) => [c.label, ...c.synonyms]).filter((s) => !doc.includes(s));
    expect(missing).toEqual([]);
  });
});
