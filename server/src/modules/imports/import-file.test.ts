import { csvOf, xlsxOf } from '../../../test/import-helpers';
import { decodeCsv, parseCsv, readSheet } from './import-file';

describe('reading files', () => {
  it('reads every Chinese cell of a large .xlsx exactly (no character split at a chunk boundary)', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => [`兴隆台示范企业${i}有限公司`, `兴隆台区示范路${i}号（东侧）`, `联系人${i}`]);
    const sheet = await readSheet(await xlsxOf(['企业名称', '地址', '联系人'], rows));
    expect(sheet.rows.map((r) => r.cells)).toEqual(rows);
    expect(sheet.rows[0]!.row).toBe(2);
  });

  it('decodes GBK, UTF-8 and UTF-8 with BOM to the same text, and the same rows as the .xlsx', async () => {
    const rows = [['盘锦（示范）化工有限公司', '122.07,41.12', '含"引号"的\n两行']];
    const xlsx = await readSheet(await xlsxOf(['企业名称', '经纬度', '备注'], rows));
    for (const enc of ['gbk', 'utf8', 'utf8-bom'] as const) {
      const csv = await readSheet(csvOf(['企业名称', '经纬度', '备注'], rows, enc));
      expect(csv.rows.map((r) => r.cells)).toEqual(xlsx.rows.map((r) => r.cells));
    }
    expect(decodeCsv(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(parseCsv('a,"b,c"\r\n"d""e",f')).toEqual([['a', 'b,c'], ['d"e', 'f']]);
  });
});
