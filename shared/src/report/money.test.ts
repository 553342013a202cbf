import { formatWan, wanToYuan } from './money';

describe('formatWan (integer 元 → 万元/亿元 as the seeds print them)', () => {
  it.each<[number | bigint, string]>([
    [35_050_000, '3505万元'], // S0: 预估损失3505万元
    [21_360_000, '2136万元'],
    [50_000_000, '5000万元'], // seed: 5000万元以上项目
    [100_000, '10万元'],
    [125_000, '12.5万元'],
    [123_456, '12.35万元'],
    [123_449, '12.34万元'],
    [123_450, '12.35万元'], // half-up
    [49, '0万元'],
    [50, '0.01万元'],
    [0, '0万元'],
    [99_994_999, '9999.5万元'],
    [99_999_999, '1亿元'], // rounds to 10000万元: printed as 亿元
    [100_000_000, '1亿元'], // seed: 1亿元
    [250_000_000, '2.5亿元'], // seed: 2.5亿元
    [17_668_000_000, '176.68亿元'], // seed: 176.68亿元
    [105_191_000_000, '1051.91亿元'], // seed: 1051.91亿元
    [125_330_000_000, '1253.3亿元'], // seed: 1253.3亿元
    [260_000_000_000n, '2600亿元'], // seed: 2600亿元, as bigint
    [1_000_000_000_000_000n, '10000000亿元'], // beyond Number.MAX_SAFE_INTEGER is fine as bigint
    [-1_250_000, '-125万元'],
  ])('%p 元 → %s', (yuan, text) => expect(formatWan(yuan)).toBe(text));

  it.each<[number, 0 | 1 | 4, string]>([
    [85_580_000, 4, '8558万元'],
    [123_456, 4, '12.3456万元'],
    [123_456, 0, '12万元'],
    [185_580_000, 4, '1.8558亿元'],
    [185_580_000, 1, '1.9亿元'],
  ])('%p 元 with %d decimals → %s', (yuan, maxDecimals, text) => expect(formatWan(yuan, { maxDecimals })).toBe(text));

  it.each([[1.5], [Number.MAX_SAFE_INTEGER + 1], [Number.NaN]])('rejects %p', (n) => expect(() => formatWan(n)).toThrow(RangeError));
});

describe('wanToYuan', () => {
  it.each<[number | string, bigint]>([
    [3505, 35_050_000n],
    ['12.5', 125_000n],
    [' 0.8558 ', 8_558n],
    [12.3456, 123_456n],
    ['-1.25', -12_500n],
    ['0', 0n],
  ])('%p 万元 → %p 元', (wan, yuan) => expect(wanToYuan(wan)).toBe(yuan));

  it.each([['1.23456'], ['abc'], [''], ['1e3']])('rejects %p', (s) => expect(() => wanToYuan(s)).toThrow(RangeError));
});
