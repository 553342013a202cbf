import {
  assessCheckIn,
  cadenceStatus,
  DEFAULT_CADENCE_RULES,
  enterpriseClass,
  periodBounds,
  plausibilityFlags,
  ruleFor,
  type CadenceContact,
  type CadencePeriod,
  type CadenceRule,
  type CheckInFacts,
} from './cadence';

const at = (iso: string) => new Date(iso);

describe('periodBounds (Asia/Shanghai)', () => {
  it.each<[string, CadencePeriod, string, string, string, string]>([
    ['2025-10-15T12:00:00+08:00', 'month', '2025-10-01', '2025-10-31', '2025-09-30T16:00:00.000Z', '2025-10-31T16:00:00.000Z'],
    // 00:10 on 1 November in Shanghai is still 31 October in UTC: it belongs to November.
    ['2025-11-01T00:10:00+08:00', 'month', '2025-11-01', '2025-11-30', '2025-10-31T16:00:00.000Z', '2025-11-30T16:00:00.000Z'],
    ['2025-10-31T23:59:59+08:00', 'month', '2025-10-01', '2025-10-31', '2025-09-30T16:00:00.000Z', '2025-10-31T16:00:00.000Z'],
    ['2025-12-31T20:00:00+08:00', 'month', '2025-12-01', '2025-12-31', '2025-11-30T16:00:00.000Z', '2025-12-31T16:00:00.000Z'],
    ['2024-02-10T08:00:00+08:00', 'month', '2024-02-01', '2024-02-29', '2024-01-31T16:00:00.000Z', '2024-02-29T16:00:00.000Z'],
    ['2025-11-20T08:00:00+08:00', 'quarter', '2025-10-01', '2025-12-31', '2025-09-30T16:00:00.000Z', '2025-12-31T16:00:00.000Z'],
    ['2025-01-01T00:00:00+08:00', 'quarter', '2025-01-01', '2025-03-31', '2024-12-31T16:00:00.000Z', '2025-03-31T16:00:00.000Z'],
    ['2025-06-30T23:00:00+08:00', 'quarter', '2025-04-01', '2025-06-30', '2025-03-31T16:00:00.000Z', '2025-06-30T16:00:00.000Z'],
    // Wednesday 2025-10-01 → ISO week Monday 09-29 … Sunday 10-05.
    ['2025-10-01T10:00:00+08:00', 'week', '2025-09-29', '2025-10-05', '2025-09-28T16:00:00.000Z', '2025-10-05T16:00:00.000Z'],
    // A Sunday belongs to the week that started the Monday before.
    ['2025-11-02T22:00:00+08:00', 'week', '2025-10-27', '2025-11-02', '2025-10-26T16:00:00.000Z', '2025-11-02T16:00:00.000Z'],
    ['2025-12-31T10:00:00+08:00', 'week', '2025-12-29', '2026-01-04', '2025-12-28T16:00:00.000Z', '2026-01-04T16:00:00.000Z'],
  ])('%s %s → %s..%s', (date, period, firstDay, lastDay, start, end) => {
    const b = periodBounds(at(date), period);
    expect(b).toEqual({ firstDay, lastDay, start: at(start), end: at(end) });
  });
});

