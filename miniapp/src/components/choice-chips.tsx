import { View } from '@tarojs/components';
import './choice-chips.scss';

export type Chip = { value: string; label: string; hint?: string };

/**
 * Options as tappable chips (WeChat-style segmented choice): one value, or several with `multiple`. Bigger tap
 * targets than radios, and each option's hint shows once it is chosen.
 */
export function ChoiceChips({ options, value, onChange, multiple, danger }: {
  options: Chip[];
  value: string | string[];
  onChange: (next: string | string[]) => void;
  multiple?: boolean;
  /** Values drawn in the warning colour when chosen (e.g. 不满意). */
  danger?: string[];
}) {
  const chosen = Array.isArray(value) ? value : value ? [value] : [];
  const tap = (v: string) => {
    if (!multiple) onChange(v);
    else onChange(chosen.includes(v) ? chosen.filter((x) => x !== v) : [...chosen, v]);
  };
  const hint = options.find((o) => chosen.includes(o.value) && o.hint)?.hint;
  return (
    <View className="choice-chips">
      <View className="choice-chips__row">
        {options.map((o) => {
          const on = chosen.includes(o.value);
          return (
            <View
              key={o.value}
              className={`choice-chips__chip${on ? ' choice-chips__chip--on' : ''}${on && danger?.includes(o.value) ? ' choice-chips__chip--danger' : ''}`}
              onClick={() => tap(o.value)}
            >
              {o.label}
            </View>
          );
        })}
      </View>
      {hint ? <View className="choice-chips__hint">{hint}</View> : null}
    </View>
  );
}
