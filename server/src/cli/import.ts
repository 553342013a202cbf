import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { IMPORT_KIND_LABELS, type ImportKind } from '@guanjia/shared';
import { loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { AppError } from '../lib/app-error';
import { importableKinds, runImport } from '../modules/imports/import.service';
import { rejectedWorkbook } from '../modules/imports/import-xlsx';

const USAGE = `用法：
  npm run import -- --district 211103 --kind enterprises 企业名录.xlsx [--dry-run] [--create-missing-areas] [--rejected 未导入.xlsx]
      --kind       enterprises（企业名录）| people（人员）| assignments（包保关系）| projects（重点项目，只新建不更新）
      --dry-run    试导入：只检查并统计，不写入
      --rejected   把未导入的行（含“原因”列）写到该文件（默认：<原文件名>-未导入.xlsx，有未导入的行时）
  文件：.xlsx（第一个工作表）或 .csv（UTF-8、带 BOM 的 UTF-8 或 GBK），第一行为表头。`;

/** A one-line progress bar on a terminal (plain lines when the output is not a terminal). */
function progressBar(label: string) {
  const tty = process.stdout.isTTY;
  let last = -1;
  return (done: number, total: number) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct === last) return;
    last = pct;
    const width = 30;
    const fill = Math.round((pct / 100) * width);
    const line = `${label} [${'█'.repeat(fill)}${'░'.repeat(width - fill)}] ${pct}% ${done}/${total}`;
    if (tty) process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
    else if (pct % 25 === 0 || done >= total) console.log(line);
  };
}

/** `npm run import`: the same import as the desk screen, from the command line, as the district's system actor. */
async function main() {
  const { values: a, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      district: { type: 'string' }, kind: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'create-missing-areas': { type: 'boolean' },
      rejected: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  const file = positionals[0];
  if (a.help || !a.district || !a.kind || !file) {
    console.log(USAGE);
    if (!a.help) process.exitCode = 1;
    return;
  }
  const kind = a.kind as ImportKind;
  if (!importableKinds().includes(kind)) throw new Error(`不支持的导入类型“${a.kind}”\n\n${USAGE}`);
  const buf = fs.readFileSync(file);
  const config = loadConfig(process.env.NODE_ENV === 'production' ? process.env : { GUANJIA_DEV: '1', ...process.env });
  const db = await connectDatabase(config, () => {}, { reuseRunningEmbedded: true });
  try {
    const [d] = await db.dataSource.query(`SELECT id, name FROM district WHERE code = $1`, [a.district]);
    if (!d) throw new Error(`区县 ${a.district} 不存在，请先运行 npm run setup -- --district ${a.district} …`);
    const dryRun = !!a['dry-run'];
    console.log(`${dryRun ? '试导入' : '导入'} ${IMPORT_KIND_LABELS[kind]} → ${d.name}（${a.district}）：${path.basename(file)}`);
    const t0 = Date.now();
    // The command line acts with an administrator's rights (it runs on the server, by someone who holds the database).
    const r = await runImport(db.dataSource, { districtId: d.id, actorId: null, roles: ['admin'] }, kind, buf, {
      dryRun, createMissingAreas: !!a['create-missing-areas'], fileName: path.basename(file), onProgress: progressBar('写入'),
    });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`${dryRun ? '试导入完成（未写入）' : '导入完成'}，用时 ${secs} 秒：共 ${r.totalRows} 行，新增 ${r.created}，更新 ${r.updated}，无变化 ${r.unchanged}，未导入 ${r.rejected}` +
      (r.areasCreated ? `，新建属地 ${r.areasCreated}` : '') + (r.assignmentsStarted || r.assignmentsEnded ? `；包保：新建 ${r.assignmentsStarted}，结束 ${r.assignmentsEnded}` : ''));
    if (r.unknownHeaders.length) console.log(`未识别的列（已忽略）：${r.unknownHeaders.join('、')}`);
    for (const p of r.problems.slice(0, 20)) console.log(`  第 ${p.row} 行 ${p.column}：${p.reason}`);
    if (r.problems.length > 20) console.log(`  ……共 ${r.problems.length} 条问题`);
    if (r.rejected) {
      const out = a.rejected ?? file.replace(/\.(xlsx|csv)$/i, '') + '-未导入.xlsx';
      const [run] = await db.dataSource.query(`SELECT headers, rejected_rows FROM import_run WHERE id = $1`, [r.id]);
      fs.writeFileSync(out, await rejectedWorkbook(run.headers, run.rejected_rows));
      console.log(`未导入的行已写入 ${out}（含“原因”列，改正后可再次导入）`);
    }
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e instanceof AppError ? `${e.message}${e.details ? `：${e.details.map((d) => d.message).join('；')}` : ''}` : e instanceof Error ? e.message : e);
  process.exit(1);
});
