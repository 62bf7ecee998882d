/**
 * The paper side of the forms (issue 12): an application form as an A4 PDF, pre-filled with a
 * person's, a certificate's or a unit's data — or blank, ruled cells to fill by hand — with the
 * text, the declaration and the signature / stamp boxes of the association's form.
 *
 * `PaperDoc` describes one document as a title, an association line and a sequence of blocks (a
 * label/value table, a column grid, free paragraphs, signature/stamp boxes); `renderPaper` lays it
 * out with pdfkit in two embedded, subset Noto faces (fonts.ts). `PAPERS` (templates.ts) is the
 * catalogue of the kinds of document, each a function from the filled data (or nothing) to a PaperDoc.
 *
 * A character the fonts lack is refused before anything is drawn (`unprintablePaper`), with a
 * Chinese reason, instead of printing an empty box.
 */
import type PDFKitDocument from 'pdfkit';
import { AppError } from '../../../miniprogram/shared/errors';
import { missingGlyphs, paperFont, PaperFace } from './fonts';

// ---------- the document model ----------

/** One label with its value; an empty or missing value is a ruled empty cell to fill by hand. */
export interface PaperCell {
  label: string;
  value?: string;
  /** Minimum height in text lines, for an answer written by hand (e.g. 注销原因). */
  lines?: number;
}

/** A table row: one cell spans the width; two share it (label | value | label | value). */
export type PaperRow = [PaperCell] | [PaperCell, PaperCell];

/** A box signed and stamped by hand: the applicant's declaration, an employer's opinion. */
export interface PaperSign {
  /** The heading cell on the left, e.g. 工作单位意见; none for a full-width box. */
  heading?: string;
  /** The printed statement, e.g. 本人承诺以上内容真实准确。 */
  statement?: string;
  /** Who signs, each followed by a ruled blank: 申请人(签字), 经办人/负责人, 联系电话. */
  signers?: string[];
  /** The stamp's place, e.g. 单位公章 (room is left above the date line). */
  stamp?: string;
  /** A 年 月 日 line, filled by hand. */
  date?: boolean;
  /** Minimum height, pt: room for a handwritten opinion or the stamp. */
  minHeight?: number;
  /** Draw the box's frame (default true); a letter's signature block goes without. */
  border?: boolean;
}

export type PaperBlock =
  | { type: 'table'; rows: PaperRow[] }
  /** Columns with a header row, e.g. the people a commitment covers; empty strings are blank cells. */
  | { type: 'grid'; columns: { label: string; weight?: number }[]; rows: string[][] }
  | {
      type: 'paragraph';
      text: string;
      /** Indent the first line by two characters (default true). */
      indent?: boolean;
      align?: 'left' | 'center' | 'right' | 'justify';
      /** pt; default 11. */
      size?: number;
    }
  | ({ type: 'sign' } & PaperSign)
  | { type: 'gap'; height: number };

export interface PaperDoc {
  /** e.g. 变更登记申请表 — the document title and the PDF's Title. */
  title: string;
  /** The association line above the title (its name). */
  association?: string;
  /** Small right-aligned lines under the title, e.g. 表单编号：…. */
  meta?: string[];
  blocks: PaperBlock[];
  /** 填表说明 at the foot of the form, numbered. */
  notes?: string[];
  /** The PDF's creation date; fix it for byte-identical output (default: now). */
  createdAt?: Date;
}

// ---------- glyph coverage ----------

/** Where the two faces are used: the association line and the title in serif, the rest in sans. */
function textsByFace(doc: PaperDoc): Record<PaperFace, string[]> {
  const sans: string[] = [...(doc.meta || []), ...(doc.notes || []), DATE_TEXT, '注：'];
  for (const b of doc.blocks) {
    if (b.type === 'table') for (const row of b.rows) for (const c of row) sans.push(c.label, c.value || '');
    else if (b.type === 'grid') sans.push(...b.columns.map((c) => c.label), ...b.rows.flat());
    else if (b.type === 'paragraph') sans.push(b.text);
    else if (b.type === 'sign')
      sans.push(b.heading || '', b.statement || '', ...(b.signers || []).map(signerText), b.stamp || '');
  }
  return { serif: [doc.title, doc.association || ''], sans };
}

/** Every character of the document a face lacks, without repeats. */
export function paperMissingGlyphs(doc: PaperDoc): string[] {
  const t = textsByFace(doc);
  return [...new Set([...missingGlyphs(t.serif.join(''), 'serif'), ...missingGlyphs(t.sans.join(''), 'sans')])];
}

