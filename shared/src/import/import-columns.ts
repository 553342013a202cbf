/**
 * Roster import (ADR 0010): which columns each kind of file has, and the header names offices actually write for
 * them. A header is matched after normalisation (full-width → half-width, spaces, "*" and bracketed notes such as
 * "（必填）" removed), against the column's label and its synonyms. docs/import.md lists the same table.
 */

/** What a file imports. */
export type ImportKind = 'enterprises' | 'people' | 'assignments' | 'projects';

/** Every kind, in the order the desk screen offers them. */
export const IMPORT_KINDS: readonly ImportKind[] = ['enterprises', 'people', 'assignments', 'projects'];

/** Chinese names of the kinds (screen, templates, audit). */
export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  enterprises: '企业名录',
  people: '人员（管家、部门办理人、领导）',
  assignments: '包保关系',
  projects: '重点项目',
};

/** One column of a kind: `key` in code, `label` the template header, `synonyms` other headers accepted. */
export type ImportColumn = { key: string; label: string; synonyms: readonly string[]; required: boolean; example: string; note?: string };

/** The columns of each kind. The first matching header wins; unknown headers are reported and ignored. */
export const IMPORT_COLUMNS: Record<ImportKind, readonly ImportColumn[]> = {
  enterprises: [
    { key: 'name', label: '企业名称', synonyms: ['企业', '单位名称', '企业全称', '名称', '市场主体名称'], required: true, example: '盘锦示范机械有限公司' },
    { key: 'creditCode', label: '统一社会信用代码', synonyms: ['信用代码', '社会信用代码', '统一代码', '统一社会信用代码证号'], required: true, example: '91211103000000001X', note: '18 位，含校验位' },
    { key: 'area', label: '所属乡镇/街道', synonyms: ['所属乡镇街道', '乡镇/街道', '乡镇街道', '属地', '所属属地', '所属街道', '所属乡镇', '街道', '乡镇', '园区'], required: true, example: '兴隆街道' },
    { key: 'industry', label: '行业', synonyms: ['所属行业', '行业类别', '行业分类'], required: false, example: '装备制造' },
    { key: 'scale', label: '规模', synonyms: ['企业规模', '是否规上', '规上/规下'], required: false, example: '规下', note: '规上 / 规下（规模以上 / 规模以下）' },
    { key: 'address', label: '地址', synonyms: ['企业地址', '注册地址', '经营地址', '详细地址'], required: false, example: '兴隆台区示范路1号' },
    { key: 'coords', label: '经纬度', synonyms: ['坐标', '位置', '经纬度坐标'], required: false, example: '122.0701,41.1199', note: '“经度,纬度”，或分列“经度”“纬度”' },
    { key: 'lng', label: '经度', synonyms: [], required: false, example: '' },
    { key: 'lat', label: '纬度', synonyms: [], required: false, example: '' },
    { key: 'datum', label: '坐标系', synonyms: ['坐标类型', '坐标系统'], required: false, example: 'GCJ-02', note: 'GCJ-02（高德、腾讯地图，默认）或 WGS-84（GPS）' },
    { key: 'contactName', label: '联系人', synonyms: ['企业联系人', '负责人', '法定代表人', '法人'], required: false, example: '王经理' },
    { key: 'contactPhone', label: '联系电话', synonyms: ['联系人电话', '联系方式', '企业电话', '手机号', '联系人手机'], required: false, example: '13800000001' },
    { key: 'stewardName', label: '包保干部', synonyms: ['管家', '公共管家', '项目管家', '包保人', '包联干部', '分包干部', '助企干部', '首席服务员'], required: false, example: '李管家', note: '填写时须同时填写干部电话' },
    { key: 'stewardPhone', label: '干部电话', synonyms: ['包保干部电话', '管家电话', '包保人电话', '干部手机', '管家手机号'], required: false, example: '13900000001' },
  ],
  people: [
    { key: 'name', label: '姓名', synonyms: ['人员姓名', '干部姓名', '名字'], required: true, example: '李管家' },
    { key: 'phone', label: '手机号', synonyms: ['手机', '联系电话', '电话', '手机号码', '联系方式'], required: true, example: '13900000001' },
    { key: 'roles', label: '角色', synonyms: ['身份', '人员类别', '类别'], required: true, example: '管家', note: '管家、部门办理人、领导、调度员，多个用顿号分隔' },
    { key: 'department', label: '所属部门', synonyms: ['部门', '单位', '工作单位', '所在单位', '所在部门'], required: false, example: '区工信局', note: '部门办理人必填，须为已录入的部门' },
    { key: 'title', label: '职务', synonyms: ['职位', '岗位'], required: false, example: '科员' },
  ],
  assignments: [
    { key: 'creditCode', label: '统一社会信用代码', synonyms: ['信用代码', '社会信用代码', '统一代码'], required: true, example: '91211103000000001X' },
    { key: 'enterpriseName', label: '企业名称', synonyms: ['企业', '单位名称', '名称'], required: false, example: '盘锦示范机械有限公司', note: '仅用于核对' },
    { key: 'stewardName', label: '包保干部', synonyms: ['管家', '公共管家', '项目管家', '包保人', '包联干部', '分包干部', '助企干部', '首席服务员', '干部姓名'], required: false, example: '李管家', note: '仅用于核对' },
    { key: 'stewardPhone', label: '干部电话', synonyms: ['包保干部电话', '管家电话', '包保人电话', '干部手机', '管家手机号', '手机号', '联系电话'], required: true, example: '13900000001', note: '须为已导入的管家' },
    { key: 'startsOn', label: '开始日期', synonyms: ['包保开始日期', '起始日期', '开始时间'], required: false, example: '2026-01-01', note: '默认今天' },
  ],
  projects: [
    { key: 'name', label: '项目名称', synonyms: ['项目全称', '项目'], required: true, example: '示范产业园二期' },
    { key: 'creditCode', label: '业主单位信用代码', synonyms: ['业主单位统一社会信用代码', '统一社会信用代码', '信用代码'], required: true, example: '91211103000000001X', note: '须为本区县已导入的企业' },
    { key: 'ownerName', label: '业主单位', synonyms: ['业主单位名称', '建设单位'], required: false, example: '盘锦示范机械有限公司', note: '仅用于核对' },
    { key: 'area', label: '建设地点', synonyms: ['所属乡镇/街道', '属地', '乡镇/街道'], required: true, example: '兴隆街道', note: '属地名称' },
    { key: 'location', label: '详细地点', synonyms: ['建设地址', '项目地址'], required: false, example: '兴隆台区示范路1号' },
    { key: 'nature', label: '项目性质', synonyms: ['性质'], required: true, example: '产业', note: '产业、基础设施、社会民生、其他（本区县配置）' },
    { key: 'levels', label: '项目级别', synonyms: ['级别'], required: true, example: '市重点', note: '省重点、市重点、县重点，多个用顿号分隔' },
    { key: 'kind', label: '建设性质', synonyms: ['新建/续建', '类型'], required: true, example: '新建', note: '新建 / 续建 / 改扩建' },
    { key: 'startYear', label: '建设年限起', synonyms: ['开工年份', '建设起始年', '起始年份'], required: true, example: '2026' },
    { key: 'endYear', label: '建设年限止', synonyms: ['竣工年份', '建设结束年', '结束年份'], required: true, example: '2027' },
    { key: 'plannedStartOn', label: '计划开工日期', synonyms: ['计划开工时间'], required: false, example: '2026-03-01' },
    { key: 'plannedEndOn', label: '计划竣工日期', synonyms: ['计划竣工时间'], required: false, example: '2027-10-31' },
    { key: 'totalInvestment', label: '总投资（万元）', synonyms: ['总投资', '总投资万元', '计划总投资'], required: true, example: '50000', note: '万元，最多 4 位小数（精确到元）' },
    { key: 'fiscal', label: '财政资金（万元）', synonyms: ['财政资金'], required: false, example: '10000', note: '各资金来源合计须等于总投资' },
    { key: 'special_bond', label: '专项债（万元）', synonyms: ['专项债', '专项债券'], required: false, example: '' },
    { key: 'self_raised', label: '企业自筹（万元）', synonyms: ['企业自筹', '自筹资金'], required: false, example: '40000' },
    { key: 'bank_loan', label: '银行贷款（万元）', synonyms: ['银行贷款'], required: false, example: '' },
    { key: 'other', label: '其他资金（万元）', synonyms: ['其他资金'], required: false, example: '' },
    { key: 'leaderPhone', label: '包联领导电话', synonyms: ['领导电话', '包联领导手机', '包联县级领导电话'], required: true, example: '13700000001', note: '须为本区县已导入的领导' },
    { key: 'stewardPhones', label: '项目管家电话', synonyms: ['管家电话', '项目管家手机'], required: false, example: '13900000001', note: '须为本区县已导入的管家，多个用顿号分隔' },
    { key: 'department', label: '责任单位', synonyms: ['牵头部门', '责任部门', '牵头单位'], required: true, example: '区发改局', note: '须为本区县已录入的部门' },
    { key: 'stage', label: '阶段', synonyms: ['项目阶段', '进展阶段'], required: false, example: '谋划', note: '谋划、签约、开工、竣工、投产、达效，默认谋划' },
    { key: 'industry', label: '行业', synonyms: ['所属行业'], required: false, example: '装备制造' },
    { key: 'scaleContent', label: '建设规模及内容', synonyms: ['建设内容', '建设规模'], required: false, example: '新建厂房2万平方米' },
  ],
};

