/**
 * Pure row validation for roster import (ADR 0010): one function per kind turns a row of cell texts into a typed
 * value or a list of problems, each naming the column and saying in Chinese what is wrong. The server adds what
 * needs the database (known areas, departments, stewards, enterprises) with the same problem shape.
 */
import { isValidCreditCode, normalizeCreditCode } from '../enterprise/credit-code';
import { isValidLatLng, toWgs84, type Datum } from '../geo/coords';
import type { Role } from '../roles';
import { importColumnLabel, type ImportKind } from './import-columns';

/** One problem of one row: the 1-based row number in the sheet (header = 1), the column label, the reason. */
export type RowProblem = { row: number; column: string; reason: string };

/** A row as read from the file: column key → trimmed cell text ('' when empty). */
export type RawRow = { row: number; cells: Record<string, string> };

/** Mainland mobile numbers: 11 digits starting with 1 (what the rest of the system accepts). */
export const PHONE_PATTERN = /^1\d{10}$/;

/** China's bounding box (WGS-84 / GCJ-02 alike): a point outside it is a typo or swapped columns. */
export const CHINA_BOUNDS = { minLat: 3.8, maxLat: 53.6, minLng: 73.4, maxLng: 135.1 } as const;

/** Phone as written by offices ("139 0000 0001", "139-0000-0001", "+86 139…") reduced to 11 digits, or null. */
export function normalizePhone(s: string): string | null {
  const d = s.normalize('NFKC').replace(/[\s\-()（）]/g, '').replace(/^\+?86/, '');
  return PHONE_PATTERN.test(d) ? d : null;
}

/**
 * A company name as compared (self-join, file checks): NFKC (full-width letters/brackets → half-width), brackets
 * unified, spaces and middle dots dropped, lower case. "盘锦（示范）机械 有限公司" equals "盘锦(示范)机械有限公司".
 */
