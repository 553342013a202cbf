import Taro from '@tarojs/taro';
import type { FileTransport } from './files';

/**
 * Taro.uploadFile / Taro.downloadFile behind the FileTransport interface (files.ts holds the rules). On H5 Taro
 * reads the blob URL chooseImage returned and posts it as FormData; downloads come back as blob URLs.
 */
export const taroFileTransport: FileTransport = {
  async upload({ url, filePath, name, fileName, headers, timeoutMs }) {
    const res = await Taro.uploadFile({ url, filePath, name, fileName, header: headers, timeout: timeoutMs } as Taro.uploadFile.Option);
    return { status: res.statusCode, body: res.data };
  },
  async download({ url, headers, timeoutMs }) {
    const res = await Taro.downloadFile({ url, header: headers, timeout: timeoutMs } as Taro.downloadFile.Option);
    return { status: res.statusCode, tempFilePath: res.tempFilePath };
  },
};
