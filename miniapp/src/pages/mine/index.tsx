import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, Cell, CellGroup } from '../../components/nutui';
import { StatusView } from '../../components/status-view';
import { useSession } from '../../hooks/use-session';
import { auth, LOGIN_PAGE } from '../../services';
import { roleLabel } from '../../services/role-home';
import './index.scss';

/** The signed-in person's details and logout. */
export default function MinePage() {
  const { user, error, reload } = useSession();
  const [busy, setBusy] = useState(false);

  const logout = async () => {
    const { confirm } = await Taro.showModal({ title: '退出登录', content: '确定退出当前账号吗？', confirmText: '退出', cancelText: '取消', confirmColor: '#fa2c19' });
    if (!confirm) return;
    setBusy(true);
    await auth.logout();
    setBusy(false);
    void Taro.reLaunch({ url: LOGIN_PAGE });
  };

  if (!user) {
    return error ? <StatusView status="error" message={error} onRetry={reload} /> : <StatusView status="loading" />;
  }
  return (
    <View className="mine">
      <CellGroup title="账号信息">
        <Cell title="姓名" extra={user.name} />
        {user.title ? <Cell title="职务" extra={user.title} /> : null}
        <Cell title="手机号" extra={user.phoneMasked ?? '未登记'} />
        <Cell title="角色" extra={user.roles.map(roleLabel).join('、') || '未分配'} />
        <Cell title="所属区县" extra={user.district?.name ?? user.city?.name ?? "平台"} />
        {user.enterprise ? <Cell title="所属企业" extra={user.enterprise.name} /> : null}
        {user.department ? <Cell title="所属部门" extra={user.department.name} /> : null}
        {process.env.TARO_ENV === 'weapp' ? <Cell title="微信绑定" extra={user.wechatBound ? '已绑定' : '未绑定'} /> : null}
      </CellGroup>
      <Button className="mine__logout" block fill="outline" type="danger" loading={busy} onClick={logout}>
        退出登录
      </Button>
    </View>
  );
}
