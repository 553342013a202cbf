import Taro from '@tarojs/taro';
import { errorMessage } from '@guanjia/shared/errors';
import { ApiError } from './api-error';
import type { KeyValueStorage } from './storage';
import type { Transport } from './transport';

/**
 * The platform side of the service layer: Taro storage, Taro.request and Taro.login behind the small
 * interfaces the pure modules take. Nothing here has logic worth a unit test; the browser tests cover it.
 */

/** Taro's synchronous storage (wx storage in the mini-program, localStorage on H5). */
export const taroStorage: KeyValueStorage = {
  get<T>(key: string) {
    try {
      const value = Taro.getStorageSync(key) as T | '';
      return value === '' || value === null ? undefined : (value as T);
    } catch {
      return undefined;
    }
  },
  set(key, value) {
    Taro.setStorageSync(key, value);
  },
  remove(key) {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // nothing stored: nothing to do
    }
  },
  keys() {
    try {
      return Taro.getStorageInfoSync().keys;
    } catch {
      return [];
    }
  },
};

/** Taro.request: resolves for every HTTP status, rejects only when no response arrived. */
export const taroTransport: Transport = async ({ url, method, headers, body, timeoutMs }) => {
  const res = await Taro.request({
    url,
    method,
    header: headers,
    data: body as Taro.request.Option['data'],
    timeout: timeoutMs,
    dataType: 'json',
  });
  return { status: res.statusCode, body: res.data };
};

/** A fresh `wx.login` code (valid 5 minutes, once) for the server to exchange. */
export async function wechatCode(): Promise<string> {
  let code: string | undefined;
  try {
    code = (await Taro.login()).code;
  } catch {
    code = undefined;
  }
  if (!code) throw new ApiError('WECHAT_CODE_INVALID', errorMessage('WECHAT_CODE_INVALID'), 0);
  return code;
}
