/**
 * The e-certificate (SPEC §3.5 电子证): an SVG template rendered to a 1414×1000 PNG with
 * `@resvg/resvg-js`. Every piece of text is turned into glyph outlines with `fontkit` first, so the
 * renderer needs no system fonts and a character renders exactly as the font draws it — and a
 * character the font lacks is *detected* (glyph 0) and refused before anything is issued, instead of
 * being printed as a box (NOTES "E-certificates").
 *
 * Fonts (SIL OFL 1.1, licence beside them): Noto Sans SC Regular for everything that varies per
 * person, Noto Serif SC Bold for the title, the issuer and the seal. The function bundle carries them
 * in `fonts/` (cloudfunctions/certs/build.json); from source they are read from node_modules.
 * The QR code (error correction M, 6 px a module: decodes from the whole certificate — NOTES) holds
 * the verification URL with the signed token (cert-token.ts).
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import * as fontkit from 'fontkit';
import QRCode from 'qrcode';
import { Resvg, renderAsync } from '@resvg/resvg-js';
import { shanghaiIso } from '../../miniprogram/shared/dates';

export const CERT_WIDTH = 1414;
export const CERT_HEIGHT = 1000;
/** Pixels per QR module: 6 decodes from the full certificate, 2 does not (NOTES). */
export const QR_MODULE_PX = 6;

export interface CertArtwork {
  holderName: string;
  gender: 'male' | 'female';
  idMasked: string;
  type: string;
  no: string;
  specialties: string[];
  unitName: string;
  firstIssuedOn: string;
  renewedOn?: string;
  validUntil: string;
  /** The issuing association (发证单位), also on the seal. */
  issuer: string;
  /** JPEG or PNG bytes of the holder's ID photo, if any. */
  photo?: Buffer | null;
  /** What the QR code carries: the verification URL with the token. */
  verifyUrl: string;
  /** Generation time, printed and watermarked. */
  generatedAt: Date;
}

// ---------- fonts ----------

type Face = 'sans' | 'serif';
const FONT_FILES: Record<Face, { file: string; pkg: string }> = {
  sans: { file: 'NotoSansSC_400Regular.ttf', pkg: '@expo-google-fonts/noto-sans-sc/400Regular' },
  serif: { file: 'NotoSerifSC_700Bold.ttf', pkg: '@expo-google-fonts/noto-serif-sc/700Bold' },
};

/** Where a font file is: beside the bundle (`fonts/`), MSP_FONT_DIR, or node_modules when run from source. */
export function fontPath(face: Face): string {
  const { file, pkg } = FONT_FILES[face];
  const candidates = [
    join(__dirname, 'fonts', file),
    ...(process.env.MSP_FONT_DIR ? [join(process.env.MSP_FONT_DIR, file)] : []),
    join(__dirname, '..', '..', 'node_modules', pkg, file),
    join(process.cwd(), 'node_modules', pkg, file),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`font ${file} not found (looked in ${candidates.join(', ')})`);
  return found;
}

interface LoadedFont {
  face: Face;
  font: fontkit.Font;
  /** SVG path data per glyph id, in font units (y up): built once per warm instance. */
  paths: Map<number, string>;
}
const fonts = new Map<Face, LoadedFont>();

function loaded(face: Face): LoadedFont {
  let f = fonts.get(face);
  if (!f) {
    f = { face, font: fontkit.openSync(fontPath(face)) as fontkit.Font, paths: new Map() };
    fonts.set(face, f);
  }
  return f;
}

/** Characters of `text` that `face` cannot draw (whitespace aside), without repeats. */
export function missingGlyphs(text: string, faces: Face[] = ['sans']): string[] {
  const out = new Set<string>();
  for (const ch of Array.from(text || '')) {
    if (/\s/.test(ch)) continue;
    const cp = ch.codePointAt(0) as number;
    for (const face of faces) if (!loaded(face).font.hasGlyphForCodePoint(cp)) out.add(ch);
  }
  return [...out];
}

/**
 * Every character on the certificate that a font lacks, as a Chinese sentence, or null when all
 * render. The issuer is drawn in both faces (seal and footer); the rest in the body face.
 */
