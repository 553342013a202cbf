/**
 * 行政区划代码 (GB/T 2260) and the statistical codes below it (乡镇/街道/园区), used for districts and areas (属地).
 *
 * A division code is 6 digits: 2 province + 2 city + 2 county. Townships (乡镇/街道, and 开发区/园区 as
 * 类似乡级单位) take 3 more digits (9-digit area code, e.g. 211103001); the 12-digit statistical form adds a
 * 3-digit village part (e.g. 211103001000 for the township itself, 211103001001 for a community in it).
 */

/** First two digits of every province-level division in GB/T 2260 (incl. 71 台湾, 81 香港, 82 澳门). */
export const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** Level of a 6-digit division code, so a district picker can refuse a province. */
export type DivisionLevel = 'province' | 'city' | 'county';

/**
 * True for a well-formed 6-digit division code: digits only with a known province prefix. Any level passes
 * (`210000` province, `211100` city, `211103` county; 不设区的地级市 such as 东莞 441900 act as districts);
 * use `divisionLevel` to require one. Whether the code exists in the current GB/T 2260 list is not checked
 * here (the list changes every year); the server checks against its seeded divisions.
 */
export function isDivisionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && PROVINCE_PREFIXES.has(code.slice(0, 2));
}

/** Province, city or county level of a valid division code; throws on an invalid one. */
export function divisionLevel(code: string): DivisionLevel {
  if (!isDivisionCode(code)) throw new RangeError(`not a division code: ${code}`);
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/**
 * True for a 9-digit township-level area code (division + 3 digits) or its 12-digit statistical form
 * (division + 3 + 3). The township part cannot be `000` (that would be the district itself).
 */
export function isAreaCode(code: string): boolean {
  if (!/^(\d{9}|\d{12})$/.test(code)) return false;
  if (!isDivisionCode(code.slice(0, 6))) return false;
  return code.slice(6, 9) !== '000';
}

/** True when the area code lies inside the district: both are valid and the area starts with the district code. */
export function areaBelongsToDistrict(areaCode: string, districtCode: string): boolean {
  return isDivisionCode(districtCode) && isAreaCode(areaCode) && areaCode.startsWith(districtCode);
}
