import { batchSummary, defaultSort, EMPTY_FILTERS, inboxQuery, queueQuery, runBatch, toggle, toggleAll } from './desk';

describe('desk queries', () => {
  it('asks the server for one keyset page of a queue, with its sort and filters', () => {
    expect(queueQuery('dispatch', { sort: 'created', filters: EMPTY_FILTERS })).toEqual({ state: ['pending_dispatch', 'submitted'], returned: false, sort: 'created', limit: 20 });
    expect(queueQuery('overdue', { sort: 'deadline', filters: { q: ' 焊工 ', departmentId: 'd1', overdue: false }, cursor: 'c2' })).toEqual({
      overdue: true, q: '焊工', departmentId: 'd1', sort: 'deadline', limit: 20, cursor: 'c2',
    });
    expect(queueQuery('escalations', { floor: 3, sort: 'deadline', filters: EMPTY_FILTERS })).toMatchObject({ escalationLevelMin: 3 });
    expect(queueQuery('closing', { sort: 'created', filters: { ...EMPTY_FILTERS, overdue: true } })).toMatchObject({ state: ['confirmed'], overdue: true });
  });

  it('never filters a department inbox by department', () => {
    expect(inboxQuery(['assigned'], { sort: 'deadline', filters: { q: '', departmentId: 'x', overdue: true } })).toEqual({ state: ['assigned'], overdue: true, sort: 'deadline', limit: 20 });
  });

  it('orders by deadline where one runs', () => {
    expect(defaultSort('overdue')).toBe('deadline');
    expect(defaultSort('assigned')).toBe('deadline');
    expect(defaultSort('dispatch')).toBe('created');
    expect(defaultSort('replied')).toBe('created');
  });
});

describe('runBatch', () => {
  const items = [{ id: 'a', no: '2026-000001', version: 3 }, { id: 'b', no: '2026-000002', version: 1 }, { id: 'c', no: '2026-000003', version: 2 }];

  it('acts once per ticket with a key fixed by action, ticket and version, and collects failures', async () => {
    const keys: string[] = [];
    const r = await runBatch('dispatch', items, async (t, key) => {
      keys.push(key);
      if (t.id === 'b') throw new Error('已交办');
    }, (e) => (e as Error).message);
    expect(keys).toEqual(['dispatch-a-v3', 'dispatch-b-v1', 'dispatch-c-v2']);
    expect(r).toEqual({ done: ['a', 'c'], failed: [{ no: '2026-000002', message: '已交办' }] });
    expect(batchSummary('交办', r)).toBe('已交办 2 件；1 件未交办：2026-000002（已交办）');
    expect(batchSummary('督办', { done: ['a'], failed: [] })).toBe('已督办 1 件');
  });

  it('a retried batch sends the same keys (the server answers the first result, no second action)', async () => {
    const first: string[] = [];
    const again: string[] = [];
    await runBatch('supervise', items, async (_t, k) => void first.push(k), String);
    await runBatch('supervise', items, async (_t, k) => void again.push(k), String);
    expect(again).toEqual(first);
  });
});

describe('selection', () => {
  it('toggles one row and the whole page', () => {
    expect(toggle(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggleAll(['a'], ['a', 'b'])).toEqual(['a', 'b']);
    expect(toggleAll(['a', 'b'], ['a', 'b'])).toEqual([]);
    expect(toggleAll([], [])).toEqual([]);
  });
});
