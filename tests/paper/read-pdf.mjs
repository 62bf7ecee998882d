/**
 * Reads a PDF back for tests/paper: `node tests/paper/read-pdf.mjs <file.pdf> [more.pdf …]` prints
 * JSON `[{ file, pages: [{ width, height, text }], fonts: [{ name, embedded, type }], info }]`.
 * pdfjs-dist 5 is ESM-only and jest runs CommonJS, so the test runs this as a child process.
 */
import { readFileSync } from 'fs';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

async function read(file) {
  const data = new Uint8Array(readFileSync(file));
  const pdf = await getDocument({
    data,
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  const pages = [];
  const fonts = new Map();
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [, , width, height] = page.view;
    const content = await page.getTextContent();
    // Lines as the reader sees them: items joined, a line break where pdf.js marks one.
    const text = content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join('');
    const ops = await page.getOperatorList();
    for (let i = 0; i < ops.fnArray.length; i++) {
      if (ops.fnArray[i] !== OPS.setFont) continue;
      const id = ops.argsArray[i][0];
      if (fonts.has(id)) continue;
      const f = page.commonObjs.has(id) ? page.commonObjs.get(id) : null;
      fonts.set(
        id,
        f
          ? { name: f.name, embedded: !f.missingFile, type: f.type, subtype: f.subtype }
          : { name: id, embedded: false },
      );
    }
    pages.push({ width, height, text });
    page.cleanup();
  }
  const meta = await pdf.getMetadata();
  await pdf.destroy();
  return { file, pages, fonts: [...fonts.values()], info: meta.info };
}

const out = [];
for (const f of process.argv.slice(2)) out.push(await read(f));
process.stdout.write(JSON.stringify(out));
