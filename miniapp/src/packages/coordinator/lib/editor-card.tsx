import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { FormCard } from '../../../components/form-field';
import { Button } from '../../../components/nutui';

/**
 * The editor card of the desk's list+form pages (areas, departments, categories, rules, calendar, assignments):
 * the fields in a form card, the form's own error, an optional hint, then 取消 and the save button.
 * Without `onSave` only the cancel button shows (a read-only view), without `onCancel` only the save button.
 */
export function EditorCard(props: {
  children: ReactNode;
  error?: string;
  hint?: ReactNode;
  busy?: boolean;
  onCancel?: () => void;
  onSave?: () => void;
  cancelText?: string;
  saveText?: string;
}) {
  return (
    <View className="co-form">
      <FormCard>{props.children}</FormCard>
      {props.error ? <View className="co-error">{props.error}</View> : null}
      {props.hint}
      <View className="co-bar__buttons co-submit">
        {props.onCancel ? <Button onClick={props.onCancel}>{props.cancelText ?? '取消'}</Button> : null}
        {props.onSave ? <Button type="primary" loading={props.busy} onClick={props.onSave}>{props.saveText ?? '保存'}</Button> : null}
      </View>
    </View>
  );
}
