/**
 * The setup checklist a new district's admin and coordinators see on first login (ADR 0010): what a live district
 * needs, in the order it is usually entered, each with the desk screen that fixes it. The server counts; this table
 * decides what "done" means and where to go, so the mini-app and the server agree.
 */

/** Checklist items in order. */
export const SETUP_ITEMS = ['areas', 'departments', 'categories', 'routingRules', 'calendarYear', 'people', 'enterprises', 'assignments'] as const;
export type SetupItem = (typeof SETUP_ITEMS)[number];

/** Label, the page that fixes the item, whether the server can load defaults, and the count that makes it done. */
export const SETUP_ITEM_INFO: Record<SetupItem, { label: string; hint: string; page: string; defaults: boolean; min: number }> = {
  areas: { label: '属地（乡镇/街道/园区）', hint: '录入属地，或导入企业时勾选“自动创建缺少的属地”', page: '/packages/coordinator/pages/areas/index', defaults: false, min: 1 },
  departments: { label: '区直部门', hint: '录入承办诉求的部门', page: '/packages/coordinator/pages/departments/index', defaults: false, min: 1 },
  categories: { label: '诉求类别', hint: '可一键载入默认类别（人才用工、融资困难、政务服务等）', page: '/packages/coordinator/pages/categories/index', defaults: true, min: 1 },
  routingRules: { label: '交办规则', hint: '为每个类别指定主办部门', page: '/packages/coordinator/pages/rules/index', defaults: false, min: 1 },
  calendarYear: { label: '本年度节假日日历', hint: '平台运维录入全国节假日；缺少时按周末计算期限', page: '/packages/coordinator/pages/calendar/index', defaults: false, min: 1 },
  people: { label: '人员（管家、部门办理人、领导）', hint: '逐个添加或批量导入', page: '/packages/coordinator/pages/import/index?kind=people', defaults: false, min: 1 },
  enterprises: { label: '企业名录', hint: '批量导入办公室的企业台账', page: '/packages/coordinator/pages/import/index?kind=enterprises', defaults: false, min: 1 },
  assignments: { label: '包保关系', hint: '导入包保名单（哪位干部包保哪家企业）', page: '/packages/coordinator/pages/import/index?kind=assignments', defaults: false, min: 1 },
};

/** True when a count satisfies its item. */
export function setupItemDone(item: SetupItem, count: number): boolean {
  return count >= SETUP_ITEM_INFO[item].min;
}
