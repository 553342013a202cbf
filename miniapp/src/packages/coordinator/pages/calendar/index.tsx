import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { FormCard, FormField } from '../../../../components/form-field';
import { Button, Input, TextArea } from '../../../../components/nutui';
import { StatusView } from '../../../../components/status-view';
import { messageOf } from '../../../../services';
import { formatDayLines, parseDayLines, type LocalDay } from '../../../../services/admin';
import { ChoiceChips } from '../../../../components/choice-chips';
import { useSession } from '../../../../hooks/use-session';
import { formatDateTime, todayInShanghai } from '../../../../services/display';
import { useLoad } from '../../../../hooks/use-load';
import { EditorCard } from '../../lib/editor-card';
import { admin, formErrors } from '../../lib/api';
import { CALENDAR_SOURCE_LABELS } from '@guanjia/shared/labels';
import { describeDay, monthGrid, shiftMonth, type GridDay, type NamedDay } from '../../../../services/calendar-grid';
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
    <EditorCard error={errors.form} busy={busy} hint={<View className="co-hint">{readOnly ? '全国节假日安排由平台统一录入；本区县的特殊安排请在下方“本地调整”中设置。' : '保存后，各区县受影响诉求的办理期限将按新的日历重新计算。'}</View>} onCancel={onCancel} cancelText={readOnly ? '关闭' : '取消'} onSave={readOnly ? undefined : save}>
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
    </EditorCard>
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
function LocalDays({ year, version, onChanged }: { year: number; version: number; onChanged: () => void }) {
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
  }, [load, version]);
  const done = (n: number, what: string) => {
    void Taro.showToast({ title: n ? `${what}，本区县 ${n} 件诉求期限已重算` : what, icon: 'none' });
    onChanged();
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

const WEEK_HEAD = ['一', '二', '三', '四', '五', '六', '日'];
const MARK: Record<GridDay['kind'], string> = { holiday: '休', makeup: '班', weekend: '', workday: '' };

/**
 * The month as a grid (issue 13): national holidays (休) and 调休 working days (班), the district's own days on
 * top, ‹ › between months. Tapping a day opens what it is; a district coordinator sets or removes a local
 * adjustment there (the national schedule stays the platform's).
 */
function MonthGrid({ canEditLocal, onChanged, version }: { canEditLocal: boolean; onChanged: () => void; version: number }) {
  const today = todayInShanghai();
  const [ym, setYm] = useState({ year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) });
  const [data, setData] = useState<{ year: number; national: { holidays: NamedDay[]; makeUpWorkdays: NamedDay[] }; known: boolean; local: LocalDay[] }>();
  const [picked, setPicked] = useState<string>();
  const [form, setForm] = useState({ kind: 'holiday' as LocalDay['kind'], name: '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(async (year: number) => {
    try {
      const [national, local] = await Promise.all([
        admin.calendarYear(year).then((y) => ({ known: true, days: { holidays: y.holidays, makeUpWorkdays: y.makeUpWorkdays } }), () => ({ known: false, days: { holidays: [], makeUpWorkdays: [] } })),
        canEditLocal ? admin.localDays(year).then((r) => r.items, () => [] as LocalDay[]) : Promise.resolve([] as LocalDay[]),
      ]);
      setData({ year, national: national.days, known: national.known, local });
    } catch (e) {
      setError(messageOf(e));
    }
  }, [canEditLocal]);
  useEffect(() => {
    void load(ym.year);
  }, [load, ym.year, version]);

  const weeks = data && data.year === ym.year ? monthGrid(ym.year, ym.month, data.national, data.local, today) : null;
  const day = weeks?.flat().find((d) => d.date === picked) ?? null;
  const go = (by: number) => {
    setYm(shiftMonth(ym.year, ym.month, by));
    setPicked(undefined);
  };
  const pick = (d: GridDay) => {
    setPicked(d.date);
    setError(undefined);
    setForm({ kind: d.local?.kind ?? (d.kind === 'holiday' || d.kind === 'weekend' ? 'workday' : 'holiday'), name: d.local?.name ?? '' });
  };
  const save = async (remove: boolean) => {
    if (!day || busy) return;
    if (!remove && !form.name.trim()) return setError('请输入名称，如 县庆放假');
    setBusy(true);
    try {
      const r = remove ? await admin.removeLocalDay(day.date) : await admin.setLocalDay(day.date, { kind: form.kind, name: form.name.trim() });
      void Taro.showToast({ title: r.ticketsRecomputed ? `已保存，本区县 ${r.ticketsRecomputed} 件诉求期限已重算` : remove ? '已取消' : '已保存', icon: 'none' });
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="co-card co-cal__month">
      <View className="co-cal__head">
        <View className="co-cal__nav" onClick={() => go(-1)}>‹ 上月</View>
        <View className="co-cal__title">{`${ym.year} 年 ${ym.month} 月`}</View>
        <View className="co-cal__nav" onClick={() => go(1)}>下月 ›</View>
      </View>
      {data && data.year === ym.year && !data.known ? <View className="co-card__sub">{`${ym.year} 年全国节假日安排尚未录入，暂按周一至周五计算`}</View> : null}
      <View className="co-cal__grid">
        {WEEK_HEAD.map((w) => <View key={w} className="co-cal__wd">{w}</View>)}
        {(weeks ?? []).flat().map((d) => (
          <View key={d.date}
            className={`co-cal__day co-cal__day--${d.kind}${d.inMonth ? '' : ' co-cal__day--out'}${d.today ? ' co-cal__day--today' : ''}${d.date === picked ? ' co-cal__day--picked' : ''}${d.local ? ' co-cal__day--local' : ''}`}
            onClick={() => pick(d)}>
            <View className="co-cal__num">{d.day}</View>
            {MARK[d.kind] ? <View className="co-cal__mark">{MARK[d.kind]}</View> : null}
            {d.name && d.inMonth ? <View className="co-cal__name">{d.name}</View> : null}
          </View>
        ))}
      </View>
      <View className="co-cal__legend">
        <View className="co-cal__key co-cal__key--holiday">休 放假</View>
        <View className="co-cal__key co-cal__key--makeup">班 调休上班</View>
        <View className="co-cal__key co-cal__key--local">本地调整</View>
      </View>
      {day ? (
        <View className="co-cal__panel">
          <View className="co-card__title">{day.date}</View>
          <View className="co-card__sub">{describeDay(day)}</View>
          {canEditLocal ? (
            <View>
              <FormCard>
                <FormField label="本地调整" required>
                  <ChoiceChips options={LOCAL_KIND_OPTIONS} value={form.kind} onChange={(k) => setForm({ ...form, kind: k as LocalDay['kind'] })} />
                </FormField>
                <FormField label="名称" required>
                  <Input placeholder="填写名称，例如 县庆" value={form.name} maxLength={64} onChange={(name) => { setForm({ ...form, name }); setError(undefined); }} />
                </FormField>
              </FormCard>
              {error ? <View className="co-error">{error}</View> : null}
              <View className="co-bar__buttons">
                {day.local ? <Button onClick={() => void save(true)}>取消本地调整</Button> : null}
                <Button type="primary" loading={busy} onClick={() => void save(false)}>{day.local ? '保存修改' : '设为本地调整'}</Button>
              </View>
            </View>
          ) : <View className="co-hint">全国节假日安排由平台统一录入，请在下方年份中查看或更正。</View>}
        </View>
      ) : <View className="co-hint">{canEditLocal ? '点选日期，可设置本区县的放假或调休上班。' : '点选日期查看当天安排。'}</View>}
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
  const { data: years, error, reload: load } = useLoad(async () => (await admin.calendarYears()).items.sort((a, b) => b.year - a.year));
  const [editor, setEditor] = useState<Editor>();
  const [opening, setOpening] = useState<number>();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);

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
          changed();
          void load();
        }} />
      ) : null}
      {user ? <MonthGrid canEditLocal={!operator && !!user.district} version={version} onChanged={changed} /> : null}
      {!operator && user?.district ? <LocalDays year={thisYear} version={version} onChanged={changed} /> : null}
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
