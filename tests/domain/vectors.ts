/**
 * Outside test vectors for the identity-number and credit-code validators, and reference
 * implementations of the two check-character systems written from the standards' formulas — in a
 * different shape from production's weight tables — so a wrong table in production cannot also be
 * wrong here. Nothing in this file imports the code under test.
 *
 * Sources (snapshots read 2026):
 * - python-stdnum  arthurdejong/python-stdnum  stdnum/cn/ric.py, stdnum/cn/uscc.py (doctests),
 *                  tests/test_cn_ric.doctest, tests/test_cn_uscc.doctest
 * - hutool         dromara/hutool  hutool-core/src/test/java/cn/hutool/core/util/IdcardUtilTest.java,
 *                  .../core/util/CreditCodeUtilTest.java, .../core/lang/ValidatorTest.java,
 *                  .../core/util/DesensitizedUtilTest.java, javadoc of .../core/util/IdcardUtil.java
 * - stdnum-js      koblas/stdnum-js  src/cn/ric.spec.ts, src/cn/uscc.spec.ts
 * - DataDog/dd-sensitive-data-scanner  sds/src/secondary_validation/chinese_id_checksum.rs
 * - guanguans/id-validator  README-EN.md (港澳台居民居住证 examples)
 * - Edditoria/validid  README.md (HK identity card examples)
 * Numbers marked "derived" are not published: they are bodies chosen here whose check character was
 * computed with `mod11_2` / `mod31` below (the standards' iterative formulas) in a scratch script
 * that is not committed; the tests assert again that the reference functions agree with them.
 */

// ---------------------------------------------------------------------------------------------
// Reference check-character systems
// ---------------------------------------------------------------------------------------------

/**
 * GB 11643-1999 check character, as ISO 7064 MOD 11-2 defines it (pure system, recursive form):
 * P ← 0; for each digit a: P ← 2·(P + a) mod 11; the check value c makes (P + c) ≡ 1 (mod 11);
 * 10 is written X.
 */
export function mod11_2(body17: string): string {
  let p = 0;
  for (const ch of body17) p = (2 * (p + Number(ch))) % 11;
  const c = (12 - p) % 11;
  return c === 10 ? 'X' : String(c);
}

/** GB 32100-2015 code characters, in value order 0–30 (the standard's Table: no I, O, S, V, Z). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * GB 32100-2015 check character: C18 = 31 − (Σ Ci·Wi mod 31), with Wi = 3^(i−1) mod 31 and 31
 * written as 0. Evaluated by Horner's rule from the right (Σ Ci·3^(i−1)), not with a weight table.
 */
export function mod31(body17: string): string {
  let p = 0;
  for (let i = 16; i >= 0; i--) p = (p * 3 + USCC_ALPHABET.indexOf(body17[i])) % 31;
  return USCC_ALPHABET[(31 - p) % 31];
}

/** Mainland province-level codes of GB/T 2260 (the first two digits on resident identity cards). */
export const MAINLAND_PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65,
];

// ---------------------------------------------------------------------------------------------
// Resident identity cards (GB 11643)
// ---------------------------------------------------------------------------------------------

/**
 * Published, fully valid mainland numbers (region, date and check), one for each of the 11 check
 * characters — a wrong check table or weight table in production makes at least one of them fail.
 */
export const RESIDENT_BY_CHECK: Record<
  string,
  { id: string; birthDate: string; gender: 'male' | 'female'; source: string }
