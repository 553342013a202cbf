import { useCallback, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { auth, goToLogin, isApiError, messageOf, type User } from '../services';

export type SessionState = {
  /** The person, from cache at first and from `/me` once it answers. */
  user?: User;
  loading: boolean;
  /** Chinese message when `/me` failed (the cached user, if any, stays shown). */
  error?: string;
  reload: () => Promise<void>;
};

/**
 * For pages that need a signed-in person: sends the signed-out to login, paints the cached person at once and
 * reloads `/me` each time the page shows (roles can change on the server).
 */
export function useSession(): SessionState {
  const [user, setUser] = useState<User | undefined>(() => auth.cachedUser());
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    if (!auth.isSignedIn()) {
      goToLogin();
      return;
    }
    setLoading(true);
    try {
      setUser(await auth.me());
      setError(undefined);
    } catch (e) {
      // A dead session already went to login (http.ts); anything else leaves the cached person on screen.
      if (!isApiError(e) || e.status !== 401) setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useDidShow(() => {
    void reload();
  });

  return { user, loading, error, reload };
}
