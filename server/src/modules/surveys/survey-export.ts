import { exceljs } from '../../lib/lazy-modules';
import type { Question } from '@guanjia/shared';

/** Renders a named survey's answers as an .xlsx ledger: 序号, 企业, 属地, 提交日期, then one column per question. */
export async function surveyWorkbook(title: string, questions: Question[], rows: { enterprise: string; area: string; submittedOn: string; answers: Record<string, unknown> }[]): Promise<Buffer> {
  const wb = new (exceljs().Workbook)();
  const ws = wb.addWorksheet('答卷明细');
  ws.addRow([title]);
  ws.addRow(['序号', '企业', '属地', '提交日期', ...questions.map((q, i) => `${i + 1}. ${q.title}`)]);
  ws.getRow(2).font = { bold: true };
  const cell = (q: Question, v: unknown): string | number => {
    if (v === undefined || v === null) return '';
    if (q.kind === 'single') return q.options?.[v as number] ?? '';
    if (q.kind === 'multi') return (v as number[]).map((i) => q.options?.[i] ?? '').join('、');
    if (q.kind === 'rating') return v as number;
    // a text answer starting with = + - @ would be a formula in Excel: keep it text
    const s = String(v);
    return /^[=+\-@]/.test(s) ? `'${s}` : s;
  };
  rows.forEach((r, i) => ws.addRow([i + 1, r.enterprise, r.area, r.submittedOn, ...questions.map((q) => cell(q, r.answers[q.id]))]));
  ws.columns.forEach((c, i) => { c.width = i === 0 ? 6 : i === 1 ? 28 : 16; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
