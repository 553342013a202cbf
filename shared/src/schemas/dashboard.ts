import { Type, type Static } from '@sinclair/typebox';
import { DateOnly, Month, Nullable } from './common';

/** The month at a glance (issue 12): the series the existing endpoints do not give. */
export const DashboardMonthQuery = Type.Object({ month: Month }, { additionalProperties: false });
export type DashboardMonthQuery = Static<typeof DashboardMonthQuery>;

export const DashboardMonth = Type.Object({
  month: Type.String(),
  from: DateOnly,
  to: DateOnly,
  weeks: Type.Array(Type.Object({
    weekStart: DateOnly, from: DateOnly, to: DateOnly,
    received: Type.Integer({ description: '本周（限本月内）提交的诉求，不含撤回、并单' }),
    solved: Type.Integer({ description: '其中已解决的' }),
  }), { description: '按周（周一起）的诉求趋势，首尾两周截在本月内' }),
  departments: Type.Array(Type.Object({
    department: Type.Object({ id: Type.String(), name: Type.String() }),
    received: Type.Integer({ description: '本月交办给该部门（主办）的诉求' }),
    solved: Type.Integer(),
    overdue: Type.Integer({ description: '目前超期的' }),
    solveRate: Nullable(Type.Number({ description: '解决率 = 已解决 / 诉求数，三位小数' })),
  }), { description: '部门排名：按解决率、再按诉求数' }),
});
export type DashboardMonth = Static<typeof DashboardMonth>;

/** The visits map (issue 12): each area of the district at its enterprises' centroid, sized by the month's check-ins. */
export const DashboardVisitMap = Type.Object({
  month: Type.String(),
  from: DateOnly,
  to: DateOnly,
  areas: Type.Array(Type.Object({
    area: Type.Object({ id: Type.String(), name: Type.String() }),
    center: Nullable(Type.Object({
      lat: Type.Number(), lng: Type.Number(),
    }, { description: '属地中心：本属地已定位企业坐标的平均值（WGS-84）；没有已定位企业时为 null' })),
    locatedEnterprises: Type.Integer({ description: '本属地有坐标的企业数' }),
    checkins: Type.Integer({ description: '本月现场走访签到次数（已签到或已完成的现场走访，按企业所在属地）' }),
  }), { description: '本区县的全部属地（按编码）' }),
});
export type DashboardVisitMap = Static<typeof DashboardVisitMap>;
