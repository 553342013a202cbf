import {
  AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, TextRun, type IRunOptions,
} from 'docx';
import JSZip from 'jszip';
import type { WorkReport } from '@guanjia/shared';

/**
 * The work report as a Word file in the layout of Chinese official documents (GB/T 9704-2012): A4, margins top 37 mm,
 * bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters (fixed 28.95 pt line pitch); title in 2号
 * 方正小标宋简体 (bold, so a machine without it still shows a heavy title); body 3号 (16 pt) 仿宋_GB2312 with the first
 * line indented two characters; level-one headings 一、 in 黑体, level two （一） in 楷体_GB2312, level three 1. in 仿宋;
 * page numbers "— 1 —" in 4号 宋体 at the foot. Each Chinese font is declared in the font table with an alternative
 * name (仿宋, 楷体, 宋体) that WPS and Word use when the GB2312 font is not installed.
 */
const MM = 56.6929; // twips per millimetre
const twip = (mm: number) => Math.round(mm * MM);
const LINE = 579; // 28.95 pt in twips: 22 lines in the 225 mm type area

/** Chinese fonts used, with the fallback written into the font table. */
export const DOCX_FONTS = {
  title: { name: '方正小标宋简体', alt: '宋体' },
  body: { name: '仿宋_GB2312', alt: '仿宋' },
  h1: { name: '黑体', alt: 'SimHei' },
  h2: { name: '楷体_GB2312', alt: '楷体' },
  footer: { name: '宋体', alt: 'SimSun' },
} as const;

const font = (f: { name: string }): IRunOptions['font'] => ({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: f.name, cs: 'Times New Roman' });

const body = (text: string, opts: { indent?: boolean; font?: { name: string }; bold?: boolean } = {}) => new Paragraph({
  spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
  indent: opts.indent === false ? undefined : { firstLine: 640 },
  alignment: AlignmentType.JUSTIFIED,
  children: [new TextRun({ text, font: font(opts.font ?? DOCX_FONTS.body), size: 32, bold: opts.bold })],
});

/** Renders the report; the result opens in WPS and Word (checked by reading word/document.xml back in the tests). */
export async function renderDocx(r: WorkReport): Promise<Buffer> {
  const children: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 700, lineRule: LineRuleType.EXACT, before: 0, after: LINE },
      children: [new TextRun({ text: r.title, font: font(DOCX_FONTS.title), size: 44, bold: true })],
    }),
  ];
  for (const s of r.sections) {
    children.push(body(s.heading, { font: DOCX_FONTS.h1 }));
    for (const p of s.paragraphs) {
      if (p.heading) children.push(body(p.heading, { font: DOCX_FONTS.h2 }));
      children.push(body(p.text));
      (p.items ?? []).forEach((it, i) => children.push(body(`${i + 1}. ${it}`)));
    }
  }
  const doc = new Document({
    creator: '管家',
    title: r.title,
    styles: { default: { document: { run: { font: font(DOCX_FONTS.body), size: 32 } } } },
    sections: [{
      properties: {
        page: {
          size: { width: 11906, height: 16838 },
          margin: { top: twip(37), bottom: twip(35), left: twip(28), right: twip(26), footer: twip(28) - 400 },
        },
      },
      footers: {
        default: new Footer({
          children: [new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(DOCX_FONTS.footer), size: 28 })],
          })],
        }),
      },
      children,
    }],
  });
  return declareFallbackFonts(await Packer.toBuffer(doc));
}

/** Adds the Chinese fonts to word/fontTable.xml with their alternative names (w:altName) and the GB2312 charset. */
async function declareFallbackFonts(buf: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(buf);
  const file = zip.file('word/fontTable.xml');
  if (!file) return buf;
  let xml = await file.async('string');
  const entries = Object.values(DOCX_FONTS)
    .filter((f) => !xml.includes(`w:name="${f.name}"`))
    .map((f) => `<w:font w:name="${f.name}"><w:altName w:val="${f.alt}"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`)
    .join('');
  // docx writes an empty, self-closing <w:fonts …/> root; open it, or append before its end tag.
  xml = /<w:fonts\b[^>]*\/>\s*$/.test(xml)
    ? xml.replace(/<w:fonts\b([^>]*)\/>\s*$/, `<w:fonts$1>${entries}</w:fonts>`)
    : xml.replace(/<\/w:fonts>\s*$/, `${entries}</w:fonts>`);
  zip.file('word/fontTable.xml', xml);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
