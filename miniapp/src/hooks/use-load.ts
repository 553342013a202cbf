import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { createLoader, isLoading } from './loader';

export type Load<T> = {
  /** What the last successful load returned (kept when a reload fails). */
  data: T | undefined;
  /** Replaces the data (an action's answer that already holds the new list). */
  setData: (data: T) => void;
  /** Nothing to show yet: the first load is running. */
  loading: boolean;
  /** Chinese message of the last failure, cleared when a reload starts. */
  error?: string;
  /** Loads again (retry, after a save). A late answer of an older load is dropped. */
  reload: () => Promise<void>;
};

/**
 * A page's one read: loads on mount and when `deps` change, errors as Chinese text; with `pullDown` the page's
 * pull-down refresh reloads (the page config enables it), with `reshow` coming back to the page does (not its first
 * show). Replaces the useState/useCallback/useEffect trio each list+form page wrote by hand.
 */
export function useLoad<T>(fetch: () => Promise<T>, deps: readonly unknown[] = [], opts: { pullDown?: boolean; reshow?: boolean } = {}): Load<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  // one loader per mounted page (its generation counter drops late answers); it always runs the latest fetch
  const loader = useRef<ReturnType<typeof createLoader<T>>>();
  loader.current ??= createLoader(() => fetchRef.current(), { data: setData, error: setError });
  const { reload } = loader.current;

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide when to load again
  }, deps);

  usePullDownRefresh(() => {
    if (opts.pullDown) void reload().finally(() => Taro.stopPullDownRefresh());
  });
  const first = useRef(true);
  useDidShow(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (opts.reshow) void reload();
  });

  return { data, setData, loading: isLoading(data, error), error, reload };
}
