import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { files } from '../services';
import './auth-image.scss';

/** Downloaded attachment files by URL: a temp path (blob URL on H5) per app run, shared by every screen. */
const cache = new Map<string, Promise<string>>();

/** The local path of a token-protected file, downloaded once per app run (a failure is retried next time). */
export function localFile(url: string): Promise<string> {
  let p = cache.get(url);
  if (!p) {
    p = files.download(url).catch((e) => {
      cache.delete(url);
      throw e;
    });
    cache.set(url, p);
  }
  return p;
}

/** Opens the WeChat image viewer on `current` among `urls` (attachment URLs or local paths). */
export async function previewImages(urls: string[], current: string): Promise<void> {
  try {
    const local = await Promise.all(urls.map((u) => (u.startsWith('/api/') || /^https?:/.test(u) ? localFile(u) : Promise.resolve(u))));
    const i = Math.max(0, urls.indexOf(current));
    await Taro.previewImage({ urls: local, current: local[i] });
  } catch {
    void Taro.showToast({ title: '图片加载失败，请稍后重试', icon: 'none' });
  }
}

/**
 * A thumbnail of an image the API serves only with a token (an <Image src> cannot send one): downloaded through
 * the file client, grey box while loading, "加载失败" when it cannot be fetched. Tapping opens the viewer.
 */
export function AuthImage({ url, localPath, group, className }: { url: string; localPath?: string; group?: string[]; className?: string }) {
  const [src, setSrc] = useState<string | undefined>(localPath);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (localPath) return undefined;
    let live = true;
    localFile(url).then((p) => live && setSrc(p), () => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [url, localPath]);
  return (
    <View className={`auth-image ${className ?? ''}`} onClick={() => void previewImages(group ?? [localPath ?? url], localPath ?? url)}>
      {src ? <Image className="auth-image__img" src={src} mode="aspectFill" /> : <View className="auth-image__placeholder">{failed ? '加载失败' : ''}</View>}
    </View>
  );
}

/** Opens a PDF attachment: WeChat's document viewer, or a new browser tab on H5. */
export async function openDocument(url: string): Promise<void> {
  try {
    const path = await localFile(url);
    if (process.env.TARO_ENV === 'h5') window.open(path, '_blank');
    else await Taro.openDocument({ filePath: path, fileType: 'pdf' });
  } catch {
    void Taro.showToast({ title: '文件打开失败，请稍后重试', icon: 'none' });
  }
}
