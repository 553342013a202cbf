import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { TICKET_LEDGER_COLUMNS, VISIT_LEDGER_COLUMNS, type LedgerColumn } from '@guanjia/shared';
import { addLedgerSheet, rowXml, streamSheet, xmlText, type LedgerCell } from './xlsx-stream';

/** The same sheet written the way exceljs writes rows itself (addRow, a style per cell, row.commit): the reference. */
async function exceljsReference(columns: LedgerColumn[], rows: LedgerCell[][]): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  // the same sheet set-up; only the rows are written by exceljs here
  const { ws, styles } = addLedgerSheet(wb, '诉求台账', columns);
  for (const values of rows) {
    const row = ws.addRow(values);
    for (let c = 0; c < values.length; c++) {
      const cell = row.getCell(c + 1);
      if (styles[c]?.numFmt || !(values[c] instanceof Date)) cell.style = styles[c]!;
    }
    row.commit();
  }
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

async function ours(columns: LedgerColumn[], rows: LedgerCell[][], batch = 7): Promise<Buffer> {
  const batches = (async function* () {
    for (let i = 0; i < rows.length; i += batch) yield rows.slice(i, i + batch);
  })();
  const { stream, done } = streamSheet('诉求台账', columns, batches);
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => stream.on('end', r));
  expect(await done).toBe(rows.length);
  await ended;
  return Buffer.concat(chunks);
}

const part = async (xlsx: Buffer, name: string) => (await JSZip.loadAsync(xlsx)).file(name)!.async('string');

// Texts with every character exceljs escapes or drops, Chinese, long text, empty text; null cells; dates; numbers.
const at = (s: string) => new Date(`${s}Z`);
const tricky = '<b>"引号" & \'单引号\'</b>\u0001\u0008\t换行\n回车\r\u000b\u000c\u001f\u007f尾';
const ticketRows: LedgerCell[][] = Array.from({ length: 600 }, (_, i) => [
  i + 1, `2026${String(i).padStart(8, '0')}`, i % 5 === 0 ? tricky : `营口某某有限公司${i}`, '人才用工/招工用工',
  `第${i}件诉求：${'企业反映用工困难'.repeat(1 + (i % 40))}`, at(`2026-03-${String(1 + (i % 28)).padStart(2, '0')}T09:${String(i % 60).padStart(2, '0')}:00.123`),
  i % 3 ? '区人社局' : '', i % 4 ? at('2026-04-01T00:00:00') : null, `03-01 交办（区人社局）；03-02 签收；当前：${i % 2 ? '已销号' : '办理中'}`,
  i % 2 ? '是' : '否', i % 7 ? '' : '满意', i % 2 ? at('2026-03-20T18:30:00') : null,
]);

describe('streamSheet', () => {
  it('writes the sheet and styles byte for byte as exceljs renders the same rows', async () => {
    const [a, b] = await Promise.all([ours(TICKET_LEDGER_COLUMNS, ticketRows), exceljsReference(TICKET_LEDGER_COLUMNS, ticketRows)]);
    for (const name of ['xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/workbook.xml', '[Content_Types].xml']) expect(await part(a, name)).toBe(await part(b, name));
    // and it reads back: values, escapes and dropped control characters as exceljs reads them
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(a as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(ticketRows.length + 1);
    // (a raw carriage return reads back as a line feed: XML's end-of-line handling, in exceljs's file as in ours)
    expect(ws.getRow(2).getCell(3).value).toBe('<b>"引号" & \'单引号\'</b>\t换行\n回车\n尾');
    expect(ws.getRow(2).getCell(12).value).toBeNull();
    expect((ws.getRow(3).getCell(6).value as Date).toISOString()).toBe('2026-03-02T09:01:00.123Z');
    expect(ws.getRow(3).getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm');
  });

  it('a column without a number format: numbers, and a date in it gets exceljs\'s own date style as before', async () => {
    const rows: LedgerCell[][] = [
      [1, at('2026-03-01T08:00:00'), '张三', '企业', '属地', '现场', '已完成', '是', 2, 0, null],
      [2, at('2026-03-02T08:00:00'), at('2026-03-02T00:00:00'), '', '', '', '', '', 0, 1, 'x'],
      [3, null, null, null, null, null, null, null, null, null, null],
      [null, null, null, null, null, null, null, null, null, null, null],
      [5, null, null, null, null, null, null, null, null, null, '最后'],
    ];
    const [a, b] = await Promise.all([ours(VISIT_LEDGER_COLUMNS, rows, 2), exceljsReference(VISIT_LEDGER_COLUMNS, rows)]);
    expect(await part(a, 'xl/worksheets/sheet1.xml')).toBe(await part(b, 'xl/worksheets/sheet1.xml'));
    expect(await part(a, 'xl/styles.xml')).toBe(await part(b, 'xl/styles.xml'));
  });

  it('rowXml leaves out a row without values; xmlText escapes as exceljs does', () => {
    expect(rowXml(5, [null, null], () => 0)).toBe('');
    expect(rowXml(5, [null, 'a'], () => 0)).toBe('<row r="5" spans="1:2" x14ac:dyDescent="0.25"><c r="B5" t="str"><v>a</v></c></row>');
    expect(xmlText('a<b>&"\'\u0000\u007f\n')).toBe('a&lt;b&gt;&amp;&quot;&apos;\n');
    expect(xmlText('普通文字')).toBe('普通文字');
  });
});
