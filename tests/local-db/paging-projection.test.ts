import { Local, ids, startLocal } from './helpers';

let L: Local;
const col = () => L.db.collection('plain');
const ns = (res: { data: any[] }) => res.data.map((d) => d.n);

beforeAll(async () => {
  L = await startLocal();
  // 150 docs n=0..149; added in one SDK call (add() with an array)
  await col().add({ data: Array.from({ length: 150 }, (_, n) => ({ n, parity: n % 2, label: `L${n}`, extra: { deep: n } })) });
  // 1100 people of one unit, seeded straight into the backend (no HTTP), createdAt increasing with i
  L.server.backend.insertMany(
    'people',
    Array.from({ length: 1100 }, (_, i) => ({ idHash: `h${i}`, unitId: i < 1050 ? 'u1' : 'u2', i, createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000) })),
  );
});
afterAll(() => L.close());

test('when get() has no limit, then the server returns the default 100 documents', async () => {
  expect((await col().get()).data).toHaveLength(100);
});

test('when limit() is above 1000, then 1000 documents come back (the cap)', async () => {
  const res = await L.db.collection('people').where({ unitId: 'u1' }).limit(2000).get();
  expect(res.data).toHaveLength(1000);
});

test('when ordering by two fields with skip and limit, then the page follows both orders', async () => {
  const res = await col().orderBy('parity', 'asc').orderBy('n', 'desc').skip(3).limit(4).get();
  expect(ns(res)).toEqual([142, 140, 138, 136]);
});

test('when filtering, ordering and paging, then skip/limit apply after the filter', async () => {
  const res = await col().where({ parity: 1, n: L._.gte(100) }).orderBy('n', 'asc').skip(2).limit(3).get();
  expect(ns(res)).toEqual([105, 107, 109]);
});

test('when skipping past the end, then the page is empty', async () => {
  expect((await col().where({ parity: 0 }).skip(75).get()).data).toEqual([]);
});

test('when paging an indexed query sorted by an indexed date, then pages are contiguous and ordered', async () => {
  const page = (skip: number) =>
    L.db.collection('people').where({ unitId: 'u1' }).orderBy('createdAt', 'desc').skip(skip).limit(20).get();
  const [a, b] = [await page(0), await page(20)];
  const is = [...a.data, ...b.data].map((d: any) => d.i);
  expect(is).toEqual(Array.from({ length: 40 }, (_, k) => 1049 - k));
  expect(a.data[0].createdAt).toBeInstanceOf(Date);
});

test('when a projection includes fields, then only they and _id come back', async () => {
  const res = await col().where({ n: 7 }).field({ n: true, 'extra.deep': true }).get();
  expect(res.data).toEqual([{ _id: expect.any(String), n: 7, extra: { deep: 7 } }]);
});

test('when a projection excludes fields, then everything else comes back', async () => {
  const [doc] = (await col().where({ n: 8 }).field({ label: false, extra: false }).get()).data;
  expect(Object.keys(doc).sort()).toEqual(['_id', 'n', 'parity']);
});

test('when doc().field() is used, then the single document is projected', async () => {
  const [{ _id }] = (await col().where({ n: 9 }).get()).data;
  const res = await col().doc(_id).field({ label: true }).get();
  expect(res.data).toEqual({ _id, label: 'L9' });
});

test('when counting with and without a filter, then totals are exact', async () => {
  expect((await col().count()).total).toBe(150);
  expect((await col().where({ parity: 1 }).count()).total).toBe(75);
  expect((await L.db.collection('people').where({ unitId: 'u2' }).count()).total).toBe(50);
});

test('when multi update and multi remove run on a filter, then every match (and only they) change', async () => {
  const upd = await col().where({ n: L._.gte(140) }).update({ data: { tail: true } });
  expect(upd.stats.updated).toBe(10);
  expect((await col().where({ tail: true }).count()).total).toBe(10);
  const rm = await col().where({ tail: true, parity: 0 }).remove();
  expect(rm.stats.removed).toBe(5);
  expect(ids(await col().where({ tail: true }).get())).toHaveLength(5);
  expect((await col().count()).total).toBe(145);
});
