import crypto from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { makeCreditCode } from '@guanjia/shared';
import { createDataSource } from '../data-source';
import { ensureDatabase, withDatabase } from '../db/connect';
import { readSheet } from '../modules/imports/import-file';
import { runImport, type ImportOutcome } from '../modules/imports/import.service';

/** One measured import step. */
export type ImportFigure = { step: string; rows: number; seconds: number; rowsPerSecond: number; created: number; updated: number; unchanged: number; rejected: number };

/**
 * The going-live import at 兴隆台 scale (ADR 0010): 32,359 enterprises with their 588 public stewards (one 包保 per
 * enterprise) from one .xlsx, into an empty district on its own database. Measures reading the file alone, the dry
 * run, the real import (enterprises + assignments in one transaction), the re-import (a no-op) and the same list
 * as a GBK CSV.
 */
export async function runImportBench(serverUrl: string, o: { enterprises: number; stewards: number; log: (s: string) => void }): Promise<ImportFigure[]> {
  const name = `guanjia_bench_import_${crypto.randomBytes(3).toString('hex')}`;
  const adminUrl = withDatabase(serverUrl, 'postgres');
  await ensureDatabase(adminUrl, name);
  const ds = createDataSource(withDatabase(serverUrl, name), { poolSize: 2, applicationName: 'guanjia-bench-import' });
  await ds.initialize();
  const figures: ImportFigure[] = [];
  try {
    await ds.runMigrations({ transaction: 'each' });
    const [d] = await ds.query(`INSERT INTO district (code, name) VALUES ('211103', '兴隆台区') RETURNING id`);
    const areas = ['兴隆街道', '渤海街道', '振兴街道', '曙光街道', '欢喜岭街道', '友谊街道', '创新街道', '高升街道', '新生街道', '新工街道', '兴盛街道', '沈采街道'];
    await ds.query(`INSERT INTO area (district_id, code, name, kind) SELECT $1, '211103' || lpad(i::text, 3, '0'), n, 'street' FROM unnest($2::text[]) WITH ORDINALITY AS t(n, i)`, [d.id, areas]);
    await ds.query(
      `INSERT INTO person (district_id, name, phone, roles) SELECT $1, '公共管家' || i, '139' || lpad(i::text, 8, '0'), ARRAY['steward'] FROM generate_series(1, $2) i`,
      [d.id, o.stewards],
    );
    const [admin] = await ds.query(`INSERT INTO person (district_id, name, username, roles) VALUES ($1, '管理员', 'bench.admin', ARRAY['admin']) RETURNING id`, [d.id]);

    const headers = ['序号', '企业名称', '统一社会信用代码', '所属乡镇/街道', '行业', '规模', '地址', '经纬度', '联系人', '联系电话', '包保干部', '干部电话'];
    const rows: (string | number)[][] = [];
    for (let i = 1; i <= o.enterprises; i++) {
      const s = (i % o.stewards) + 1;
      rows.push([i, `兴隆台示范企业${i}有限公司`, makeCreditCode(i), areas[i % areas.length]!, '商贸服务', i % 9 === 0 ? '规上' : '规下', `兴隆台区示范路${i}号`,
        `${(122.0 + (i % 1000) / 10000).toFixed(4)},${(41.1 + (i % 700) / 10000).toFixed(4)}`, `联系人${i}`, `138${String(i).padStart(8, '0')}`, `公共管家${s}`, `139${String(s).padStart(8, '0')}`]);
    }
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('企业名录');
    ws.addRow(headers);
    for (const r of rows) ws.addRow(r);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    // RFC 4180: the 经纬度 cell holds a comma, so it is quoted (as Excel writes it).
    const quote = (c: string | number) => (/[",\r\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c));
    const csv = iconv.encode([headers, ...rows].map((r) => r.map(quote).join(',')).join('\r\n'), 'gbk');
    // The machine's load matters on a shared box: a figure taken at load 30 on 2 cores is not the idle figure.
    o.log(`import bench: ${o.enterprises.toLocaleString('en')} enterprises, ${o.stewards} stewards; xlsx ${(xlsx.length / 1e6).toFixed(1)} MB, GBK csv ${(csv.length / 1e6).toFixed(1)} MB; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);

    const imp = { districtId: d.id as string, actorId: admin.id as string, roles: ['admin'] as const };
    const time = async (step: string, fn: () => Promise<ImportOutcome | number>) => {
      const t0 = process.hrtime.bigint();
      const r = await fn();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const f: ImportFigure = typeof r === 'number'
        ? { step, rows: r, seconds: round(seconds), rowsPerSecond: Math.round(r / seconds), created: 0, updated: 0, unchanged: 0, rejected: 0 }
        : { step, rows: r.totalRows, seconds: round(seconds), rowsPerSecond: Math.round(r.totalRows / seconds), created: r.created, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected };
      figures.push(f);
      o.log(`  ${step}: ${f.seconds} s (${f.rowsPerSecond.toLocaleString('en')} rows/s) created ${f.created}, updated ${f.updated}, unchanged ${f.unchanged}, rejected ${f.rejected}`);
    };
    await time('read .xlsx only', async () => (await readSheet(xlsx)).rows.length);
    const onPhase = (p: string, ms: number) => o.log(`      ${p}: ${(ms / 1000).toFixed(2)} s`);
    await time('dry run .xlsx', () => runImport(ds, imp, 'enterprises', xlsx, { dryRun: true, fileName: 'bench.xlsx', onPhase }));
    await time('import .xlsx (+ 包保)', () => runImport(ds, imp, 'enterprises', xlsx, { dryRun: false, fileName: 'bench.xlsx', onPhase }));
    await time('re-import .xlsx (no-op)', () => runImport(ds, imp, 'enterprises', xlsx, { dryRun: false, fileName: 'bench.xlsx' }));
    await time('re-import GBK .csv (no-op)', () => runImport(ds, imp, 'enterprises', csv, { dryRun: false, fileName: 'bench.csv' }));
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM assignment WHERE district_id = $1 AND ends_on IS NULL`, [d.id]);
    o.log(`  live 包保 after import: ${n}`);
  } finally {
    await ds.destroy();
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  }
  return figures;
}

const round = (s: number) => Math.round(s * 100) / 100;
