import { RoleStub, type PlannedScreen } from '../../../../components/role-stub';

/** Screens of this subpackage, to come as the APIs land (issue 5). */
const PLANNED: PlannedScreen[] = [
  { title: '我包保的企业', description: '本期走访状态：已走访 / 待走访 / 已逾期' },
  { title: '企业详情', description: '企业的诉求与走访记录' },
  { title: '现场签到 / 签退', description: '定位 + 现场拍照 + 走访记录；显示与企业的距离，超出范围提示外勤' },
  { title: '记录电话 / 微信沟通', description: '非现场对接留痕' },
  { title: '代企业提交诉求', description: '走访中发现的问题直接提交' },
];

/** Entry of the steward subpackage. */
export default function StewardIndex() {
  return <RoleStub role="steward" planned={PLANNED} />;
}
