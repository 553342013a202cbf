import { buildSearchQuery, EMPTY_SEARCH } from './ticket-search';

describe('ticket search query', () => {
  it('sends only the filters set', () => {
    expect(buildSearchQuery(EMPTY_SEARCH)).toEqual({});
    expect(buildSearchQuery({ ...EMPTY_SEARCH, q: '  电焊工 ', state: 'handling', overdue: true })).toEqual({
      q: '电焊工', state: ['accepted', 'in_progress', 'awaiting_info'], overdue: true,
    });
  });
  it('swaps dates given backwards', () => {
    expect(buildSearchQuery({ ...EMPTY_SEARCH, from: '2026-11-30', to: '2026-11-01' })).toEqual({ createdFrom: '2026-11-01', createdTo: '2026-11-30' });
  });
});
