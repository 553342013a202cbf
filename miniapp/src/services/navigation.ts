/** Page URLs and their parameters, the same way on every page of every subpackage. */

/** `url?a=1&b=2`, skipping empty values. */
export function pageUrl(path: string, params: Record<string, string | number | undefined | null> = {}): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${path}?${q}` : path;
}

/** Reads a page parameter (Taro leaves them URI-encoded on H5). */
export function param(params: Record<string, string | undefined>, name: string): string {
  const v = params[name];
  if (!v) return '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
