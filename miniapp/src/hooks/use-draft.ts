import { useReducer, useRef } from 'react';
import { auth, drafts } from '../services';
import { openDraft, type DraftSession } from '../services/draft';

/** What a form page gets from useDraft; see DraftSession for the rules. */
export type UseDraft<T> = {
  values: T;
  /** True when the values came back from an earlier visit: say so ("已恢复上次未提交的内容"). */
  restored: boolean;
  idempotencyKey: string;
  submitting: boolean;
  update: (next: T | ((previous: T) => T)) => void;
  setField: <K extends keyof T>(field: K, value: T[K]) => void;
  submit: <R>(send: (values: T, idempotencyKey: string) => Promise<R>) => Promise<R>;
  discard: () => void;
};

/**
 * A form draft kept in Taro storage on every change, restored on open, cleared on successful submit, carrying
 * the submission's Idempotency-Key. `formKey` names the form and its subject (e.g. `ticket-new:<enterpriseId>`);
 * drafts are kept per signed-in person. The logic lives in services/draft.ts (unit-tested); this is the glue.
 *
 * @example
 * const form = useDraft('ticket-new', { categoryId: '', description: '' });
 * await form.submit((values, key) => http.post('/tickets', values, { idempotencyKey: key }));
 */
export function useDraft<T>(formKey: string, initial: T): UseDraft<T> {
  const scopedKey = `${auth.cachedUser()?.id ?? 'anonymous'}:${formKey}`;
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const ref = useRef<{ key: string; session: DraftSession<T> }>();
  if (!ref.current || ref.current.key !== scopedKey) {
    // `initial` is read once per form key, like useState's initial value.
    ref.current = { key: scopedKey, session: openDraft(drafts, scopedKey, initial, { onChange: () => rerender() }) };
  }
  const session = ref.current.session;
  return {
    values: session.values,
    restored: session.restored,
    idempotencyKey: session.idempotencyKey,
    submitting: session.submitting,
    update: (next) => void session.update(next),
    setField: (field, value) => void session.update((prev) => ({ ...prev, [field]: value })),
    submit: (send) => session.submit(send),
    discard: () => session.discard(),
  };
}
