/**
 * ID numbers against outside vectors (tests/domain/vectors.ts) and against a reference
 * implementation written from GB 11643 / ISO 7064 rather than from the production code.
 */
import {
  checkIdNumber,
  isResidencePermit,
  maskIdNumber,
  normalizeIdNumber,
  parseResidentId,
  residentCheckChar,
} from '../../miniprogram/shared/id-number';
import {
  HONG_KONG_VALID,
  MAINLAND_PROVINCES,
  mod11_2,
  RESIDENCE_PERMITS,
  RESIDENT_BAD_CHECK,
  RESIDENT_BAD_SHAPE,
  RESIDENT_BY_CHECK,
  RESIDENT_REFUSED,
  RESIDENT_VALID,
} from './vectors';

const TODAY = '2026-11-23';

/** mulberry32: a small deterministic PRNG, so the random candidates are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rules written out once more, independently: is this canonical number acceptable as idType? */
function referenceAccepts(idType: 'resident' | 'hmt', id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const region = id.slice(0, 6);
  const regionOk =
    idType === 'resident'
      ? MAINLAND_PROVINCES.includes(Number(id.slice(0, 2)))
      : ['810000', '820000', '830000'].includes(region);
  if (!regionOk) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  const ymd = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (ymd < '1900-01-01' || ymd > TODAY) return false;
  return mod11_2(id.slice(0, 17)) === id[17];
}

describe('GB 11643 check characters against published numbers', () => {
  test('the published set covers all 11 check characters', () => {
    expect(Object.keys(RESIDENT_BY_CHECK).sort()).toEqual('0123456789X'.split('').sort());
    for (const [c, v] of Object.entries(RESIDENT_BY_CHECK)) expect(v.id[17]).toBe(c);
  });

  test.each(Object.entries(RESIDENT_BY_CHECK))('check character %s: %o', (c, v) => {
    expect(residentCheckChar(v.id.slice(0, 17))).toBe(c);
    expect(parseResidentId(v.id, TODAY)).toEqual({ ok: true, info: { birthDate: v.birthDate, gender: v.gender } });
    expect(checkIdNumber('resident', v.id, TODAY)).toBeNull();
    // Every other check character is refused as a checksum error.
    for (const other of '0123456789X'.replace(c, '')) {
      expect(parseResidentId(v.id.slice(0, 17) + other, TODAY)).toEqual({
        ok: false,
        reason: expect.stringContaining('校验位'),
      });
    }
  });

  test('more published valid numbers are accepted as resident numbers', () => {
    for (const id of RESIDENT_VALID) {
      expect([id, checkIdNumber('resident', id, TODAY)]).toEqual([id, null]);
      expect([id, residentCheckChar(id.slice(0, 17))]).toEqual([id, id[17].toUpperCase()]);
    }
  });

  test('the reference formula reproduces every published check character (so it can judge the rest)', () => {
    const all = [
      ...Object.values(RESIDENT_BY_CHECK).map((v) => v.id),
      ...RESIDENT_VALID,
      ...RESIDENCE_PERMITS.map((p) => p.id),
    ];
    for (const id of all) expect([id, mod11_2(id.slice(0, 17))]).toEqual([id, id[17]]);
    for (const { id } of RESIDENT_REFUSED) expect([id, mod11_2(id.slice(0, 17))]).toEqual([id, id[17]]);
  });

  test('published numbers with a wrong check character or shape are refused', () => {
    for (const id of RESIDENT_BAD_CHECK)
      expect([id, checkIdNumber('resident', id, TODAY)]).toEqual([id, expect.stringContaining('校验位')]);
    for (const id of RESIDENT_BAD_SHAPE)
      expect([id, checkIdNumber('resident', id, TODAY)]).toEqual([id, expect.stringContaining('18位')]);
  });

  test('numbers right in their check character but wrong in region or date are refused with the reason', () => {
    for (const v of RESIDENT_REFUSED) {
      const r = parseResidentId(v.id, TODAY);
      expect([v.note, r.ok ? 'ok' : r.reason]).toEqual([v.note, expect.stringMatching(v.reason)]);
      expect([v.note, checkIdNumber('resident', v.id, TODAY)]).toEqual([v.note, expect.stringMatching(v.reason)]);
      expect([v.note, checkIdNumber('hmt', v.id, TODAY)]).toEqual([v.note, expect.any(String)]);
    }
  });
});

