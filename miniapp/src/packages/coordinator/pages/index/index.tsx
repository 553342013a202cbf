import { RoleStub, type PlannedScreen } from '../../../../components/role-stub';

/** Screens of this subpackage, to come as the APIs land (issue 5). */
const PLANNED: PlannedScreen[] = [
  { title: '待交办队列', description: '自动交办未能分派的诉求' },
  { title: '被退回的诉求', description: '改派到正确的部门' },
  { title: '延期审批', description: '批准或驳回部门的延期申请' },
  { title: '超期与督办', description: '超期诉求与督办单' },
  { title: '回访任务', description: '办结后的回访与抽查' },
  { title: '升级事项', description: '属地难以解决的问题' },
  { title: '分类、交办规则与节假日', description: '诉求类别、交办规则、节假日日历' },
  { title: '部门、属地、人员与包保', description: '组织与包保关系管理' },
];

/** Entry of the coordinator subpackage. */
export default function CoordinatorIndex() {
  return <RoleStub role="coordinator" planned={PLANNED} />;
}
