import { escapeLike, sqlParams } from './sql';

describe('sqlParams', () => {
  it('numbers placeholders after the initial parameters', () => {
    const { params, p } = sqlParams(['district']);
    expect(`a = ${p(1)} AND b = ${p('x')}`).toBe('a = $2 AND b = $3');
    expect(params).toEqual(['district', 1, 'x']);
  });
});

describe('escapeLike', () => {
  it('makes %, _ and \\ literal', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
    expect(escapeLike('企业')).toBe('企业');
  });
});
