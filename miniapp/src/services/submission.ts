import { isApiError } from './api-error';
import { newIdempotencyKey } from './idempotency';

/**
 * The Idempotency-Key to use for the next attempt after `error`. Kept while the outcome is unknown (no response,
 * 5xx, the first attempt still running): the server may have applied it, so a retry must be recognisable as
 * the same submission. Replaced after a definite refusal (a 4xx): the user will change the form, and a new
 * body under the old key would be rejected as IDEMPOTENCY_KEY_REUSED.
 */
export function keyAfterFailure(error: unknown, key: string, newKey: () => string = newIdempotencyKey): string {
  // Anything that is not an ApiError (a bug, an unexpected throw) may have happened after sending: keep it.
  return isApiError(error) && !error.outcomeUnknown ? newKey() : key;
}

export type SubmissionOptions = {
  /** Resume with this key (e.g. restored from a draft); a fresh one otherwise. */
  key?: string;
  newKey?: () => string;
  /** Called whenever the key changes, so a caller can persist it. */
  onKeyChange?: (key: string) => void;
};

/**
 * One logical submission (filing a 诉求, accepting a ticket…) across its attempts. `run` hands the current key
 * to the request; after success the next submission gets a fresh key, after failure `keyAfterFailure` decides.
 */
export type Submission = {
  readonly key: string;
  run<T>(send: (idempotencyKey: string) => Promise<T>): Promise<T>;
};

/** Creates a Submission; see the type. */
export function createSubmission(options: SubmissionOptions = {}): Submission {
  const newKey = options.newKey ?? newIdempotencyKey;
  let key = options.key ?? newKey();
  const setKey = (next: string) => {
    if (next === key) return;
    key = next;
    options.onKeyChange?.(key);
  };
  return {
    get key() {
      return key;
    },
    async run(send) {
      const used = key;
      try {
        const result = await send(used);
        setKey(newKey());
        return result;
      } catch (error) {
        setKey(keyAfterFailure(error, used, newKey));
        throw error;
      }
    },
  };
}
