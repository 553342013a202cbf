import { messageOf } from '../services/api-error';

/** Where a loader writes its results: the hook's state setters (or anything else, in a test). */
export type LoaderSink<T> = { data: (value: T) => void; error: (message: string | undefined) => void };

/**
 * The load behind useLoad, without React: each `reload` clears the error, runs the current fetch and writes its
 * answer — or its failure as Chinese text — unless a newer reload started meanwhile (a late answer of an older
 * load is dropped, so a slow first request cannot overwrite a fresh one). A failure keeps the data already shown.
 */
export function createLoader<T>(fetch: () => Promise<T>, sink: LoaderSink<T>): { reload: () => Promise<void> } {
  let generation = 0;
  return {
    async reload() {
      const gen = ++generation;
      sink.error(undefined);
      try {
        const value = await fetch();
        if (gen === generation) sink.data(value);
      } catch (e) {
        if (gen === generation) sink.error(messageOf(e));
      }
    },
  };
}

/** Nothing to show yet: no data and no failure (the first load is running). */
export function isLoading(data: unknown, error: string | undefined): boolean {
  return data === undefined && !error;
}
