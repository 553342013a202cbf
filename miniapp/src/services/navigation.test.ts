import { pageUrl, param } from './navigation';

describe('page navigation helpers', () => {
  it('builds a query string, encoding values and skipping empty ones', () => {
    expect(pageUrl('/p', { id: 'a b', n: 2, empty: '', none: null, undef: undefined })).toBe('/p?id=a%20b&n=2');
    expect(pageUrl('/p')).toBe('/p');
  });

  it('decodes a parameter and survives malformed encoding', () => {
    expect(param({ q: '%E4%BC%81%E4%B8%9A' }, 'q')).toBe('企业');
    expect(param({ q: '%E4%' }, 'q')).toBe('%E4%');
    expect(param({}, 'q')).toBe('');
  });
});
