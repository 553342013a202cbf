import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button, Cell, CellGroup } from '../../components/nutui';
import { StatusView } from '../../components/status-view';
import { useSession } from '../../hooks/use-session';
import { auth, everyday, LOGIN_PAGE, messageOf } from '../../services';
import { roleLabel } from '../../services/role-home';
import './index.scss';

/** The signed-in person's details and logout. */
export default function MinePage() {
  const { user, error, reload } = useSession();
  const [busy, setBusy] = useState(false);
  // 联系管家 (issue 13): whether the steward's enterprises may see and call their phone (default on).
  const isSteward = !!user?.roles.includes('steward');
  const [phoneVisible, setPhoneVisible] = useState<boolean>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (isSteward) everyday.stewardSettings().then((s) => setPhoneVisible(s.phoneVisibleToEnterprises), () => undefined);
  }, [isSteward]);
  const togglePhone = async () => {
    if (phoneVisible === undefined || saving) return;
    setSaving(true);
    try {
      const s = await everyday.putStewardSettings({ phoneVisibleToEnterprises: !phoneVisible });
      setPhoneVisible(s.phoneVisibleToEnterprises);
      void Taro.showToast({ title: s.phoneVisibleToEnterprises ? '企业可联系您' : '已对企业隐藏手机号', icon: 'none' });
    } catch (e) {
      void Taro.showModal({ title: '未能保存', content: messageOf(e), showCancel: false, confirmText: '知道了' });
    } finally {
      setSaving(false);
    }
  };

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
      {isSteward && phoneVisible !== undefined ? (
        <CellGroup title="联系设置">
          <View className="mine__setting" onClick={() => void togglePhone()}>
            <View className="mine__setting-text">
              <View className="mine__setting-title">包保企业可以联系我</View>
              <View className="mine__setting-desc">开启后，企业在小程序中可看到您的手机号并一键拨打</View>
            </View>
            <View className={`mine__toggle${phoneVisible ? ' mine__toggle--on' : ''}${saving ? ' mine__toggle--busy' : ''}`}>
              <View className="mine__toggle-knob" />
            </View>
          </View>
        </CellGroup>
      ) : null}
      <Button className="mine__logout" block fill="outline" type="danger" loading={busy} onClick={logout}>
        退出登录
      </Button>
    </View>
  );
}