describe('residence permits (港澳台居民居住证) and HK / Macau / Taiwan cards', () => {
  test.each(RESIDENCE_PERMITS)(
    '$id is an hmt document, parsed like a resident number, but not a resident card',
    (p) => {
      expect(isResidencePermit(p.id)).toBe(true);
      expect(checkIdNumber('hmt', p.id, TODAY)).toBeNull();
      expect(parseResidentId(p.id, TODAY)).toEqual({ ok: true, info: { birthDate: p.birthDate, gender: p.gender } });
      expect(checkIdNumber('resident', p.id, TODAY)).toMatch(/港澳台/);
    },
  );

  test('81/82/83 followed by anything but 0000 is refused under both types', () => {
    for (const id of ['811234199001011236', '810001199001011237', '821234198002020043', '837100197503030059']) {
      expect(isResidencePermit(id)).toBe(false);
      expect(checkIdNumber('hmt', id, TODAY)).toMatch(/810000、820000或830000/);
      expect(checkIdNumber('resident', id, TODAY)).toMatch(/地区码/);
    }
  });

  test('71 numbers are refused under both types (not issued on mainland cards; Taiwan permits use 830000)', () => {
    expect(checkIdNumber('resident', '710000199001011237', TODAY)).toMatch(/地区码/);
    expect(checkIdNumber('hmt', '710000199001011237', TODAY)).toMatch(/830000/);
  });

  test('a mainland number under hmt is pointed at the permit rule', () => {
    expect(checkIdNumber('hmt', '11010519491231002X', TODAY)).toMatch(/810000、820000或830000/);
  });

  test('published Hong Kong cards pass with or without parentheses; a wrong check digit does not', () => {
    for (const raw of HONG_KONG_VALID) {
      expect([raw, checkIdNumber('hmt', raw, TODAY)]).toEqual([raw, null]);
      const bare = raw.replace(/[()]/g, '');
      expect([raw, checkIdNumber('hmt', bare, TODAY)]).toEqual([raw, null]);
      const wrong = bare.slice(0, -1) + (bare.endsWith('1') ? '2' : '1');
      expect([wrong, checkIdNumber('hmt', wrong, TODAY)]).toEqual([wrong, expect.stringContaining('格式')]);
    }
    // An unbalanced parenthesis is not a way of writing the number.
    expect(checkIdNumber('hmt', 'A123456(3', TODAY)).toMatch(/格式/);
  });

  test("a published Taiwan card passes; hutool's wrong one does not", () => {
    expect(checkIdNumber('hmt', 'B221690311', TODAY)).toBeNull(); // hutool IdcardUtilTest.java
    expect(checkIdNumber('hmt', 'M517086311', TODAY)).toMatch(/格式/); // hutool IdcardUtilTest.java
  });
});

describe('16k random candidates: production agrees with the reference rules', () => {
  const N = 16_384;
  const rand = rng(20261123);
  const int = (n: number) => Math.floor(rand() * n);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const regions = () => {
    const r = rand();
    if (r < 0.45) return pad(MAINLAND_PROVINCES[int(MAINLAND_PROVINCES.length)], 2) + pad(int(10_000), 4);
    if (r < 0.6) return ['810000', '820000', '830000'][int(3)];
    if (r < 0.7) return ['71', '81', '82', '83'][int(4)] + pad(int(10_000), 4);
    return pad(int(100), 2) + pad(int(10_000), 4);
  };
  const date = () => {
    if (rand() < 0.75) {
      const t = Date.UTC(1890, 0, 1) + int(140 * 365.25) * 86_400_000;
      return new Date(t).toISOString().slice(0, 10).replace(/-/g, '');
    }
    return pad(1890 + int(140), 4) + pad(int(14), 2) + pad(int(33), 2);
  };
  const candidates: string[] = [];
  for (let i = 0; i < N; i++) {
    const body = regions() + date() + pad(int(1000), 3);
    const check = rand() < 0.6 ? mod11_2(body) : '0123456789X'[int(11)];
    candidates.push(body + check);
  }

  test('residentCheckChar equals the ISO 7064 recursive form on every body', () => {
    const wrong = candidates.filter((c) => residentCheckChar(c.slice(0, 17)) !== mod11_2(c.slice(0, 17)));
    expect(wrong).toEqual([]);
  });

  test('checkIdNumber (resident and hmt) accepts exactly what the reference accepts', () => {
    const disagree: string[] = [];
    let accepted = 0;
    for (const c of candidates) {
      for (const t of ['resident', 'hmt'] as const) {
        const prod = checkIdNumber(t, c, TODAY) === null;
        if (prod !== referenceAccepts(t, c)) disagree.push(`${t} ${c}`);
        if (prod) accepted++;
      }
    }
    expect(disagree).toEqual([]);
    // The generator is useful only if a fair share is accepted and a fair share refused.
    expect(accepted).toBeGreaterThan(N * 0.2);
    expect(accepted).toBeLessThan(N * 1.2);
  });
});

