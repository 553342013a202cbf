import { toApiError } from '../services/api-error';
import { createLoader, isLoading } from './loader';

/** A fetch whose answers the test releases one by one, in any order. */
function controlled<T>() {
  const pending: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const fetch = () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
  return { fetch, pending };
}

/** The sink as the hook's state: the last value written to each. */
function state<T>() {
  const s: { data?: T; error?: string; writes: string[] } = { writes: [] };
  return {
    s,
    sink: {
      data: (v: T) => { s.data = v; s.writes.push(`data:${JSON.stringify(v)}`); },
      error: (m: string | undefined) => { s.error = m; s.writes.push(`error:${m ?? ''}`); },
    },
  };
}

describe('useLoad\'s loader', () => {
  it('writes the answer of a load', async () => {
    const { s, sink } = state<number[]>();
    await createLoader(async () => [1, 2], sink).reload();
    expect(s.data).toEqual([1, 2]);
    expect(s.error).toBeUndefined();
  });

  it('drops the late answer of an older load: the newest reload wins whatever the order of the answers', async () => {
    const c = controlled<string>();
    const { s, sink } = state<string>();
    const loader = createLoader(c.fetch, sink);
    const first = loader.reload();
    const second = loader.reload();
    c.pending[1].resolve('new');
    await second;
    c.pending[0].resolve('old');
    await first;
    expect(s.data).toBe('new');
    expect(s.writes.filter((w) => w.startsWith('data'))).toEqual(['data:"new"']);
  });

  it('drops the late failure of an older load too', async () => {
    const c = controlled<string>();
    const { s, sink } = state<string>();
    const loader = createLoader(c.fetch, sink);
    const first = loader.reload();
    const second = loader.reload();
    c.pending[1].resolve('fresh');
    c.pending[0].reject(toApiError(500, null));
    await Promise.all([first, second]);
    expect(s).toMatchObject({ data: 'fresh', error: undefined });
  });

  it('a failure becomes Chinese text and keeps the data already shown; the next reload clears it', async () => {
    let fail = false;
    const { s, sink } = state<string>();
    const loader = createLoader(async () => {
      if (fail) throw toApiError(409, { error: { code: 'VERSION_CONFLICT', message: '数据已被他人修改，请刷新后重试' } });
      return 'v1';
    }, sink);
    await loader.reload();
    fail = true;
    await loader.reload();
    expect(s.data).toBe('v1');
    expect(s.error).toMatch(/[\u3400-\u9fff]/);
    fail = false;
    const again = loader.reload();
    expect(s.error).toBeUndefined(); // cleared as soon as the reload starts, before its answer
    await again;
    expect(s).toMatchObject({ data: 'v1', error: undefined });
  });

  it('a failure that is not an API error shows the generic Chinese message, never the exception text', async () => {
    const { s, sink } = state<string>();
    await createLoader(async () => { throw new TypeError('boom'); }, sink).reload();
    expect(s.error).toBe(toApiError(500, null).message);
  });

  it('the hook\'s \'reload after a save\' runs the fetch again', async () => {
    let n = 0;
    const { s, sink } = state<number>();
    const loader = createLoader(async () => ++n, sink);
    await loader.reload();
    await loader.reload();
    expect(s.data).toBe(2);
  });

  it.each([
    [undefined, undefined, true],
    [undefined, '网络不可用', false],
    [[], undefined, false],
    [null, undefined, false],
  ])('loading with data %j and error %j: %s', (data, error, loading) => expect(isLoading(data, error)).toBe(loading));
});
