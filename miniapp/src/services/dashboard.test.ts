import { categorySpec, drillFromParams, drillQuery, drillUrl, ledgerFileName, ledgerPath, lightSpec, monthRange, scoreSpec, weeklyTrendSpec, type TicketStats } from './dashboard';

describe('dashboard helpers', () => {
  it('drills a figure to the ticket list and reads the filters back', () => {
    const url = drillUrl({ from: '2026-03-01', to: '2026-03-31', solved: true, state: ['assigned', 'accepted'], title: '已解决的诉求' });
    expect(url.startsWith('/packages/dashboard/pages/tickets/index?')).toBe(true);
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(url.split('?')[1])) params[k] = v;
    const f = drillFromParams(params);
    expect(f).toEqual({ from: '2026-03-01', to: '2026-03-31', solved: true, state: ['assigned', 'accepted'], title: '已解决的诉求' });
    expect(drillQuery(f)).toEqual({ from: '2026-03-01', to: '2026-03-31', solved: true, state: ['assigned', 'accepted'] });
  });

  it('drops filters that are not what the list takes', () => {
    expect(drillFromParams({ from: '2026-3-1', categoryId: 'x; drop', escalationLevelMin: '9', state: 'a b' })).toEqual({ state: [] });
  });

  it('knows month bounds, leap years included', () => {
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthRange('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('builds chart specs: two weekly lines, at most eight category slices, lights in their colours', () => {
    const weeks = [{ weekStart: '2026-02-23', from: '2026-03-01', to: '2026-03-01', received: 2, solved: 1 }];
    expect(weeklyTrendSpec(weeks).data).toEqual([{ label: '3/1', value: 2, series: '受理' }, { label: '3/1', value: 1, series: '解决' }]);
    const byCategory = Array.from({ length: 10 }, (_, i) => ({ category: { id: String(i), name: `类${i}` }, count: i + 1, solved: 0 }));
    const spec = categorySpec({ byCategory } as unknown as TicketStats);
    expect(spec.data.length).toBe(8);
    expect(spec.data[7]).toMatchObject({ label: '其他', value: 1 + 2 + 3 });
    const lights = lightSpec({ byLight: { green: 2, yellow: 0, red: 1, none: 0 } } as never);
    expect(lights).toMatchObject({ colors: ['#52c41a', '#f5222d'] });
  });

  it('names the ledger file and its path', () => {
    expect(ledgerFileName('tickets', new Date('2026-03-31T20:00:00Z'))).toBe('诉求台账-20260401.xlsx');
    expect(ledgerPath('tickets', { from: '2026-03-01', state: ['assigned', 'accepted'] })).toBe('/api/v1/ledgers/tickets?from=2026-03-01&state=assigned&state=accepted');
    expect(ledgerPath('rankings', { month: '2026-03', kind: 'department' })).toBe('/api/v1/ledgers/rankings?month=2026-03&kind=department');
    expect(ledgerFileName('rankings', new Date('2026-03-31T20:00:00Z'))).toBe('考核排名表-20260401.xlsx');
  });
});

describe('the cockpit’s 考核 chart', () => {
  it('draws the ranked departments by composite score, best at the top, unranked left out', () => {
    const row = (name: string, rank: number | null, score: number | null) => ({ department: { name }, rank, score });
    const spec = scoreSpec([row('人社局', 1, 92.5), row('发改局', 2, 80), row('财政局', null, null)]);
    expect(spec.kind).toBe('bar');
    // F2 draws a horizontal bar chart bottom-up: the last datum is the top bar
    expect(spec.data).toEqual([{ label: '发改局', value: 80 }, { label: '人社局', value: 92.5 }]);
  });
});
