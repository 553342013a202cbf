import { RoleStub, type PlannedScreen } from '../../../../components/role-stub';

/** Screens of this subpackage, to come as the APIs land (issue 5). */
const PLANNED: PlannedScreen[] = [
  { title: '提交诉求', description: '选择类别、描述问题、拍照上传、选择紧急程度；提交前提示可能重复的诉求' },
  { title: '我的诉求', description: '状态与办理时限一目了然' },
  { title: '诉求详情', description: '公开的办理时间线' },
  { title: '确认办理结果', description: '满意 / 基本满意 / 不满意，评分与评价；或反馈问题未解决' },
  { title: '补充材料', description: '回复部门提出的补充信息请求' },
  { title: '撤回诉求', description: '问题已自行解决时撤回' },
  { title: '消息通知', description: '办理进展提醒' },
];

/** Entry of the enterprise subpackage. */
export default function EnterpriseIndex() {
  return <RoleStub role="enterprise" planned={PLANNED} />;
}
