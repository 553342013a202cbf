import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { messageOf, tickets } from '../services';
import { MAX_UPLOAD_BYTES } from '../services/files';
import { formatSize, type Attachment } from '../services/tickets';
import { AuthImage, openDocument } from './auth-image';
import './attachment-picker.scss';

/** Local paths of files uploaded in this app run, so their thumbnails need no download. */
const localPaths = new Map<string, string>();

type Picked = { path: string; size: number; name?: string };
type Update = Attachment[] | ((previous: Attachment[]) => Attachment[]);

const IS_H5 = process.env.TARO_ENV === 'h5';

/** PDFs: the chat-file picker in WeChat; a plain file input on H5 (Taro has no chooser for them there). */
async function choosePdf(): Promise<Picked[]> {
  if (IS_H5) {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = 'application/pdf';
      input.style.cssText = 'position:fixed;top:-4000px;left:-4000px';
      input.onchange = () => {
        const f = input.files?.[0];
        document.body.removeChild(input);
        resolve(f ? [{ path: URL.createObjectURL(f), size: f.size, name: f.name }] : []);
      };
      document.body.appendChild(input);
      input.click();
    });
  }
  const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf'] });
  return res.tempFiles.map((f) => ({ path: f.path, size: f.size, name: f.name }));
}

async function chooseImages(count: number): Promise<Picked[]> {
  const res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
  return res.tempFiles.map((f, i) => ({ path: f.path ?? res.tempFilePaths[i], size: f.size, name: (f as { originalFileObj?: File }).originalFileObj?.name }));
}

/**
 * Photos (and PDFs where `pdf`) attached to a submission: each file is uploaded as soon as it is picked
 * (POST /attachments), the form keeps only the returned attachments (ids) — so a draft restored later still
 * has them. Size is checked before uploading; server refusals show under the field.
 */
export function AttachmentPicker({ value, onChange, pdf = false, max = 9, error }: { value: Attachment[]; onChange: (next: Update) => void; pdf?: boolean; max?: number; error?: string }) {
  const [uploading, setUploading] = useState(0);
  const [uploadError, setUploadError] = useState<string>();
  const left = max - value.length - uploading;

  const add = async (choose: () => Promise<Picked[]>) => {
    setUploadError(undefined);
    let picked: Picked[];
    try {
      picked = await choose();
    } catch {
      return; // cancelled
    }
    const tooBig = picked.filter((p) => p.size > MAX_UPLOAD_BYTES);
    if (tooBig.length) setUploadError(`附件不能超过 10MB（${tooBig.map((p) => formatSize(p.size)).join('、')}）`);
    const ok = picked.filter((p) => p.size <= MAX_UPLOAD_BYTES).slice(0, Math.max(0, left));
    setUploading((n) => n + ok.length);
    await Promise.all(ok.map(async (p) => {
      try {
        const a = await tickets.upload({ path: p.path, name: p.name, size: p.size });
        localPaths.set(a.id, p.path);
        onChange((prev) => [...prev, a]);
      } catch (e) {
        setUploadError(messageOf(e));
      } finally {
        setUploading((n) => n - 1);
      }
    }));
  };

  const remove = (id: string) => onChange((prev) => prev.filter((a) => a.id !== id));
  const images = value.filter((a) => a.kind === 'image');
  const others = value.filter((a) => a.kind !== 'image');
  const shown = error ?? uploadError;

  return (
    <View className="attachment-picker">
      <View className="attachment-picker__grid">
        {images.map((a) => (
          <View key={a.id} className="attachment-picker__item">
            <AuthImage url={a.url} localPath={localPaths.get(a.id)} group={images.map((x) => localPaths.get(x.id) ?? x.url)} />
            <View className="attachment-picker__remove" onClick={() => remove(a.id)}>×</View>
          </View>
        ))}
        {Array.from({ length: uploading }, (_, i) => (
          <View key={`u${i}`} className="attachment-picker__item attachment-picker__item--busy">上传中…</View>
        ))}
        {left > 0 ? (
          <View className="attachment-picker__add" onClick={() => void add(() => chooseImages(Math.min(left, 9)))}>
            <View className="attachment-picker__plus">+</View>
            <View className="attachment-picker__add-text">添加照片</View>
          </View>
        ) : null}
      </View>
      {others.map((a) => (
        <View key={a.id} className="attachment-picker__file">
          <View className="attachment-picker__file-name" onClick={() => void openDocument(a.url)}>{a.fileName}</View>
          <View className="attachment-picker__file-size">{formatSize(a.sizeBytes)}</View>
          <View className="attachment-picker__file-remove" onClick={() => remove(a.id)}>删除</View>
        </View>
      ))}
      {pdf && left > 0 ? (
        <View className="attachment-picker__pdf" onClick={() => void add(choosePdf)}>+ 添加 PDF 文件</View>
      ) : null}
      {shown ? <View className="attachment-picker__error">{shown}</View> : null}
    </View>
  );
}