/** Header text as compared: NFKC (full-width → half-width), no spaces, no "*", no bracketed note, lower case. */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase();
}

/** How a header row maps to a kind's columns. */
export type HeaderMatch = {
  /** column key → 0-based index in the row */
  columns: Record<string, number>;
  /** headers that matched nothing (reported, ignored) */
  unknown: string[];
  /** labels of required columns not found */
  missing: string[];
};

/** Matches a file's header row to the columns of `kind` by name (label first, then synonyms). */
export function matchHeaders(kind: ImportKind, headers: readonly string[]): HeaderMatch {
  const defs = IMPORT_COLUMNS[kind];
  const lookup = new Map<string, string>();
  for (const d of defs) if (!lookup.has(normalizeHeader(d.label))) lookup.set(normalizeHeader(d.label), d.key);
  for (const d of defs) for (const s of d.synonyms) if (!lookup.has(normalizeHeader(s))) lookup.set(normalizeHeader(s), d.key);
  const columns: Record<string, number> = {};
  const unknown: string[] = [];
  headers.forEach((h, i) => {
    const n = normalizeHeader(h ?? '');
    if (!n) return;
    const key = lookup.get(n);
    if (key && columns[key] === undefined) columns[key] = i;
    else if (!key && n !== '序号' && n !== '原因') unknown.push(h);
  });
  const missing = defs.filter((d) => d.required && columns[d.key] === undefined).map((d) => d.label);
  return { columns, unknown, missing };
}

/** The template header label of a column key (per-row errors name the column as the template does). */
export function importColumnLabel(kind: ImportKind, key: string): string {
  return IMPORT_COLUMNS[kind].find((c) => c.key === key)?.label ?? key;
}