describe('normalisation: one number, one canonical form', () => {
  const canonical = '11010519491231002X';
  test.each([
    '11010519491231002x',
    ' 110105 19491231 002X ',
    '110105-19491231-002x',
    '110105\u300019491231\u3000002X', // full-width spaces
    '１１０１０５１９４９１２３１００２Ｘ', // full-width digits and letter
    '１１０１０５－１９４９１２３１－００２ｘ', // full-width hyphen-minus
    '110105\u201419491231\u2010002X', // em dash, hyphen
    '110105\u201319491231\u2212002X', // en dash, minus sign
    '110105\u00a019491231\t002X\n', // no-break space, tab, newline
    '1101\u200b0519491231002X', // zero-width space
  ])('%j → 11010519491231002X, valid, masked from the canonical form', (raw) => {
    expect(normalizeIdNumber(raw)).toBe(canonical);
    expect(checkIdNumber('resident', raw, TODAY)).toBeNull();
    expect(parseResidentId(raw, TODAY).ok).toBe(true);
    expect(maskIdNumber(raw)).toBe('1101**********002X');
  });

  test("the issue's example with spaces: 110101 19900307 4477", () => {
    expect(normalizeIdNumber('110101 19900307 4477')).toBe('110101199003074477');
    expect(checkIdNumber('resident', '110101 19900307 4477', TODAY)).toBeNull();
  });

  test('a Hong Kong card written with or without parentheses, in any width, is one number', () => {
    const forms = ['A123456(3)', 'A1234563', 'a123456(3)', ' A123456 (3) ', 'Ａ１２３４５６（３）', 'A123456-3'];
    for (const f of forms) {
      expect([f, normalizeIdNumber(f)]).toEqual([f, 'A1234563']);
      expect([f, checkIdNumber('hmt', f, TODAY)]).toEqual([f, null]);
      expect([f, maskIdNumber(f)]).toEqual([f, 'A******3']);
    }
    expect(normalizeIdNumber('AB987654(3)')).toBe('AB9876543');
    expect(normalizeIdNumber('P174468(6)')).toBe('P1744686');
  });

  test('a Macau card written with or without parentheses is one number', () => {
    expect(normalizeIdNumber('1234567(8)')).toBe('12345678');
    expect(normalizeIdNumber('12345678')).toBe('12345678');
    expect(checkIdNumber('hmt', '1234567(8)', TODAY)).toBeNull();
    expect(checkIdNumber('hmt', '12345678', TODAY)).toBeNull();
  });

  test('idType other: dashes, spaces and width do not make a second person', () => {
    const forms = ['AB-12345-678', 'AB12345678', 'ab 12345 678', 'ＡＢ－１２３４５－６７８', 'AB\u201412345\u2013678'];
    for (const f of forms) {
      expect([f, normalizeIdNumber(f)]).toEqual([f, 'AB12345678']);
      expect([f, checkIdNumber('other', f, TODAY)]).toEqual([f, null]);
    }
    expect(checkIdNumber('other', 'AB_1234', TODAY)).toMatch(/5-20位/);
    expect(checkIdNumber('other', '- - -', TODAY)).toBe('请填写证件号码');
  });

  test('normalising is idempotent, also on random mixtures of the noise it removes', () => {
    const rand = rng(7);
    const noise = [' ', '\u3000', '-', '\u2014', '\u2010', '\uff0d', '\t'];
    const samples = [
      ...Object.values(RESIDENT_BY_CHECK).map((v) => v.id),
      ...RESIDENCE_PERMITS.map((p) => p.id),
      'A1234563',
      'AB12345678',
    ];
    for (let i = 0; i < 500; i++) {
      const s = samples[i % samples.length];
      let noisy = '';
      for (const ch of s) {
        noisy += rand() < 0.3 ? noise[Math.floor(rand() * noise.length)] : '';
        noisy += rand() < 0.3 && /[0-9A-Z]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch;
      }
      const once = normalizeIdNumber(noisy);
      expect([noisy, once]).toEqual([noisy, s]);
      expect(normalizeIdNumber(once)).toBe(once);
    }
  });
});
