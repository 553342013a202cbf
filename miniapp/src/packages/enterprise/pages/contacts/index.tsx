import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { goingLive, messageOf } from '../../../../services';
import type { EnterpriseContact } from '../../../../services/going-live';
import './index.scss';

/** 本企业联系人: who may act for the enterprise; its admin contact (the first to join) removes the others. */
export default function ContactsPage() {
  const [items, setItems] = useState<EnterpriseContact[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const load = useCallback(async () => {
    setError(undefined);
    try {
      setItems((await goingLive.contacts()).items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (c: EnterpriseContact) => {
    const ok = await Taro.showModal({ title: '移除联系人', content: `移除后 ${c.name} 将不能再代表本企业提交和查看诉求。确定移除？`, confirmText: '移除' });
    if (!ok.confirm) return;
    setBusy(c.id);
    try {
      await goingLive.removeContact(c.id);
      void Taro.showToast({ title: '已移除', icon: 'none' });
      await load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(undefined);
    }
  };

  if (!items) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  const iAmAdmin = items.some((c) => c.self && c.admin);
  return (
    <View className="ec">
      <View className="ec__hint">
        {iAmAdmin ? '您是本企业的管理联系人，可以移除其他联系人。新同事可在小程序中“企业自助加入”。' : '新同事可在小程序中“企业自助加入”；如需移除联系人，请联系本企业的管理联系人。'}
      </View>
      {items.map((c) => (
        <View key={c.id} className="ec__card" data-contact={c.name}>
          <View>
            <View className="ec__name">{`${c.name}${c.self ? '（我）' : ''}`}</View>
            <View className="ec__sub">{[c.admin ? '管理联系人' : '联系人', c.phoneMasked].filter(Boolean).join(' · ')}</View>
          </View>
          {iAmAdmin && !c.self ? <Button size="small" type="danger" loading={busy === c.id} onClick={() => void remove(c)}>移除</Button> : null}
        </View>
      ))}
    </View>
  );
}
