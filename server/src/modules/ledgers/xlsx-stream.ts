import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { exceljs } from '../../lib/lazy-modules';
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
    const wb = new (exceljs().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false });
    wb.creator = '项目管家';
    const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.columns = columns.map((c) => ({
      header: c.header, key: c.key, width: columnWidth(c),
      style: { numFmt: NUM_FMT[c.kind ?? 'text'], alignment: c.kind && c.kind !== 'text' ? undefined : { wrapText: c.width >= 30, vertical: 'top' } },
    }));
    // One style object per column, given to every cell of it: exceljs's style table recognises an object it has
    // seen (a WeakMap) and reuses its id, where the copy each new cell makes of its column's style is rendered to XML
    // and looked up again — about half the writer's CPU at 100,000 rows. Same styles, same file.
    const styles = ws.columns.map((c) => c.style);
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', horizontal: 'center' };
    header.commit();
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
        const values = batch[i]!;
        const row = ws.addRow(values);
        for (let c = 0; c < values.length; c++) {
          const cell = row.getCell(c + 1);
          // A date in a column without a number format keeps exceljs's own date style (none of the ledgers has one).
          if (styles[c]?.numFmt || !(values[c] instanceof Date)) cell.style = styles[c]!;
        }
        row.commit();
        n++;
        // Hand the event loop back every YIELD_ROWS rows: a batch written in one go blocked other requests for the
        // whole batch (~0.1 s idle, several times that on a loaded machine).
        if (i % YIELD_ROWS === YIELD_ROWS - 1) await new Promise(setImmediate);
      }
      if (stream.writableNeedDrain) await once(stream, 'drain');
    }
    ws.commit();
    await wb.commit();
    return n;
  })();
  done.catch((e) => stream.destroy(e instanceof Error ? e : new Error(String(e))));
  return { stream, done };
}
