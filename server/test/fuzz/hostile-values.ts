import crypto from 'node:crypto';
import fc from 'fast-check';
import { RawJson } from './openapi-cases';

const HUGE = 'a'.repeat(100_000);

/**
 * The classes of hostile input the API must answer with a 4xx (never a 5xx), each with the values every
 * parameter and body field gets in the deterministic sweep.
 */
export const HOSTILE_CLASSES: Record<string, unknown[]> = {
  wrongType: [null, true, 0, -1, 1.5, [], {}, ['x'], { a: 1 }, 'abc', ''],
  nonFinite: ['Infinity', '-Infinity', 'NaN', '1e400', '-1e400', new RawJson('1e400'), new RawJson('-1e400'), 1e308, -1e308, 2 ** 53 + 2, -2147483649],
  control: ['a\u0000b', '\u0000', 'x\u0001\u0008\u000b\u001f\u007f', '\u202e\u0000', '%00', 'a\uD800b'],
  huge: [HUGE, [HUGE]],
  date: ['2026-13-01', '2026-02-30', '9999-12-31', '0000-00-00', '2026-1-1', '+275760-09-13T00:00:00.000Z', '2026-11-01T25:61:00Z', '1899-12-31'],
  id: ['00000000-0000-0000-0000-000000000000', crypto.randomUUID(), '../../etc/passwd', "1' OR '1'='1"],
};

/**
 * One or two of each class for the exhaustive sweep over every slot (the whole list would be ~20k requests); the
 * fast-check pass draws from all of them.
 */
export const SWEEP_VALUES: unknown[] = [
  // Values that pass a lax validator go first: one that is stored (a check-in, a setting) changes what later values
  // and the final read-back pass can reach; `null` coerced to 0 would otherwise check the visit in harmlessly first.
  'Infinity', '1e400', new RawJson('1e400'), 'NaN', 1e308,
  'a\u0000b', 'x\u0001\u001f\u007f', HUGE, '2026-13-01', '9999-12-31',
  null, true, {},
];

/** For routes where every well-formed value costs an argon2 hash (login): one value per class. */
export const SWEEP_VALUES_SLOW: unknown[] = [null, {}, 'Infinity', new RawJson('1e400'), 'a\u0000b', HUGE, '2026-13-01'];

/** Every hostile value with its class. */
export const HOSTILE_VALUES: { cls: string; value: unknown }[] = Object.entries(HOSTILE_CLASSES).flatMap(([cls, vs]) =>
  vs.map((value) => ({ cls, value })));

const control = fc.constantFrom(...'\u0000\u0001\u0007\u0008\u000b\u000c\u000e\u001b\u001f\u007f\n\r\t'.split(''));

/** Random hostile values for the fast-check pass: the classes above mixed with generated strings and numbers. */
export const hostileArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_VALUES.map((h) => h.value)),
  fc.tuple(fc.string({ maxLength: 20 }), control, fc.string({ maxLength: 20 })).map(([a, c, b]) => a + c + b),
  fc.double().map((d) => (Number.isFinite(d) ? d : new RawJson(d > 0 ? '1e400' : d < 0 ? '-1e400' : '0'))),
  fc.double().map((d) => String(d)),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => `${2000 + (n % 9000)}-${String(Math.abs(n) % 15).padStart(2, '0')}-${String(Math.abs(n) % 33).padStart(2, '0')}`),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
