import { monthLabel, monthOf, rateText, shiftMonth } from './city';

describe('city view helpers', () => {
  it('moves across years and reads the month in Shanghai time', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-03', 0)).toBe('2026-03');
    // 2026-03-31 17:00 UTC is already April 1st in Shanghai
    expect(monthOf(new Date('2026-03-31T17:00:00Z'))).toBe('2026-04');
  });
  it('labels months and rates in Chinese, a missing rate as a dash', () => {
    expect(monthLabel('2026-03')).toBe('2026年3月');
    expect(rateText(96.54)).toBe('96.5%');
    expect(rateText(100)).toBe('100.0%');
    expect(rateText(null)).toBe('—');
  });
});