/** Why the document cannot be printed as written, in Chinese, or null when every character renders. */
export function unprintablePaper(doc: PaperDoc): string | null {
  const chars = paperMissingGlyphs(doc);
  if (!chars.length) return null;
  return `${doc.title}中的“${chars.join('”“')}”字无法正确打印，请核对填写的信息或联系协会处理。`;
}

// ---------- layout ----------

/** A4 in PostScript points. */
export const A4_WIDTH = 595.28;
export const A4_HEIGHT = 841.89;
const MARGIN_X = 56.69; // 2 cm
const MARGIN_TOP = 51.02; // 1.8 cm
const MARGIN_BOTTOM = 51.02;
const CONTENT_W = A4_WIDTH - 2 * MARGIN_X;
const LABEL_W = 92;
const BODY = 10.5; // 五号
const LABEL = 10;
const CELL_PAD = 5;
const ROW_MIN = 30;
const SIGN_LINE = 26;
const BLANK_W = 84;
/** The date to fill by hand: room for the year, then 年 月 日. */
const DATE_TEXT = '\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日';
const LINE_WIDTH = 0.8;

const signerText = (s: string) => `${s}：`;

type Align = 'left' | 'center' | 'right' | 'justify';

class Layout {
  y = MARGIN_TOP;
  private readonly bottom = A4_HEIGHT - MARGIN_BOTTOM;

  constructor(private readonly pdf: PDFKit.PDFDocument) {}

  private use(face: PaperFace, size: number): void {
    this.pdf.font(face).fontSize(size);
  }

  height(text: string, face: PaperFace, size: number, width: number, lineGap = 2, indent = 0): number {
    if (!text) return 0;
    this.use(face, size);
    return this.pdf.heightOfString(text, { width, lineGap, indent });
  }

  width(text: string, face: PaperFace, size: number): number {
    this.use(face, size);
    return this.pdf.widthOfString(text);
  }

  put(
    text: string,
    x: number,
    y: number,
    face: PaperFace,
    size: number,
    o: { width: number; align?: Align; lineGap?: number; indent?: number },
  ): void {
    if (!text) return;
    this.use(face, size);
    this.pdf
      .fillColor('#000000')
      .text(text, x, y, { width: o.width, align: o.align || 'left', lineGap: o.lineGap ?? 2, indent: o.indent || 0 });
  }

  rect(x: number, y: number, w: number, h: number): void {
    this.pdf.lineWidth(LINE_WIDTH).strokeColor('#000000').rect(x, y, w, h).stroke();
  }

  hline(x: number, y: number, w: number): void {
    this.pdf
      .lineWidth(0.6)
      .strokeColor('#000000')
      .moveTo(x, y)
      .lineTo(x + w, y)
      .stroke();
  }

  /** Room for `h` more points on this page, or a new page (then true). */
  need(h: number): boolean {
    if (this.y + h <= this.bottom || this.y <= MARGIN_TOP) return false;
    this.pdf.addPage();
    this.y = MARGIN_TOP;
    return true;
  }

  /** The label size: 10 pt, smaller (down to 8.5) for a long label so it stays on one line. */
  labelSize(text: string, w: number): number {
    const natural = this.width(text, 'sans', LABEL);
    const room = w - 2 * CELL_PAD;
    return natural <= room ? LABEL : Math.max(8.5, Math.floor((LABEL * room * 10) / natural) / 10);
  }

  /** Text centred vertically in a box. */
  private centred(
    text: string,
    x: number,
    top: number,
    w: number,
    h: number,
    face: PaperFace,
    size: number,
    align: Align,
  ): void {
    const inner = w - 2 * CELL_PAD;
    const th = this.height(text, face, size, inner);
    this.put(text, x + CELL_PAD, top + (h - th) / 2 + 1, face, size, { width: inner, align });
  }

  // --- blocks ---

  header(doc: PaperDoc): void {
    if (doc.association) {
      this.put(doc.association, MARGIN_X, this.y, 'serif', 14, { width: CONTENT_W, align: 'center' });
      this.y += this.height(doc.association, 'serif', 14, CONTENT_W) + 4;
    }
    this.put(doc.title, MARGIN_X, this.y, 'serif', 20, { width: CONTENT_W, align: 'center' });
    this.y += this.height(doc.title, 'serif', 20, CONTENT_W) + 8;
    for (const m of doc.meta || []) {
      this.put(m, MARGIN_X, this.y, 'sans', 9.5, { width: CONTENT_W, align: 'right' });
      this.y += this.height(m, 'sans', 9.5, CONTENT_W) + 1;
    }
    this.y += 4;
  }

