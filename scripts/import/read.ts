/**
 * Reading the old system's export (SPEC §5 "Legacy import file"): an .xlsx with the sheets 单位, 人员
 * and 证书, headers in the first row in any order. Streamed with exceljs's WorkbookReader, so a
 * 100k-row file is read row by row; each row becomes `{ row, cells }` keyed by header, with cell
 * values normalised to text, Excel dates to `YYYY-MM-DD`, and unsafe numbers flagged.
 */
import { Readable } from 'stream';
import ExcelJS from 'exceljs';

export type SheetName = '单位' | '人员' | '证书';

export const HEADERS: Record<SheetName, { required: string[]; optional: string[] }> = {
  单位: { required: ['单位名称', '统一社会信用代码'], optional: ['是否会员', '会籍有效期', '初审机构'] },
  人员: {
    required: ['姓名', '性别', '身份证号'],
    optional: ['手机号码', '工作单位', '学历', '毕业院校', '所学专业', '毕业时间', '职称', '普通会籍有效期', '专业会籍有效期', '入会日期'],
  },
  证书: {
    required: ['身份证号', '证书类型', '证书编号', '初次发证日期', '证书有效期'],
    optional: ['专业1', '专业2', '上次换证日期', '证书状态'],
  },
};
export const SHEETS = Object.keys(HEADERS) as SheetName[];

/** A cell as text; `unsafe` marks a number Excel could not hold exactly (an ID number typed as a number). */
export interface Cell {
  text: string;
  unsafe?: boolean;
  /** The cell held an Excel date. */
  date?: boolean;
}

export interface SourceRow {
  /** Row number in the sheet, as Excel shows it (the header is row 1). */
  row: number;
  cells: Record<string, Cell>;
}

export type Sheets = Record<SheetName, SourceRow[]>;

export class FileProblem extends Error {}

const pad = (n: number) => String(n).padStart(2, '0');

function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return { text: '' };
  if (value instanceof Date) {
    // exceljs gives an Excel date as UTC midnight of that day.
    return { text: `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`, date: true };
  }
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) || !Number.isInteger(value) ? { text: String(value) } : { text: String(value), unsafe: true };
  }
  if (typeof value === 'boolean') return { text: value ? '是' : '否' };
  if (typeof value === 'string') return { text: value.trim() };
  if (typeof value === 'object') {
    const v = value as unknown as Record<string, unknown>;
    if (Array.isArray(v.richText)) return { text: (v.richText as { text: string }[]).map((r) => r.text).join('').trim() };
    if ('result' in v) return cellOf(v.result as ExcelJS.CellValue);
    if ('text' in v) return cellOf(v.text as ExcelJS.CellValue);
    if ('error' in v) return { text: '' };
  }
  return { text: String(value).trim() };
}

/** Where a buffer's complete UTF-8 characters end (a multi-byte character may be cut at its end). */
export function utf8Boundary(buf: Buffer): number {
  let i = buf.length - 1;
  let cont = 0;
  while (i >= 0 && cont < 3 && (buf[i] & 0xc0) === 0x80) {
    i--;
    cont++;
  }
  if (i < 0) return buf.length;
  const b = buf[i];
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return need > cont + 1 ? i : buf.length;
}

/** Re-cut a byte stream so no chunk ends inside a UTF-8 character. */
export async function* utf8Chunks(src: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of src) {
    const buf: Buffer = rest.length ? Buffer.concat([rest, Buffer.from(chunk)]) : Buffer.from(chunk);
    const cut = utf8Boundary(buf);
    if (cut > 0) yield buf.subarray(0, cut);
    rest = buf.subarray(cut);
  }
  if (rest.length) yield rest;
}

// exceljs 4.4.0's streaming reader decodes each decompressed chunk to text on its own
// (utils/parse-sax.js), so a Chinese character cut by a chunk boundary turns into U+FFFD — in a
// 1000-name file a few names come out broken. This reader hands every XML part to the parser in
// chunks that end on character boundaries. (Internal methods of the pinned exceljs version; the
// import tests read 1000+ Chinese names back to keep it honest.)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const BaseReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: string, options: object) => any;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const iterateStream: (s: NodeJS.ReadableStream) => AsyncIterable<Buffer> = require('exceljs/lib/utils/iterate-stream');
const safeStream = (entry: NodeJS.ReadableStream) => Readable.from(utf8Chunks(iterateStream(entry)));

class Utf8SafeWorkbookReader extends BaseReader {
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string) {
    return super._parseWorksheet(utf8Chunks(iterator), sheetNo);
  }
  _parseSharedStrings(entry: NodeJS.ReadableStream) {
    return super._parseSharedStrings(safeStream(entry));
  }
  _parseWorkbook(entry: NodeJS.ReadableStream) {
    return super._parseWorkbook(safeStream(entry));
  }
  _parseStyles(entry: NodeJS.ReadableStream) {
    return super._parseStyles(safeStream(entry));
  }
}

/** Which sheet a header row belongs to, when the sheet's name is not one of ours. */
function sheetByHeaders(headers: string[]): SheetName | null {
  const has = (h: string) => headers.includes(h);
  if (has('统一社会信用代码')) return '单位';
  if (has('证书编号')) return '证书';
  if (has('姓名') && has('身份证号')) return '人员';
  return null;
}

/**
 * Read the three sheets. `onRow` reports progress. Throws FileProblem for what makes the whole file
 * unusable (not an .xlsx, a sheet or a required column missing).
 */
export async function readLegacyFile(file: string, onRow?: (sheet: SheetName, rows: number) => void): Promise<Sheets> {
  const out: Partial<Sheets> = {};
  const reader = new Utf8SafeWorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }) as unknown as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>;
  try {
    for await (const ws of reader) {
      const declared = (ws as unknown as { name?: string }).name?.trim() as SheetName | undefined;
      let sheet: SheetName | null = declared && SHEETS.includes(declared) ? declared : null;
      let columns: string[] = [];
      const rows: SourceRow[] = [];
      for await (const row of ws) {
        const values = (row.values as ExcelJS.CellValue[]) || [];
        if (!columns.length) {
          columns = values.map((v) => cellOf(v).text);
          const headers = columns.filter(Boolean);
          if (!sheet) sheet = sheetByHeaders(headers);
          if (!sheet) break; // a sheet of someone's notes: not ours
          const missing = HEADERS[sheet].required.filter((h) => !headers.includes(h));
          if (missing.length) throw new FileProblem(`“${sheet}”表缺少列：${missing.join('、')}`);
          continue;
        }
        const cells: Record<string, Cell> = {};
        let any = false;
        for (let c = 1; c < columns.length; c++) {
          if (!columns[c]) continue;
          const cell = cellOf(values[c]);
          if (cell.text) any = true;
          cells[columns[c]] = cell;
        }
        if (!any) continue;
        rows.push({ row: row.number, cells });
        if (onRow && rows.length % 1000 === 0) onRow(sheet as SheetName, rows.length);
      }
      if (sheet) {
        if (out[sheet]) throw new FileProblem(`文件中有两个“${sheet}”表，请只保留一个`);
        out[sheet] = rows;
        onRow?.(sheet, rows.length);
      }
    }
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    throw new FileProblem(`无法读取文件（${(e as Error).message}），请确认是 .xlsx 格式的 Excel 文件`);
  }
  const missing = SHEETS.filter((s) => !out[s]);
  if (missing.length) throw new FileProblem(`文件缺少工作表：${missing.join('、')}（需要“单位”“人员”“证书”三个表）`);
  return out as Sheets;
}
