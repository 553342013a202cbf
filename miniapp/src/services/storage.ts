/**
 * Synchronous key-value storage. The app uses Taro storage (see taro-adapters.ts); tests use the memory one.
 * Keeping the interface this small is what lets the session, HTTP and draft logic run under plain jest.
 */
export type KeyValueStorage = {
  /** The stored value, or undefined when absent or unreadable. */
  get<T>(key: string): T | undefined;
  set<T>(key: string, value: T): void;
  remove(key: string): void;
  /** Every key currently stored (used to drop old drafts). */
  keys(): string[];
};

/** A Map-backed storage that round-trips values through JSON, as real storage does. */
export function createMemoryStorage(initial: Record<string, unknown> = {}): KeyValueStorage {
  const data = new Map<string, string>(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    get<T>(key: string) {
      const raw = data.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    set(key, value) {
      data.set(key, JSON.stringify(value));
    },
    remove(key) {
      data.delete(key);
    },
    keys: () => [...data.keys()],
  };
}
