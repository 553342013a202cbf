import { Type, type Static } from '@sinclair/typebox';
import { Month, Nullable, Uuid } from './common';

/** The city view (ADR 0008, docs/metrics.md): the districts of the caller's city side by side for one month. */
export const CityDistrictsQuery = Type.Object({ month: Month }, { additionalProperties: false });
export type CityDistrictsQuery = Static<typeof CityDistrictsQuery>;

const Rate = Nullable(Type.Number({ description: '百分比，保留一位小数；分母为 0 时为 null' }));

export const CityDistrictRow = Type.Object({
  district: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
  received: Type.Integer({ description: '当月受理诉求数（不含撤回、合并）' }),
  enterprises: Type.Integer({ description: '提出诉求的企业数' }),
  closed: Type.Integer({ description: '已办结（已答复）数' }),
  solved: Type.Integer({ description: '已解决数（企业确认或回访确认）' }),
  accepted: Type.Integer({ description: '已签收数' }),
  acceptedOnTime: Type.Integer({ description: '签收时限内签收数' }),
  replied: Type.Integer({ description: '已答复数' }),
  repliedOnTime: Type.Integer({ description: '办理时限内答复数' }),
  satisfied: Type.Integer({ description: '满意' }),
  basicallySatisfied: Type.Integer({ description: '基本满意' }),
  verdicts: Type.Integer({ description: '有效评价（满意 + 基本满意 + 不满意）' }),
  overdue: Type.Integer({ description: '当前超期未办结数' }),
  contacts: Type.Integer({ description: '当月走访联系次数（已签到或已完成）' }),
  acceptOnTimeRate: Rate,
  replyOnTimeRate: Rate,
  solveRate: Rate,
  satisfactionRate: Rate,
  score: Nullable(Type.Number({ description: '综合得分 = 0.1×及时签收率 + 0.5×解决率 + 0.4×满意率（缺项按 0 计），一位小数' })),
  rank: Type.Integer({ minimum: 1, description: '全市排名，1 为最好；同分按区划代码' }),
});
export type CityDistrictRow = Static<typeof CityDistrictRow>;

export const CityDistricts = Type.Object({
  city: Type.Object({ code: Type.String(), name: Type.String() }),
  month: Type.String(),
  weights: Type.Object({ response: Type.Number(), solve: Type.Number(), satisfaction: Type.Number(), basicallySatisfied: Type.Number() }),
  districts: Type.Array(CityDistrictRow, { description: '按排名先后' }),
});
export type CityDistricts = Static<typeof CityDistricts>;
