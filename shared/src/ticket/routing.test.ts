import fc from 'fast-check';
import { findRoutingConflicts, pickRoutingRule, ruleMatches, ruleSpecificity, type RoutingRuleKey } from './routing';

// Two top-level categories, 环保能耗 (env) with two children, 人才用工 (hr) with none.
const parents = new Map<string, string | null>([
  ['env', null], ['env.eia', 'env'], ['env.energy', 'env'], ['hr', null],
]);
const rule = (id: string, categoryId: string, areaId: string | null = null, enterpriseTag: string | null = null, priority = 0): RoutingRuleKey =>
  ({ id, categoryId, areaId, enterpriseTag, priority });
const target = (categoryId: string, areaId = 'a1', enterpriseTags: string[] = []) => ({ categoryId, areaId, enterpriseTags });

describe('ruleSpecificity and ruleMatches', () => {
  it.each([
    [rule('r', 'env'), 1],
    [rule('r', 'env.eia'), 2],
    [rule('r', 'env', 'a1'), 2],
    [rule('r', 'env', null, '重点企业'), 2],
    [rule('r', 'env.eia', 'a1', '重点企业'), 4],
  ])('%j has specificity %i', (r, n) => expect(ruleSpecificity(r, parents)).toBe(n));

  it.each([
    [rule('r', 'env'), target('env.eia'), true],
    [rule('r', 'env'), target('env'), true],
    [rule('r', 'env.eia'), target('env'), false],
    [rule('r', 'env.eia'), target('env.energy'), false],
    [rule('r', 'env', 'a2'), target('env.eia', 'a1'), false],
    [rule('r', 'env', null, '重点企业'), target('env.eia', 'a1', ['专精特新']), false],
    [rule('r', 'env', null, '重点企业'), target('env.eia', 'a1', ['专精特新', '重点企业']), true],
    [rule('r', 'hr'), target('env'), false],
  ])('%j matches %j: %s', (r, t, ok) => expect(ruleMatches(r, t, parents)).toBe(ok));
});

describe('pickRoutingRule', () => {
  const rules = [rule('base', 'env'), rule('eia', 'env.eia'), rule('eia-a1', 'env.eia', 'a1'), rule('hr', 'hr')];
  it('picks the most specific matching rule and counts the candidates', () => {
    expect(pickRoutingRule(rules, target('env.eia', 'a1'), parents)).toMatchObject({ kind: 'matched', rule: { id: 'eia-a1' }, specificity: 3, candidates: 3 });
    expect(pickRoutingRule(rules, target('env.eia', 'a2'), parents)).toMatchObject({ kind: 'matched', rule: { id: 'eia' } });
    expect(pickRoutingRule(rules, target('env.energy', 'a2'), parents)).toMatchObject({ kind: 'matched', rule: { id: 'base' } });
  });
  it('returns none when nothing matches', () => {
    expect(pickRoutingRule([rule('hr', 'hr')], target('env'), parents)).toEqual({ kind: 'none' });
  });
  it('breaks equal specificity by priority, and reports an unbroken tie', () => {
    const a = rule('area', 'env', 'a1');
    const t = rule('tag', 'env', null, '重点企业');
    expect(pickRoutingRule([a, t], target('env', 'a1', ['重点企业']), parents)).toEqual({ kind: 'tie', ruleIds: ['area', 'tag'] });
    expect(pickRoutingRule([a, { ...t, priority: 1 }], target('env', 'a1', ['重点企业']), parents)).toMatchObject({ kind: 'matched', rule: { id: 'tag' } });
  });
});