export function normalizeCompanyName(s: string): string {
  return s.normalize('NFKC').replace(/[（【[［〔]/g, '(').replace(/[）】\]］〕]/g, ')').replace(/[\s·•.。,，、'"“”‘’]/g, '').toLowerCase();
}

/** The kind of an area, guessed from its name when an import creates it ('create missing areas'). */
export function areaKindFromName(name: string): 'township' | 'street' | 'park' | 'other' {
  if (/街道$|街道办事处$/.test(name)) return 'street';
  if (/(镇|乡)(人民政府)?$/.test(name)) return 'township';
  if (/(园区|开发区|园|产业区|新区)$/.test(name)) return 'park';
  return 'other';
}

const DATUM_WORDS: Record<string, Datum> = {
  'gcj02': 'gcj02', 'gcj-02': 'gcj02', '火星坐标': 'gcj02', '国测局': 'gcj02', '高德': 'gcj02', '腾讯': 'gcj02',
  'wgs84': 'wgs84', 'wgs-84': 'wgs84', 'gps': 'wgs84', '天地图': 'wgs84', 'cgcs2000': 'wgs84',
};

/** Parses a 坐标系 cell; empty means GCJ-02 (what 高德/腾讯 maps, where offices copy coordinates, show). */
export function parseDatum(s: string): Datum | null {
  if (!s) return 'gcj02';
  return DATUM_WORDS[s.normalize('NFKC').replace(/\s/g, '').toLowerCase()] ?? null;
}

/**
 * Parses coordinates: one cell "经度,纬度" (either order: inside China longitudes are > 73 and latitudes < 54, so
 * the order is never ambiguous) or two cells. Returns WGS-84 (the stored datum, ADR 0003) or a reason.
 */
export function parseCoords(coords: string, lngCell: string, latCell: string, datum: Datum): { lat: number; lng: number } | { reason: string } | null {
  let a: number;
  let b: number;
  if (coords) {
    const parts = coords.normalize('NFKC').split(/[,;，；\s]+/).filter(Boolean);
    if (parts.length !== 2) return { reason: '经纬度应写成“经度,纬度”，如 122.0701,41.1199' };
    [a, b] = parts.map(Number) as [number, number];
  } else if (lngCell || latCell) {
    if (!lngCell || !latCell) return { reason: '经度和纬度须同时填写' };
    [a, b] = [Number(lngCell.normalize('NFKC')), Number(latCell.normalize('NFKC'))];
  } else return null;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return { reason: '经纬度须为数字' };
  const [lng, lat] = a > b ? [a, b] : [b, a];
  if (!isValidLatLng(lat, lng)) return { reason: '经纬度超出范围（纬度 ±90，经度 ±180）' };
  if (lat < CHINA_BOUNDS.minLat || lat > CHINA_BOUNDS.maxLat || lng < CHINA_BOUNDS.minLng || lng > CHINA_BOUNDS.maxLng)
    return { reason: '经纬度不在中国境内，请检查是否填错或经纬度写反' };
  return toWgs84(lat, lng, datum);
}

const SCALE_WORDS: Record<string, 'above' | 'below'> = {
  '规上': 'above', '规模以上': 'above', '规上企业': 'above', '是': 'above', above: 'above',
  '规下': 'below', '规模以下': 'below', '规下企业': 'below', '否': 'below', '小微': 'below', '小微企业': 'below', below: 'below',
};

/** Role words in a 角色 cell (several separated by 、，, / ；). */
export const IMPORT_ROLE_WORDS: Record<string, Role> = {
  '管家': 'steward', '公共管家': 'steward', '项目管家': 'steward', '包保干部': 'steward', '助企干部': 'steward', '分包干部': 'steward', '首席服务员': 'steward',
  '部门办理人': 'department', '部门人员': 'department', '办理人': 'department', '部门': 'department',
  '领导': 'leader', '县级领导': 'leader', '包联领导': 'leader', '帮扶责任人': 'leader',
  '调度员': 'coordinator', '营商局': 'coordinator',
};

/** Roles an import may give (never admin or enterprise: those go through their own screens). */
export const IMPORTABLE_ROLES: readonly Role[] = ['steward', 'department', 'leader', 'coordinator'];

/** A valid enterprise row. Coordinates are WGS-84. Empty optional cells are null (an import never clears a field). */
export type EnterpriseImportRow = {
  row: number; name: string; creditCode: string; area: string; industry: string | null; scale: 'above' | 'below' | null;
  address: string | null; lat: number | null; lng: number | null; contactName: string | null; contactPhone: string | null;
  stewardName: string | null; stewardPhone: string | null;
};
export type PersonImportRow = { row: number; name: string; phone: string; roles: Role[]; department: string | null; title: string | null };
export type AssignmentImportRow = { row: number; creditCode: string; enterpriseName: string | null; stewardName: string | null; stewardPhone: string; startsOn: string | null };

type Result<T> = { value: T | null; problems: RowProblem[] };

function problemSink(kind: ImportKind, row: number) {
  const problems: RowProblem[] = [];
  return { problems, add: (key: string, reason: string) => problems.push({ row, column: importColumnLabel(kind, key), reason }) };
}

const opt = (s: string | undefined): string | null => (s && s.trim() ? s.trim() : null);

function checkLength(add: (k: string, r: string) => void, key: string, v: string | null, max: number) {
  if (v && v.length > max) add(key, `长度不能超过 ${max} 个字`);
}

/** A date cell: YYYY-MM-DD, YYYY/M/D or YYYY.M.D (Excel dates arrive already as YYYY-MM-DD). */
export function parseDateCell(s: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s.normalize('NFKC').trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Validates one enterprise row (format only; the area, steward and duplicates are checked with the database). */
export function validateEnterpriseRow(r: RawRow): Result<EnterpriseImportRow> {
  const c = r.cells;
  const { problems, add } = problemSink('enterprises', r.row);
  const name = (c.name ?? '').trim();
  if (!name) add('name', '企业名称不能为空');
  checkLength(add, 'name', name, 128);
  const creditCode = normalizeCreditCode((c.creditCode ?? '').normalize('NFKC'));
  if (!creditCode) add('creditCode', '统一社会信用代码不能为空');
  else if (creditCode.length !== 18) add('creditCode', `统一社会信用代码应为 18 位（现为 ${creditCode.length} 位）`);
  else if (!isValidCreditCode(creditCode)) add('creditCode', '统一社会信用代码校验位不正确，请核对');
  const area = (c.area ?? '').trim();
  if (!area) add('area', '所属乡镇/街道不能为空');
  checkLength(add, 'area', area, 64);
  let scale: 'above' | 'below' | null = null;
  if (opt(c.scale)) {
    scale = SCALE_WORDS[c.scale!.normalize('NFKC').replace(/\s/g, '').toLowerCase()] ?? null;
    if (!scale) add('scale', '规模应填写“规上”或“规下”');
  }
  const datum = parseDatum((c.datum ?? '').trim());
  if (!datum) add('datum', '坐标系应为 GCJ-02 或 WGS-84');
  const loc = parseCoords((c.coords ?? '').trim(), (c.lng ?? '').trim(), (c.lat ?? '').trim(), datum ?? 'gcj02');
  if (loc && 'reason' in loc) add(opt(c.coords) ? 'coords' : 'lng', loc.reason);
  let contactPhone: string | null = null;
  if (opt(c.contactPhone)) {
    contactPhone = normalizePhone(c.contactPhone!);
    if (!contactPhone) add('contactPhone', '联系电话应为 11 位手机号');
  }
  let stewardPhone: string | null = null;
  if (opt(c.stewardPhone)) {
    stewardPhone = normalizePhone(c.stewardPhone!);
    if (!stewardPhone) add('stewardPhone', '干部电话应为 11 位手机号');
  } else if (opt(c.stewardName)) add('stewardPhone', '填写了包保干部时须填写干部电话（按电话找到管家）');
  const industry = opt(c.industry), address = opt(c.address), contactName = opt(c.contactName);
  checkLength(add, 'industry', industry, 64);
  checkLength(add, 'address', address, 256);
  checkLength(add, 'contactName', contactName, 64);
  if (problems.length) return { value: null, problems };
  return {
    value: {
      row: r.row, name, creditCode, area, industry, scale, address,
      lat: loc && !('reason' in loc) ? loc.lat : null, lng: loc && !('reason' in loc) ? loc.lng : null,
      contactName, contactPhone, stewardName: opt(c.stewardName), stewardPhone,
    },
    problems,
  };
}

/** Validates one person row: name, an 11-digit phone (the key an updated file matches by), known role words. */
export function validatePersonRow(r: RawRow): Result<PersonImportRow> {
  const c = r.cells;
  const { problems, add } = problemSink('people', r.row);
  const name = (c.name ?? '').trim();
  if (!name) add('name', '姓名不能为空');
  checkLength(add, 'name', name, 64);
  const phone = normalizePhone(c.phone ?? '');
  if (!(c.phone ?? '').trim()) add('phone', '手机号不能为空');
  else if (!phone) add('phone', '手机号应为 11 位');
  const words = (c.roles ?? '').normalize('NFKC').split(/[、,，/;；\s]+/).filter(Boolean);
  const roles: Role[] = [];
  for (const w of words) {
    const role = IMPORT_ROLE_WORDS[w];
    if (!role) add('roles', `无法识别的角色“${w}”，可填：管家、部门办理人、领导、调度员`);
    else if (!roles.includes(role)) roles.push(role);
  }
  if (!words.length) add('roles', '角色不能为空');
  const department = opt(c.department);
  if (roles.includes('department') && !department) add('department', '部门办理人须填写所属部门');
  const title = opt(c.title);
  checkLength(add, 'title', title, 64);
  if (problems.length) return { value: null, problems };
  return { value: { row: r.row, name, phone: phone!, roles, department, title }, problems };
}

/** Validates one 包保 row: the enterprise by credit code, the steward by phone. */
export function validateAssignmentRow(r: RawRow): Result<AssignmentImportRow> {
  const c = r.cells;
  const { problems, add } = problemSink('assignments', r.row);
  const creditCode = normalizeCreditCode((c.creditCode ?? '').normalize('NFKC'));
  if (!creditCode) add('creditCode', '统一社会信用代码不能为空');
  else if (!isValidCreditCode(creditCode)) add('creditCode', '统一社会信用代码格式或校验位不正确');
  const stewardPhone = normalizePhone(c.stewardPhone ?? '');
  if (!(c.stewardPhone ?? '').trim()) add('stewardPhone', '干部电话不能为空');
  else if (!stewardPhone) add('stewardPhone', '干部电话应为 11 位手机号');
  let startsOn: string | null = null;
  if (opt(c.startsOn)) {
    startsOn = parseDateCell(c.startsOn!);
    if (!startsOn) add('startsOn', '开始日期应写成 2026-01-01');
  }
  if (problems.length) return { value: null, problems };
  return { value: { row: r.row, creditCode, enterpriseName: opt(c.enterpriseName), stewardName: opt(c.stewardName), stewardPhone: stewardPhone!, startsOn }, problems };
}

/**
 * Rows whose key repeats an earlier row's: each later one gets a problem naming the first row, so the office sees
 * which two lines clash. The first occurrence is kept.
 */
export function duplicateProblems<T extends { row: number }>(rows: readonly T[], key: (r: T) => string, column: string, what: string): RowProblem[] {
  const first = new Map<string, number>();
  const out: RowProblem[] = [];
  for (const r of rows) {
    const k = key(r);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, r.row);
    else out.push({ row: r.row, column, reason: `与第 ${seen} 行${what}重复` });
  }
  return out;
}
