import { exceljs } from '../../lib/lazy-modules';
import { IMPORT_COLUMNS, IMPORT_KIND_LABELS, type ImportKind } from '@guanjia/shared';

/** Content type of .xlsx downloads. */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `content-disposition` for a Chinese file name (RFC 5987; ASCII fallback for old clients). */
export function attachmentHeader(fileName: string): string {
  return `attachment; filename="import.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * The template of a kind: its header row (required columns marked by a red header), one example row, and a
 * second sheet 填写说明 with each column's accepted header names and notes.
 */
export async function templateWorkbook(kind: ImportKind): Promise<Buffer> {
  const cols = IMPORT_COLUMNS[kind].filter((c) => !(kind === 'enterprises' && (c.key === 'lng' || c.key === 'lat')));
  const wb = new (exceljs().Workbook)();
  const ws = wb.addWorksheet(IMPORT_KIND_LABELS[kind].replace(/[（）()、]/g, '').slice(0, 31));
  ws.columns = cols.map((c) => ({ header: c.label, key: c.key, width: Math.max(12, c.label.length * 2 + 4) }));
  ws.getRow(1).font = { bold: true };
  cols.forEach((c, i) => { if (c.required) ws.getRow(1).getCell(i + 1).font = { bold: true, color: { argb: 'FFC00000' } }; });
  // Codes and phones as text, so Excel keeps leading digits and does not turn them into 1.39E+10.
  cols.forEach((c, i) => { ws.getColumn(i + 1).numFmt = '@'; });
  ws.addRow(cols.map((c) => c.example));
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '列名', width: 20 }, { header: '是否必填', width: 10 }, { header: '也可写作', width: 48 }, { header: '说明', width: 48 }];
  help.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS[kind]) help.addRow([c.label, c.required ? '必填' : '选填', c.synonyms.join('、'), c.note ?? '']);
  help.addRow([]);
  help.addRow(['说明', '', '第一行为表头，按列名识别（顺序不限）；同一文件重复导入不会重复创建，只会更新有变化的行；空白单元格不会清空已有信息；导入不会删除任何记录。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The rejected rows exactly as they were in the file, plus 原序号 and 原因 columns; fixed, it can be imported again. */
export async function rejectedWorkbook(headers: string[], rows: { row: number; cells: string[]; reason: string }[]): Promise<Buffer> {
  const wb = new (exceljs().Workbook)();
  const ws = wb.addWorksheet('未导入的行');
  ws.addRow([...headers, '原因', '原行号']);
  ws.getRow(1).font = { bold: true };
  headers.forEach((_h, i) => { ws.getColumn(i + 1).numFmt = '@'; });
  for (const r of rows) ws.addRow([...headers.map((_h, i) => r.cells[i] ?? ''), r.reason, r.row]);
  ws.getColumn(headers.length + 1).width = 60;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
