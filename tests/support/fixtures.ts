/** Real files for tests: JPEGs, PNGs and PDFs that real decoders accept, and valid ID numbers. */
import jpegJs from 'jpeg-js';
import { PNG } from 'pngjs';
import { residentCheckChar } from '../../miniprogram/shared/id-number';

/** A real baseline JPEG of w×h with noise (so quality controls the size). */
export function jpeg(width = 120, height = 160, quality = 80, seed = 1): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i += 4) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    data[i] = 200 + (s % 55);
    data[i + 1] = (s >> 8) % 256;
    data[i + 2] = (s >> 16) % 256;
    data[i + 3] = 255;
  }
  return jpegJs.encode({ data, width, height }, quality).data;
}

export function png(width = 64, height = 64): Buffer {
  const img = new PNG({ width, height });
  img.data.fill(180);
  return PNG.sync.write(img);
}

/** A minimal valid one-page PDF, padded to at least `minBytes`. */
export function pdf(minBytes = 0): Buffer {
  const body = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n';
  const pad = Math.max(0, minBytes - body.length - 6);
  return Buffer.from(body + '%'.repeat(pad) + '\n%%EOF');
}

/**
 * A GB 11643-valid mainland ID number for a birth date and gender
 * (region 440106, sequence chosen to match the gender).
 */
export function validIdNumber(birth: string, gender: 'male' | 'female', seq = 12): string {
  const ymd = birth.replace(/-/g, '');
  const s2 = String(seq % 100).padStart(2, '0');
  const genderDigit = gender === 'male' ? 1 : 2;
  const body = `440106${ymd}${s2}${genderDigit}`;
  return body + residentCheckChar(body);
}

/** The same number with a wrong check character. */
export function badChecksum(id: string): string {
  const last = id[17];
  const alt = '10X98765432'.split('').find((c) => c !== last) as string;
  return id.slice(0, 17) + alt;
}

/** The first bytes of an MP4 (an `ftyp` box) — enough for content sniffing. */
export function mp4(bytes = 256): Buffer {
  const head = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1')]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length))]);
}
