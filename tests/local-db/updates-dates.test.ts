import { Local, rejection, startLocal } from './helpers';

let L: Local;
const col = () => L.db.collection('plain');
const fresh = async (data: any) => (await col().add({ data })) as { _id: string };
const read = async (id: string) => (await col().doc(id).get()).data;

beforeAll(async () => {
  L = await startLocal();
});
afterAll(() => L.close());

describe('when updating with each db.command update operator', () => {
  const cases: [string, any, (_: any) => any, any][] = [
    ['set (whole value)', { o: { a: 1, b: 2 } }, (_) => ({ o: _.set({ c: 3 }) }), { o: { c: 3 } }],
    ['remove', { a: 1, b: 2 }, (_) => ({ b: _.remove() }), { a: 1 }],
    ['inc', { n: 5 }, (_) => ({ n: _.inc(-2) }), { n: 3 }],
    ['mul', { n: 5 }, (_) => ({ n: _.mul(3) }), { n: 15 }],
    ['min', { n: 5, m: 5 }, (_) => ({ n: _.min(2), m: _.min(9) }), { n: 2, m: 5 }],
    ['max', { n: 5, m: 5 }, (_) => ({ n: _.max(2), m: _.max(9) }), { n: 5, m: 9 }],
    ['rename', { old: 1 }, (_) => ({ old: _.rename('fresh') }), { fresh: 1 }],
    ['push (values)', { arr: [1] }, (_) => ({ arr: _.push([2, 3]) }), { arr: [1, 2, 3] }],
    ['push with each/position', { arr: [1, 4] }, (_) => ({ arr: _.push({ each: [2, 3], position: 1 }) }), { arr: [1, 2, 3, 4] }],
    ['push with each/sort/slice', { arr: [5, 1] }, (_) => ({ arr: _.push({ each: [3, 9], sort: -1, slice: 3 }) }), { arr: [9, 5, 3] }],
    ['pull (value)', { arr: [1, 2, 1, 3] }, (_) => ({ arr: _.pull(1) }), { arr: [2, 3] }],
    ['pull (condition)', { arr: [1, 5, 8] }, (_) => ({ arr: _.pull(_.gt(4)) }), { arr: [1] }],
    ['pullAll', { arr: [1, 2, 3, 2] }, (_) => ({ arr: _.pullAll([2, 3]) }), { arr: [1] }],
    ['addToSet', { arr: [1, 2] }, (_) => ({ arr: _.addToSet(2), other: _.addToSet(7) }), { arr: [1, 2], other: [7] }],
    ['addToSet with $each', { arr: [1] }, (_) => ({ arr: _.addToSet({ $each: [1, 2, 3] }) }), { arr: [1, 2, 3] }],
    ['pop', { arr: [1, 2, 3] }, (_) => ({ arr: _.pop() }), { arr: [1, 2] }],
    ['shift', { arr: [1, 2, 3] }, (_) => ({ arr: _.shift() }), { arr: [2, 3] }],
    ['unshift', { arr: [3] }, (_) => ({ arr: _.unshift([1, 2]) }), { arr: [1, 2, 3] }],
    ['nested operator in a nested object', { o: { n: 1, k: 'x' } }, (_) => ({ o: { n: _.inc(1) } }), { o: { n: 2, k: 'x' } }],
  ];
  test.each(cases)('when applying %s, then the stored document changes accordingly', async (_n, start, update, expected) => {
    const { _id } = await fresh(start);
    const res = await col().doc(_id).update({ data: update(L._) });
    expect(res.stats.updated).toBe(1);
    expect(await read(_id)).toEqual({ _id, ...expected });
  });
});

test('when update() gets a nested plain object, then it merges into the stored object (CloudBase semantics)', async () => {
  const { _id } = await fresh({ o: { a: 1, b: { c: 2, d: 3 } }, k: 1 });
  await col().doc(_id).update({ data: { o: { b: { c: 9 } } } });
  expect(await read(_id)).toEqual({ _id, o: { a: 1, b: { c: 9, d: 3 } }, k: 1 });
});

