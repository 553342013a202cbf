import { newIdempotencyKey } from './idempotency';
import type { KeyValueStorage } from './storage';
import { keyAfterFailure } from './submission';

/** A form being filled, as stored: its values and the Idempotency-Key its submission will carry. */
export type Draft<T> = { values: T; idempotencyKey: string; updatedAt: number };

export type DraftStoreOptions = {
  storage: KeyValueStorage;
  now?: () => number;
  /** Drafts older than this are dropped when read, and by `prune`. Default 30 days. */
  maxAgeMs?: number;
  /** Prune expired and unreadable drafts now (the app's store does, at start). */
  pruneAtStart?: boolean;
};

/** Drafts in storage, one per form key (`draft:<formKey>`). */
export type DraftStore = {
  load<T>(formKey: string): Draft<T> | undefined;
  save<T>(formKey: string, values: T, idempotencyKey: string): void;
  clear(formKey: string): void;
  /** Removes every expired or unreadable draft; returns how many. */
  prune(): number;
  /** Removes every draft (at logout: drafts hold enterprises' data); returns how many. */
  clearAll(): number;
};

const PREFIX = 'draft:';
const DAY = 24 * 60 * 60 * 1000;

function isDraft(value: unknown): value is Draft<unknown> {
  const d = value as Partial<Draft<unknown>> | null;
  return !!d && typeof d === 'object' && 'values' in d && typeof d.idempotencyKey === 'string' && typeof d.updatedAt === 'number';
}

/** Creates the draft store; see DraftStore. */
export function createDraftStore({ storage, now = Date.now, maxAgeMs = 30 * DAY, pruneAtStart = false }: DraftStoreOptions): DraftStore {
  const fresh = (d: unknown): d is Draft<unknown> => isDraft(d) && now() - d.updatedAt <= maxAgeMs;
  const store: DraftStore = {
    load<T>(formKey: string) {
      const key = PREFIX + formKey;
      let stored: unknown;
      try {
        stored = storage.get(key);
      } catch {
        stored = undefined;
      }
      if (stored === undefined) return undefined;
      if (!fresh(stored)) {
        storage.remove(key);
        return undefined;
      }
      return stored as Draft<T>;
    },
    save(formKey, values, idempotencyKey) {
      storage.set(PREFIX + formKey, { values, idempotencyKey, updatedAt: now() });
    },
    clear(formKey) {
      storage.remove(PREFIX + formKey);
    },
    prune() {
      let removed = 0;
      for (const key of storage.keys()) {
        if (!key.startsWith(PREFIX)) continue;
        let stored: unknown;
        try {
          stored = storage.get(key);
        } catch {
          stored = undefined;
        }
        if (!fresh(stored)) {
          storage.remove(key);
          removed += 1;
        }
      }
      return removed;
    },
    clearAll() {
      const keys = storage.keys().filter((key) => key.startsWith(PREFIX));
      for (const key of keys) storage.remove(key);
      return keys.length;
    },
  };
  if (pruneAtStart) {
    try {
      store.prune();
    } catch {
      // storage unreadable at start: the drafts are dropped one by one when read instead
    }
  }
  return store;
}

/** One open form: what useDraft does, without React, so it can be tested in plain jest. */
export type DraftSession<T> = {
  readonly values: T;
  /** True when the values came back from an earlier, unsubmitted visit. */
  readonly restored: boolean;
  readonly idempotencyKey: string;
  readonly submitting: boolean;
  /** Sets the values and persists them at once (closing the app a moment later loses nothing). */
  update(next: T | ((previous: T) => T)): T;
  /**
   * Sends the form with its key. The draft, key included, is saved before sending, so a retry after a lost
   * response (even after a restart) reuses the key. Success clears the draft and starts a new one; a definite
   * refusal keeps the values but takes a new key (see keyAfterFailure). A second call while one runs gets the
   * same promise: a double tap files once.
   */
  submit<R>(send: (values: T, idempotencyKey: string) => Promise<R>): Promise<R>;
  /** Forgets the draft and returns to the initial values. */
  discard(): void;
};

function mergeInitial<T>(initial: T, stored: T): T {
  const plain = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
  // New fields added to a form since the draft was saved get their initial values.
  return plain(initial) && plain(stored) ? ({ ...initial, ...stored } as T) : stored;
}

/** Opens (or restores) the draft of `formKey`; see DraftSession. */
export function openDraft<T>(
  store: DraftStore,
  formKey: string,
  initial: T,
  options: { newKey?: () => string; onChange?: (session: DraftSession<T>) => void } = {},
): DraftSession<T> {
  const newKey = options.newKey ?? newIdempotencyKey;
  const saved = store.load<T>(formKey);
  let values = saved ? mergeInitial(initial, saved.values) : initial;
  let key = saved?.idempotencyKey ?? newKey();
  let restored = !!saved;
  let inFlight: Promise<unknown> | undefined;

  const session: DraftSession<T> = {
    get values() {
      return values;
    },
    get restored() {
      return restored;
    },
    get idempotencyKey() {
      return key;
    },
    get submitting() {
      return !!inFlight;
    },
    update(next) {
      values = typeof next === 'function' ? (next as (p: T) => T)(values) : next;
      store.save(formKey, values, key);
      options.onChange?.(session);
      return values;
    },
    submit<R>(send: (values: T, idempotencyKey: string) => Promise<R>): Promise<R> {
      if (inFlight) return inFlight as Promise<R>;
      const sentValues = values;
      const sentKey = key;
      store.save(formKey, sentValues, sentKey);
      const run = (async () => {
        try {
          const result = await send(sentValues, sentKey);
          store.clear(formKey);
          values = initial;
          key = newKey();
          restored = false;
          return result;
        } catch (error) {
          key = keyAfterFailure(error, sentKey, newKey);
          store.save(formKey, values, key);
          throw error;
        } finally {
          inFlight = undefined;
          options.onChange?.(session);
        }
      })();
      inFlight = run;
      options.onChange?.(session);
      return run;
    },
    discard() {
      store.clear(formKey);
      values = initial;
      key = newKey();
      restored = false;
      options.onChange?.(session);
    },
  };
  return session;
}
