import { useEffect, useRef, useState } from 'react';
import { View } from '@tarojs/components';
import { Input } from '../../../components/nutui';
import { messageOf } from '../../../services';
import './search-pick.scss';

export type Picked = { id: string; name: string; sub?: string };

/**
 * Type-ahead pick of one record (a steward, an enterprise) among thousands: the first matches appear under the
 * input as the coordinator types; the choice then shows as a chip with 更换.
 */
export function SearchPick({ placeholder, value, onChange, search, showInitial }: {
  placeholder: string;
  /** Offer the first records before anything is typed (a short list to pick from at once). */
  showInitial?: boolean;
  value: Picked | null;
  onChange: (v: Picked | null) => void;
  search: (q: string) => Promise<Picked[]>;
}) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Picked[]>();
  const [error, setError] = useState<string>();
  const seq = useRef(0);

  useEffect(() => {
    const n = ++seq.current;
    if (value) return undefined;
    if (!q.trim() && !showInitial) {
      setItems(undefined);
      return undefined;
    }
    const timer = setTimeout(() => {
      search(q.trim())
        .then((r) => {
          if (n !== seq.current) return;
          setItems(r);
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (n === seq.current) setError(messageOf(e));
        });
    }, q ? 300 : 0);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, value]);

  if (value) {
    return (
      <View className="search-pick__chosen">
        <View className="search-pick__name">{value.name}</View>
        <View className="search-pick__change" onClick={() => onChange(null)}>更换</View>
      </View>
    );
  }
  return (
    <View className="search-pick">
      <Input placeholder={placeholder} value={q} onChange={setQ} clearable maxLength={64} />
      {error ? <View className="search-pick__empty">{error}</View> : null}
      {items && !items.length ? <View className="search-pick__empty">没有找到，请换个关键字</View> : null}
      {items?.map((it) => (
        <View key={it.id} className="search-pick__item" onClick={() => onChange(it)}>
          <View className="search-pick__name">{it.name}</View>
          {it.sub ? <View className="search-pick__sub">{it.sub}</View> : null}
        </View>
      ))}
    </View>
  );
}
