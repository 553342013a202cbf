import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button } from './nutui';
import { files, messageOf } from '../services';
import type { QueryValue } from '../services/http';
import { saveDocument } from '../services/save-file';
import { ledgerFileName, ledgerPath, workReportFileName, workReportPath, type LedgerKind } from '../services/dashboard';

/** Downloads a file the server builds (with the caller's token) and hands it to the person (saveDocument). */
async function saveOrOpen(path: string, fileName: string, fileType: 'xlsx' | 'docx'): Promise<void> {
  await saveDocument(await files.download(path), fileName, fileType);
}

/** One export button: busy while the file comes, a toast when done or failed. */
function ExportButton({ className, label, done, run }: { className: string; label: string; done: string; run: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await run();
      void Taro.showToast({ title: done, icon: 'success' });
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button className={className} size="small" type="primary" fill="outline" loading={busy} onClick={click}>
      {label}
    </Button>
  );
}

/** 导出台账: the .xlsx the server builds from the list's filters. */
export function LedgerExportButton({ kind, query, label = '导出台账' }: { kind: LedgerKind; query: Record<string, QueryValue>; label?: string }) {
  return <ExportButton className="ledger-export" label={label} done="台账已导出" run={() => saveOrOpen(ledgerPath(kind, query), ledgerFileName(kind), 'xlsx')} />;
}

/** 导出工作报告（Word）: the month's work report (`/reports/work?format=docx`) for the office to edit and send. */
export function WorkReportExportButton({ month, label = '导出工作报告（Word）' }: { month: string; label?: string }) {
  return <ExportButton className="report-export" label={label} done="报告已导出" run={() => saveOrOpen(workReportPath(month), workReportFileName(month), 'docx')} />;
}