export function unprintable(a: Pick<CertArtwork, 'holderName' | 'type' | 'specialties' | 'unitName' | 'issuer'>): string | null {
  const chars = new Set<string>([
    ...missingGlyphs([a.holderName, a.type, a.specialties.join(''), a.unitName].join('')),
    ...missingGlyphs(a.issuer, ['sans', 'serif']),
  ]);
  if (!chars.size) return null;
  return `证书信息中的“${[...chars].join('”“')}”字无法在电子证书上正确显示，请联系协会核对后处理。`;
}

// ---------- text as outlines ----------

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Math.round(n * 100) / 100).toString();

interface TextOpts {
  face?: Face;
  size: number;
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
  /** Extra space between characters, px. */
  spacing?: number;
  /** Shrink the size so the run fits this width, px. */
  maxWidth?: number;
  opacity?: number;
}

function glyphsOf(face: Face, text: string) {
  const f = loaded(face);
  const glyphs = f.font.glyphsForString(text);
  return { f, glyphs };
}

/** Width of `text` at `size`, px. */
export function textWidth(text: string, size: number, face: Face = 'sans', spacing = 0): number {
  const { f, glyphs } = glyphsOf(face, text);
  const units = glyphs.reduce((w, g) => w + g.advanceWidth, 0);
  return (units * size) / f.font.unitsPerEm + spacing * Math.max(0, glyphs.length - 1);
}

function glyphPath(f: LoadedFont, g: fontkit.Glyph): string {
  let d = f.paths.get(g.id);
  if (d === undefined) {
    d = g.path.toSVG();
    f.paths.set(g.id, d);
  }
  return d;
}

/**
 * One SVG document being built: each distinct glyph is defined once in <defs> and placed with <use>,
 * so repeated characters (the watermark) cost a reference, not another outline to parse.
 */
class SvgDoc {
  private defs = new Map<string, string>();

  glyph(f: LoadedFont, g: fontkit.Glyph): string | null {
    const id = `${f.face[0]}${g.id}`;
    if (!this.defs.has(id)) {
      const d = glyphPath(f, g);
      this.defs.set(id, d ? `<path id="${id}" d="${d}"/>` : '');
    }
    return this.defs.get(id) ? id : null;
  }

  defsSvg(): string {
    return `<defs>${[...this.defs.values()].join('')}</defs>`;
  }

  /** `str` as glyph outlines with its baseline at (x, y). */
  text(str: string, x: number, y: number, o: TextOpts): string {
    const face = o.face || 'sans';
    const spacing = o.spacing || 0;
    let size = o.size;
    let width = textWidth(str, size, face, spacing);
    if (o.maxWidth && width > o.maxWidth) {
      size = (size * o.maxWidth) / width;
      width = textWidth(str, size, face, spacing);
    }
    const { f, glyphs } = glyphsOf(face, str);
    const scale = size / f.font.unitsPerEm;
    const x0 = o.anchor === 'middle' ? x - width / 2 : o.anchor === 'end' ? x - width : x;
    let pen = 0;
    const parts: string[] = [];
    for (const g of glyphs) {
      // Glyph 0 is the font's "missing" box: callers check `unprintable` first; never print one.
      if (g.id === 0 && g.codePoints.some((cp) => !/\s/.test(String.fromCodePoint(cp)))) {
        throw new Error(`unprintable character in certificate text: ${str}`);
      }
      const id = this.glyph(f, g);
      if (id) parts.push(`<use href="#${id}" x="${num(pen)}"/>`);
      pen += g.advanceWidth + spacing / scale;
    }
    const attrs = `fill="${o.fill || '#1f1f1f'}"${o.opacity !== undefined ? ` fill-opacity="${o.opacity}"` : ''}`;
    return `<g ${attrs} transform="translate(${num(x0)} ${num(y)}) scale(${num6(scale)} ${num6(-scale)})">${parts.join('')}</g>`;
  }