> = {
  '0': {
    id: '513231200012121710',
    birthDate: '2000-12-12',
    gender: 'male',
    source: 'DataDog/dd-sensitive-data-scanner chinese_id_checksum.rs',
  },
  '1': {
    id: '360426199101010071',
    birthDate: '1991-01-01',
    gender: 'male',
    source: 'python-stdnum stdnum/cn/ric.py, stdnum-js src/cn/ric.spec.ts',
  },
  '2': {
    id: '412723199010050012',
    birthDate: '1990-10-05',
    gender: 'male',
    source: 'python-stdnum tests/test_cn_ric.doctest',
  },
  '3': {
    id: '120110198012010073',
    birthDate: '1980-12-01',
    gender: 'male',
    source: 'python-stdnum tests/test_cn_ric.doctest',
  },
  '4': {
    id: '513231200012121294',
    birthDate: '2000-12-12',
    gender: 'male',
    source: 'DataDog/dd-sensitive-data-scanner chinese_id_checksum.rs',
  },
  '5': {
    id: '150102198807303035',
    birthDate: '1988-07-30',
    gender: 'male',
    source: 'hutool IdcardUtilTest.java (convert15To18)',
  },
  '6': {
    id: '513231200012121796',
    birthDate: '2000-12-12',
    gender: 'male',
    source: 'DataDog/dd-sensitive-data-scanner chinese_id_checksum.rs',
  },
  '7': {
    id: '110101199003074477',
    birthDate: '1990-03-07',
    gender: 'male',
    source: 'hutool ValidatorTest.java (isCitizenId)',
  },
  '8': {
    id: '110102199101010078',
    birthDate: '1991-01-01',
    gender: 'male',
    source: 'python-stdnum tests/test_cn_ric.doctest',
  },
  '9': {
    id: '321083197812162119',
    birthDate: '1978-12-16',
    gender: 'male',
    source: 'hutool IdcardUtilTest.java (ID_18)',
  },
  X: {
    id: '11010519491231002X',
    birthDate: '1949-12-31',
    gender: 'female',
    source: 'GB 11643-1999 example; hutool, python-stdnum use it too',
  },
};

/** More published valid mainland numbers. */
export const RESIDENT_VALID: string[] = [
  // python-stdnum tests/test_cn_ric.doctest
  '44011320141005001X',
  '120110199212010072',
  '110111198012010078',
  '110201199312010077',
  // stdnum-js src/cn/ric.spec.ts; Edditoria/validid README.md
  '120103198806018241',
  // hutool IdcardUtilTest.java
  '33010219200403064X',
  '321083200807112111',
  '321083200807312113',
  // hutool DesensitizedUtilTest.java
  '51343620000320711X',
  // DataDog/dd-sensitive-data-scanner chinese_id_checksum.rs
  '513231200012121657',
  '513231200012121673',
  '51323120001212169X',
  '513231200012121737',
  '513231200012121753',
  '51323120001212177X',
  '513231200012121817',
  '513231200012121833',
  '51323120001212185X',
  '513231200012121876',
  '513231200012121892',
  // guanguans/id-validator README-EN.md
  '440308199901101512',
];

/**
 * Numbers whose check character is right but which are refused for another reason, with the
 * reason's key phrase.
 */
export const RESIDENT_REFUSED: Array<{ id: string; reason: RegExp; note: string }> = [
  // python-stdnum tests/test_cn_ric.doctest: unknown birth place (check character right)
  { id: '990426199112010074', reason: /地区码/, note: 'region 99' },
  // python-stdnum tests/test_cn_ric.doctest: month 13
  { id: '360426199113010079', reason: /出生日期/, note: 'month 13' },
  // GB 11643-1999's second example (1880-01-01): the check is right, but no member is born before 1900
  { id: '440524188001010014', reason: /出生日期/, note: 'born 1880' },
  // derived: 71 is Taiwan's GB/T 2260 code, never on a mainland card
  { id: '710000199001011237', reason: /地区码/, note: '71 (Taiwan)' },
  { id: '710101198506150029', reason: /地区码/, note: '71 (Taiwan)' },
  // derived: 81/82/83 with anything but 0000 next is neither a resident card nor a residence permit
  { id: '811234199001011236', reason: /地区码/, note: '81 + 1234' },
  { id: '810001199001011237', reason: /地区码/, note: '81 + 0001' },
  { id: '821234198002020043', reason: /地区码/, note: '82 + 1234' },
  { id: '837100197503030059', reason: /地区码/, note: '83 + 7100' },
  // derived: region 00
  { id: '00000019900101123X', reason: /地区码/, note: 'region 00' },
];

