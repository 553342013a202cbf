import Taro from '@tarojs/taro';

const IS_H5 = process.env.TARO_ENV === 'h5';

/**
 * Hands a downloaded file (a blob URL on H5, a temp path in the mini-program) to the person: the browser saves it
 * under its Chinese name; WeChat opens it with Taro.openDocument and its menu (转发 / 用其他应用打开 to save it).
 */
export async function saveDocument(tempPath: string, fileName: string, fileType: 'xlsx' | 'docx'): Promise<void> {
  if (IS_H5) {
    const a = document.createElement('a');
    a.href = tempPath;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    return;
  }
  await Taro.openDocument({ filePath: tempPath, fileType, showMenu: true } as Taro.openDocument.Option);
}

/** A downloaded .xlsx handed to the person (saveDocument). */
export const saveXlsx = (tempPath: string, fileName: string) => saveDocument(tempPath, fileName, 'xlsx');

/** A spreadsheet the person picks: a file input on H5, a WeChat chat file in the mini-program. */
export async function pickSpreadsheet(): Promise<{ path: string; name: string; size: number } | null> {
  if (IS_H5) {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';
      input.style.display = 'none';
      input.onchange = () => {
        const f = input.files?.[0];
        input.remove();
        resolve(f ? { path: URL.createObjectURL(f), name: f.name, size: f.size } : null);
      };
      document.body.appendChild(input);
      input.click();
    });
  }
  try {
    const r = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] });
    const f = r.tempFiles[0];
    return f ? { path: f.path, name: f.name, size: f.size } : null;
  } catch {
    return null; // cancelled
  }
}
