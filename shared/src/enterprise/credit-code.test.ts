import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  creditCodeFromScan,
  isValidCreditCode,
  makeCreditCode,
  normalizeCreditCode,
} from './credit-code';

describe('isValidCreditCode', () => {
  // Real codes, each verified by hand against the algorithm before being written here.
  it.each([
    ['91350100M000100Y43', 'letters in the body, digit check'],
    ['91110000600037341L', 'letter check'],
    ['91440300708461136T', 'letter check'],
    ['91110108551385082Q', 'letter check'],
    ['91440300192317458F', 'letter check'],
  ])('accepts %s (%s)', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it.each([
    ['91350100M000100Y44', 'wrong check char'],
    ['91110000600037341K', 'wrong check char'],
    ['91330000MA27U1FN6L', 'wrong check char'],
    ['91350100M000100Y4', '17 characters'],
    ['91350100M000100Y433', '19 characters'],
    ['', 'empty'],
    ['91350100I000100Y43', 'I is not in the alphabet'],
    ['91350100O000100Y43', 'O is not in the alphabet'],
    ['91350100Z000100Y43', 'Z is not in the alphabet'],
    ['91350100S000100Y43', 'S is not in the alphabet'],
    ['91350100V000100Y43', 'V is not in the alphabet'],
    ['91350100m000100y43', 'lower case is not normalized here'],
    [' 91350100M000100Y43', 'leading space is not normalized here'],
    ['91350100M00010-Y43', 'punctuation'],
    ['91110000600037341l', 'lower-case check char'],
  ])('rejects %j (%s)', (code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('detects every single-character substitution of a valid code', () => {
    const code = '91350100M000100Y43';
    for (let i = 0; i < 18; i++) {
      for (const ch of CREDIT_CODE_ALPHABET) {
        if (ch === code[i]) continue;
        const mutated = code.slice(0, i) + ch + code.slice(i + 1);
        expect(isValidCreditCode(mutated)).toBe(false);
      }
    }
  });
});

describe('creditCodeCheckChar', () => {
  it.each([
    ['91350100M000100Y4', '3'],
    ['91110000600037341', 'L'],
    ['91440300708461136', 'T'],
  ])('%s → %s', (body, check) => {
    expect(creditCodeCheckChar(body)).toBe(check);
  });

  it('maps 31 to 0: a body whose weighted sum is divisible by 31 gets check 0', () => {
    // All zeros: sum 0 → 31 − 0 = 31 → '0'.
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
    // One "1" in the first position: sum 1 → 30 → 'Y', the last character of the alphabet.
    expect(creditCodeCheckChar('10000000000000000')).toBe('Y');
  });

  it.each([['9135010'], ['91350100M000100Y43'], ['91350100I000100Y4']])('throws on bad body %j', (body) => {
    expect(() => creditCodeCheckChar(body)).toThrow(RangeError);
  });
});

describe('normalizeCreditCode', () => {
  it.each([
    ['  91350100m000100y43 ', '91350100M000100Y43'],
    ['91110000600037341l', '91110000600037341L'],
    ['\t91110000600037341L\n', '91110000600037341L'],
  ])('%j → %s', (input, out) => {
    expect(normalizeCreditCode(input)).toBe(out);
    expect(isValidCreditCode(normalizeCreditCode(input))).toBe(true);
  });
});

describe('makeCreditCode', () => {
  it('is deterministic', () => {
    expect(makeCreditCode(1)).toBe(makeCreditCode(1));
    expect(makeCreditCode(42, '110105')).toBe(makeCreditCode(42, '110105'));
  });

  it('produces valid, distinct codes for many seeds', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 2000; seed++) {
      const code = makeCreditCode(seed);
      expect(isValidCreditCode(code)).toBe(true);
      seen.add(code);
    }
    expect(seen.size).toBe(2000);
  });

  it('embeds the division code and the enterprise prefix 91', () => {
    const code = makeCreditCode(7, '110105');
    expect(code.slice(0, 2)).toBe('91');
    expect(code.slice(2, 8)).toBe('110105');
    expect(makeCreditCode(7).slice(2, 8)).toBe('211103');
  });

  it.each([[-1], [1.5], [Number.NaN]])('rejects seed %p', (seed) => {
    expect(() => makeCreditCode(seed)).toThrow(RangeError);
  });

  it('rejects a malformed division code', () => {
    expect(() => makeCreditCode(1, '21110')).toThrow(RangeError);
  });
});

describe('creditCodeFromScan', () => {
  it('finds a valid code inside scanned text, or nothing', () => {
    const c = makeCreditCode(12);
    expect(creditCodeFromScan(`https://www.gsxt.gov.cn/index?uniscid=${c.toLowerCase()}&x=1`)).toBe(c);
    expect(creditCodeFromScan(`${c.slice(0, 17)}${c[17] === '0' ? '1' : '0'}`)).toBeNull();
    expect(creditCodeFromScan('https://www.gsxt.gov.cn/opaque-token')).toBeNull();
  });
});
