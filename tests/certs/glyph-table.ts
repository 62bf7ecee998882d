/**
 * Builds cloudfunctions/certs/glyphs.ts from the certificate's body font: the code points Noto
 * Sans SC draws, as inclusive ranges. `tests/certs/glyphs.test.ts` checks the checked-in table still
 * matches the font; `UPDATE_CERT_GLYPHS=1` rewrites it (after a font upgrade).
 */
import * as fontkit from 'fontkit';
import { fontPath } from '../../cloudfunctions/certs/render';

export function fontRanges(): number[] {
  const font = fontkit.openSync(fontPath('sans')) as fontkit.Font;
  const cps = [...font.characterSet].filter((c) => font.hasGlyphForCodePoint(c)).sort((a, b) => a - b);
  const out: number[] = [];
  for (const c of cps) {
    if (out.length && out[out.length - 1] === c - 1) out[out.length - 1] = c;
    else out.push(c, c);
  }
  return out;
}

export function glyphModule(ranges: number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < ranges.length; i += 16) lines.push('  ' + ranges.slice(i, i + 16).map((n) => '0x' + n.toString(16)).join(', ') + ',');
  return `/**
 * Which characters the e-certificate can print (SPEC §3.5; NOTES "E-certificates"): the code points
 * of its body font, Noto Sans SC Regular, as inclusive [start, end] pairs — generated from the font
 * (tests/certs/glyph-table.ts; \`UPDATE_CERT_GLYPHS=1\` rewrites it, a test keeps it in step).
 * Small enough for any function: issuing flows refuse a name the certificate would print as a box
 * without loading the 10 MB font.
 */

/** Sorted inclusive ranges: start0, end0, start1, end1, … */
export const CERT_GLYPH_RANGES: readonly number[] = [
${lines.join('\n')}
];

/** Can the certificate font draw this code point? (binary search over the ranges) */
export function printableCodePoint(cp: number): boolean {
  let lo = 0;
  let hi = CERT_GLYPH_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < CERT_GLYPH_RANGES[mid * 2]) hi = mid - 1;
    else if (cp > CERT_GLYPH_RANGES[mid * 2 + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Characters of \`text\` the certificate cannot print (whitespace aside), without repeats. */
export function unprintableChars(text: string): string[] {
  const out = new Set<string>();
  for (const ch of Array.from(text || '')) {
    if (/\\s/.test(ch)) continue;
    if (!printableCodePoint(ch.codePointAt(0) as number)) out.add(ch);
  }
  return [...out];
}
`;
}
