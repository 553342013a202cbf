/**
 * How alike two short Chinese texts are, for suggesting possible duplicate 诉求 on submit. Chinese has no spaces,
 * so words are approximated by character bigrams (the usual trick for CJK search); the score is the Dice
 * coefficient of the two bigram multisets, 0 (nothing shared) … 1 (same text). Punctuation, spaces and case are
 * ignored. Pure and cheap: the server only compares against a handful of candidates (same enterprise and category).
 */

const IGNORED = /[\s\p{P}\p{S}]+/gu;

/** Lower-cased text without punctuation, symbols or whitespace. */
export function normalizeForSimilarity(text: string): string {
  return text.toLowerCase().replace(IGNORED, '');
}

function bigrams(text: string): Map<string, number> {
  const chars = [...normalizeForSimilarity(text)];
  const out = new Map<string, number>();
  if (chars.length === 1) out.set(chars[0], 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i] + chars[i + 1];
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Dice coefficient of character bigrams, in [0, 1]; two empty texts score 0 (nothing to compare). */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let nx = 0;
  let ny = 0;
  let shared = 0;
  for (const n of x.values()) nx += n;
  for (const [g, n] of y) {
    ny += n;
    shared += Math.min(n, x.get(g) ?? 0);
  }
  if (nx + ny === 0) return 0;
  return (2 * shared) / (nx + ny);
}

/** Score above which a still-open ticket of the same enterprise and category is suggested as a duplicate. */
export const DUPLICATE_SIMILARITY_THRESHOLD = 0.25;
/** How far back duplicate suggestions look, in calendar days. */
export const DUPLICATE_LOOKBACK_DAYS = 30;
