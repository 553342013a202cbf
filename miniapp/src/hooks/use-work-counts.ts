import { useCallback, useRef, useState } from 'react';
import { auth, http, tickets } from '../services';
import { loadDeskWorkCounts } from '../services/admin';
import { loadTicketWorkCounts } from '../services/tickets';

/**
 * Badge counts for the home screen's work lists, keyed `<role>:<item key>` (see role-home.ts). Each role's
 * loader adds its own keys; a loader that fails leaves its badges out.
 */
export function useWorkCounts(): { counts: Record<string, number>; reload: (roles: readonly string[]) => Promise<void> } {
  const [counts, setCounts] = useState<Record<string, number>>({});
  const last = useRef({ key: '', at: 0 });
  const reload = useCallback(async (roles: readonly string[]) => {
    // The page's first show and its first render both ask: one load serves both.
    const key = roles.join(',');
    if (last.current.key === key && Date.now() - last.current.at < 1000) return;
    last.current = { key, at: Date.now() };
    const parts = await Promise.all([loadTicketWorkCounts(tickets, roles), loadDeskWorkCounts(http, roles, auth.cachedUser()?.id)]);
    setCounts(Object.assign({}, ...parts));
  }, []);
  return { counts, reload };
}

/** Counts that inform rather than ask for action: drawn grey. */
export const INFO_COUNTS: ReadonlySet<string> = new Set(['enterprise:mine']);
