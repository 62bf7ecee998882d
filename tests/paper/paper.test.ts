/**
 * The paper forms (issue 12): every kind of the catalogue rendered filled and blank with pdfkit, read
 * back with pdf.js — A4, one page, the title, every label, the filled values, the seed's declaration
 * wording, both Noto faces embedded as subsets, a small file — and a character the fonts lack refused
 * before anything is drawn.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppError } from '../../miniprogram/shared/errors';
import {
  A4_HEIGHT,
  A4_WIDTH,
  PAPER_KINDS,
  PAPERS,
  paperFileName,
  PaperDoc,
  PaperKind,
  renderPaper,
  unprintablePaper,
} from '../../cloudfunctions/forms/paper/render';
import { missingGlyphs } from '../../cloudfunctions/forms/paper/fonts';
import { ASSOCIATION, CERT, CREATED_AT, FILLED, PERSON, readPdfs, ReadPdf, squash, UNIT } from './fixtures';

const MAX_BYTES = 100 * 1024;

/** Every piece of fixed wording a form prints: its labels, headings, signers, stamps. */
function labelsOf(doc: PaperDoc): string[] {
  const out: string[] = [];
  for (const b of doc.blocks) {
    if (b.type === 'table') for (const row of b.rows) for (const c of row) out.push(c.label);
    if (b.type === 'grid') out.push(...b.columns.map((c) => c.label));
    if (b.type === 'sign')
      out.push(...[b.heading, b.stamp, ...(b.signers || []).map((s) => `${s}：`)].filter((s): s is string => !!s));
  }
  return out;
}

/** The blocks' free text: paragraphs and statements (declarations). */
function wordingOf(doc: PaperDoc): string[] {
  return doc.blocks.flatMap((b) =>
    b.type === 'paragraph' ? [b.text] : b.type === 'sign' && b.statement ? [b.statement] : [],
  );
}

interface Rendered {
  kind: PaperKind;
  filled: boolean;
  doc: PaperDoc;
  bytes: number;
  ms: number;
  pdf: ReadPdf;
}