describe('findRoutingConflicts', () => {
  it.each<[string, RoutingRuleKey[], number]>([
    ['one rule per category', [rule('a', 'env'), rule('b', 'hr')], 0],
    ['the same key twice', [rule('a', 'env', 'a1'), rule('b', 'env', 'a1')], 1],
    ['different areas never overlap', [rule('a', 'env', 'a1'), rule('b', 'env', 'a2')], 0],
    ['area rule vs tag rule overlap on tagged enterprises in the area', [rule('a', 'env', 'a1'), rule('b', 'env', null, 'T')], 1],
    ['… unless priorities differ', [rule('a', 'env', 'a1', null, 1), rule('b', 'env', null, 'T')], 0],
    ['… or a more specific rule covers the overlap', [rule('a', 'env', 'a1'), rule('b', 'env', null, 'T'), rule('c', 'env', 'a1', 'T')], 0],
    ['a more specific rule that covers only part of the overlap does not help', [rule('a', 'env.eia'), rule('b', 'env', 'a1'), rule('c', 'env.eia', 'a1', 'T')], 1],
    ['a cover may outrank the pair by priority alone', [rule('a', 'env', 'a1', null, 2), rule('b', 'env', null, 'T', 2), rule('c', 'env', null, 'T', 5)], 0],
    ['a cover ranked below the pair does not help', [rule('a', 'env', 'a1', null, 2), rule('b', 'env', null, 'T', 2), rule('c', 'env', 'a1', null, 1)], 1],
    ['two tags overlap on enterprises carrying both', [rule('a', 'env', null, 'T'), rule('b', 'env', null, 'U')], 1],
    ['child category vs parent + area', [rule('a', 'env.eia'), rule('b', 'env', 'a1')], 1],
    ['child category vs parent: different specificity', [rule('a', 'env.eia'), rule('b', 'env')], 0],
    ['siblings never overlap', [rule('a', 'env.eia'), rule('b', 'env.energy')], 0],
  ])('%s', (_name, rules, n) => {
    expect(findRoutingConflicts(rules, parents)).toHaveLength(n);
  });

  it('describes the tickets concerned', () => {
    const [c] = findRoutingConflicts([rule('a', 'env.eia'), rule('b', 'env', 'a1')], parents);
    expect(c).toEqual({ ruleIds: ['a', 'b'], categoryId: 'env.eia', areaId: 'a1', enterpriseTags: [] });
  });

  it('a rule set without conflicts has exactly one winner (or none) for every ticket', () => {
    const cat = fc.constantFrom('env', 'env.eia', 'env.energy', 'hr');
    const area = fc.constantFrom(null, 'a1', 'a2');
    const tag = fc.constantFrom(null, 'T', 'U');
    const ruleArb = fc.record({ categoryId: cat, areaId: area, enterpriseTag: tag, priority: fc.integer({ min: 0, max: 2 }) });
    const ticketArb = fc.record({ categoryId: cat, areaId: fc.constantFrom('a1', 'a2', 'a3'), enterpriseTags: fc.subarray(['T', 'U']) });
    const runs = { clean: 0, conflicting: 0 };
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 7 }), fc.array(ticketArb, { minLength: 1, maxLength: 10 }), (raw, tickets) => {
        const rules = raw.map((r, i) => ({ ...r, id: `r${i}` }));
        const conflicts = findRoutingConflicts(rules, parents);
        const ties = tickets.filter((t) => pickRoutingRule(rules, t, parents).kind === 'tie');
        if (conflicts.length === 0) {
          runs.clean++;
          return ties.length === 0;
        }
        // A reported conflict is real: the ticket it describes ties between (at least) the two rules it names.
        runs.conflicting++;
        return conflicts.every((c) => {
          const d = pickRoutingRule(rules, { categoryId: c.categoryId, areaId: c.areaId ?? 'a3', enterpriseTags: c.enterpriseTags }, parents);
          return d.kind === 'tie' && c.ruleIds.every((id) => d.ruleIds.includes(id));
        });
      }),
      { numRuns: 2000 },
    );
    // Both branches are exercised, not just the trivially clean rule sets.
    expect(runs.clean).toBeGreaterThan(200);
    expect(runs.conflicting).toBeGreaterThan(200);
  });

  it('every tie at routing time is reported as a conflict', () => {
    const cat = fc.constantFrom('env', 'env.eia', 'hr');
    const ruleArb = fc.record({ categoryId: cat, areaId: fc.constantFrom(null, 'a1'), enterpriseTag: fc.constantFrom(null, 'T'), priority: fc.constant(0) });
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 6 }), cat, fc.subarray(['T']), (raw, categoryId, enterpriseTags) => {
        const rules = raw.map((r, i) => ({ ...r, id: `r${i}` }));
        const d = pickRoutingRule(rules, { categoryId, areaId: 'a1', enterpriseTags }, parents);
        if (d.kind !== 'tie') return true;
        const conflicts = findRoutingConflicts(rules, parents);
        return conflicts.some((c) => d.ruleIds.includes(c.ruleIds[0]) && d.ruleIds.includes(c.ruleIds[1]));
      }),
      { numRuns: 2000 },
    );
  });
});
