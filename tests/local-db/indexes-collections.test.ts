import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SCHEMA } from '../../cloudfunctions/infra/schema';
import { Backend, UNINDEXED_ERRCODE } from '../../local/db';
import { Local, rejection, startLocal } from './helpers';

let L: Local;
beforeAll(async () => {
  L = await startLocal();
});
afterAll(() => L.close());

describe('when a unique index is declared', () => {
  test('when a second document repeats the unique value, then add fails with -502001 and nothing is stored', async () => {
    const items = L.db.collection('items');
    await items.add({ data: { code: 'u-1', v: 1 } });
    const err = await rejection(items.add({ data: { code: 'u-1', v: 2 } }));
    expect(err.errCode).toBe(-502001);
    expect((await items.where({ code: 'u-1' }).count()).total).toBe(1);
  });

  test('when an update or set would repeat the unique value, then it fails with -502001 and the document is unchanged', async () => {
    const items = L.db.collection('items');
    await items.add({ data: { code: 'u-2' } });
    const { _id } = await items.add({ data: { code: 'u-3', v: 1 } });
    expect((await rejection(items.doc(_id).update({ data: { code: 'u-2' } }))).errCode).toBe(-502001);
    expect((await rejection(items.where({ code: 'u-3' }).update({ data: { code: 'u-2' } }))).errCode).toBe(-502001);
    expect((await rejection(items.doc(_id).set({ data: { code: 'u-2' } }))).errCode).toBe(-502001);
    expect((await items.doc(_id).get()).data).toEqual({ _id, code: 'u-3', v: 1 });
  });

  test('when the index is not sparse, then only one document may miss the field (missing counts as null)', async () => {
    const people = L.db.collection('people');
    await people.add({ data: { unitId: 'nosparse', name: 'first without idHash' } });
    expect((await rejection(people.add({ data: { unitId: 'nosparse', name: 'second' } }))).errCode).toBe(-502001);
    expect((await rejection(people.add({ data: { unitId: 'nosparse', idHash: null } }))).errCode).toBe(-502001);
    expect((await people.where({ unitId: 'nosparse' }).count()).total).toBe(1);
  });

  test('when the index is sparse, then many documents may miss the field but values (and explicit nulls) stay unique', async () => {
    const forms = L.db.collection('forms');
    await forms.add({ data: [{ no: 'F1' }, { no: 'F2' }, { no: 'F3', pendingKey: 'k1' }, { no: 'F4', pendingKey: null }] });
    expect((await rejection(forms.add({ data: { no: 'F5', pendingKey: 'k1' } }))).errCode).toBe(-502001);
    expect((await rejection(forms.add({ data: { no: 'F6', pendingKey: null } }))).errCode).toBe(-502001);
    await forms.add({ data: { no: 'F7' } });
    // clearing the key (remove) frees it for another document
    await forms.where({ no: 'F3' }).update({ data: { pendingKey: L._.remove() } });
    await forms.add({ data: { no: 'F8', pendingKey: 'k1' } });
    expect((await forms.where({ pendingKey: 'k1' }).get()).data.map((d: any) => d.no)).toEqual(['F8']);
  });
});

describe('when a collection is not in the schema', () => {
  test('when it is used before being created, then every operation fails with -502005', async () => {
    const ghost = L.db.collection('ghost');
    for (const p of [ghost.get(), ghost.count(), ghost.add({ data: { a: 1 } }), ghost.where({ a: 1 }).update({ data: { b: 1 } })]) {
      expect((await rejection(p)).errCode).toBe(-502005);
    }
  });

  test('when db.createCollection() creates it, then it works, survives a restart, and creating it again fails', async () => {
    await L.db.createCollection('made');
    await L.db.collection('made').add({ data: { a: 1 } });
    expect((await L.db.collection('made').count()).total).toBe(1);
    await rejection(L.db.createCollection('made'));
    await rejection(L.db.createCollection('items'));
    // a second backend on the same data dir (as after a restart) knows the created collection
    const reopened = new Backend({ dataDir: L.dir, schema: [] });
    try {
      expect(await reopened.handle({ action: 'database.calculateDocument', collectionName: 'made' })).toMatchObject({ data: { total: 1 } });
    } finally {
      reopened.close();
    }
  });
});

