/**
 * Deterministic pseudo-random numbers for the demo seeders, so every demo load tells the same story. Each returns a
 * function giving numbers in [0, 1).
 */

/** A linear congruential generator (Numerical Recipes constants). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** mulberry32: better spread than `lcg` for the many small draws of the visit and project seeders. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a text (a district id), so each district gets its own fixed sequence. */
export function seedOf(text: string): number {
  return [...text].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0, 1779033703);
}
