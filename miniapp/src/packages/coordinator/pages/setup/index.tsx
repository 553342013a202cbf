import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { useLoad } from '../../../../hooks/use-load';
import { goingLive, messageOf } from '../../../../services';
import type { SetupChecklist } from '../../../../services/going-live';
import { IMPORT_PAGE } from '../../../../services/role-home';
import { admin } from '../../lib/api';
import './index.scss';

/**
 * 开通清单: what a new district still lacks before it can go live — each item with its count, done or missing, the
 * screen that fixes it, and "load defaults" where the server has them. The admin's first login lands here.
 */
export default function SetupPage() {
  const { data: list, error, reload: load } = useLoad<SetupChecklist>(() => goingLive.checklist(), [], { pullDown: true });
  const [busy, setBusy] = useState<string>();

  const loadDefaults = async (key: string) => {
    setBusy(key);
    try {
      const r = await admin.loadDefaultCategories();
      void Taro.showToast({ title: r.added ? `已载入 ${r.added} 个类别` : '默认类别均已存在', icon: 'none' });
      await load();
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(undefined);
    }
  };

  if (!list) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  const done = list.items.filter((i) => i.done).length;
  return (
    <View className="co-page su-page">
      <View className="co-toolbar">
        <View className="co-section">{`${list.district.name}（${list.district.code}）开通清单`}</View>
        <Button size="small" type="primary" onClick={() => void Taro.navigateTo({ url: IMPORT_PAGE })}>批量导入</Button>
      </View>
      <View className="su-progress">
        {list.done ? '全部就绪，可以正式使用。' : `已完成 ${done} / ${list.items.length} 项，请补齐标为“待完成”的项目。`}
      </View>
      <View className="su-grid">
        {list.items.map((i) => (
          <View key={i.key} className="co-card su-card" data-item={i.key}>
            <View className="su-item">
              <View className="co-card__main">
                <View className="co-card__title">
                  {i.key === 'calendarYear' ? `${list.year} 年${i.label}` : i.label}
                  <View className={`co-tag ${i.done ? 'co-tag--success' : 'co-tag--warning'}`}>{i.done ? '已完成' : '待完成'}</View>
                </View>
                <View className="co-card__sub">{i.hint}</View>
              </View>
              <View className="su-item__count">{i.key === 'calendarYear' ? (i.done ? '有' : '无') : i.count.toLocaleString('zh-CN')}</View>
            </View>
            <View className="co-bar__buttons">
              {i.defaults && !i.done ? (
                <Button size="small" type="primary" loading={busy === i.key} onClick={() => void loadDefaults(i.key)}>载入默认</Button>
              ) : null}
              <Button size="small" onClick={() => void Taro.navigateTo({ url: i.page })}>{i.done ? '查看' : '去处理'}</Button>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
