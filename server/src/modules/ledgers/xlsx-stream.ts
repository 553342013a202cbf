import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { xlsxWorkbookWriter } from '../../lib/lazy-modules';
import { columnWidth, type LedgerColumn } from '@guanjia/shared';

/** A cell value as a ledger writes it: text, number, a Shanghai wall-clock Date, or empty. */
export type LedgerCell = string | number | Date | null;

const NUM_FMT: Record<NonNullable<LedgerColumn['kind']>, string | undefined> = {
  text: undefined, int: '0', date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm', money: '#,##0.00', percent: '0.00',
};

/** Rows written between two turns of the event loop. */
const YIELD_ROWS = 250;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
/**
 * Excel has no time zones: a cell holds wall-clock time. exceljs writes a Date by its UTC fields, so an instant is
 * shifted to Asia/Shanghai (no DST) before it is written.
 */
export function shanghaiCellDate(v: Date | string | null): Date | null {
  if (v === null) return null;
  return new Date(new Date(v).getTime() + SHANGHAI_OFFSET_MS);
}
/** A YYYY-MM-DD date as an Excel date cell (midnight, no shift). */
export function dayCellDate(v: string | null): Date | null {
  return v ? new Date(`${v}T00:00:00Z`) : null;
}

/** What `addLedgerSheet` needs of exceljs's streaming workbook writer (the ledgers' and the test's reference). */
type SheetWorkbook = { creator: string; addWorksheet(name: string, opts: object): ExcelWorksheet };
type ExcelWorksheet = import('exceljs').Worksheet;

/**
 * A ledger sheet on a workbook: the frozen bold header row (committed), widths fitted to Chinese headers, date and
 * money formats per column; returns the sheet and one style object per column.
 */
export function addLedgerSheet(wb: SheetWorkbook, sheetName: string, columns: LedgerColumn[]) {
  wb.creator = '项目管家';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  ws.columns = columns.map((c) => ({
    header: c.header, key: c.key, width: columnWidth(c),
    style: { numFmt: NUM_FMT[c.kind ?? 'text'], alignment: c.kind && c.kind !== 'text' ? undefined : { wrapText: c.width >= 30, vertical: 'top' } },
  }));
  // One style object per column: exceljs's style table gives it an id once (columnStyleIds), where a copy per cell
  // was rendered to XML and looked up again — about half the writer's CPU at 100,000 rows. Same styles, same file.
  const styles = ws.columns.map((c) => c.style);
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.commit();
  return { ws, styles };
}

/**
 * Streams one sheet as .xlsx: exceljs's streaming WorkbookWriter (no shared-strings table, so memory does not grow
 * with the rows), a bold frozen header row, widths fitted to Chinese headers, date and money formats per column.
 * `batches` yields rows a batch at a time (the caller reads them by keyset), one batch read ahead; between batches
 * the writer waits for the HTTP stream to drain so a slow client holds back the database reads instead of filling memory.
 */
export function streamSheet(
  sheetName: string,
  columns: LedgerColumn[],
  batches: AsyncIterable<LedgerCell[][]>,
): { stream: PassThrough; done: Promise<number> } {
  const stream = new PassThrough({ highWaterMark: 1 << 20 });
  const done = (async () => {
    const wb = new (xlsxWorkbookWriter())({ stream, useStyles: true, useSharedStrings: false });
    const { ws, styles } = addLedgerSheet(wb, sheetName, columns);
    // The data rows' XML is written here, not through exceljs's Row and Cell objects (about 70 % of the writer's
    // CPU and most of its garbage at 100,000 rows): the same markup exceljs renders for these cells (`t="str"`
    // strings, dates as serial numbers, the column's style id), a few hundred rows per write into the sheet's part.
    const sheet = (ws as unknown as { stream: { write(b: Buffer): void } }).stream;
    const styleIds = columnStyleIds(wb as unknown as StyleTable, styles);
    const chunk = new Utf8Chunk((b) => sheet.write(b));
    let n = 0;
    // The next batch is asked for before this one is written: its query runs in PostgreSQL while this process
    // builds the XML of the current one.
    const it = batches[Symbol.asyncIterator]();
    let next = it.next();
    next.catch(() => undefined);
    for (;;) {
      const r = await next;
      if (r.done) break;
      next = it.next();
      next.catch(() => undefined); // awaited on the next turn; not an unhandled rejection while this batch is written
      const batch = r.value;
      for (let i = 0; i < batch.length; i++) {
        n++;
        chunk.add(rowXml(n + 1, batch[i]!, styleIds));
        // Hand the event loop back every YIELD_ROWS rows: a batch written in one go blocked other requests for the
        // whole batch (~0.1 s idle, several times that on a loaded machine).
        if (i % YIELD_ROWS === YIELD_ROWS - 1) {
          chunk.flush();
          await new Promise(setImmediate);
        }
      }
      chunk.flush();
      if (stream.writableNeedDrain) await once(stream, 'drain');
    }
    ws.commit();
    await wb.commit();
    return n;
  })();
  done.catch((e) => stream.destroy(e instanceof Error ? e : new Error(String(e))));
  return { stream, done };
}

