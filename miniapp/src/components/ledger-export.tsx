import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button } from './nutui';
import { files, messageOf } from '../services';
import type { QueryValue } from '../services/http';
import { ledgerFileName, ledgerPath, type LedgerKind } from '../services/dashboard';

/**
 * 导出台账: downloads the .xlsx the server builds from the list's filters. H5 (the desk) saves it as a file; in
 * WeChat the download is opened with Taro.openDocument (which offers 转发/保存 from its menu).
 */
export function LedgerExportButton({ kind, query, label = '导出台账' }: { kind: LedgerKind; query: Record<string, QueryValue>; label?: string }) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const path = await files.download(ledgerPath(kind, query));
      if (process.env.TARO_ENV === 'h5') {
        const a = document.createElement('a');
        a.href = path;
        a.download = ledgerFileName(kind);
        document.body.appendChild(a);
        a.click();
        a.remove();
      } else {
        await Taro.openDocument({ filePath: path, fileType: 'xlsx', showMenu: true });
      }
      void Taro.showToast({ title: '台账已导出', icon: 'success' });
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button className="ledger-export" size="small" type="primary" fill="outline" loading={busy} onClick={run}>
      {label}
    </Button>
  );
}
