import { View } from '@tarojs/components';
import { Input } from '../../../components/nutui';
import './problems-editor.scss';

/** Problems editor: one line per problem found (each may become a 诉求 later). */
export function ProblemsEditor({ value, onChange, errors }: { value: string[]; onChange: (v: string[]) => void; errors: Record<string, string> }) {
  return (
    <View>
      {value.map((p, i) => (
        <View key={i} className="st-problems__problem">
          <View className="st-problems__problem-input">
            <Input placeholder={`问题 ${i + 1}：如 招工难、用电紧张`} value={p} maxLength={500} onChange={(t) => onChange(value.map((x, j) => (j === i ? t : x)))} />
            {errors[`problems.${i}.description`] ? <View className="st-problems__error">{errors[`problems.${i}.description`]}</View> : null}
          </View>
          {value.length > 1 ? <View className="st-problems__problem-remove" onClick={() => onChange(value.filter((_, j) => j !== i))}>删除</View> : null}
        </View>
      ))}
      {value.length < 20 ? <View className="st-problems__add" onClick={() => onChange([...value, ''])}>＋ 再添加一个问题</View> : null}
    </View>
  );
}