/**
 * Rows' XML gathered as UTF-8 in one buffer, each row encoded as it comes: encoding a few hundred rows joined into one
 * string cost ~3× as much (flattening a long string of mixed Latin-1 and Chinese pieces, then measuring it).
 */
class Utf8Chunk {
  private buf = Buffer.allocUnsafe(Utf8Chunk.SIZE);
  private used = 0;
  static readonly SIZE = 1 << 19;
  constructor(private readonly out: (b: Buffer) => void) {}
  add(s: string) {
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + s.length * 3 > Utf8Chunk.SIZE) {
      this.flush();
      if (s.length * 3 > Utf8Chunk.SIZE) return this.out(Buffer.from(s));
    }
    this.used += this.buf.write(s, this.used);
  }
  flush() {
    if (!this.used) return;
    this.out(this.buf.subarray(0, this.used));
    this.buf = Buffer.allocUnsafe(Utf8Chunk.SIZE);
    this.used = 0;
  }
}

/** The part of exceljs's workbook writer that gives a cell style its id in styles.xml. */
type StyleTable = { styles: { addStyleModel(style: object, cellType: number): number } };

/** exceljs's value types (Enums.ValueType) as the style table tells them apart. */
const ValueType = { Null: 0, Number: 2, String: 3, Date: 4 } as const;
const valueType = (v: LedgerCell | undefined): number =>
  v === null || v === undefined ? ValueType.Null : typeof v === 'number' ? ValueType.Number : typeof v === 'string' ? ValueType.String : ValueType.Date;

/**
 * Each column's style id, asked of exceljs's style table on the column's first cell with that cell's type, as
 * exceljs does for a cell given the column's style object (the table remembers an object's first id). A date in a
 * column without a number format gets exceljs's own date style, as a cell with a copy of the column's style would.
 */
function columnStyleIds(wb: StyleTable, styles: (object | undefined)[]) {
  const ids: (number | undefined)[] = [];
  const dateIds: (number | undefined)[] = [];
  return (c: number, v: LedgerCell | undefined): number => {
    const style = styles[c] ?? {};
    if (v instanceof Date && !(style as { numFmt?: string }).numFmt) return (dateIds[c] ??= wb.styles.addStyleModel({ ...style }, ValueType.Date));
    return (ids[c] ??= wb.styles.addStyleModel(style, valueType(v)));
  };
}

/** Column letters A, B, … (a ledger has at most a few dozen columns). */
const COLUMN_LETTERS = Array.from({ length: 702 }, (_, i) => (i < 26 ? '' : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26)));

/** Characters exceljs escapes in a cell's text (the XML specials) or drops (control characters XML 1.0 forbids). */
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;

/** A text as exceljs writes it in a cell (utils.xmlEncode): specials escaped, forbidden control characters dropped. */
export function xmlText(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    let esc: string;
    if (ch === 34) esc = '&quot;';
    else if (ch === 38) esc = '&amp;';
    else if (ch === 39) esc = '&apos;';
    else if (ch === 60) esc = '&lt;';
    else if (ch === 62) esc = '&gt;';
    else if (ch === 127 || (ch <= 31 && (ch <= 8 || (ch >= 11 && ch !== 13)))) esc = '';
    else continue;
    out += text.substring(last, i) + esc;
    last = i + 1;
  }
  return out + text.substring(last);
}

/** Excel's serial day number of a (wall-clock) Date, as exceljs writes it (1900 date system). */
const excelSerial = (d: Date) => 25569 + d.getTime() / 86_400_000;

/**
 * One data row's XML, the markup exceljs's row and cell renderers produce for it: `spans` over the row's cells, an
 * empty cell written only when its column has a style, strings as `t="str"`, numbers and dates as `<v>`. A row
 * with no value at all is left out, as exceljs leaves it out.
 */
export function rowXml(r: number, values: readonly LedgerCell[], styleId: (c: number, v: LedgerCell | undefined) => number): string {
  let cells = '';
  let any = false;
  for (let c = 0; c < values.length; c++) {
    const v = values[c];
    const s = styleId(c, v);
    const head = s ? `<c r="${COLUMN_LETTERS[c]}${r}" s="${s}"` : `<c r="${COLUMN_LETTERS[c]}${r}"`;
    if (v === null || v === undefined) {
      if (s) cells += `${head}/>`;
      continue;
    }
    any = true;
    if (typeof v === 'string') cells += `${head} t="str"><v>${xmlText(v)}</v></c>`;
    else if (typeof v === 'number') cells += `${head}><v>${v}</v></c>`;
    else cells += `${head}><v>${excelSerial(v)}</v></c>`;
  }
  return any ? `<row r="${r}" spans="1:${values.length}" x14ac:dyDescent="0.25">${cells}</row>` : '';
}
