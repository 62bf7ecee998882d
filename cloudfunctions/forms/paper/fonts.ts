/**
 * The two faces of the paper forms (SIL OFL 1.1, licence beside them in the bundle): Noto Sans SC
 * Regular for everything that varies and the table, Noto Serif SC Bold for the association line and
 * the title. The function bundle carries them in `fonts/` (cloudfunctions/forms/build.json); run from
 * source they are read from node_modules.
 *
 * Each face is parsed once per warm instance with fontkit and handed to pdfkit as a parsed font, so
 * a render neither re-reads 10–15 MB from disk nor re-parses it; pdfkit embeds only the glyphs used
 * (a subset, named `ABCDEF+…` in the PDF).
 *
 * Coverage: a character the face lacks would print as the font's empty box (glyph 0). `missingGlyphs`
 * asks the loaded font itself (`hasGlyphForCodePoint`), and the renderer refuses a document with any
 * such character before drawing anything — as the e-certificates do.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import type { Font } from 'fontkit';

export type PaperFace = 'sans' | 'serif';

const FONT_FILES: Record<PaperFace, { file: string; pkg: string }> = {
  sans: { file: 'NotoSansSC_400Regular.ttf', pkg: '@expo-google-fonts/noto-sans-sc/400Regular' },
  serif: { file: 'NotoSerifSC_700Bold.ttf', pkg: '@expo-google-fonts/noto-serif-sc/700Bold' },
};

/**
 * Where a face's file is: beside the bundle (`fonts/`, the built function), MSP_FONT_DIR, or
 * node_modules when run from source (this file is cloudfunctions/forms/paper/).
 */
export function paperFontPath(face: PaperFace): string {
  const { file, pkg } = FONT_FILES[face];
  const candidates = [
    join(__dirname, 'fonts', file),
    ...(process.env.MSP_FONT_DIR ? [join(process.env.MSP_FONT_DIR, file)] : []),
    join(__dirname, '..', '..', '..', 'node_modules', pkg, file),
    join(process.cwd(), 'node_modules', pkg, file),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`font ${file} not found (looked in ${candidates.join(', ')})`);
  return found;
}

const loaded = new Map<PaperFace, Font>();

/**
 * The parsed face, loaded once per instance. fontkit is required here, not at the top: the `forms`
 * function serves every form action, and only a paper needs it (it is external to the bundle,
 * installed beside pdfkit — build.json).
 */
export function paperFont(face: PaperFace): Font {
  let f = loaded.get(face);
  if (!f) {
    const fontkit = require('fontkit') as typeof import('fontkit');
    f = fontkit.openSync(paperFontPath(face)) as Font;
    loaded.set(face, f);
  }
  return f;
}

/** Characters of `text` that `face` cannot draw (whitespace aside), in order, without repeats. */
export function missingGlyphs(text: string, face: PaperFace = 'sans'): string[] {
  const out = new Set<string>();
  const font = paperFont(face);
  for (const ch of Array.from(text || '')) {
    if (/\s/u.test(ch)) continue;
    if (!font.hasGlyphForCodePoint(ch.codePointAt(0) as number)) out.add(ch);
  }
  return [...out];
}