describe('cadenceStatus across the October/November 2025 boundary', () => {
  const keyMonthly: CadenceRule = { enterpriseClass: 'key', period: 'month', requiredKind: 'onsite', requiredCount: 2 };
  const otherMonthly: CadenceRule = { enterpriseClass: 'other', period: 'month', requiredKind: 'any', requiredCount: 1 };
  const contacts: CadenceContact[] = [
    { kind: 'onsite', at: at('2025-10-09T10:00:00+08:00') },
    { kind: 'phone', at: at('2025-10-20T10:00:00+08:00') },
    { kind: 'onsite', at: at('2025-10-31T23:30:00+08:00') }, // October in Shanghai
    { kind: 'onsite', at: at('2025-11-01T00:10:00+08:00') }, // November in Shanghai, October in UTC
    { kind: 'wechat', at: at('2025-11-03T09:00:00+08:00') },
  ];
  const oct28 = at('2025-10-28T09:00:00+08:00');
  const oct29 = at('2025-10-29T09:00:00+08:00');
  const nov2 = at('2025-11-02T09:00:00+08:00');

  it.each<[string, CadenceRule, CadenceContact[], Date, Date | undefined, string, number, number, boolean]>([
    ['key, mid-October, one on-site so far', keyMonthly, contacts.slice(0, 2), oct28, undefined, 'due', 1, 1, false],
    ['key, reminder window opens 3 days before the end', keyMonthly, contacts.slice(0, 2), oct29, undefined, 'due', 1, 1, true],
    ['key, October met by the 23:30 visit on the 31st', keyMonthly, contacts, nov2, at('2025-10-15T00:00:00+08:00'), 'done', 2, 0, false],
    ['key, October unmet once November began → overdue', keyMonthly, contacts.slice(0, 2), nov2, at('2025-10-15T00:00:00+08:00'), 'overdue', 1, 1, false],
    ['key, November so far: the 00:10 visit counts', keyMonthly, contacts, nov2, undefined, 'due', 1, 1, false],
    ['key, phone calls do not count', keyMonthly, [contacts[1]!, contacts[4]!], oct29, undefined, 'due', 0, 2, true],
    ['other, any kind counts: phone in October', otherMonthly, [contacts[1]!], oct29, undefined, 'done', 1, 0, false],
    ['other, nothing yet, not overdue while the month runs', otherMonthly, [], at('2025-10-31T23:59:59+08:00'), undefined, 'due', 0, 1, true],
    ['other, nothing in October, seen at 00:00 on 1 Nov', otherMonthly, [], at('2025-11-01T00:00:00+08:00'), at('2025-10-01T00:00:00+08:00'), 'overdue', 0, 1, false],
    ['contacts of another period are ignored', otherMonthly, [contacts[4]!], oct29, undefined, 'due', 0, 1, true],
  ])('%s', (_name, rule, list, now, periodOf, status, counted, remaining, remind) => {
    const r = cadenceStatus(rule, list, now, 3, periodOf);
    expect(r).toMatchObject({ status, counted, remaining, remind, required: rule.requiredCount });
  });

  it('counts a contact at exactly 00:00 on the first day and not one at 00:00 of the next period', () => {
    const first = { kind: 'onsite' as const, at: at('2025-11-01T00:00:00+08:00') };
    const oct = at('2025-10-15T00:00:00+08:00');
    expect(cadenceStatus(otherMonthly, [first], nov2).counted).toBe(1);
    expect(cadenceStatus(otherMonthly, [first], nov2, 3, oct).counted).toBe(0);
  });

  it('reports the period and the reminder date', () => {
    const r = cadenceStatus(keyMonthly, [], oct28, 3);
    expect(r.period.lastDay).toBe('2025-10-31');
    expect(r.remindFrom).toBe('2025-10-29');
    expect(cadenceStatus(keyMonthly, [], oct29, 0)).toMatchObject({ remindFrom: null, remind: false });
  });

  it('reminds on the last day with reminderDaysBefore = 1', () => {
    expect(cadenceStatus(keyMonthly, [], at('2025-10-30T20:00:00+08:00'), 1).remind).toBe(false);
    expect(cadenceStatus(keyMonthly, [], at('2025-10-31T08:00:00+08:00'), 1).remind).toBe(true);
  });

  it('rejects nonsense rules', () => {
    expect(() => cadenceStatus({ ...keyMonthly, requiredCount: 0 }, [], oct28)).toThrow(RangeError);
    expect(() => cadenceStatus(keyMonthly, [], oct28, -1)).toThrow(RangeError);
  });
});