  /** Characters set one by one along the top arc of a circle (the seal's issuer ring). */
  arcText(str: string, cx: number, cy: number, r: number, size: number, fill: string): string {
    const chars = Array.from(str);
    const span = Math.min(210, Math.max(60, (chars.length - 1) * 21)); // degrees the ring covers, centred on top
    const out: string[] = [];
    chars.forEach((ch, i) => {
      const deg = -90 - span / 2 + (chars.length === 1 ? span / 2 : (span * i) / (chars.length - 1));
      const rad = (deg * Math.PI) / 180;
      const px = cx + r * Math.cos(rad);
      const py = cy + r * Math.sin(rad);
      out.push(
        `<g transform="translate(${num(px)} ${num(py)}) rotate(${num(deg + 90)})">${this.text(ch, 0, size * 0.4, { face: 'serif', size, fill, anchor: 'middle' })}</g>`,
      );
    });
    return out.join('');
  }
}

const num6 = (n: number) => (Math.round(n * 1e6) / 1e6).toString();

function star(cx: number, cy: number, r: number, fill: string): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? r : r * 0.4;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    pts.push(`${num(cx + rr * Math.cos(a))},${num(cy + rr * Math.sin(a))}`);
  }
  return `<polygon points="${pts.join(' ')}" fill="${fill}"/>`;
}

// ---------- QR ----------

/** The QR code as crisp squares: `px` per module with a 4-module quiet zone; returns its SVG and size. */
export function qrSvg(data: string, x: number, y: number, px = QR_MODULE_PX): { svg: string; size: number } {
  const qr = QRCode.create(data, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const size = (n + quiet * 2) * px;
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) d += `M${x + (c + quiet) * px} ${y + (r + quiet) * px}h${px}v${px}h${-px}z`;
    }
  }
  return {
    svg: `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#ffffff"/><path shape-rendering="crispEdges" fill="#000000" d="${d}"/>`,
    size,
  };
}

// ---------- the template ----------

const RED = '#a61b1b';
const GOLD = '#c8a15a';
const INK = '#1f1f1f';
const GREY = '#6b6b6b';

function sniffImage(buf: Buffer): 'jpeg' | 'png' | null {
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length > 8 && buf.readUInt32BE(0) === 0x89504e47) return 'png';
  return null;
}

