import { normalizeForSimilarity, textSimilarity, DUPLICATE_SIMILARITY_THRESHOLD } from './similarity';

describe('textSimilarity', () => {
  it('ignores punctuation, spaces and case', () => {
    expect(normalizeForSimilarity('急需 电工，ABC！')).toBe('急需电工abc');
    expect(textSimilarity('企业招工难，急需技术工人', '企业招工难 急需技术工人！')).toBe(1);
  });

  it.each([
    ['企业招工难，急需技术工人', '招工困难，需要技术工人', true],
    ['厂区门前道路积水严重，雨季排水不畅', '雨季厂区门口道路排水不畅积水', true],
    ['企业招工难，急需技术工人', '申请技改项目贴息资金', false],
    ['厂区门前道路积水严重', '申请办理排污许可证', false],
  ])('%s ~ %s → duplicate: %s', (a, b, dup) => {
    expect(textSimilarity(a, b) >= DUPLICATE_SIMILARITY_THRESHOLD).toBe(dup);
  });

  it('is symmetric and bounded', () => {
    const pairs = [['融资贷款难', '贷款难融资难'], ['a', ''], ['', ''], ['用电', '用电增容']];
    for (const [a, b] of pairs) {
      const s = textSimilarity(a, b);
      expect(s).toBe(textSimilarity(b, a));
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });
});