describe('plausibilityFlags', () => {
  const company = { lat: 41.1219, lng: 122.0709 };
  const base: CheckInFacts = {
    point: { lat: 41.1229, lng: 122.0709 }, // ~111 m north
    accuracyM: 30,
    at: at('2025-10-09T10:00:00+08:00'),
    previous: null,
    enterpriseLocation: company,
    photoHashSeenBefore: false,
  };

  it.each<[string, Partial<CheckInFacts>, string[]]>([
    ['clean check-in', {}, []],
    ['400 m away: 外勤', { point: { lat: 41.1255, lng: 122.0709 } }, ['outside_fence']],
    ['400 m away with a 500 m fence', { point: { lat: 41.1255, lng: 122.0709 }, fenceRadiusM: 500 }, []],
    ['photo seen before', { photoHashSeenBefore: true }, ['photo_reused']],
    ['accuracy 250 m', { accuracyM: 250 }, ['low_accuracy']],
    ['accuracy exactly 200 m is fine', { accuracyM: 200 }, []],
    ['accuracy unknown', { accuracyM: null }, ['low_accuracy']],
    ['enterprise without location', { enterpriseLocation: null }, ['no_enterprise_location']],
    // Previous check-in ~111 km south one hour earlier → ~111 km/h: plausible.
    ['111 km in an hour', { previous: { point: { lat: 40.1229, lng: 122.0709 }, at: at('2025-10-09T09:00:00+08:00') } }, []],
    // Same distance in 50 minutes → ~133 km/h.
    ['111 km in 50 minutes', { previous: { point: { lat: 40.1229, lng: 122.0709 }, at: at('2025-10-09T09:10:00+08:00') } }, ['too_fast']],
    ['111 km in 50 minutes with a 150 km/h limit', { previous: { point: { lat: 40.1229, lng: 122.0709 }, at: at('2025-10-09T09:10:00+08:00') }, maxSpeedKmh: 150 }, []],
    [
      'everything at once, in fixed order',
      {
        point: { lat: 41.2, lng: 122.0709 },
        accuracyM: 1000,
        photoHashSeenBefore: true,
        previous: { point: { lat: 39.9, lng: 116.4 }, at: at('2025-10-09T09:00:00+08:00') },
      },
      ['outside_fence', 'too_fast', 'photo_reused', 'low_accuracy'],
    ],
    ['no location and reused photo', { enterpriseLocation: null, photoHashSeenBefore: true }, ['photo_reused', 'no_enterprise_location']],
  ])('%s → %j', (_name, over, flags) => {
    expect(plausibilityFlags({ ...base, ...over })).toEqual(flags);
  });

  it('flags only speeds strictly above the limit', () => {
    const previous = { point: { lat: 40.1229, lng: 122.0709 }, at: at('2025-10-09T09:10:00+08:00') };
    const measured = assessCheckIn({ ...base, previous }).speedKmh!;
    expect(plausibilityFlags({ ...base, previous, maxSpeedKmh: measured })).toEqual([]);
    expect(plausibilityFlags({ ...base, previous, maxSpeedKmh: measured - 0.001 })).toEqual(['too_fast']);
  });

  it('returns the measurements behind the flags', () => {
    const a = assessCheckIn({ ...base, previous: { point: company, at: at('2025-10-09T09:00:00+08:00') } });
    expect(a.distanceM).toBeGreaterThan(105);
    expect(a.distanceM).toBeLessThan(117);
    expect(a.insideFence).toBe(true);
    expect(a.speedKmh).toBeCloseTo(a.distanceM! / 1000, 6);
    expect(assessCheckIn({ ...base, enterpriseLocation: null })).toMatchObject({ distanceM: null, insideFence: null, speedKmh: null });
  });
});

describe('enterpriseClass and the default rules', () => {
  it.each<[string[], 'above' | 'below', 'key' | 'other']>([
    [['重点企业'], 'below', 'key'],
    [[], 'above', 'key'],
    [['专精特新'], 'below', 'other'],
    [[], 'below', 'other'],
  ])('tags %j, scale %s → %s', (tags, scale, cls) => {
    expect(enterpriseClass({ tags, scale })).toBe(cls);
  });

  it('follows district criteria: custom key tags, 规上 not key by itself', () => {
    const criteria = { keyTags: ['专精特新'], keyIncludesAboveScale: false };
    expect(enterpriseClass({ tags: ['专精特新'], scale: 'below' }, criteria)).toBe('key');
    expect(enterpriseClass({ tags: ['重点企业'], scale: 'above' }, criteria)).toBe('other');
  });

  it('defaults: key → 2 on-site a month, other → 1 contact of any kind a month; unknown class → no rule', () => {
    expect(ruleFor(DEFAULT_CADENCE_RULES, 'key')).toEqual({ enterpriseClass: 'key', period: 'month', requiredKind: 'onsite', requiredCount: 2 });
    expect(ruleFor(DEFAULT_CADENCE_RULES, 'other')).toEqual({ enterpriseClass: 'other', period: 'month', requiredKind: 'any', requiredCount: 1 });
    expect(ruleFor(DEFAULT_CADENCE_RULES, 'project')).toBeNull();
    const now = at('2025-10-20T10:00:00+08:00');
    const phone: CadenceContact = { kind: 'phone', at: at('2025-10-05T10:00:00+08:00') };
    expect(cadenceStatus(ruleFor(DEFAULT_CADENCE_RULES, 'other')!, [phone], now).status).toBe('done');
    expect(cadenceStatus(ruleFor(DEFAULT_CADENCE_RULES, 'key')!, [phone], now).status).toBe('due');
  });
});
