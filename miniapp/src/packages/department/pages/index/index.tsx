import { RoleStub, type PlannedScreen } from '../../../../components/role-stub';

/** Screens of this subpackage, to come as the APIs land (issue 5). */
const PLANNED: PlannedScreen[] = [
  { title: '待办诉求', description: '按办理时限排序，超期优先并高亮' },
  { title: '签收', description: '确认由本部门办理' },
  { title: '办理进展', description: '公开或内部进展记录' },
  { title: '请企业补充材料', description: '向企业发起补充信息请求' },
  { title: '申请延期', description: '说明原因，待调度员审批' },
  { title: '退回', description: '非本部门职责时填写原因退回' },
  { title: '答复办理结果', description: '已解决 / 已解释 / 部分解决，附文件' },
  { title: '督办单', description: '发给本部门的督办事项' },
];

/** Entry of the department subpackage. */
export default function DepartmentIndex() {
  return <RoleStub role="department" planned={PLANNED} />;
}
