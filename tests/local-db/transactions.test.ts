import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Backend } from '../../local/db';
import { Local, TEST_SCHEMA, rejection, startLocal } from './helpers';

let L: Local;
const acc = () => L.db.collection('acc');
const balance = async (id: string) => (await acc().doc(id).get()).data.n;

beforeAll(async () => {
  L = await startLocal();
});
afterAll(() => L.close());

async function twoAccounts(prefix: string, a = 100, b = 0) {
  await acc().add({ data: [{ _id: `${prefix}A`, n: a }, { _id: `${prefix}B`, n: b }] });
}

test('when a transaction reads two documents and updates both, then both changes are committed', async () => {
  await twoAccounts('c1');
  const result = await L.db.runTransaction(async (t: any) => {
    const a = (await t.collection('acc').doc('c1A').get()).data;
    const b = (await t.collection('acc').doc('c1B').get()).data;
    await t.collection('acc').doc('c1A').update({ data: { n: a.n - 30 } });
    await t.collection('acc').doc('c1B').update({ data: { n: b.n + 30 } });
    return 'moved';
  });
  expect(result).toBe('moved');
  expect([await balance('c1A'), await balance('c1B')]).toEqual([70, 30]);
});

test('when a transaction writes, then it reads its own writes while others still see committed data', async () => {
  await twoAccounts('c2');
  await L.db.runTransaction(async (t: any) => {
    await t.collection('acc').doc('c2A').update({ data: { n: L._.inc(5) } });
    expect((await t.collection('acc').doc('c2A').get()).data.n).toBe(105);
    expect(await balance('c2A')).toBe(100); // outside the transaction: not yet
    await t.collection('acc').doc('c2C').set({ data: { n: 1 } });
    await t.collection('acc').add({ data: { _id: 'c2D', n: 2 } });
    await t.collection('acc').doc('c2B').remove();
    expect((await t.collection('acc').doc('c2C').get()).data).toEqual({ _id: 'c2C', n: 1 });
  });
  expect(await balance('c2A')).toBe(105);
  expect(await balance('c2C')).toBe(1);
  expect(await balance('c2D')).toBe(2);
  expect((await acc().where({ _id: 'c2B' }).count()).total).toBe(0);
});

test('when the callback calls rollback(reason), then runTransaction rejects with the reason and nothing is applied', async () => {
  await twoAccounts('r1');
  const reason = await rejection(
    L.db.runTransaction(async (t: any) => {
      await t.collection('acc').doc('r1A').update({ data: { n: 0 } });
      await t.collection('acc').add({ data: { _id: 'r1X', n: 9 } });
      await t.rollback({ why: 'insufficient funds' });
    }),
  );
  expect(reason).toEqual({ why: 'insufficient funds' });
  expect(await balance('r1A')).toBe(100);
  expect((await acc().where({ _id: 'r1X' }).count()).total).toBe(0);
});

test('when the callback throws, then the error surfaces and nothing is applied', async () => {
  await twoAccounts('r2');
  const err = await rejection(
    L.db.runTransaction(async (t: any) => {
      await t.collection('acc').doc('r2A').update({ data: { n: 0 } });
      throw new Error('boom');
    }),
  );
  expect(err.message).toBe('boom');
  expect(await balance('r2A')).toBe(100);
});

test('when two transactions write the same document, then the second write fails at once as CloudBase answers it (-501001 TransactionConflict), and the first commits', async () => {
  await twoAccounts('k1', 0, 0);
  let arrived = 0;
  let release!: () => void;
  const bothRead = new Promise<void>((r) => (release = r));
  let wrote!: () => void;
  const firstWrote = new Promise<void>((r) => (wrote = r));
  const attempts: Record<string, number> = { x: 0, y: 0 };
  const move = (label: string, second: boolean) =>
    L.db.runTransaction(async (t: any) => {
      attempts[label]++;
      const a = (await t.collection('acc').doc('k1A').get()).data;
      if (++arrived === 2) release();
      await bothRead; // both have read before either writes
      if (second) await firstWrote;
      await t.collection('acc').doc('k1A').update({ data: { n: a.n + 1, last: label } });
      if (!second) wrote();
      return label;
    });
  const [x, y] = await Promise.allSettled([move('x', false), move('y', true)]);
  expect(x).toEqual({ status: 'fulfilled', value: 'x' });
  const e = (y as PromiseRejectedResult).reason;
  expect(e.errCode).toBe(-501001);
  expect(e.message).toMatch(/TransactionConflict/);
  expect(e.code).toBeUndefined(); // not the code runTransaction retries on: the caller retries
  expect(attempts).toEqual({ x: 1, y: 1 });
  expect(await balance('k1A')).toBe(1);
  expect((await acc().doc('k1A').get()).data.last).toBe('x');
});

