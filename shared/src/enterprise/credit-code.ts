/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015).
 *
 * Layout: 1 char 登记管理部门码, 1 char 机构类别码, 6 digits 登记管理机关行政区划码, 9 chars 主体标识码
 * (the old 组织机构代码, GB 11714), 1 check char. The alphabet is the 31 characters
 * `0-9 A-H J-N P-R T-U W-Y` (no I, O, Z, S, V); each character's value is its index in that alphabet.
 * We validate the length, the alphabet and the check char — what the standard makes checkable for every code.
 * We do not validate the embedded GB 11714 check digit: real registries hold codes whose 主体标识码 predates it.
 */

/** The 31-character alphabet of GB 32100; a character's value is its index here. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Position weights 3^i mod 31 for the first 17 characters (GB 32100-2015, 5.2). */
export const CREDIT_CODE_WEIGHTS: readonly number[] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const BODY_PATTERN = /^[0-9A-HJ-NPQRTUW-Y]{17}$/;
const CODE_PATTERN = /^[0-9A-HJ-NPQRTUW-Y]{18}$/;

/** Trims and upper-cases user input so `  91350100m000100y43 ` is checked as the code it means. */
export function normalizeCreditCode(s: string): string {
  return s.trim().toUpperCase();
}

/**
 * The check character for the first 17 characters: 31 − (Σ value×weight mod 31), where 31 becomes 0.
 * Throws on input that is not 17 characters of the alphabet, so a caller cannot silently compute a check for junk.
 */
export function creditCodeCheckChar(first17: string): string {
  if (!BODY_PATTERN.test(first17)) {
    throw new RangeError(`credit code body must be 17 characters of ${CREDIT_CODE_ALPHABET}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  const check = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[check === 31 ? 0 : check]!;
}

/**
 * True when `s` is exactly a valid code (18 characters of the alphabet, correct check char). It does not
 * normalize: callers validating user input call `normalizeCreditCode` first and store the normalized form.
 */
export function isValidCreditCode(s: string): boolean {
  if (!CODE_PATTERN.test(s)) return false;
  return creditCodeCheckChar(s.slice(0, 17)) === s[17];
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * Deterministic valid codes for demo data and test factories: `makeCreditCode(1)` is always the same code and
 * different seeds in [0, 10^8) give different codes. Shape: `91` (工商, 企业) + a division code
 * (default 211103, 盘锦市兴隆台区) + an 8-digit 主体标识码 body from the seed with its GB 11714 check digit
 * + the GB 32100 check char — so the codes look like real enterprise codes.
 */
export function makeCreditCode(seedNumber: number, divisionCode = '211103'): string {
  if (!Number.isSafeInteger(seedNumber) || seedNumber < 0) throw new RangeError('seedNumber must be a non-negative integer');
  if (!/^\d{6}$/.test(divisionCode)) throw new RangeError('divisionCode must be 6 digits');
  // Spread consecutive seeds over the 8-digit space (multiplier coprime with 10^8) so they do not look sequential.
  const body = String((seedNumber * 48271 + 12345678) % 100_000_000).padStart(8, '0');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  const orgCheck = c === 11 ? '0' : c === 10 ? 'X' : String(c);
  const first17 = `91${divisionCode}${body}${orgCheck}`;
  return first17 + creditCodeCheckChar(first17);
}

/**
 * The credit code inside a scanned text (a business licence's QR code, or a link that carries it): the first
 * 18-character run of the alphabet whose check char is right, or null. Licences whose QR code holds only an
 * opaque registry link give null, and the contact types the code.
 */
export function creditCodeFromScan(text: string): string | null {
  for (const m of text.toUpperCase().matchAll(/[0-9A-HJ-NPQRTUW-Y]{18}/g)) if (isValidCreditCode(m[0])) return m[0];
  return null;
}