/** Published numbers with a wrong check character (or wrong shape). */
export const RESIDENT_BAD_CHECK: string[] = [
  '36042619910102009X', // python-stdnum tests/test_cn_ric.doctest
  '360426199101010072', // stdnum-js src/cn/ric.spec.ts
  '513231200012121293', // DataDog/dd-sensitive-data-scanner chinese_id_checksum.rs
];
export const RESIDENT_BAD_SHAPE: string[] = [
  'T60426199101010078', // python-stdnum tests/test_cn_ric.doctest
  '3301022011022000D6', // hutool IdcardUtilTest.java
  '12345678', // stdnum-js src/cn/ric.spec.ts
];

/**
 * 港澳台居民居住证: published valid numbers (hutool IdcardUtil.java javadoc and IdcardUtilTest.java;
 * guanguans/id-validator README-EN.md). Accepted as idType 'hmt', not as 'resident'.
 */
export const RESIDENCE_PERMITS: Array<{ id: string; birthDate: string; gender: 'male' | 'female' }> = [
  { id: '81000019980902013X', birthDate: '1998-09-02', gender: 'male' },
  { id: '810000201011210153', birthDate: '2010-11-21', gender: 'male' },
  { id: '810000199408230021', birthDate: '1994-08-23', gender: 'female' },
  { id: '820000200009100032', birthDate: '2000-09-10', gender: 'male' },
  { id: '830000200209060065', birthDate: '2002-09-06', gender: 'female' },
  { id: '830000194609150010', birthDate: '1946-09-15', gender: 'male' },
  { id: '83000019810715006X', birthDate: '1981-07-15', gender: 'female' },
  { id: '830000199201300022', birthDate: '1992-01-30', gender: 'female' },
];

/** Hong Kong identity cards: hutool IdcardUtilTest.java (P174468(6)); Edditoria/validid README.md. */
export const HONG_KONG_VALID = ['P174468(6)', 'A5555550', 'AB9876543', 'A123456(3)'];

// ---------------------------------------------------------------------------------------------
// Unified social credit codes (GB 32100-2015)
// ---------------------------------------------------------------------------------------------

/**
 * Published valid codes, one for each of the 31 check characters — all from python-stdnum
 * tests/test_cn_uscc.doctest ("found online and should all be valid numbers").
 */
export const USCC_BY_CHECK: Record<string, string> = {
  '0': '911522010783762860',
  '1': '9115220107837941X1',
  '2': '911522010783917502',
  '3': '91340600MA2PBNE723',
  '4': '914112810713741814',
  '5': '92340603MA2PBN17X5',
  '6': '121200004013590816',
  '7': '91340603MA2UJYNU67',
  '8': '913101203509708598',
  '9': '92340604MA2PBNWH99',
  A: '92340602MA2PEL605A',
  B: '91310115MA1K3BTP2B',
  C: '92340603MA2PELE65C',
  D: '91152201078394644D',
  E: '91620105224521729E',
  F: '91310112087994932F',
  G: '91310116052958608G',
  H: '91620105767728304H',
  J: '91620105784023285J',
  K: '91340600MA2PENCC7K',
  L: '91310116076409427L',
  M: '91152201078382010M',
  N: '92340603MA2PBN2W0N',
  P: '91152201078377449P',
  Q: '91152201078395188Q',
  R: '91340600MA2PBN831R',
  T: '91340600MA2PEP518T',
  U: '91620105556273987U',
  W: '91340600MA2PBN188W',
  X: '91620105750935948X',
  Y: '91340621MA2PEN6Q3Y',
};

