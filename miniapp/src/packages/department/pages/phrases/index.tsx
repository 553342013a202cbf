import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import type { ReplyTemplate } from '@guanjia/shared/schemas/everyday';
import { Button, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { everyday, messageOf } from '../../../../services';
import './index.scss';

/**
 * 常用语 (issue 13): the department's reply templates — add, edit, delete. Shared by the department's staff; the
 * answer and note forms offer them with one tap.
 */
export default function PhrasesPage() {
  const [items, setItems] = useState<ReplyTemplate[]>();
  const [error, setError] = useState<string>();
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<ReplyTemplate>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string>();

  const load = async () => {
    try {
      setItems(await everyday.templates());
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const save = async () => {
    const text = draft.trim();
    if (!text) return setFormError('请填写常用语内容');
    if (text.length > 500) return setFormError('常用语不能超过 500 个字');
    setBusy(true);
    setFormError(undefined);
    try {
      if (editing) await everyday.updateTemplate(editing.id, text, editing.version);
      else await everyday.createTemplate(text);
      setDraft('');
      setEditing(undefined);
      await load();
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (e) {
      setFormError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (x: ReplyTemplate) => {
    const { confirm } = await Taro.showModal({ title: '删除常用语', content: x.text.slice(0, 60), confirmText: '删除', cancelText: '取消', confirmColor: '#fa2c19' });
    if (!confirm) return;
    try {
      await everyday.deleteTemplate(x.id);
      await load();
    } catch (e) {
      void Taro.showModal({ title: '未能删除', content: messageOf(e), showCancel: false, confirmText: '知道了' });
    }
  };

  if (error && !items) return <StatusView status="error" message={error} onRetry={load} />;
  if (!items) return <StatusView status="loading" />;
  return (
    <View className="phrases">
      <View className="phrases__card">
        <View className="phrases__title">{editing ? '修改常用语' : '新增常用语'}</View>
        <TextArea className="phrases__input" placeholder="如：您好，您反映的问题已收悉，我局已安排专人办理。" value={draft} onChange={setDraft} maxLength={500} showCount autoSize />
        {formError ? <View className="phrases__error">{formError}</View> : null}
        <View className="phrases__actions">
          {editing ? <Button className="phrases__button" onClick={() => { setEditing(undefined); setDraft(''); setFormError(undefined); }}>取消修改</Button> : null}
          <Button className="phrases__button" type="primary" loading={busy} onClick={() => void save()}>{editing ? '保存修改' : '添加'}</Button>
        </View>
      </View>
      <View className="phrases__hint">本部门的办理人员共用，答复、办理进展时点一下即可插入。</View>
      {items.length ? (
        items.map((x) => (
          <View key={x.id} className="phrases__item">
            <View className="phrases__text">{x.text}</View>
            <View className="phrases__row">
              <View className="phrases__link" onClick={() => { setEditing(x); setDraft(x.text); setFormError(undefined); }}>修改</View>
              <View className="phrases__link phrases__link--danger" onClick={() => void remove(x)}>删除</View>
            </View>
          </View>
        ))
      ) : (
        <StatusView status="empty" message="还没有常用语" />
      )}
    </View>
  );
}
