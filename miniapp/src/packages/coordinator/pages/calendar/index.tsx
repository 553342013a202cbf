import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { messageOf } from '../../../../services';
import { formatDayLines, parseDayLines, type CalendarYearSummary, type LocalDay } from '../../../../services/admin';
import { ChoiceChips } from '../../../../components/choice-chips';
import { useSession } from '../../../../hooks/use-session';
import { formatDateTime, todayInShanghai } from '../../../../services/display';
import { admin, formErrors } from '../../lib/api';
import { CALENDAR_SOURCE_LABELS } from '@guanjia/shared/labels';
import './index.scss';

type Editor = { year: number; holidays: string; makeUp: string; note: string };

/** Edits one year's official schedule (国务院办公厅通知) as text: one day or range per line with its name. */
function YearEditor({ initial, onSaved, onCancel, readOnly }: { initial: Editor; onSaved: (recomputed: number) => void; onCancel: () => void; readOnly?: boolean }) {
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
      <View className="co-hint">{readOnly ? '全国节假日安排由平台统一录入；本区县的特殊安排请在下方“本地调整”中设置。' : '保存后，各区县受影响诉求的办理期限将按新的日历重新计算。'}</View>
      <View className="co-bar__buttons co-submit">
        <Button onClick={onCancel}>{readOnly ? '关闭' : '取消'}</Button>
        {readOnly ? null : <Button type="primary" loading={busy} onClick={save}>保存</Button>}
      </View>
    </View>
  );
}

const LOCAL_KIND_OPTIONS = [
  { value: 'holiday', label: '本地放假', hint: '该日不计入办理期限' },
  { value: 'workday', label: '本地调休上班', hint: '该周末计为工作日' },
];

/**
 * 本地调整: a district's own holidays and make-up days on top of the national schedule. They move the deadlines of
 * this district's tickets only.
 */
function LocalDays({ year }: { year: number }) {
  const [days, setDays] = useState<LocalDay[]>();
  const [form, setForm] = useState({ date: '', kind: 'holiday' as LocalDay['kind'], name: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      setDays((await admin.localDays(year)).items);
    } catch (e) {
      setErrors({ form: messageOf(e) });
    }
  }, [year]);
  useEffect(() => {
    void load();
  }, [load]);
  const done = (n: number, what: string) => {
    void Taro.showToast({ title: n ? `${what}，本区县 ${n} 件诉求期限已重算` : what, icon: 'none' });
    void load();
  };
  const add = async () => {
    const miss: Record<string, string> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date.trim())) miss.date = '请输入日期，如 2026-12-28';
    if (!form.name.trim()) miss.name = '请输入名称，如 县庆放假';
    setErrors(miss);
    if (Object.keys(miss).length || busy) return;
    setBusy(true);
    try {
      const r = await admin.setLocalDay(form.date.trim(), { kind: form.kind, name: form.name.trim() });
      setForm({ date: '', kind: 'holiday', name: '' });
      done(r.ticketsRecomputed, '已保存');
    } catch (e) {
      setErrors(formErrors(e, ['date', 'kind', 'name']));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (date: string) => {
    try {
      done((await admin.removeLocalDay(date)).ticketsRecomputed, '已取消');
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    }
  };
  return (
    <View className="co-card co-cal__local">
      <View className="co-card__title">{`${year} 年本地调整`}</View>
      <View className="co-card__sub">在全国安排之外，本区县另行放假或调休上班的日期，只影响本区县诉求的办理期限。</View>
      {(days ?? []).map((d) => (
        <View key={d.date} className="co-card__row">
          <View className="co-card__main">{`${d.date} · ${d.kind === 'holiday' ? '本地放假' : '本地调休上班'} · ${d.name}`}</View>
          <Button size="small" onClick={() => void remove(d.date)}>取消</Button>
        </View>
      ))}
      {days && !days.length ? <View className="co-card__sub">暂无本地调整</View> : null}
      <FormCard>
        <FormField label="日期" required error={errors.date}>
          <Input placeholder={`如 ${year}-12-28`} value={form.date} maxLength={10} onChange={(date) => setForm({ ...form, date })} />
        </FormField>
        <FormField label="类型" required error={errors.kind}>
          <ChoiceChips options={LOCAL_KIND_OPTIONS} value={form.kind} onChange={(k) => setForm({ ...form, kind: k as LocalDay['kind'] })} />
        </FormField>
        <FormField label="名称" required error={errors.name}>
          <Input placeholder="如 县庆放假" value={form.name} maxLength={64} onChange={(name) => setForm({ ...form, name })} />
        </FormField>
      </FormCard>
      {errors.form ? <View className="co-error">{errors.form}</View> : null}
      <View className="co-bar__buttons co-submit">
        <Button type="primary" loading={busy} onClick={add}>添加本地调整</Button>
      </View>
    </View>
  );
}

/**
 * 节假日日历: the national years whose holidays and 调休 are known (deadlines count working days) — entered by the
 * platform operator, read-only for the district — and the district's local adjustments.
 */
export default function CalendarPage() {
  const { user } = useSession();
  const operator = !!user?.roles.includes('operator' as never);
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
      setEditor({ year, holidays: formatDayLines(y.holidays), makeUp: formatDayLines(y.makeUpWorkdays), note: y.source === 'official' ? y.note ?? '' : '' }); // a built-in year's note is the data package's name, not a 依据
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
        <YearEditor initial={editor} readOnly={!operator} onCancel={() => setEditor(undefined)} onSaved={(n) => {
          void Taro.showToast({ title: n ? `已保存，${n} 件诉求期限已重算` : '已保存', icon: 'none' });
          setEditor(undefined);
          void load();
        }} />
      ) : null}
      {!operator && user?.district ? <LocalDays year={thisYear} /> : null}
      {missing.map((y) => (
        <View key={y} className="co-card">
          <View className="co-card__row">
            <View className="co-card__main">
              <View className="co-card__title">{`${y} 年`}</View>
              <View className="co-card__sub">{operator ? '尚未录入节假日安排，期限暂按周一至周五推算' : '全国节假日安排尚未发布录入（由平台统一录入），期限暂按周一至周五推算'}</View>
            </View>
            {operator ? <Button size="small" type="primary" onClick={() => void open(y, false)}>录入</Button> : null}
          </View>
        </View>
      ))}
      {years.map((y) => (
        <View key={y.year} className="co-card">
          <View className="co-card__row">
            <View className="co-card__main">
              <View className="co-card__title">{`${y.year} 年`}</View>
              <View className="co-card__sub">
                {`放假 ${y.holidays} 天 · 调休上班 ${y.makeUpWorkdays} 天 · ${CALENDAR_SOURCE_LABELS[y.source]} · ${formatDateTime(y.updatedAt)} 更新`}
              </View>
              {y.note && y.source === 'official' ? <View className="co-card__sub">{y.note}</View> : null}
            </View>
            <Button size="small" loading={opening === y.year} onClick={() => void open(y.year, true)}>{operator ? '查看/更正' : '查看'}</Button>
          </View>
        </View>
      ))}
    </View>
  );
}