/** python-stdnum tests/test_cn_uscc.doctest: the whole list of valid codes found online. */
export const USCC_STDNUM_VALID: string[] = [
  '121200004013590816',
  '911522010783762860',
  '91152201078377449P',
  '9115220107837941X1',
  '91152201078382010M',
  '911522010783917502',
  '91152201078394644D',
  '91152201078395188Q',
  '91310112087994932F',
  '91310115MA1K3BTP2B',
  '91310116052958608G',
  '91310116076409427L',
  '913101203509708598',
  '913205056082348768',
  '91340600MA2PBM9HXD',
  '91340600MA2PBMA74B',
  '91340600MA2PBN188W',
  '91340600MA2PBN831R',
  '91340600MA2PBNE723',
  '91340600MA2PBP2120',
  '91340600MA2PBP6A1W',
  '91340600MA2PENCC7K',
  '91340600MA2PENWF9P',
  '91340600MA2PEP518T',
  '91340600MA2PEP7F5B',
  '91340600MA2PERLJ2D',
  '91340600MA2UJYG49B',
  '91340602MA2UJY3J9W',
  '91340602MA2UJYD90G',
  '91340603MA2UJYN78Q',
  '91340603MA2UJYNU67',
  '91340604MA2PBQBH3P',
  '91340604MA2PEL1X3M',
  '91340621MA2PBPLU08',
  '91340621MA2PEMUHX8',
  '91340621MA2PEN6Q3Y',
  '91340621MA2PEPJB9F',
  '91371082775260043P',
  '914112810713741814',
  '9144030071526726XG',
  '91620100719023721L',
  '91620105224521729E',
  '91620105556273987U',
  '91620105556284969Y',
  '91620105556287545F',
  '91620105571630591E',
  '91620105585923360D',
  '91620105665404165K',
  '9162010567592034XQ',
  '91620105750906995R',
  '91620105750935948X',
  '91620105756580826D',
  '91620105767728304H',
  '91620105784023285J',
  '91620105789620900B',
  '91620105794891756D',
  '91620105L015101280',
  '92340602MA2PBQAH7E',
  '92340602MA2PEL3T3X',
  '92340602MA2PEL605A',
  '92340602MA2UK2TH6F',
  '92340602MA2UK33127',
  '92340603MA2PBMCG0U',
  '92340603MA2PBMD304',
  '92340603MA2PBMQL04',
  '92340603MA2PBMUF7M',
  '92340603MA2PBN17X5',
  '92340603MA2PBN2W0N',
  '92340603MA2PBNK461',
  '92340603MA2PBNLR0R',
  '92340603MA2PBQ7J4K',
  '92340603MA2PBQ7X9E',
  '92340603MA2PBQFT7J',
  '92340603MA2PBQGB6M',
  '92340603MA2PBQHD9N',
  '92340603MA2PBQUC3U',
  '92340603MA2PBQX04X',
  '92340603MA2PBQY862',
  '92340603MA2PEL613K',
  '92340603MA2PELE65C',
  '92340603MA2PELFF5B',
  '92340603MA2PELHL72',
  '92340603MA2PEM480D',
  '92340603MA2PEN9F2E',
  '92340603MA2PENAP06',
  '92340603MA2PENCQ1M',
  '92340603MA2PEP42XF',
  '92340603MA2PEPBN6L',
  '92340603MA2PEPM83M',
  '92340603MA2UJXYJ3P',
  '92340603MA2UJY0W68',
  '92340603MA2UJY2M7F',
  '92340603MA2UJYUM57',
  '92340603MA2UK0KQ72',
  '92340603MA2UK0ME1G',
  '92340603MA2UK0T79E',
  '92340603MA2UK1NC4L',
  '92340603MA2UK1PX9B',
  '92340603MA2UK1TD00',
  '92340603MA2UK1UE56',
  '92340603MA2UK28G4G',
  '92340603MA2UK2P79U',
  '92340603MA2UK2WX6M',
  '92340603MA2UK2XD94',
  '92340603MA2UK31A3N',
  '92340603MA2UK3CP6U',
  '92340603MA2UK3D673',
  '92340603MA2UK3DF0N',
  '92340603MA2UK3DT5H',
  '92340604MA2PBME53K',
  '92340604MA2PBMQK2P',
  '92340604MA2PBMXF6C',
  '92340604MA2PBNDT64',
  '92340604MA2PBNKR4Y',
  '92340604MA2PBNQNXM',
  '92340604MA2PBNR83C',
  '92340604MA2PBNUL9N',
  '92340604MA2PBNWH99',
  '92340604MA2PBNXH5J',
  '92340604MA2PBP1U3Y',
  '92340604MA2PBP7U1T',
  '92340604MA2PBPHC8R',
  '92340604MA2PBPXJ71',
  '92340604MA2PEM4L7X',
  '92340604MA2PEM5Q4E',
  '92340604MA2PENA300',
  '92340604MA2UJYCE59',
  '92340604MA2UJYPN1K',
  '92340604MA2UK03G7D',
  '92340604MA2UK04L4X',
  '92340604MA2UK07529',
  '92340604MA2UK08Y65',
  '92340621MA2PBKRXXG',
  '92340621MA2PBL318W',
  '92340621MA2PBLW63G',
  '92340621MA2PBLWT1Y',
  '92340621MA2PBLX27E',
  '92340621MA2PBM6286',
  '92340621MA2PBMA318',
  '92340621MA2PBMKK45',
  '92340621MA2PBMNMXM',
  '92340621MA2PBMUH3D',
  '92340621MA2PBN0KXX',
  '92340621MA2PBN145R',
  '92340621MA2PBN1962',
  '92340621MA2PBN1H1T',
  '92340621MA2PBN559X',
  '92340621MA2PBNFH07',
  '92340621MA2PBNJ232',
  '92340621MA2PBNTY9Y',
  '92340621MA2PBP431L',
  '92340621MA2PELD34J',
  '92340621MA2PELFR3H',
  '92340621MA2UJRKE7N',
  '92340621MA2UJRL762',
  '92340621MA2UJT9WXP',
  '92340621MA2UJTCK0M',
  '92340621MA2UJTM785',
  '92340621MA2UJTQ22E',
  '92340621MA2UJTTF8R',
  '92340621MA2UJTY74U',
  '92340621MA2UJW4UXQ',
  '92340621MA2UJW690P',
  '92340621MA2UJW703D',
  '92340621MA2UJWA961',
  '92340621MA2UJWCT2H',
  '92340621MA2UJWEE2G',
  '92340621MA2UJWFB49',
  '92340621MA2UJWGB0J',
  '92340621MA2UJWYPX8',
  '92340621MA2UJX6C8T',
  '92340621MA2UJX968M',
  '92340621MA2UJXLD1M',
  '92340621MA2UJY477E',
  '92340621MA2UJYE11E',
  '92340621MA2UJYG57G',
  '92340621MA2UK02XXW',
  '92340621MA2UK08G9K',
  '92340621MA2UK0DA11',
  '92340621MA2UK0G256',
  '92340621MA2UK0J08Q',
  '92340621MA2UK0JX8N',
  '92340621MA2UK0KR5Y',
  '92340621MA2UK1JY92',
  '92340621MA2UK1L38E',
  '92340621MA2UK1MK35',
  '92340621MA2UK1MN8P',
  '92340621MA2UK1PRX7',
  '92340621MA2UK22G6N',
  '92340621MA2UK25H3F',
  '92340621MA2UK2BU8B',
  '92340621MA2UK2CD59',
  '92340621MA2UK2EP62',
  '92340621MA2UK2GJXF',
  '92340621MA2UK2Q24Y',
  '92340621MA2UK2XX21',
  '92340621MA2UK30C35',
  '92340621MA2UK338XJ',
  '92340621MA2UK3C369',
  '92340621MA2UK3CE6L',
];

