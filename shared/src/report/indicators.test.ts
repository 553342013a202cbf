import {
  compositeScore, DEFAULT_INDICATOR_WEIGHTS, indicatorRates, pct, rankChange, rankChangeText, rankRows, redBlackLists, satisfactionRateOf, stewardScore,
  weightsProblem, ZERO_INDICATOR_COUNTS,
} from './indicators';

describe('indicator formulas', () => {
  test('pct: one decimal, null without a denominator', () => {
    expect(pct(1, 3)).toBe(33.3);
    expect(pct(2, 3)).toBe(66.7);
    expect(pct(0, 0)).toBeNull();
    expect(pct(5, 5)).toBe(100);
  });

  test('满意率 counts 基本满意 at w (0.9 by default) and the composite uses the rounded rates', () => {
    const c = { ...ZERO_INDICATOR_COUNTS, received: 10, solved: 7, accepted: 8, acceptedOnTime: 6, satisfied: 5, basicallySatisfied: 2, dissatisfied: 1 };
    const r = indicatorRates(c);
    expect(r.satisfactionRate).toBe(85); // (5 + 1.8) / 8
    expect(r.solveRate).toBe(70);
    expect(r.acceptOnTimeRate).toBe(75);
    expect(r.score).toBe(Math.round((0.1 * 75 + 0.5 * 70 + 0.4 * 85) * 10) / 10);
    expect(indicatorRates(c, { ...DEFAULT_INDICATOR_WEIGHTS, basicallySatisfied: 0.5 }).satisfactionRate).toBe(75);
    // the one function every endpoint uses
    expect(satisfactionRateOf(5, 2, 1)).toBe(85);
    expect(satisfactionRateOf(5, 2, 1, { basicallySatisfied: 0.5 })).toBe(75);
    expect(satisfactionRateOf(0, 0, 0)).toBeNull();
  });

  test('nothing received: no score; a missing rate counts 0', () => {
    expect(compositeScore(0, 100, 100, 100, DEFAULT_INDICATOR_WEIGHTS)).toBeNull();
    expect(compositeScore(3, null, 100, null, DEFAULT_INDICATOR_WEIGHTS)).toBe(50);
  });

  test('weights: each in [0, 1], the three score weights add up to 1', () => {
    expect(weightsProblem(DEFAULT_INDICATOR_WEIGHTS)).toBeNull();
    expect(weightsProblem({ response: 0.2, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.9 })).toMatch(/之和/);
    expect(weightsProblem({ response: 0.1, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 1.2 })).toMatch(/基本满意/);
    expect(weightsProblem({ response: Number.NaN, solve: 0.5, satisfaction: 0.4, basicallySatisfied: 0.9 })).not.toBeNull();
  });

  test('competition ranking: ties share a rank, unranked last, ties ordered by the tie key', () => {
    const rows = [
      { n: 'c', v: 80 }, { n: 'a', v: 90 }, { n: 'b', v: 90 }, { n: 'd', v: null }, { n: 'e', v: 70 },
    ];
    const ranked = rankRows(rows, (r) => r.v, (r) => r.n);
    expect(ranked.map((r) => [r.n, r.rank])).toEqual([['a', 1], ['b', 1], ['c', 3], ['e', 4], ['d', null]]);
  });

  test('红榜 and 黑榜 never name the same row', () => {
    const ranked = [1, 2, 3, 4, 5].map((rank) => ({ rank }));
    expect(redBlackLists(ranked, 2)).toEqual({ red: [{ rank: 1 }, { rank: 2 }], black: [{ rank: 4 }, { rank: 5 }] });
    expect(redBlackLists(ranked, 3)).toEqual({ red: [{ rank: 1 }, { rank: 2 }, { rank: 3 }], black: [{ rank: 4 }, { rank: 5 }] });
    expect(redBlackLists([...ranked, { rank: null }], 10).black).toEqual([]);
  });

  test('change from last month', () => {
    const table: [number | null, number | null, string][] = [[3, 1, '↑2'], [1, 4, '↓3'], [2, 2, '—'], [null, 5, '新上榜'], [2, null, '']];
    for (const [prev, cur, text] of table) expect(rankChangeText(rankChange(prev, cur))).toBe(text);
  });

  test('steward score: mean of the rates that exist', () => {
    expect(stewardScore(100, 50, null)).toBe(75);
    expect(stewardScore(null, null, null)).toBeNull();
    expect(stewardScore(33.3, 66.7, 100)).toBe(66.7);
  });
});
