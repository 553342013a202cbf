import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { messageOf } from '../../../../services';
import { formatDayLines, parseDayLines, type CalendarYearSummary } from '../../../../services/admin';
import { formatDateTime, todayInShanghai } from '../../../../services/display';
import { admin, formErrors } from '../../lib/api';
import './index.scss';

type Editor = { year: number; holidays: string; makeUp: string; note: string };

/** Edits one year's official schedule (国务院办公厅通知) as text: one day or range per line with its name. */
function YearEditor({ initial, onSaved, onCancel }: { initial: Editor; onSaved: (recomputed: number) => void; onCancel: () => void }) {
  const [e, setE] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const h = parseDayLines(e.holidays, e.year);
    const m = parseDayLines(e.makeUp, e.year);
    const missing: Record<string, string> = {};
    if (h.errors.length) missing.holidays = h.errors.join('；');
    if (m.errors.length) missing.makeUpWorkdays = m.errors.join('；');
    if (!h.days.length && !missing.holidays) missing.holidays = '请至少录入一个放假日期';
    setErrors(missing);
    if (Object.keys(missing).length || busy) return;
    setBusy(true);
    try {
      const r = await admin.putCalendarYear(e.year, { holidays: h.days, makeUpWorkdays: m.days, ...(e.note.trim() ? { note: e.note.trim() } : {}) });
      onSaved(r.ticketsRecomputed);
    } catch (err) {
      setErrors(formErrors(err, ['holidays', 'makeUpWorkdays', 'note']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="co-form">
      <FormCard>
        <FormField label="年份"><View>{`${e.year} 年`}</View></FormField>
        <FormField label="放假日期" required error={errors.holidays}>
          <TextArea placeholder={`每行一个，如\n${e.year}-01-01 元旦\n${e.year}-02-06~${e.year}-02-12 春节`} value={e.holidays} autoSize maxLength={4000} onChange={(holidays) => setE({ ...e, holidays })} />
        </FormField>
        <FormField label="调休上班" error={errors.makeUpWorkdays}>
          <TextArea placeholder={`调休上班的周末，如 ${e.year}-02-14 春节调休`} value={e.makeUp} autoSize maxLength={2000} onChange={(makeUp) => setE({ ...e, makeUp })} />
        </FormField>
        <FormField label="依据" error={errors.note}>
          <Input placeholder="如 国办发明电〔2026〕X号" value={e.note} maxLength={256} onChange={(note) => setE({ ...e, note })} />
        </FormField>
      </FormCard>
      {errors.form ? <View className="co-error">{errors.form}</View> : null}
      <View className="co-hint">保存后，受影响诉求的办理期限将按新的日历重新计算。</View>
      <View className="co-bar__buttons co-submit">
        <Button onClick={onCancel}>取消</Button>
        <Button type="primary" loading={busy} onClick={save}>保存</Button>
      </View>
    </View>
  );
}

/** 节假日日历: the years whose holidays and 调休 are known (deadlines count working days), and entering a new year. */
export default function CalendarPage() {
  const [years, setYears] = useState<CalendarYearSummary[]>();
  const [error, setError] = useState<string>();
  const [editor, setEditor] = useState<Editor>();
  const [opening, setOpening] = useState<number>();
  const load = useCallback(async () => {
    setError(undefined);
    try {
      setYears((await admin.calendarYears()).items.sort((a, b) => b.year - a.year));
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const open = async (year: number, known: boolean) => {
    if (!known) return setEditor({ year, holidays: '', makeUp: '', note: '' });
    setOpening(year);
    try {
      const y = await admin.calendarYear(year);
      setEditor({ year, holidays: formatDayLines(y.holidays), makeUp: formatDayLines(y.makeUpWorkdays), note: y.note ?? '' });
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setOpening(undefined);
    }
  };

  if (!years) return error ? <StatusView status="error" message={error} onRetry={load} /> : <StatusView status="loading" />;
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const missing = [thisYear, thisYear + 1].filter((y) => !years.some((k) => k.year === y));
  return (
    <View className="co-page co-cal">
      {editor ? (
        <YearEditor initial={editor} onCancel={() => setEditor(undefined)} onSaved={(n) => {
          void Taro.showToast({ title: n ? `已保存，${n} 件诉求期限已重算` : '已保存', icon: 'none' });
          setEditor(undefined);
          void load();
        }} />
      ) : null}
      {missing.map((y) => (
        <View key={y} className="co-card">
          <View className="co-card__row">
            <View className="co-card__main">
              <View className="co-card__title">{`${y} 年`}</View>
              <View className="co-card__sub">尚未录入节假日安排，期限暂按周一至周五推算</View>
            </View>
            <Button size="small" type="primary" onClick={() => void open(y, false)}>录入</Button>
          </View>
        </View>
      ))}
      {years.map((y) => (
        <View key={y.year} className="co-card">
          <View className="co-card__row">
            <View className="co-card__main">
              <View className="co-card__title">{`${y.year} 年`}</View>
              <View className="co-card__sub">
                {`放假 ${y.holidays} 天 · 调休上班 ${y.makeUpWorkdays} 天 · ${y.source === 'official' ? '调度员录入' : '数据包'} · ${formatDateTime(y.updatedAt)} 更新`}
              </View>
              {y.note ? <View className="co-card__sub">{y.note}</View> : null}
            </View>
            <Button size="small" loading={opening === y.year} onClick={() => void open(y.year, true)}>查看/更正</Button>
          </View>
        </View>
      ))}
    </View>
  );
}
