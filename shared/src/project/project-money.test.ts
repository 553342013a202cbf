import fc from 'fast-check';
import {
  basisPoints, deviationBasisPoints, formatBasisPointsPercent, formatPercent, formatPoints, formatYuan, isYuanString, parseYuan, roundDiv, sumYuan,
} from './project-money';

describe('project money', () => {
  test('prints the seeds’ figures', () => {
    expect(formatYuan('79650000000')).toBe('796.5亿元');
    expect(formatYuan('34340000000')).toBe('343.4亿元');
    expect(formatYuan('12840000000')).toBe('128.4亿元');
    expect(formatYuan('26135000000')).toBe('261.35亿元');
    expect(formatYuan(25_050_000n)).toBe('2505万元');
    expect(formatYuan(50_000_000n)).toBe('5000万元');
    expect(formatYuan('0')).toBe('0万元');
    expect(formatPercent(12_840_000_000n, 34_340_000_000n)).toBe('37.39%');
    expect(formatPercent(3741n, 10_000n)).toBe('37.41%');
    expect(formatPercent(1n, 2n)).toBe('50.00%');
    expect(formatPercent(1n, 0n)).toBe('—');
    expect(formatBasisPointsPercent(-5n)).toBe('-0.05%');
    expect(formatPoints(1380n)).toBe('13.8');
    expect(formatPoints(-250n)).toBe('-2.5');
    expect(formatPoints(1000n)).toBe('10');
  });

  test('wire amounts: digits only, no leading zeros, no signs, no fractions', () => {
    for (const ok of ['0', '1', '79650000000', '999999999999999']) expect(isYuanString(ok)).toBe(true);
    for (const bad of ['', '01', '-1', '1.5', '1e9', ' 1', '1000000000000000', 'NaN', 1 as unknown as string]) expect(isYuanString(bad)).toBe(false);
    expect(() => parseYuan('1.5')).toThrow(RangeError);
  });

  test('rounding is half away from zero', () => {
    expect(roundDiv(5n, 2n)).toBe(3n);
    expect(roundDiv(-5n, 2n)).toBe(-3n);
    expect(roundDiv(4n, 3n)).toBe(1n);
    expect(basisPoints(1n, 3n)).toBe(3333n);
    expect(basisPoints(2n, 3n)).toBe(6667n);
  });

  test('deviation from the schedule: exact rational arithmetic', () => {
    // 50% of plan done at the end of June (6/12): on schedule
    expect(deviationBasisPoints(50n, 100n, { num: 6, den: 12 })).toBe(0n);
    // 63.8% done, schedule 50%: "超过时间进度13.8个百分点"
    expect(deviationBasisPoints(638n, 1000n, { num: 6, den: 12 })).toBe(1380n);
    // 1/3 done at 5/12: 33.33 - 41.67 = -8.33 points
    expect(deviationBasisPoints(1n, 3n, { num: 5, den: 12 })).toBe(-833n);
    expect(deviationBasisPoints(1n, 0n, { num: 5, den: 12 })).toBeNull();
  });

  const amount = fc.bigInt({ min: 0n, max: 10n ** 13n });
  test('sums of random amounts equal the BigInt sum, whatever the wire form', () => {
    fc.assert(fc.property(fc.array(amount, { maxLength: 60 }), (xs) => {
      let expected = 0n;
      for (const x of xs) expected += x;
      expect(sumYuan(xs)).toBe(expected);
      expect(sumYuan(xs.map(String))).toBe(expected);
      // the float way would drift: the exact sum must survive a round trip through its string
      expect(parseYuan(sumYuan(xs).toString())).toBe(expected);
    }));
  });

  test('percent of random parts is the exact rounded ratio', () => {
    fc.assert(fc.property(amount, fc.bigInt({ min: 1n, max: 10n ** 13n }), (part, whole) => {
      const bp = basisPoints(part, whole)!;
      // |bp/10000 - part/whole| <= 1/20000, checked in integers
      const diff = bp * whole * 2n - part * 20_000n;
      expect(diff <= whole && diff >= -whole).toBe(true);
    }));
  });
});

describe('bundling rule', () => {
  test('no `**` on bigints in shared code: the mini-app’s Babel turns it into Math.pow, which throws on bigints', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require('node:path') as typeof import('node:path');
    const root = path.join(__dirname, '..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, f.name);
        if (f.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) {
          fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/`[^`]*`/g, '');
            if (/(\b\d[\d_]*n|BigInt\([^)]*\))\s*\*\*|\*\*\s*(\d[\d_]*n\b|BigInt\()/.test(code)) offenders.push(`${path.relative(root, p)}:${i + 1}`);
          });
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