/** The certificate as an SVG document (all text already outlines). */
export function certificateSvg(a: CertArtwork): string {
  const W = CERT_WIDTH;
  const H = CERT_HEIGHT;
  const doc = new SvgDoc();
  const generated = shanghaiIso(a.generatedAt).slice(0, 19).replace('T', ' ');
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#fffdf7"/>`);

  // Watermark first, so everything else sits on top of it: the generation time, faint and diagonal.
  const wm = `电子证书 生成于 ${generated}`;
  const marks: string[] = [];
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 2; col++) {
      marks.push(doc.text(wm, 120 + col * 640 + (row % 2) * 240, 170 + row * 230, { size: 24, fill: '#000000', opacity: 0.05 }));
    }
  }
  parts.push(`<g transform="rotate(-18 ${W / 2} ${H / 2})">${marks.join('')}</g>`);

  // Frame.
  parts.push(`<rect x="22" y="22" width="${W - 44}" height="${H - 44}" fill="none" stroke="${RED}" stroke-width="8"/>`);
  parts.push(`<rect x="40" y="40" width="${W - 80}" height="${H - 80}" fill="none" stroke="${GOLD}" stroke-width="2"/>`);

  // Title.
  parts.push(doc.text('培训证书', W / 2, 150, { face: 'serif', size: 76, fill: RED, anchor: 'middle', spacing: 28 }));
  parts.push(doc.text('TRAINING CERTIFICATE', W / 2, 192, { size: 20, fill: GREY, anchor: 'middle', spacing: 6 }));

  // Photo, two-inch proportions (or an empty frame when none is on file).
  const pw = 200;
  const ph = 280;
  const px = 150;
  const py = 250;
  const kind = a.photo ? sniffImage(a.photo) : null;
  if (a.photo && kind) {
    parts.push(
      `<image x="${px}" y="${py}" width="${pw}" height="${ph}" preserveAspectRatio="xMidYMid slice" href="data:image/${kind};base64,${a.photo.toString('base64')}"/>`,
    );
  } else {
    parts.push(`<rect x="${px}" y="${py}" width="${pw}" height="${ph}" fill="#f2f2f2"/>`);
    parts.push(doc.text('照片', px + pw / 2, py + ph / 2 + 10, { size: 28, fill: '#b0b0b0', anchor: 'middle' }));
  }
  parts.push(`<rect x="${px}" y="${py}" width="${pw}" height="${ph}" fill="none" stroke="#c9c9c9" stroke-width="2"/>`);

  // Fields.
  const rows: [string, string][] = [
    ['姓　　名', a.holderName],
    ['性　　别', a.gender === 'female' ? '女' : '男'],
    ['证件号码', a.idMasked],
    ['证书类型', a.type],
    ['证书编号', a.no],
    ['专　　业', a.specialties.filter(Boolean).join('、') || '—'],
    ['工作单位', a.unitName || '—'],
    ['发证日期', a.firstIssuedOn],
    ...(a.renewedOn ? ([['换证日期', a.renewedOn]] as [string, string][]) : []),
    ['有效期至', a.validUntil],
  ];
  const lx = 440;
  const vx = 590;
  const right = W - 110;
  const step = rows.length > 9 ? 50 : 55;
  rows.forEach(([label, value], i) => {
    const y = 285 + i * step;
    parts.push(doc.text(label, lx, y, { size: 26, fill: GREY }));
    parts.push(doc.text(value, vx, y, { size: i === 0 ? 34 : 28, fill: INK, maxWidth: right - vx }));
    parts.push(`<rect x="${vx}" y="${y + 12}" width="${right - vx}" height="1" fill="#e6dcc6"/>`);
  });

  // QR code with its caption, bottom left under the photo.
  const probe = qrSvg(a.verifyUrl, 0, 0);
  const qx = Math.round(px + pw / 2 - probe.size / 2);
  const qy = 580;
  parts.push(qrSvg(a.verifyUrl, qx, qy).svg);
  parts.push(doc.text('扫码验证证书真伪', px + pw / 2, qy + probe.size + 28, { size: 20, fill: GREY, anchor: 'middle' }));

  // Bottom right: the issuer's name and the date, and the seal beside them — never over the name
  // (issue 13: it must stay readable).
  const sx = right - 86;
  const sy = 840;
  parts.push(doc.text(`发证单位：${a.issuer}`, sx - 110, 852, { face: 'serif', size: 28, fill: INK, anchor: 'end', maxWidth: 620 }));
  parts.push(doc.text(generated.slice(0, 10), sx - 110, 894, { size: 22, fill: GREY, anchor: 'end' }));
  parts.push(
    `<g opacity="0.8"><circle cx="${sx}" cy="${sy}" r="86" fill="none" stroke="#d0021b" stroke-width="5"/>` +
      doc.arcText(a.issuer, sx, sy, 63, 22, '#d0021b') +
      star(sx, sy - 4, 24, '#d0021b') +
      doc.text('培训专用章', sx, sy + 48, { face: 'serif', size: 16, fill: '#d0021b', anchor: 'middle', spacing: 1 }) +
      '</g>',
  );

  // Footer: what this is and when it was made.
  parts.push(
    doc.text(`本电子证书与纸质证书具有同等效力，真伪以扫码核验结果为准。生成时间：${generated}`, W / 2, H - 58, {
      size: 16,
      fill: GREY,
      anchor: 'middle',
    }),
  );

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><title>${esc(a.no)}</title>` +
    doc.defsSvg() +
    parts.join('') +
    '</svg>'
  );
}

const RESVG_OPTS = { font: { loadSystemFonts: false }, fitTo: { mode: 'original' as const }, background: '#ffffff' };

/** Render synchronously (one certificate on request). */
export function renderCertificate(a: CertArtwork): Buffer {
  return new Resvg(certificateSvg(a), RESVG_OPTS).render().asPng();
}

/** Render on libuv's thread pool: a batch keeps the event loop (downloads, uploads) moving meanwhile. */
export async function renderCertificateAsync(a: CertArtwork): Promise<Buffer> {
  const img = await renderAsync(certificateSvg(a), RESVG_OPTS);
  return img.asPng();
}

let gc: (() => void) | null | undefined;

/**
 * Run a full garbage collection, if the runtime lets us. A rendered image's pixels live in native
 * memory that V8 does not count, so a loop of renders grows by megabytes per certificate until V8
 * happens to collect; the batch calls this every few renders (NOTES: a tight loop reached 450 MB).
 * Cloud functions cannot pass `--expose-gc`, so it is switched on at run time.
 */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  if (gc) gc();
  return !!gc;
}
