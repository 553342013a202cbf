import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../services';

export type PagedList<T> = {
  items: T[];
  /** First load (nothing to show yet). */
  loading: boolean;
  /** Chinese message of the last failure (the items already shown stay). */
  error?: string;
  hasMore: boolean;
  loadingMore: boolean;
  /** Reloads from the first page (pull-down, tab change, page shown again). */
  reload: () => Promise<void>;
  /** Appends the next page (reach bottom). */
  more: () => Promise<void>;
};

/**
 * A keyset-paged list: the first page on `deps` change, more on demand, errors as Chinese text. Stale answers
 * (a tab switched while loading) are dropped.
 */
export function usePagedList<T>(fetch: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>, deps: readonly unknown[]): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string>();
  const generation = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    setError(undefined);
    try {
      const page = await fetchRef.current();
      if (gen !== generation.current) return;
      setItems(page.items);
      setCursor(page.nextCursor);
    } catch (e) {
      if (gen === generation.current) setError(messageOf(e));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, []);

  const more = useCallback(async () => {
    if (!cursor || loadingMore) return;
    const gen = generation.current;
    setLoadingMore(true);
    try {
      const page = await fetchRef.current(cursor);
      if (gen !== generation.current) return;
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadingMore]);

  useEffect(() => {
    setLoading(true);
    setItems([]);
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { items, loading, error, hasMore: !!cursor, loadingMore, reload, more };
}
