/**
 * Heavy libraries only a few requests use, loaded on their first use instead of at start: exceljs alone was a
 * quarter of the time to /readyz (a CPU profile of the start, docs/benchmarks.md "Issue 9, session 5"). Types come
 * from `import type`, which costs nothing at run time.
 */
export function exceljs(): typeof import('exceljs') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs') as typeof import('exceljs');
}

/**
 * exceljs's streaming workbook writer alone (the ledgers): requiring the whole package on the first export cost ~0.6 s
 * of CPU on the event loop (its readers, unzipper, the in-memory workbook); the writer's own modules ~0.27 s.
 */
export function xlsxWorkbookWriter(): typeof import('exceljs').stream.xlsx.WorkbookWriter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs/lib/stream/xlsx/workbook-writer') as typeof import('exceljs').stream.xlsx.WorkbookWriter;
}
