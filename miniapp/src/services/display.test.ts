import { deadlineText, formatDate, formatDateTime, formatDistance } from './display';

describe('display', () => {
  const now = new Date('2026-11-25T04:00:00.000Z'); // 12:00 in Beijing
  it('shows Beijing time, dropping the current year', () => {
    expect(formatDateTime('2026-11-24T16:05:00.000Z', now)).toBe('11-25 00:05');
    expect(formatDateTime('2025-12-31T15:00:00.000Z', now)).toBe('2025-12-31 23:00');
    expect(formatDateTime('2024-05-01T00:00:00.000Z', now)).toBe('2024-05-01 08:00');
    expect(formatDateTime(null, now)).toBe('—');
    expect(formatDateTime('not a date', now)).toBe('—');
    expect(formatDate('2026-11-24T16:05:00.000Z')).toBe('2026-11-25');
  });

  it('writes distances in 米 and 公里', () => {
    expect(formatDistance(86.4)).toBe('86 米');
    expect(formatDistance(1234)).toBe('1.2 公里');
    expect(formatDistance(23_456)).toBe('23 公里');
    expect(formatDistance(null)).toBe('—');
  });

  it('says how long is left or how long overdue', () => {
    expect(deadlineText('2026-11-28T04:00:00.000Z', now)).toBe('剩余 3 天');
    expect(deadlineText('2026-11-25T09:30:00.000Z', now)).toBe('剩余 5 小时');
    expect(deadlineText('2026-11-23T03:00:00.000Z', now)).toBe('已超期 2 天');
    expect(deadlineText('2026-11-25T03:20:00.000Z', now)).toBe('已超期 40 分钟');
    expect(deadlineText(null, now)).toBe('');
  });
});