test('when the document changed behind the transaction’s back, then its write fails at once with the write-conflict shape and nothing of it is applied', async () => {
  await twoAccounts('k2');
  let attempts = 0;
  const err = await rejection(
    L.db.runTransaction(async (t: any) => {
      attempts++;
      const a = (await t.collection('acc').doc('k2A').get()).data;
      await acc().doc('k2A').update({ data: { n: L._.inc(1) } }); // a plain write behind the transaction's back
      await t.collection('acc').doc('k2A').update({ data: { n: a.n - 50 } });
    }),
  );
  expect(err.errCode).toBe(-501001);
  expect(err.message).toMatch(/TransactionConflict/);
  expect(attempts).toBe(1); // the SDK does not retry this shape
  expect(await balance('k2A')).toBe(101); // only the plain write landed
});

test('when two transactions commit over a document one of them only read, then the later commit fails with the commit-time conflict code the SDK retries', async () => {
  await twoAccounts('k3', 5, 0);
  let attempts = 0;
  let gate!: () => void;
  const opened = new Promise<void>((r) => (gate = r));
  const reader = L.db.runTransaction(async (t: any) => {
    attempts++;
    const a = (await t.collection('acc').doc('k3A').get()).data;
    if (attempts === 1) {
      gate();
      await new Promise((r) => setTimeout(r, 50));
    }
    await t.collection('acc').doc('k3B').update({ data: { n: a.n } });
  });
  await opened;
  await acc().doc('k3A').update({ data: { n: 9 } });
  await reader;
  expect(attempts).toBe(2); // retried by runTransaction on the commit-time code
  expect(await balance('k3B')).toBe(9);
});

test('when a transaction commit would break a unique index, then it fails with DATABASE_REQUEST_FAILED (-502001) and nothing is applied', async () => {
  await L.db.collection('items').add({ data: { code: 'tx-taken' } });
  await twoAccounts('u1');
  const err = await rejection(
    L.db.runTransaction(async (t: any) => {
      await t.collection('acc').doc('u1A').update({ data: { n: 1 } });
      await t.collection('items').add({ data: { code: 'tx-taken' } });
    }),
  );
  expect(err.code).toBe('DATABASE_REQUEST_FAILED'); // wx-server-sdk's TCB_ERR_CODE: -502001
  expect(err.message).toMatch(/duplicate key/);
  expect(await balance('u1A')).toBe(100);
  expect((await L.db.collection('items').where({ code: 'tx-taken' }).count()).total).toBe(1);
});

test('when startTransaction() is used directly, then commit applies and a rolled-back transaction applies nothing', async () => {
  await twoAccounts('s1');
  const t1 = await L.db.startTransaction();
  await t1.collection('acc').doc('s1A').update({ data: { n: 1 } });
  await t1.commit();
  const t2 = await L.db.startTransaction();
  await t2.collection('acc').doc('s1B').update({ data: { n: 2 } });
  await t2.rollback();
  expect([await balance('s1A'), await balance('s1B')]).toEqual([1, 0]);
});

test('when a transaction uses where() (not a single doc), then it is refused', async () => {
  const t = await L.db.startTransaction();
  try {
    expect((await rejection(t.collection('acc').where({ n: 1 }).get())).errCode).toBe(-501007);
  } finally {
    await t.rollback();
  }
});

test('when a transaction stays open past its time limit, then it is aborted and its commit fails', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-txlimit-'));
  const b = new Backend({ dataDir: dir, schema: TEST_SCHEMA, txTimeoutMs: 50 });
  try {
    const { transactionId } = await b.handle({ action: 'database.startTransaction' });
    const write = await b.handle({ action: 'database.insertDocument', collectionName: 'acc', transactionId, data: ['{"_id":"late"}'] });
    expect(write.code).toBeUndefined();
    await new Promise((r) => setTimeout(r, 120));
    const commit = await b.handle({ action: 'database.commitTransaction', transactionId });
    expect(commit).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: expect.stringMatching(/open longer than 50 ms/) });
    expect((await b.handle({ action: 'database.calculateDocument', collectionName: 'acc' })).data.total).toBe(0);
  } finally {
    b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
