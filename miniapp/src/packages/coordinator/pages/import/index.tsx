import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { IMPORT_COLUMNS, IMPORT_KIND_LABELS, type ImportKind } from '@guanjia/shared/import/import-columns';
import { ChoiceChips } from '../../../../components/choice-chips';
import { Button } from '../../../../components/nutui';
import { goingLive, messageOf } from '../../../../services';
import { DESK_IMPORT_KINDS, importSummary, MAX_IMPORT_BYTES, type ImportResult } from '../../../../services/going-live';
import { pickSpreadsheet, saveXlsx } from '../../../../services/save-file';
import './index.scss';

type Picked = { path: string; name: string; size: number };
const KIND_CHIPS = DESK_IMPORT_KINDS.map((k) => ({ value: k, label: IMPORT_KIND_LABELS[k].replace(/（.*）/, '') }));
/** Rows of the problem table shown at once (all of them are in the rejected-rows download). */
const SHOWN = 200;

/**
 * 批量导入 (ADR 0010): pick what to import, upload an .xlsx or CSV, read the dry run (what would be created,
 * updated, rejected, and why, row by row), confirm, read the result, download the rejected rows to fix them.
 */
export default function ImportPage() {
  const router = useRouter();
  const initial = (DESK_IMPORT_KINDS as readonly string[]).includes(router.params.kind ?? '') ? (router.params.kind as ImportKind) : 'enterprises';
  const [kind, setKind] = useState<ImportKind>(initial);
  const [file, setFile] = useState<Picked>();
  const [createAreas, setCreateAreas] = useState(false);
  const [dry, setDry] = useState<ImportResult>();
  const [result, setResult] = useState<ImportResult>();
  const [busy, setBusy] = useState<'dry' | 'confirm' | 'download'>();
  const [error, setError] = useState<string>();

  const reset = () => {
    setDry(undefined);
    setResult(undefined);
    setError(undefined);
  };
  const choose = async () => {
    const f = await pickSpreadsheet();
    if (!f) return;
    reset();
    if (f.size > MAX_IMPORT_BYTES) {
      setError('文件过大：单个文件不超过 20MB');
      return;
    }
    setFile(f);
  };
  const run = async (confirm: boolean) => {
    if (!file || busy) return;
    setBusy(confirm ? 'confirm' : 'dry');
    setError(undefined);
    try {
      const r = await goingLive.importFile(kind, file, { confirm, createMissingAreas: createAreas });
      if (confirm) setResult(r);
      else setDry(r);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  const download = async (url: string, name: string) => {
    setBusy('download');
    try {
      await saveXlsx(await goingLive.download(url), name);
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(undefined);
    }
  };

  const shown = result ?? dry;
  const required = IMPORT_COLUMNS[kind].filter((c) => c.required).map((c) => c.label);
  const optional = IMPORT_COLUMNS[kind].filter((c) => !c.required).map((c) => c.label);
  return (
    <View className="co-page im-page">
      <View className="co-card">
        <View className="co-card__title">1. 选择导入内容</View>
        <ChoiceChips value={kind} options={KIND_CHIPS} onChange={(k) => { setKind(k as ImportKind); reset(); }} />
        <View className="im-cols">{`必填列：${required.join('、')}`}</View>
        <View className="im-cols">{`可选列：${optional.join('、')}（列名按表头识别，顺序不限，常见写法均可）`}</View>
        <View className="co-bar__buttons">
          <Button size="small" loading={busy === 'download'} onClick={() => void download(goingLive.templateUrl(kind), `${KIND_CHIPS.find((c) => c.value === kind)!.label}导入模板.xlsx`)}>
            下载模板
          </Button>
        </View>
      </View>

      <View className="co-card">
        <View className="co-card__title">2. 上传文件并试导入</View>
        <View className="im-steps">支持 .xlsx 与 .csv（UTF-8 或 GBK）。试导入只检查不写入；确认后才正式导入。同一文件重复导入不会重复创建。</View>
        <View className="im-file">{file ? `已选择：${file.name}` : '尚未选择文件'}</View>
        {kind === 'enterprises' ? (
          <View className="im-check" onClick={() => { setCreateAreas(!createAreas); setDry(undefined); }}>
            <View className={`im-check__box ${createAreas ? 'im-check__box--on' : ''}`}>{createAreas ? '✓' : ''}</View>
            <View>自动创建文件中出现而系统中没有的属地（乡镇/街道）</View>
          </View>
        ) : null}
        {kind === 'projects' ? (
          <View className="co-hint">重点项目只新建不更新：同一业主单位的同名项目已存在时保持不变，请在项目页修改。金额按万元填写，各资金来源合计须等于总投资。</View>
        ) : null}
        <View className="co-bar__buttons">
          <Button size="small" onClick={() => void choose()}>{file ? '重新选择' : '选择文件'}</Button>
          <Button size="small" type="primary" disabled={!file} loading={busy === 'dry'} onClick={() => void run(false)}>试导入</Button>
        </View>
        {busy === 'dry' || busy === 'confirm' ? <View className="co-hint">正在上传并逐行检查，大文件约需十几秒……</View> : null}
        {error ? <View className="co-error">{error}</View> : null}
      </View>

      {shown ? (
        <View className="co-card im-result" data-stage={result ? 'result' : 'dry'}>
          <View className="co-card__title">{result ? '3. 导入结果' : '3. 试导入结果（尚未写入）'}</View>
          <View className="im-summary">{importSummary(shown)}</View>
          <View className="im-counts">
            {(shown.kind === 'assignments'
              ? [['新建包保', shown.assignmentsStarted], ['结束包保', shown.assignmentsEnded], ['无变化', shown.unchanged], ['未导入', shown.rejected]] as const
              : [['新增', shown.created], ['更新', shown.updated], ['无变化', shown.unchanged], ['未导入', shown.rejected]] as const
            ).map(([label, n]) => (
              <View key={label} className={`im-count ${label === '未导入' && n > 0 ? 'im-count--bad' : ''}`}>
                <View className="im-count__n">{n.toLocaleString('zh-CN')}</View>
                <View className="im-count__label">{label}</View>
              </View>
            ))}
          </View>
          {shown.unknownHeaders.length ? <View className="co-hint">{`未识别的列（已忽略）：${shown.unknownHeaders.join('、')}`}</View> : null}
          {shown.problems.length ? (
            <View className="im-table">
              <View className="im-table__row im-table__head">
                <View className="im-table__no">行号</View>
                <View className="im-table__col">列</View>
                <View className="im-table__reason">原因</View>
              </View>
              {shown.problems.slice(0, SHOWN).map((p, i) => (
                <View key={`${p.row}-${i}`} className="im-table__row">
                  <View className="im-table__no">{`第 ${p.row} 行`}</View>
                  <View className="im-table__col">{p.column}</View>
                  <View className="im-table__reason">{p.reason}</View>
                </View>
              ))}
              {shown.problems.length > SHOWN ? <View className="co-hint">{`仅显示前 ${SHOWN} 条，全部问题请下载未导入的行`}</View> : null}
            </View>
          ) : null}
          <View className="co-bar__buttons">
            {shown.rejected > 0 ? (
              <Button size="small" loading={busy === 'download'} onClick={() => void download(goingLive.rejectedUrl(shown.id), `未导入的行-${file?.name.replace(/\.(xlsx|csv)$/i, '') ?? '导入'}.xlsx`)}>
                下载未导入的行
              </Button>
            ) : null}
            {!result && shown.created + shown.updated + shown.assignmentsStarted + shown.assignmentsEnded + shown.areasCreated > 0 ? (
              <Button size="small" type="primary" loading={busy === 'confirm'} onClick={() => void run(true)}>
                {shown.rejected ? `确认导入其余 ${(shown.totalRows - shown.rejected).toLocaleString('zh-CN')} 行` : '确认导入'}
              </Button>
            ) : null}
            {!result && shown.created + shown.updated + shown.assignmentsStarted + shown.assignmentsEnded + shown.areasCreated === 0 ? (
              <View className="co-hint">没有需要写入的变化</View>
            ) : null}
          </View>
        </View>
      ) : null}
    </View>
  );
}
