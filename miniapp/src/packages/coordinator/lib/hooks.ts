import { useRef } from 'react';
import { useDidShow } from '@tarojs/taro';

/** Runs `fn` when the page shows again (back from a detail or form), not on its first show (the load runs then). */
export function useReshow(fn: () => void): void {
  const first = useRef(true);
  useDidShow(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    fn();
  });
}
