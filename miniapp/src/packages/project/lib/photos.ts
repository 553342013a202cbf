import Taro from '@tarojs/taro';
import { http, tokens } from '../../../services';
import { createVisitsApi, type UploadTransport } from '../../../services/visits';

/**
 * Evidence photos of a stage change (and the 调度 form): uploaded like a check-in photo (POST /visit-photos, the
 * steward's camera upload) and referenced by id. Wired here so the main package does not carry the upload code,
 * and so this subpackage does not import another subpackage's module.
 */
const taroUpload: UploadTransport = async ({ url, filePath, name, headers, timeoutMs }) => {
  const res = await Taro.uploadFile({ url, filePath, name, header: headers, timeout: timeoutMs, fileName: 'evidence.jpg' });
  return { status: res.statusCode, body: res.data };
};

export const photoApi = createVisitsApi({ http, tokens, upload: taroUpload });
