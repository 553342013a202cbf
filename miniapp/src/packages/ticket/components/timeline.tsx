import { View } from '@tarojs/components';
import { AuthImage, openDocument } from '../../../components/auth-image';
import { describeEvent, formatSize, formatTime, splitAttachments, type Attachment, type TimelineEntry } from '../../../services/tickets';
import './timeline.scss';

/** Thumbnails (tap to view) and PDF rows of one step or of the request itself. */
export function Attachments({ list }: { list: Attachment[] }) {
  if (!list.length) return null;
  const { images, files } = splitAttachments(list);
  return (
    <View className="attachments">
      {images.length ? (
        <View className="attachments__images">
          {images.map((a) => (
            <AuthImage key={a.id} url={a.url} group={images.map((x) => x.url)} className="attachments__image" />
          ))}
        </View>
      ) : null}
      {files.map((a) => (
        <View key={a.id} className="attachments__file" onClick={() => void openDocument(a.url)}>
          <View className="attachments__file-icon">PDF</View>
          <View className="attachments__file-name">{a.fileName}</View>
          <View className="attachments__file-size">{formatSize(a.sizeBytes)}</View>
        </View>
      ))}
    </View>
  );
}

/** The 办理记录: newest first, each step with who, when, what was written and its files; internal steps marked. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const sorted = [...entries].sort((a, b) => b.seq - a.seq);
  return (
    <View className="timeline">
      {sorted.map((e, i) => {
        const line = describeEvent(e);
        return (
          <View key={e.seq} className={`timeline__item${i === 0 ? ' timeline__item--latest' : ''}${line.highlight ? ' timeline__item--instruction' : ''}`}>
            <View className="timeline__rail">
              <View className="timeline__dot" />
              {i < sorted.length - 1 ? <View className="timeline__line" /> : null}
            </View>
            <View className="timeline__body">
              <View className="timeline__head">
                <View className="timeline__title">{line.title}</View>
                {line.internal ? <View className="timeline__internal">内部</View> : null}
              </View>
              <View className="timeline__meta">
                {line.who} · {formatTime(e.createdAt)}
              </View>
              {line.details.map((d, j) => (
                <View key={j} className="timeline__detail">
                  {d}
                </View>
              ))}
              {e.action !== 'submit' ? <Attachments list={e.attachments} /> : null}
            </View>
          </View>
        );
      })}
    </View>
  );
}
