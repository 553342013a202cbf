import type ExcelJS from 'exceljs';
import { exceljs } from '../../lib/lazy-modules';
import iconv from 'iconv-lite';
import { AppError } from '../../lib/app-error';
import { IMPORT_UPLOAD, sniffFile } from '../../lib/files';

/**
 * Reading the files offices keep: .xlsx (first worksheet) or .csv in UTF-8, UTF-8 with BOM or GBK (what Excel
 * "另存为 CSV" writes on a Chinese Windows). The format is decided by the content (a zip starts with "PK"), never
 * by the file name; the encoding by the BOM, then by whether the bytes are valid UTF-8 (GBK text almost never is).
 */

/** A sheet as text: the header row and the data rows (1-based sheet row numbers kept for error reports). */
export type SheetText = { headers: string[]; rows: { row: number; cells: string[] }[] };

/** Largest file accepted (IMPORT_UPLOAD in lib/files.ts; a 32,359-row enterprise list is about 3 MB as .xlsx). */
export const IMPORT_MAX_BYTES = IMPORT_UPLOAD.maxBytes;
/** Most data rows in one file. */
export const IMPORT_MAX_ROWS = 100_000;

/** Decodes CSV bytes: BOM → UTF-8; valid UTF-8 → UTF-8; otherwise GBK. */
export function decodeCsv(buf: Buffer): string {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gbk');
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); out.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); out.push(row); }
  return out;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** One xlsx cell as the text an office typed: dates as YYYY-MM-DD, formulas by their result, rich text joined. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return v.result === undefined ? '' : cellText(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  if ('error' in v) return '';
  return '';
}

/** Reads the first worksheet of an .xlsx or a CSV into text; the first non-empty row is the header. */
export async function readSheet(buf: Buffer): Promise<SheetText> {
  if (buf.length > IMPORT_MAX_BYTES) throw new AppError('IMPORT_FILE_TOO_LARGE');
  let grid: { row: number; cells: string[] }[];
  if (sniffFile(buf)?.kind === 'xlsx') {
    // A full load, not exceljs's streaming WorkbookReader: the streaming reader split multi-byte UTF-8 characters at
    // chunk boundaries (88 garbled cells in a 32,359-row Chinese list, "兴��台…"), twice as fast but wrong.
    const wb = new (exceljs().Workbook)();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw new AppError('IMPORT_FILE_UNREADABLE');
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new AppError('IMPORT_FILE_EMPTY');
    grid = [];
    ws.eachRow({ includeEmpty: false }, (r, n) => {
      const values = r.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      grid.push({ row: n, cells });
    });
  } else {
    if (buf.includes(0)) throw new AppError('IMPORT_FILE_UNREADABLE');
    grid = parseCsv(decodeCsv(buf)).map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.trim()) }));
  }
  grid = grid.filter((r) => r.cells.some((c) => c !== ''));
  const [head, ...rows] = grid;
  if (!head || !rows.length) throw new AppError('IMPORT_FILE_EMPTY');
  if (rows.length > IMPORT_MAX_ROWS) throw new AppError('IMPORT_FILE_TOO_LARGE');
  return { headers: head.cells, rows };
}