  table(rows: PaperRow[]): void {
    for (const row of rows) {
      const valueW = row.length === 1 ? CONTENT_W - LABEL_W : (CONTENT_W - 2 * LABEL_W) / 2;
      const cells = row.map((c) => ({ c, inner: valueW - 2 * CELL_PAD }));
      let h = ROW_MIN;
      for (const { c, inner } of cells) {
        h = Math.max(
          h,
          this.height(c.label, 'sans', this.labelSize(c.label, LABEL_W), LABEL_W - 2 * CELL_PAD) + 2 * CELL_PAD,
          this.height(c.value || '', 'sans', BODY, inner) + 2 * CELL_PAD,
          (c.lines || 1) * BODY * 1.9 + 2 * CELL_PAD,
        );
      }
      this.need(h);
      let x = MARGIN_X;
      for (const { c } of cells) {
        this.rect(x, this.y, LABEL_W, h);
        this.centred(c.label, x, this.y, LABEL_W, h, 'sans', this.labelSize(c.label, LABEL_W), 'center');
        x += LABEL_W;
        this.rect(x, this.y, valueW, h);
        if (c.value) {
          // A multi-line cell reads from the top; a one-line value sits in the middle.
          if ((c.lines || 1) > 1)
            this.put(c.value, x + CELL_PAD, this.y + CELL_PAD + 1, 'sans', BODY, { width: valueW - 2 * CELL_PAD });
          else this.centred(c.value, x, this.y, valueW, h, 'sans', BODY, 'left');
        }
        x += valueW;
      }
      this.y += h;
    }
  }

  grid(columns: { label: string; weight?: number }[], rows: string[][]): void {
    const total = columns.reduce((s, c) => s + (c.weight || 1), 0);
    const widths = columns.map((c) => (CONTENT_W * (c.weight || 1)) / total);
    const header = columns.map((c) => c.label);
    const line = (cells: string[], face: PaperFace, size: number, align: Align, min: number) => {
      const h = Math.max(
        min,
        ...cells.map((t, i) => this.height(t, face, size, widths[i] - 2 * CELL_PAD) + 2 * CELL_PAD),
      );
      // A row that moves to a new page takes the header row with it.
      if (this.need(h) && cells !== header) line(header, 'sans', LABEL, 'center', ROW_MIN - 4);
      let x = MARGIN_X;
      cells.forEach((t, i) => {
        this.rect(x, this.y, widths[i], h);
        this.centred(t, x, this.y, widths[i], h, face, size, align);
        x += widths[i];
      });
      this.y += h;
    };
    line(header, 'sans', LABEL, 'center', ROW_MIN - 4);
    for (const r of rows)
      line(
        columns.map((_, i) => r[i] || ''),
        'sans',
        BODY,
        'center',
        ROW_MIN - 4,
      );
  }

  paragraph(text: string, indent: boolean, align: Align, size: number): void {
    const ind = indent ? size * 2 : 0;
    const h = this.height(text, 'sans', size, CONTENT_W, 5, ind);
    this.need(h);
    this.put(text, MARGIN_X, this.y, 'sans', size, { width: CONTENT_W, align, lineGap: 5, indent: ind });
    this.y += h + 4;
  }

  sign(s: PaperSign): void {
    const headingW = s.heading ? LABEL_W : 0;
    const innerX = MARGIN_X + headingW + 12;
    const innerW = CONTENT_W - headingW - 24;
    const right = innerX + innerW;
    const lines = this.signLines(s, innerW);
    const stH = s.statement ? this.height(s.statement, 'sans', BODY, innerW, 4, BODY * 2) : 0;
    const contentH = 10 + stH + (stH ? 10 : 0) + lines.length * SIGN_LINE + 6;
    const headH = s.heading ? this.height(s.heading, 'sans', LABEL, LABEL_W - 2 * CELL_PAD) + 2 * CELL_PAD : 0;
    const h = Math.max(s.minHeight || 0, contentH, headH, ROW_MIN);
    this.need(h);
    const top = this.y;
    if (s.heading) {
      this.rect(MARGIN_X, top, headingW, h);
      this.centred(s.heading, MARGIN_X, top, headingW, h, 'sans', LABEL, 'center');
    }
    if (s.border !== false) this.rect(MARGIN_X + headingW, top, CONTENT_W - headingW, h);
    if (s.statement)
      this.put(s.statement, innerX, top + 10, 'sans', BODY, { width: innerW, lineGap: 4, indent: BODY * 2 });
    // Signature lines sit at the foot of the box, right-aligned, the room for a stamp above them.
    let y = top + h - 6 - lines.length * SIGN_LINE;
    for (const parts of lines) {
      const w = parts.reduce((sum, p, i) => sum + this.partWidth(p) + (i ? 18 : 0), 0);
      let x = right - w;
      const ty = y + (SIGN_LINE - BODY * 1.45) / 2;
      parts.forEach((p, i) => {
        if (i) x += 18;
        const tw = this.width(p.text, 'sans', BODY);
        this.put(p.text, x, ty, 'sans', BODY, { width: tw + 2, lineGap: 0 });
        x += tw;
        if (p.blank) {
          this.hline(x + 2, ty + BODY * 1.35, p.blank - 4);
          x += p.blank;
        }
      });
      y += SIGN_LINE;
    }
    this.y = top + h;
  }