test('when set() replaces a document, then fields not given are gone and _id stays', async () => {
  const { _id } = await fresh({ o: { a: 1, b: 2 }, k: 1 });
  const res = await col().doc(_id).set({ data: { o: { a: 9 } } });
  expect(res.stats).toEqual({ updated: 1, created: 0 });
  expect(await read(_id)).toEqual({ _id, o: { a: 9 } });
});

test('when set() targets a missing id, then the document is created with that id', async () => {
  const res = await col().doc('made-by-set').set({ data: { v: 1 } });
  expect(res.stats.created).toBe(1);
  expect(await read('made-by-set')).toEqual({ _id: 'made-by-set', v: 1 });
});

test('when update() targets a missing id, then nothing is updated and no document appears', async () => {
  const res = await col().doc('never-there').update({ data: { v: 1 } });
  expect(res.stats.updated).toBe(0);
  expect((await col().where({ _id: 'never-there' }).count()).total).toBe(0);
});

test('when a document is removed by id, then it is gone and get() reports it missing', async () => {
  const { _id } = await fresh({ v: 1 });
  expect((await col().doc(_id).remove()).stats.removed).toBe(1);
  expect(String((await rejection(col().doc(_id).get())).errMsg)).toMatch(/does not exist/);
});

test('when update() tries to change _id, then it is refused', async () => {
  const { _id } = await fresh({ v: 1 });
  await rejection(col().doc(_id).update({ data: { _id: 'other' } }));
  expect(await read(_id)).toEqual({ _id, v: 1 });
});

test('when add() is given an _id, then that id is used and a second add with it is a duplicate (-502001)', async () => {
  expect((await col().add({ data: { _id: 'fixed', v: 1 } }))._id).toBe('fixed');
  expect((await rejection(col().add({ data: { _id: 'fixed', v: 2 } }))).errCode).toBe(-502001);
});

describe('when storing dates', () => {
  test('when a Date is stored, then it comes back as an equal Date object (also nested and in arrays)', async () => {
    const d = new Date('2023-06-15T08:30:00.123Z');
    const old = new Date('1900-01-01T00:00:00.000Z');
    const { _id } = await fresh({ d, nested: { d }, list: [d, old] });
    const doc = await read(_id);
    expect(doc.d).toBeInstanceOf(Date);
    expect(doc.d.getTime()).toBe(d.getTime());
    expect(doc.nested.d.getTime()).toBe(d.getTime());
    expect(doc.list.map((x: Date) => x.getTime())).toEqual([d.getTime(), old.getTime()]);
  });

  test('when db.serverDate() is written, then it becomes the server time (with offset)', async () => {
    const before = Date.now();
    const { _id } = await fresh({ at: L.db.serverDate(), later: L.db.serverDate({ offset: 60_000 }) });
    const after = Date.now();
    const doc = await read(_id);
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(doc.at.getTime()).toBeLessThanOrEqual(after);
    expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);
    await col().doc(_id).update({ data: { touched: L.db.serverDate() } });
    expect((await read(_id)).touched.getTime()).toBeGreaterThanOrEqual(after);
  });

  test('when querying a date range on an indexed date with sort, then the index serves it in order', async () => {
    const people = L.db.collection('people');
    await people.add({
      data: [1, 2, 3, 4].map((d) => ({ idHash: `date-${d}`, unitId: 'dates', createdAt: new Date(Date.UTC(2024, 4, d)) })),
    });
    const res = await people
      .where({ unitId: 'dates', createdAt: L._.gt(new Date(Date.UTC(2024, 4, 1))).and(L._.lte(new Date(Date.UTC(2024, 4, 3)))) })
      .orderBy('createdAt', 'desc')
      .get();
    expect(res.data.map((d: any) => d.idHash)).toEqual(['date-3', 'date-2']);
  });

  test('when comparing with db.serverDate() in a query, then it means the server time', async () => {
    await fresh({ kind: 'past', at: new Date(Date.now() - 3_600_000) });
    await fresh({ kind: 'future', at: new Date(Date.now() + 3_600_000) });
    const res = await col().where({ kind: L._.in(['past', 'future']), at: L._.lt(L.db.serverDate()) }).get();
    expect(res.data.map((d: any) => d.kind)).toEqual(['past']);
  });
});
