import { Local, ids, startLocal } from './helpers';

const D = (s: string) => new Date(`${s}T00:00:00.000Z`);

// The same documents go into `plain` (no indexes: pure mingo) and `items` (every queried field indexed, so the
// SQL planner narrows first, including the multikey `tags` index): both must give the hand-derived answers.
const DOCS = [
  { _id: 'p1', code: 'c1', name: 'Alice', age: 17, score: 10, tags: ['a', 'b'], group: 'g1', meta: { kind: 'x', n: 1 },
    items: [{ sku: 's1', qty: 2 }, { sku: 's2', qty: 5 }], createdAt: D('2024-01-01') },
  { _id: 'p2', code: 'c2', name: 'bob', age: 18, score: 20, tags: ['b'], group: 'g1', meta: { kind: 'y', n: 2 },
    items: [{ sku: 's1', qty: 1 }], createdAt: D('2024-02-01'), note: null },
  { _id: 'p3', code: 'c3', name: 'Carol', age: 30, score: 30, tags: [], group: 'g2', meta: { kind: 'x' }, createdAt: D('2024-03-01') },
  { _id: 'p4', code: 'c4', name: 'dave', age: 60, score: 40, tags: ['c', 'a', 'd'], group: 'g2', createdAt: D('2024-04-01'), flag: true },
  { _id: 'p5', code: 'c5', name: 'Eve', age: 61, score: 50, group: 'g3', meta: { kind: 'z', n: 3 }, createdAt: D('2024-05-01') },
];

let L: Local;
beforeAll(async () => {
  L = await startLocal();
  await L.db.collection('plain').add({ data: DOCS });
  await L.db.collection('items').add({ data: DOCS });
});
afterAll(() => L.close());

type Case = [string, (db: any, _: any) => any, string[]];
const CASES: Case[] = [
  ['eq', (db, _) => ({ age: _.eq(18) }), ['p2']],
  ['plain equality', () => ({ group: 'g1' }), ['p1', 'p2']],
  ['neq', (db, _) => ({ group: _.neq('g1') }), ['p3', 'p4', 'p5']],
  ['lt', (db, _) => ({ age: _.lt(18) }), ['p1']],
  ['lte', (db, _) => ({ age: _.lte(18) }), ['p1', 'p2']],
  ['gt', (db, _) => ({ age: _.gt(60) }), ['p5']],
  ['gte', (db, _) => ({ score: _.gte(40) }), ['p4', 'p5']],
  ['range with and()', (db, _) => ({ age: _.gte(18).and(_.lt(60)) }), ['p2', 'p3']],
  ['in', (db, _) => ({ group: _.in(['g1', 'g3']) }), ['p1', 'p2', 'p5']],
  ['nin', (db, _) => ({ group: _.nin(['g1', 'g3']) }), ['p3', 'p4']],
  ['field or()', (db, _) => ({ age: _.lt(18).or(_.gt(60)) }), ['p1', 'p5']],
  ['top-level or', (db, _) => _.or([{ group: 'g3' }, { name: 'bob' }]), ['p2', 'p5']],
  ['top-level and', (db, _) => _.and([{ group: 'g2' }, { age: _.gt(40) }]), ['p4']],
  ['nor', (db, _) => _.nor([{ group: 'g1' }, { group: 'g2' }]), ['p5']],
  ['not', (db, _) => ({ age: _.not(_.gt(20)) }), ['p1', 'p2']],
  ['exists(true)', (db, _) => ({ flag: _.exists(true) }), ['p4']],
  ['exists(false)', (db, _) => ({ meta: _.exists(false) }), ['p4']],
  ['size', (db, _) => ({ tags: _.size(1) }), ['p2']],
  ['size(0)', (db, _) => ({ tags: _.size(0) }), ['p3']],
  ['elemMatch', (db, _) => ({ items: _.elemMatch({ sku: 's1', qty: _.gt(1) }) }), ['p1']],
  ['all', (db, _) => ({ tags: _.all(['a', 'b']) }), ['p1']],
  ['db.RegExp with options', (db) => ({ name: db.RegExp({ regexp: '^[a-c]', options: 'i' }) }), ['p1', 'p2', 'p3']],
  ['JS RegExp (case-sensitive)', () => ({ name: /^[a-c]/ }), ['p2']],
  ['prefix regex on an indexed field', () => ({ code: /^c[23]/ }), ['p2', 'p3']],
  ['dotted nested path', () => ({ 'meta.kind': 'x' }), ['p1', 'p3']],
  ['nested object (CloudBase flattens it to dotted paths)', () => ({ meta: { kind: 'x' } }), ['p1', 'p3']],
  ['path through an array of objects', () => ({ 'items.sku': 's2' }), ['p1']],
  ['array field equality matches an element', () => ({ tags: 'a' }), ['p1', 'p4']],
  ['in on an array field', (db, _) => ({ tags: _.in(['c', 'b']) }), ['p1', 'p2', 'p4']],
  ['range on an array field', (db, _) => ({ tags: _.gt('c') }), ['p4']],
  ['null matches missing fields', () => ({ 'meta.n': null }), ['p3', 'p4']],
  ['null matches explicit null and missing', (db, _) => ({ note: _.eq(null), group: 'g1' }), ['p1', 'p2']],
  ['date range', (db, _) => ({ createdAt: _.gte(D('2024-02-01')).and(_.lt(D('2024-04-01'))) }), ['p2', 'p3']],
  ['date equality', () => ({ createdAt: D('2024-03-01') }), ['p3']],
  ['_id in', (db, _) => ({ _id: _.in(['p5', 'p1', 'zz']) }), ['p1', 'p5']],
];

describe.each(['plain', 'items'])('when querying the %s collection through the SDK', (coll) => {
  test.each(CASES)('when filtering with %s, then exactly the matching documents come back', async (_name, where, expected) => {
    const q = L.db.collection(coll).where(where(L.db, L._));
    expect(ids(await q.get())).toEqual(expected);
    expect((await q.count()).total).toBe(expected.length);
  });
});

describe('when an indexed field holds values of several types', () => {
  beforeAll(async () => {
    await L.db.collection('items').add({
      data: [
        { code: 'm1', group: 'mix', score: true },
        { code: 'm2', group: 'mix', score: 1 },
        { code: 'm3', group: 'mix', score: '1' },
        { code: 'm4', group: 'mix', score: [1, 7] },
        { code: 'm5', group: 'mix', score: { v: 1 } },
      ],
    });
  });
  const codes = async (where: any) =>
    (await L.db.collection('items').where({ group: 'mix', ...where }).get()).data.map((d: any) => d.code).sort();

  test('then equality follows Mongo types: true is not 1, "1" is not 1, arrays match elements', async () => {
    expect(await codes({ score: 1 })).toEqual(['m2', 'm4']);
    expect(await codes({ score: true })).toEqual(['m1']);
    expect(await codes({ score: '1' })).toEqual(['m3']);
    expect((await L.db.collection('items').where({ score: true }).count()).total).toBe(1);
  });

  test('then ranges only match values of the bound type (arrays by element)', async () => {
    expect(await codes({ score: L._.gte(1) })).toEqual(['m2', 'm4']);
    expect(await codes({ score: L._.gt(5) })).toEqual(['m4']);
    expect(await codes({ score: L._.gte('') })).toEqual(['m3']);
  });
});