/** Other published valid codes. */
export const USCC_VALID: string[] = [
  '91110000600037341L', // python-stdnum stdnum/cn/uscc.py; stdnum-js src/cn/uscc.spec.ts
  '91310110666007217T', // hutool CreditCodeUtilTest.java
  '91310115591693856A', // hutool CreditCodeUtilTest.java (isCreditCodeSimple)
  '91350100M000100Y43', // this repo's earlier test
  // National-level registering authority (region 100000), published by the organisation itself:
  '53100000500019795A', // 中国社会福利基金会, registered with 民政部
];

/** Published codes that are refused, and why. */
export const USCC_REFUSED: Array<{ code: string; reason: RegExp; source: string }> = [
  { code: '12345', reason: /18位/, source: 'python-stdnum tests/test_cn_uscc.doctest' },
  { code: '12345678', reason: /18位/, source: 'stdnum-js src/cn/uscc.spec.ts' },
  { code: '9111000060003IOZSV', reason: /I、O、Z、S、V/, source: 'python-stdnum tests/test_cn_uscc.doctest' },
  { code: '91110000600037341N', reason: /校验位/, source: 'python-stdnum tests/test_cn_uscc.doctest' },
  { code: '91110000600037342L', reason: /校验位/, source: 'stdnum-js src/cn/uscc.spec.ts' },
  // stdnum calls this InvalidFormat (letter first); A is a valid department code, the check is what fails
  { code: 'A1110000600037341L', reason: /校验位/, source: 'python-stdnum stdnum/cn/uscc.py' },
  // "early pilot-region codes do not follow the standard"
  { code: '91350211M00013FA1N', reason: /校验位/, source: 'hutool CreditCodeUtilTest.java (isCreditCode2)' },
];

