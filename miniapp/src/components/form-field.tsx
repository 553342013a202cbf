import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import './form-field.scss';

export type FormFieldProps = {
  label: string;
  /** Chinese message shown under the field (a server `details` entry or a client check). */
  error?: string;
  required?: boolean;
  children: ReactNode;
};

/**
 * One labelled form row with its error right under it. NutUI's Cell drops its title when it has children,
 * and its Form keeps errors to its own validators; server field errors need a place of their own.
 */
export function FormField({ label, error, required, children }: FormFieldProps) {
  return (
    <View className={`form-field${error ? ' form-field--invalid' : ''}`}>
      <View className="form-field__row">
        <View className="form-field__label">
          {required ? <View className="form-field__required">*</View> : null}
          {label}
        </View>
        <View className="form-field__control">{children}</View>
      </View>
      {error ? <View className="form-field__error">{error}</View> : null}
    </View>
  );
}

/** White rounded card grouping FormFields. */
export function FormCard({ children }: { children: ReactNode }) {
  return <View className="form-card">{children}</View>;
}
