import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import { columnWidth, type LedgerColumn } from '@guanjia/shared';

/** A cell value as a ledger writes it: text, number, a Shanghai wall-clock Date, or empty. */
export type LedgerCell = string | number | Date | null;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
/**
 * Excel has no time zones: a cell holds wall-clock time. An instant is shifted to Asia/Shanghai (no DST) and written
 * by its UTC fields.
 */
export function shanghaiCellDate(v: Date | string | null): Date | null {
  if (v === null) return null;
  return new Date(new Date(v).getTime() + SHANGHAI_OFFSET_MS);
}
/** A YYYY-MM-DD date as an Excel date cell (midnight, no shift). */
export function dayCellDate(v: string | null): Date | null {
  return v ? new Date(`${v}T00:00:00Z`) : null;
}

// ---------------------------------------------------------------- the workbook's fixed parts

/**
 * Cell formats (styles.xml cellXfs), by index: 0 default, 1 header (bold, centred), then one per column kind. Number
 * formats are declared as custom codes (164+) so that every reader sees the code itself.
 */
const XF = { header: 1, int: 2, date: 3, datetime: 4, money: 5, percent: 6, wrap: 7, text: 8 } as const;
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="5"><numFmt numFmtId="164" formatCode="0"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="167" formatCode="#,##0.00"/><numFmt numFmtId="168" formatCode="0.00"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="9">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
const workbookXml = (sheetName: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets><sheet name="${esc(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const coreXml = (now: Date) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>项目管家</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${now.toISOString().replace(/\.\d+Z$/, 'Z')}</dcterms:created></cp:coreProperties>`;

/** XML text: the five entities escaped, and the control characters XML 1.0 cannot hold dropped. */
// eslint-disable-next-line no-control-regex
const BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
function esc(s: string): string {
  return s.replace(BAD, '').replace(/[&<>"]/g, (c) => ESC[c]!);
}

/** Column letters A, B, … Z, AA, … */
function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Excel's serial day number of a wall-clock Date (written by its UTC fields), as exceljs writes it. */
const excelSerial = (d: Date) => d.getTime() / 86_400_000 + 25569;

function columnXf(c: LedgerColumn): number {
  switch (c.kind ?? 'text') {
    case 'int': return XF.int;
    case 'date': return XF.date;
    case 'datetime': return XF.datetime;
    case 'money': return XF.money;
    case 'percent': return XF.percent;
    default: return c.width >= 30 ? XF.wrap : XF.text;
  }
}

// ---------------------------------------------------------------- a streaming ZIP (deflate, data descriptors)

type ZipEntry = { name: Buffer; crc: number; csize: number; usize: number; offset: number };

/**
 * The smallest ZIP writer an .xlsx needs: entries one after another, each deflated as it streams, with its CRC and
 * sizes in a data descriptor after the data (general-purpose flag bit 3), then the central directory.
 */
class ZipStream {
  private entries: ZipEntry[] = [];
  private offset = 0;
  private readonly dosTime: number;
  private readonly dosDate: number;
  constructor(private readonly out: Writable, now: Date) {
    this.dosTime = (now.getHours() << 11) | (now.getMinutes() << 5) | Math.floor(now.getSeconds() / 2);
    this.dosDate = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
  }

  private async raw(b: Buffer) {
    this.offset += b.length;
    if (!this.out.write(b)) await once(this.out, 'drain');
  }

  /** Starts an entry; returns a writer of its uncompressed content and a function that ends it. */
  async entry(name: string): Promise<{ write: (s: string) => Promise<void>; end: () => Promise<void> }> {
    const e: ZipEntry = { name: Buffer.from(name, 'utf8'), crc: 0, csize: 0, usize: 0, offset: this.offset };
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed
    h.writeUInt16LE(0x0808, 6); // data descriptor + UTF-8 names
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt16LE(this.dosTime, 10);
    h.writeUInt16LE(this.dosDate, 12);
    h.writeUInt16LE(e.name.length, 26);
    await this.raw(Buffer.concat([h, e.name]));
    const deflate = zlib.createDeflateRaw({ level: 6 });
    const pending: Buffer[] = [];
    deflate.on('data', (c: Buffer) => { pending.push(c); });
    const flushOut = async () => {
      while (pending.length) {
        const c = pending.shift()!;
        e.csize += c.length;
        await this.raw(c);
      }
    };
    const ended = once(deflate, 'end');
    return {
      write: async (s: string) => {
        const b = Buffer.from(s, 'utf8');
        e.crc = zlib.crc32(b, e.crc);
        e.usize += b.length;
        if (!deflate.write(b)) await once(deflate, 'drain');
        await flushOut();
      },
      end: async () => {
        deflate.end();
        await ended;
        await flushOut();
        const dd = Buffer.alloc(16);
        dd.writeUInt32LE(0x08074b50, 0);
        dd.writeUInt32LE(e.crc >>> 0, 4);
        dd.writeUInt32LE(e.csize, 8);
        dd.writeUInt32LE(e.usize, 12);
        await this.raw(dd);
        this.entries.push(e);
      },
    };
  }

  async file(name: string, content: string) {
    const w = await this.entry(name);
    await w.write(content);
    await w.end();
  }

  /** The central directory and its end record. */
  async finish() {
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0808, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(this.dosTime, 12);
      c.writeUInt16LE(this.dosDate, 14);
      c.writeUInt32LE(e.crc >>> 0, 16);
      c.writeUInt32LE(e.csize, 20);
      c.writeUInt32LE(e.usize, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      parts.push(c, e.name);
    }
    const dir = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(start, 16);
    await this.raw(Buffer.concat([dir, end]));
  }
}

/**
 * Streams one sheet as .xlsx, written directly (the sheet's XML row by row, inline strings, into a deflated ZIP entry):
 * a bold frozen header row, widths fitted to Chinese headers, date and money formats per column. exceljs's streaming
 * writer built a cell object and looked its style up for every cell — 28 s of CPU for 100,000 rows on the loaded
 * bench machine, against about 2 s here (docs/benchmarks.md, issue 12); the file is read back with exceljs in the
 * tests. `batches` yields rows a batch at a time (the caller reads them by keyset), one batch read ahead; the
 * writer waits for the HTTP stream to drain, so a slow client holds back the database reads instead of filling memory.
 */
export function streamSheet(
  sheetName: string,
  columns: LedgerColumn[],
  batches: AsyncIterable<LedgerCell[][]>,
): { stream: PassThrough; done: Promise<number> } {
  const stream = new PassThrough({ highWaterMark: 1 << 20 });
  const done = (async () => {
    const now = new Date();
    const zip = new ZipStream(stream, now);
    await zip.file('[Content_Types].xml', CONTENT_TYPES);
    await zip.file('_rels/.rels', ROOT_RELS);
    await zip.file('docProps/core.xml', coreXml(now));
    await zip.file('xl/workbook.xml', workbookXml(sheetName));
    await zip.file('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
    await zip.file('xl/styles.xml', STYLES);
    const sheet = await zip.entry('xl/worksheets/sheet1.xml');
    const names = columns.map((_, i) => colName(i));
    const xfs = columns.map(columnXf);
    const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${columnWidth(c)}" style="${xfs[i]}" customWidth="1"/>`).join('');
    await sheet.write(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
      `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>` +
      `<row r="1">${columns.map((c, i) => `<c r="${names[i]}1" s="${XF.header}" t="inlineStr"><is><t>${esc(c.header)}</t></is></c>`).join('')}</row>`,
    );
    let n = 0;
    // The next batch is asked for before this one is written: its query runs in PostgreSQL while this process
    // builds the XML of the current one.
    const it = batches[Symbol.asyncIterator]();
    let next = it.next();
    next.catch(() => undefined);
    for (;;) {
      const r = await next;
      if (r.done) break;
      next = it.next();
      next.catch(() => undefined); // awaited on the next turn; not an unhandled rejection while this batch is written
      const out: string[] = [];
      for (const values of r.value) {
        const row = ++n + 1;
        out.push(`<row r="${row}">`);
        for (let i = 0; i < values.length && i < columns.length; i++) {
          const v = values[i];
          if (v === null || v === undefined || v === '') continue;
          const ref = `${names[i]}${row}`;
          if (typeof v === 'number') {
            if (Number.isFinite(v)) out.push(`<c r="${ref}" s="${xfs[i]}"><v>${v}</v></c>`);
          } else if (v instanceof Date) {
            if (!Number.isNaN(v.getTime())) out.push(`<c r="${ref}" s="${xfs[i]}"><v>${excelSerial(v)}</v></c>`);
          } else {
            out.push(`<c r="${ref}" s="${xfs[i]}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`);
          }
        }
        out.push('</row>');
      }
      await sheet.write(out.join(''));
    }
    await sheet.write('</sheetData></worksheet>');
    await sheet.end();
    await zip.finish();
    stream.end();
    return n;
  })();
  done.catch((e) => stream.destroy(e instanceof Error ? e : new Error(String(e))));
  return { stream, done };
}
