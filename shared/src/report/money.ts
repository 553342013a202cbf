/**
 * Money formatting for reports. Decision (ADR 0004): amounts are stored as integer 元 (bigint columns; exact,
 * no float rounding) and printed the way the seed reports print them: 万元 below 1 亿元, 亿元 from 1 亿元 up,
 * with at most two decimals and no trailing zeros ("3505万元", "12.5万元", "176.68亿元"). Seeds occasionally
 * print more decimals ("0.8558亿元"); we always use 万元 below 1 亿 and two decimals unless asked otherwise.
 */

const WAN = 10_000n;
const YI = 100_000_000n;

/** Options for `formatWan`. */
export type MoneyFormatOptions = { maxDecimals?: 0 | 1 | 2 | 3 | 4 };

function toBigInt(yuan: number | bigint): bigint {
  if (typeof yuan === 'bigint') return yuan;
  if (!Number.isSafeInteger(yuan)) throw new RangeError('amount must be a safe integer number of 元');
  return BigInt(yuan);
}

/**
 * 10^n as a bigint without the `**` operator: the mini-app's Babel rewrites `**` to Math.pow, which throws on
 * bigints ("Cannot convert a BigInt value to a number") in the H5 and WeChat builds.
 */
function pow10(n: number): bigint {
  let r = 1n;
  for (let i = 0; i < n; i++) r *= 10n;
  return r;
}

/** Rounds |n| / unit half-up to `decimals` places and prints it without trailing zeros. */
function scaled(abs: bigint, unit: bigint, decimals: number): { text: string; scaledUnits: bigint } {
  const factor = pow10(decimals);
  const q = (abs * factor * 2n + unit) / (unit * 2n); // half-up
  const int = q / factor;
  let frac = decimals > 0 ? (q % factor).toString().padStart(decimals, '0') : '';
  frac = frac.replace(/0+$/, '');
  return { text: frac ? `${int}.${frac}` : `${int}`, scaledUnits: q };
}

/**
 * Formats an amount of 元 as the seeds do: "3505万元", "12.35万元", "1亿元", "1051.91亿元". An amount that
 * rounds to 10000万元 is printed as 亿元 ("1亿元"), never as "10000万元". Accepts number or bigint 元
 * (what the pg driver returns for bigint, once parsed); throws on fractions or unsafe numbers.
 */
export function formatWan(yuan: number | bigint, options: MoneyFormatOptions = {}): string {
  const decimals = options.maxDecimals ?? 2;
  const n = toBigInt(yuan);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  const wan = scaled(abs, WAN, decimals);
  if (wan.scaledUnits < 10_000n * pow10(decimals)) return `${sign}${wan.text}万元`;
  return `${sign}${scaled(abs, YI, decimals).text}亿元`;
}

/** Converts 万元 (as people type them in forms and ledgers) to integer 元, rejecting more than 4 decimals. */
export function wanToYuan(wan: number | string): bigint {
  const s = typeof wan === 'number' ? String(wan) : wan.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) throw new RangeError(`not an amount in 万元: ${s}`);
  const yuan = BigInt(m[2]!) * WAN + BigInt((m[3] ?? '').padEnd(4, '0') || '0');
  return m[1] ? -yuan : yuan;
}