let dir: string;
const rendered = new Map<string, Rendered>();
const key = (kind: PaperKind, filled: boolean) => `${kind}:${filled ? 'filled' : 'blank'}`;
const get = (kind: PaperKind, filled: boolean) => rendered.get(key(kind, filled)) as Rendered;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paper-'));
  const pending: Omit<Rendered, 'pdf'>[] = [];
  const files: string[] = [];
  for (const kind of PAPER_KINDS) {
    for (const filled of [false, true]) {
      const build = PAPERS[kind].build as (d?: unknown) => PaperDoc;
      const doc = build(filled ? FILLED[kind].data : { association: ASSOCIATION, createdAt: CREATED_AT });
      const t0 = process.hrtime.bigint();
      const buf = await renderPaper(doc);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const file = join(dir, `${kind}-${filled ? 'filled' : 'blank'}.pdf`);
      writeFileSync(file, buf);
      files.push(file);
      pending.push({ kind, filled, doc, bytes: buf.length, ms });
    }
  }
  const pdfs = readPdfs(files);
  pending.forEach((r, i) => rendered.set(key(r.kind, r.filled), { ...r, pdf: pdfs[i] }));
  if (process.env.PAPER_REPORT) {
    console.log(
      [...rendered.values()]
        .map(
          (r) =>
            `${r.kind.padEnd(28)} ${r.filled ? 'filled' : 'blank '} ${(r.bytes / 1024).toFixed(1).padStart(6)} KB ${r.ms.toFixed(0).padStart(5)} ms`,
        )
        .join('\n'),
    );
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(PAPER_KINDS)('%s', (kind) => {
  test.each([false, true])(
    'filled=%s: one A4 page with the title, every label and the declaration, both faces embedded as subsets, small',
    (filled) => {
      const r = get(kind, filled);
      expect(r.pdf.pages).toHaveLength(1);
      const [page] = r.pdf.pages;
      expect(page.width).toBeCloseTo(A4_WIDTH, 2);
      expect(page.height).toBeCloseTo(A4_HEIGHT, 2);
      const text = squash(page.text);
      expect(text).toContain(squash(r.doc.title));
      expect(text.startsWith(squash(ASSOCIATION))).toBe(true);
      for (const label of labelsOf(r.doc)) expect(text).toContain(squash(label));
      for (const words of wordingOf(r.doc)) expect(text).toContain(squash(words));
      for (const note of r.doc.notes || []) expect(text).toContain(squash(note));
      // Date lines to fill by hand.
      expect(text).toContain('年月日');
      // Both faces, embedded, only the glyphs used: pdfkit names a subset ABCDEF+PostScriptName.
      const names = r.pdf.fonts.map((f) => f.name).sort();
      expect(names).toEqual([
        expect.stringMatching(/^[A-Z]{6}\+NotoSansSC-Regular$/),
        expect.stringMatching(/^[A-Z]{6}\+NotoSerifSC-Bold$/),
      ]);
      expect(r.pdf.fonts.every((f) => f.embedded)).toBe(true);
      expect(r.bytes).toBeLessThan(MAX_BYTES);
      expect(r.pdf.info).toMatchObject({ Title: r.doc.title, Author: ASSOCIATION, CreationDate: 'D:20250301020000Z' });
    },
  );

  test('filled: every value of the data is printed; blank: no value, the cells are left empty', () => {
    const filled = squash(get(kind, true).pdf.pages[0].text);
    for (const v of FILLED[kind].values) expect(filled).toContain(squash(v));
    expect(filled).toContain('表单编号：ZSBG-2025000123');

    const blank = squash(get(kind, false).pdf.pages[0].text);
    for (const v of FILLED[kind].values.filter((v) => !v.endsWith('申请表'))) expect(blank).not.toContain(squash(v));
    expect(blank).not.toContain('表单编号');
    // The blank template is the filled form without the values: same wording, fewer characters.
    expect(blank.length).toBeLessThan(filled.length);
  });
});

describe('the seed’s wording (中国设备监理协会《专业知识培训人员登记指南》§3.4, §4.1–4.3)', () => {
  const seedLabels = [
    '姓名',
    '性别',
    '身份证号',
    '手机号码',
    '职务',
    '职称',
    '电子邮箱',
    '现从事专业',
    '证书编号',
    '取得证书时间',
    '通信地址',
  ];

  test('延续登记申请表: the applicant’s promise, the employer’s opinion, 经办人/负责人, 联系电话, 单位公章, 年 月 日', () => {
    const text = squash(get('renewal-application', false).pdf.pages[0].text);
    for (const s of [
      '延续登记申请表',
      ...seedLabels,
      '工作单位',
      '本人承诺以上内容真实准确。',
      '申请人(签字)：',
      '工作单位意见',
      '该同志受聘在我单位，以上所填信息属实，同意申请。',
      '经办人/负责人：',
      '联系电话：',
      '单位公章年月日',
    ]) {
      expect(text).toContain(squash(s));
    }
  });

  test('变更登记申请表: the change form’s fields, and the new employer’s opinion', () => {
    const text = squash(get('change-application', false).pdf.pages[0].text);
    for (const s of [
      '变更登记申请表',
      ...seedLabels,
      '原工作单位',
      '变更后工作单位',
      '本人承诺以上内容真实准确。',
      '申请人(签字)：年月日',
      '现工作单位意见',
      '该同志已受聘到我单位，以上所填信息属实，同意申请。',
      '经办人/负责人：联系电话：',
      '单位公章年月日',
    ]) {
      expect(text).toContain(squash(s));
    }
  });

  test('the provincial association’s forms: a declaration, signatures and the unit’s stamp', () => {
    expect(squash(get('business-application', false).pdf.pages[0].text)).toContain(
      '本人承诺所填信息及所附材料真实、准确、完整，如有虚假，愿承担相应责任。',
    );
    expect(squash(get('commitment', false).pdf.pages[0].text)).toContain(
      squash(`${ASSOCIATION}：我单位为下列人员申请办理上述业务，现郑重承诺：`),
    );
    expect(squash(get('cancellation-application', false).pdf.pages[0].text)).toContain('本人自愿申请注销上述证书');
    expect(squash(get('unit-membership-application', false).pdf.pages[0].text)).toContain(
      `我单位自愿申请加入${ASSOCIATION}，成为单位会员。`,
    );
    for (const kind of [
      'business-application',
      'commitment',
      'cancellation-application',
      'unit-membership-application',
    ] as const) {
      expect(squash(get(kind, false).pdf.pages[0].text)).toContain('单位公章年月日');
    }
  });
});

describe('glyph coverage', () => {
  const change = (name: string, extra: Record<string, unknown> = {}) =>
    PAPERS['change-application'].build({
      association: ASSOCIATION,
      createdAt: CREATED_AT,
      person: { ...PERSON, name },
      cert: CERT,
      toUnit: UNIT.name,
      ...extra,
    });

  test('a rare character the font has (堃, 赟, 珺) prints and is read back', async () => {
    expect(missingGlyphs('欧阳堃赟珺')).toEqual([]);
    const file = join(dir, 'rare.pdf');
    writeFileSync(file, await renderPaper(change('欧阳赟珺')));
    expect(squash(readPdfs([file])[0].pages[0].text)).toContain('欧阳赟珺');
  });

  test('a character the font lacks (𠮷 U+20BB7) is refused with a Chinese reason, before pdfkit is even loaded', async () => {
    const doc = change('𠮷田', { fromUnit: '示例𠮷工程有限公司' });
    expect(missingGlyphs('𠮷田')).toEqual(['𠮷']);
    expect(unprintablePaper(doc)).toBe('变更登记申请表中的“𠮷”字无法正确打印，请核对填写的信息或联系协会处理。');
    expect(unprintablePaper(change('欧阳堃'))).toBeNull();

    // Refused before rendering: a pdfkit that fails if constructed is never reached.
    const pdfkit = jest.fn(() => {
      throw new Error('pdfkit must not be reached');
    });
    let render: typeof renderPaper = renderPaper;
    let AppErr: typeof AppError = AppError;
    jest.isolateModules(() => {
      jest.doMock('pdfkit', () => pdfkit);
      render = require('../../cloudfunctions/forms/paper/render').renderPaper;
      AppErr = require('../../miniprogram/shared/errors').AppError;
    });
    const refusal = render(doc);
    await expect(refusal).rejects.toBeInstanceOf(AppErr);
    await expect(refusal).rejects.toMatchObject({ code: 'NOT_ELIGIBLE', message: expect.stringContaining('“𠮷”') });
    expect(pdfkit).not.toHaveBeenCalled();
    jest.dontMock('pdfkit');
  });

  test('the title face is checked too: the association line is drawn in Noto Serif SC', () => {
    const doc = PAPERS['unit-membership-application'].build({ association: '𠮷省建设监理协会' });
    expect(unprintablePaper(doc)).toContain('“𠮷”');
  });
});

describe('layout', () => {
  test('the same document renders byte-identically when its creation date is fixed', async () => {
    const doc = PAPERS['renewal-application'].build(FILLED['renewal-application'].data);
    const [a, b] = [await renderPaper(doc), await renderPaper(doc)];
    expect(a.equals(b)).toBe(true);
  });

  test('long values wrap inside their cells and the form stays on one page', async () => {
    const long =
      '示例省示例市示例区示例街道示例大道中一千二百三十四号示例国际金融中心A座二十八楼二八零一至二八零六室（示例监理有限公司第二分公司）';
    const doc = PAPERS['change-application'].build({
      association: ASSOCIATION,
      person: { ...PERSON, address: long },
      fromUnit: long,
      toUnit: long,
    });
    const file = join(dir, 'long.pdf');
    writeFileSync(file, await renderPaper(doc));
    const [pdf] = readPdfs([file]);
    expect(pdf.pages).toHaveLength(1);
    expect(squash(pdf.pages[0].text).split(long).length - 1).toBe(3);
  });

  test('a commitment covering many people flows onto more A4 pages, the list’s header repeated', async () => {
    const people = Array.from({ length: 40 }, (_, i) => ({
      name: `人员${i + 1}号`,
      idNumber: `44010119880505${String(1000 + i)}`,
      certNo: `GDJL20190${String(10000 + i)}`,
    }));
    const doc = PAPERS.commitment.build({ association: ASSOCIATION, business: '普通会员继续教育', unit: UNIT, people });
    const file = join(dir, 'many.pdf');
    writeFileSync(file, await renderPaper(doc));
    const [pdf] = readPdfs([file]);
    expect(pdf.pages.length).toBeGreaterThanOrEqual(2);
    for (const p of pdf.pages) expect([p.width, p.height]).toEqual([A4_WIDTH, A4_HEIGHT]);
    const all = squash(pdf.pages.map((p) => p.text).join(''));
    for (const p of people) expect(all).toContain(p.name + p.idNumber + p.certNo);
    for (const p of pdf.pages.slice(1)) expect(squash(p.text)).toContain('序号姓名身份证号证书编号');
    expect(squash(pdf.pages[pdf.pages.length - 1].text)).toContain('法定代表人(签字)：');
  });

  test('file names: the title, and the person or unit for a filled form', () => {
    expect(paperFileName(PAPERS['change-application'].build())).toBe('变更登记申请表.pdf');
    expect(paperFileName(PAPERS['change-application'].build(), PERSON.name)).toBe('变更登记申请表-欧阳堃.pdf');
    expect(paperFileName(PAPERS['business-application'].build({ business: '证书变更（单位名称）' }), 'a/b c')).toBe(
      '证书变更（单位名称）申请表-abc.pdf',
    );
  });

  test('the catalogue: six kinds with their titles', () => {
    expect(Object.fromEntries(PAPER_KINDS.map((k) => [k, PAPERS[k].title]))).toEqual({
      'renewal-application': '延续登记申请表',
      'change-application': '变更登记申请表',
      'business-application': '申请表',
      commitment: '单位承诺书',
      'cancellation-application': '注销申请表',
      'unit-membership-application': '单位会员入会申请表',
    });
    for (const k of PAPER_KINDS) expect(PAPERS[k].build().title).toBe(PAPERS[k].title);
  });
});