describe('when enforceIndexes is on and a collection is large', () => {
  const people = () => L.db.collection('people');
  const refused = async (p: Promise<unknown>) => {
    const err = await rejection(p);
    expect(err.errCode).toBe(UNINDEXED_ERRCODE);
    expect(String(err.errMsg)).toMatch(/not served by any declared index/);
  };
  // wx-server-sdk's aggregate().end() does not map codes to errCode (it reports -1); the CloudBase code stays on err.code
  const refusedAggregate = async (p: Promise<unknown>) => {
    const err = await rejection(p);
    expect(err.code).toBe('DATABASE_PERMISSION_DENIED');
    expect(String(err.message)).toMatch(/not served by any declared index/);
  };

  test('when a query has no condition on an index leading field, then get/count/update/remove/aggregate are refused', async () => {
    await refused(people().where({ name: 'x' }).get());
    await refused(people().where({ name: 'x' }).count());
    await refused(people().where({ name: 'x' }).update({ data: { y: 1 } }));
    await refused(people().where({ name: 'x' }).remove());
    await refusedAggregate(people().aggregate().match({ name: 'x' }).end());
    await refusedAggregate(people().aggregate().group({ _id: '$unitId', n: { $sum: 1 } }).end());
    // a later field of a compound index does not serve on its own
    await refused(people().where({ createdAt: L._.gt(new Date(0)) }).get());
    // $or needs every branch served; $ne/$nin are not index conditions
    await refused(people().where(L._.or([{ unitId: 'u' }, { name: 'x' }])).get());
    await refused(people().where({ unitId: L._.neq('u') }).get());
  });

  test('when a query is served by _id or an index leading field, then it runs', async () => {
    const { _id } = await people().add({ data: { idHash: 'served-1', unitId: 'us', openid: 'o1', name: 'n' } });
    expect((await people().doc(_id).get()).data.name).toBe('n');
    expect((await people().where({ _id: L._.in([_id]) }).get()).data).toHaveLength(1);
    expect((await people().where({ unitId: 'us', name: 'n' }).get()).data).toHaveLength(1);
    expect((await people().where(L._.or([{ unitId: 'us' }, { openid: 'o1' }])).count()).total).toBe(1);
    expect((await people().where({ idHash: /^served-/ }).count()).total).toBe(1);
    expect((await people().aggregate().match({ unitId: 'us' }).count('n').end()).list).toEqual([{ n: 1 }]);
    expect((await people().where({ unitId: 'us' }).update({ data: { seen: true } })).stats.updated).toBe(1);
    expect((await people().count()).total).toBeGreaterThan(0); // whole-collection count reads metadata
  });

  test('when a multikey (array) field is indexed, then element queries are served and exact', async () => {
    const forms = L.db.collection('forms');
    await forms.add({ data: [{ no: 'M1', personHashes: ['h1', 'h2'] }, { no: 'M2', personHashes: ['h2'] }, { no: 'M3', personHashes: ['h3'] }] });
    expect((await forms.where({ personHashes: 'h2' }).get()).data.map((d: any) => d.no).sort()).toEqual(['M1', 'M2']);
    expect((await forms.where({ personHashes: L._.in(['h1', 'h3']) }).count()).total).toBe(2);
  });

  test('when a collection is not large, then unindexed queries still run', async () => {
    expect((await L.db.collection('items').where({ whatever: 1 }).get()).data).toEqual([]);
  });
});

test("when the project's real schema is opened, then every declared index is created", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-schema-'));
  try {
    const b = new Backend({ dataDir: dir, schema: SCHEMA, enforceIndexes: true });
    const names = (b.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as any[]).map((r) => r.name);
    for (const c of SCHEMA) for (const ix of c.indexes) expect(names).toContain(`c:${c.name}$${ix.name}`);
    b.close();
    new Backend({ dataDir: dir, schema: SCHEMA }).close(); // reopening is idempotent
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
