import type { Page } from 'playwright-core';
import { KNOWN_CODES } from '../../shared/src/labels';

/**
 * docs/screens.md: no screen shows a code or an English word. Reads the text a person sees (innerText: hidden pages and
 * input values excluded), removes what is legitimately Latin — ids (诉求 2026-000123, 督办单 DB2026-0007, 统一社会信用代码,
 * 行政区划代码), numbers, units — and returns every known code (labels.ts) and every ASCII-only word left.
 */
export async function rawTextOn(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  return rawWords(text);
}

/**
 * Latin words people do read on these screens: file kinds and encodings offices name ("Excel / CSV 文件", "GBK 编码"),
 * brands, and standard numbers (GB/T 4754 行业分类, GB/T 9704 公文格式).
 */
const ALLOWED = new Set(['PDF', 'Excel', 'Word', 'WPS', 'CSV', 'csv', 'xlsx', 'docx', 'GBK', 'UTF', 'BOM', 'GB', 'T', 'WGS', 'GCJ']);

/** The offending words of a text (exported for its own test). */
export function rawWords(text: string): string[] {
  const stripped = text
    .replace(/\b[A-Z]{1,4}\d{4}-\d{3,}\b/g, ' ') // DB2026-0007
    .replace(/\b[0-9A-HJ-NPQRTUWXY]{18}\b/g, ' ') // 统一社会信用代码
    .replace(/\b[A-Z2-9]{8}\b/g, ' ') // one-time invitation codes
    .replace(/\b(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{4,}\b/g, ' ') // usernames and other ids mixing letters and digits
    .replace(/\b\d+(\.\d+)?\s*(km|m|KB|MB|GB|kg|t)\b/g, ' ') // units after a number
    .replace(/(?<=[^\s.])\.(pdf|jpe?g|png)\b/gi, ' ') // the extension of a file's own name (营业执照.pdf)
    .replace(/\b[A-T]\s?(?=[\u4e00-\u9fff])/g, ' '); // GB/T 4754 门类 letters before their name: "C 制造业"
  const out = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z][A-Za-z_-]*/g)) {
    const w = m[0];
    if (ALLOWED.has(w)) continue;
    out.add(KNOWN_CODES.includes(w) ? `代码 ${w}` : w);
  }
  return [...out];
}
