import { Local, rejection, startLocal } from './helpers';

let L: Local;
beforeAll(async () => {
  L = await startLocal();
  await L.db.collection('plain').add({
    data: [
      { kind: 'sale', item: 'pen', qty: 2, price: 3, cust: 'c1', at: new Date('2024-01-02T00:00:00Z') },
      { kind: 'sale', item: 'pen', qty: 1, price: 3, cust: 'c2', at: new Date('2024-01-03T00:00:00Z') },
      { kind: 'sale', item: 'ink', qty: 5, price: 7, cust: 'c1', at: new Date('2024-02-01T00:00:00Z') },
      { kind: 'sale', item: 'pad', qty: 1, price: 10, cust: 'c3', at: new Date('2024-02-09T00:00:00Z') },
      { kind: 'other', item: 'x' },
    ],
  });
  await L.db.collection('people').add({
    data: [
      { idHash: 'agg-c1', unitId: 'agg', cid: 'c1', name: 'Ann' },
      { idHash: 'agg-c2', unitId: 'agg', cid: 'c2', name: 'Ben' },
    ],
  });
});
afterAll(() => L.close());

test('when an aggregation matches, groups, sorts, skips, limits and projects, then each stage applies in order', async () => {
  const $ = L.db.command.aggregate;
  const res = await L.db.collection('plain').aggregate()
    .match({ kind: 'sale' })
    .group({ _id: '$item', units: $.sum('$qty'), revenue: $.sum($.multiply(['$qty', '$price'])), last: $.max('$at') })
    .sort({ revenue: -1 })
    .skip(1)
    .limit(2)
    .project({ _id: 0, item: '$_id', revenue: 1, last: 1 })
    .end();
  // revenue: ink 35, pad 10, pen 9 → skip the first, keep two
  expect(res.list).toEqual([
    { item: 'pad', revenue: 10, last: new Date('2024-02-09T00:00:00Z') },
    { item: 'pen', revenue: 9, last: new Date('2024-01-03T00:00:00Z') },
  ]);
});

test('when $unwind and $count run, then arrays are exploded and counted', async () => {
  await L.db.collection('plain').add({ data: { kind: 'bag', tags: ['a', 'b', 'c'] } });
  const res = await L.db.collection('plain').aggregate().match({ kind: 'bag' }).unwind('$tags').count('n').end();
  expect(res.list).toEqual([{ n: 3 }]);
});

test('when $lookup joins a large collection on an indexed field, then each sale gets its customer', async () => {
  const res = await L.db.collection('plain').aggregate()
    .match({ kind: 'sale', cust: L._.in(['c1', 'c2']) })
    .lookup({ from: 'people', localField: 'cust', foreignField: 'cid', as: 'who' })
    .unwind('$who')
    .project({ _id: 0, item: 1, name: '$who.name' })
    .sort({ item: 1, name: 1 })
    .limit(10)
    .end();
  expect(res.list).toEqual([
    { item: 'ink', name: 'Ann' },
    { item: 'pen', name: 'Ann' },
    { item: 'pen', name: 'Ben' },
  ]);
});

test('when $lookup joins a large collection on an unindexed field, then it is refused like any scan', async () => {
  const err = await rejection(
    L.db.collection('plain').aggregate().match({ kind: 'sale' }).lookup({ from: 'people', localField: 'cust', foreignField: 'name', as: 'x' }).end(),
  );
  expect(err.code).toBe('DATABASE_PERMISSION_DENIED');
});

test('when an aggregation has no $limit stage, then at most 20 results come back (CloudBase default)', async () => {
  await L.db.collection('items').add({ data: Array.from({ length: 30 }, (_, i) => ({ code: `agg-${i}`, group: 'agg' })) });
  const noLimit = await L.db.collection('items').aggregate().match({ group: 'agg' }).end();
  expect(noLimit.list).toHaveLength(20);
  const withLimit = await L.db.collection('items').aggregate().match({ group: 'agg' }).limit(100).end();
  expect(withLimit.list).toHaveLength(30);
});
