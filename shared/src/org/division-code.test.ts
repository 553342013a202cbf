import { areaBelongsToDistrict, divisionLevel, isAreaCode, isDivisionCode } from './division-code';

describe('isDivisionCode', () => {
  it.each([
    ['211103', true, '盘锦市兴隆台区'],
    ['110105', true, '北京市朝阳区'],
    ['441900', true, '东莞市 (no county level)'],
    ['210000', true, '辽宁省'],
    ['820000', true, '澳门'],
    ['21110', false, '5 digits'],
    ['2111030', false, '7 digits'],
    ['21110a', false, 'letter'],
    ['991103', false, 'unknown province 99'],
    ['001103', false, 'unknown province 00'],
    ['', false, 'empty'],
    [' 211103', false, 'space'],
  ])('%j → %s (%s)', (code, ok) => {
    expect(isDivisionCode(code)).toBe(ok);
  });
});

describe('divisionLevel', () => {
  it.each([
    ['210000', 'province'],
    ['211100', 'city'],
    ['211103', 'county'],
  ] as const)('%s → %s', (code, level) => {
    expect(divisionLevel(code)).toBe(level);
  });

  it('throws on an invalid code', () => {
    expect(() => divisionLevel('999999')).toThrow(RangeError);
  });
});

describe('isAreaCode', () => {
  it.each([
    ['211103001', true, '9-digit 街道'],
    ['211103100', true, '9-digit 镇'],
    ['211103400', true, '9-digit 开发区/园区'],
    ['211103001000', true, '12-digit township'],
    ['211103001002', true, '12-digit community'],
    ['211103000', false, 'township part 000'],
    ['211103000001', false, 'township part 000 in 12 digits'],
    ['21110300', false, '8 digits'],
    ['2111030011', false, '10 digits'],
    ['211103', false, 'a district is not an area'],
    ['991103001', false, 'bad province'],
    ['21110300A', false, 'letter'],
  ])('%j → %s (%s)', (code, ok) => {
    expect(isAreaCode(code)).toBe(ok);
  });
});

describe('areaBelongsToDistrict', () => {
  it.each([
    ['211103001', '211103', true],
    ['211103001002', '211103', true],
    ['441900003', '441900', true],
    ['211102001', '211103', false],
    ['211103001', '211102', false],
    ['211103000', '211103', false],
    ['211103001', '21110', false],
    ['211103001', '2111', false],
    ['991103001', '991103', false],
  ])('%s in %s → %s', (area, district, ok) => {
    expect(areaBelongsToDistrict(area, district)).toBe(ok);
  });
});