  private partWidth(p: SignPart): number {
    return this.width(p.text, 'sans', BODY) + (p.blank || 0);
  }

  /** The signers, the stamp and the date, grouped into right-aligned lines that fit `width`. */
  private signLines(s: PaperSign, width: number): SignPart[][] {
    const signers: SignPart[] = (s.signers || []).map((t) => ({ text: signerText(t), blank: BLANK_W }));
    const tail: SignPart[] = [...(s.stamp ? [{ text: s.stamp }] : []), ...(s.date ? [{ text: DATE_TEXT }] : [])];
    const groups: SignPart[][] = s.stamp ? [signers, tail] : [[...signers, ...tail]];
    const out: SignPart[][] = [];
    for (const g of groups) {
      let line: SignPart[] = [];
      let w = 0;
      for (const p of g) {
        const pw = this.partWidth(p) + (line.length ? 18 : 0);
        if (line.length && w + pw > width) {
          out.push(line);
          line = [];
          w = 0;
        }
        w += this.partWidth(p) + (line.length ? 18 : 0);
        line.push(p);
      }
      if (line.length) out.push(line);
    }
    return out;
  }

  notes(notes: string[]): void {
    const text = notes.length === 1 ? notes[0] : notes.map((n, i) => `${i + 1}. ${n}`).join('\n');
    const labelW = this.width('注：', 'sans', 9);
    const h = this.height(text, 'sans', 9, CONTENT_W - labelW, 3);
    this.y += 6;
    this.need(h);
    this.put('注：', MARGIN_X, this.y, 'sans', 9, { width: labelW + 2, lineGap: 3 });
    this.put(text, MARGIN_X + labelW, this.y, 'sans', 9, { width: CONTENT_W - labelW, lineGap: 3 });
    this.y += h;
  }
}

interface SignPart {
  text: string;
  /** A ruled blank after the text, pt. */
  blank?: number;
}

/**
 * The document as an A4 PDF (one page for every form of the catalogue; a longer one flows onto more).
 * Refuses, before drawing, a document with a character the fonts lack (AppError NOT_ELIGIBLE).
 */
export async function renderPaper(doc: PaperDoc): Promise<Buffer> {
  const refusal = unprintablePaper(doc);
  if (refusal) throw new AppError('NOT_ELIGIBLE', refusal);

  // Required on first use, not at the top: the `forms` function's other actions never load pdfkit.
  // It stays external to the bundle (build.json): bundled, it cannot find the files it loads from its
  // own package at run time (its standard fonts), and through an ESM import it throws as the bundle loads.
  const PDFDocument = require('pdfkit') as typeof PDFKitDocument;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    // No standard (AFM) font is ever loaded: only the two embedded faces.
    font: null as unknown as string,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: doc.title,
      ...(doc.association ? { Author: doc.association } : {}),
      Creator: '会员服务平台',
      CreationDate: doc.createdAt || new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  // pdfkit accepts a parsed fontkit font (0.20) — its typings predate that.
  pdf.registerFont('sans', paperFont('sans') as unknown as ArrayBuffer);
  pdf.registerFont('serif', paperFont('serif') as unknown as ArrayBuffer);
  pdf.font('sans');
  pdf.addPage();

  const l = new Layout(pdf);
  l.header(doc);
  for (const b of doc.blocks) {
    if (b.type === 'table') l.table(b.rows);
    else if (b.type === 'grid') l.grid(b.columns, b.rows);
    else if (b.type === 'paragraph') l.paragraph(b.text, b.indent !== false, b.align || 'justify', b.size || 11);
    else if (b.type === 'sign') l.sign(b);
    else l.y += b.height;
  }
  if (doc.notes?.length) l.notes(doc.notes);
  pdf.end();
  return done;
}

export { PAPERS, PAPER_KINDS, paperFileName } from './templates';
export type { PaperKind, PaperData, PaperSpec, PaperPerson, PaperCert, PaperUnit, CommitmentPerson } from './templates';