/**
 * Derived (see the header): codes with a right check character that break another rule of the
 * standard.
 */
export const USCC_DERIVED_REFUSED: Array<{ code: string; reason: RegExp; note: string }> = [
  { code: '91A100006000373411', reason: /第3–8位应为行政区划代码（数字）/, note: 'letter in position 3' },
  { code: '91110A006000373418', reason: /第3–8位应为行政区划代码（数字）/, note: 'letter in position 6' },
  { code: '9111000B600037341K', reason: /第3–8位应为行政区划代码（数字）/, note: 'letter in position 8' },
  { code: '91B10000MA1K3BTP11', reason: /第3–8位应为行政区划代码（数字）/, note: 'letter in position 3' },
  { code: '9131011EMA1K3BTP1A', reason: /第3–8位应为行政区划代码（数字）/, note: 'letter in position 8' },
  { code: '91831000MA1K3BTP1H', reason: /行政区划代码不正确/, note: 'region 83 (not in GB/T 2260)' },
  { code: '91991000MA1K3BTP11', reason: /行政区划代码不正确/, note: 'region 99' },
  { code: '91000000MA1K3BTP13', reason: /行政区划代码不正确/, note: 'region 00' },
  { code: '02110000600037341T', reason: /第1位/, note: 'department 0' },
  { code: 'B1110000600037341J', reason: /第1位/, note: 'department B' },
  { code: '9A110000600037341Q', reason: /第2位/, note: 'category A' },
];

/** Derived: valid codes that exercise the rules' edges (letter departments; 71/81/82 regions). */
export const USCC_DERIVED_VALID: string[] = [
  'Y1110000600037341Y', // department Y (其他)
  'N11100006000373417', // department N (农业)
  'A1110000600037341K', // department A (中央军委改革和编制办公室)
  '91710000600037341W', // region 71 (GB/T 2260 lists it)
  '91810000600037341K', // region 81
  '91820000600037341P', // region 82
];
