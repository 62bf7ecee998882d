import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Backend } from '../../local/db';
import { TEST_SCHEMA } from './helpers';

// Checks that the SQL planner hands SQLite conditions its expression indexes can serve (the speed the benchmark
// depends on), and knows when SQL alone is exact. Results themselves are checked through the SDK elsewhere.
let dir: string;
let b: Backend;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-db-plan-'));
  b = new Backend({ dataDir: dir, schema: TEST_SCHEMA });
  b.insertMany('people', [
    { idHash: 'a', unitId: 'u1', createdAt: new Date(1), openid: 'o' },
    { idHash: 'b', unitId: 'u1', createdAt: new Date(2) },
  ]);
  b.insertMany('items', [{ code: 'x', tags: ['t1', 't2'], score: 1, group: 'g' }, { code: 'y', score: true, group: 'g' }]);
});
afterAll(() => {
  b.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const usesIndex = (plan: string[], name: string) => plan.some((d) => d.includes(`INDEX "c:${name}`) || d.includes(`INDEX c:${name}`));

test('when filtering a page by a compound index prefix sorted by its date, then one index does both without sorting', () => {
  const e = b.explain('people', { unitId: 'u1' }, [['createdAt', -1]]);
  expect(e).toMatchObject({ exact: true, served: true });
  expect(usesIndex(e.sqlite, 'people$unit_created')).toBe(true);
  expect(e.sqlite.join(' ')).not.toMatch(/TEMP B-TREE/);
});

test('when looking up by a unique field or by _id, then the lookup is an index search and exact', () => {
  const byHash = b.explain('people', { idHash: 'a' });
  expect(byHash).toMatchObject({ exact: true, served: true });
  expect(usesIndex(byHash.sqlite, 'people$idHash_unique')).toBe(true);
  const byId = b.explain('people', { _id: { $in: ['1', '2'] } });
  expect(byId.exact).toBe(true);
  expect(byId.sqlite.join(' ')).toMatch(/USING INDEX sqlite_autoindex/);
});

test('when a range on a date is combined with the index prefix, then the index serves the range', () => {
  const e = b.explain('people', { unitId: 'u1', createdAt: { $gte: new Date(0), $lt: new Date(5) } }, [['createdAt', -1]]);
  expect(e).toMatchObject({ exact: true, served: true });
  expect(e.sqlite.join(' ')).toMatch(/SEARCH .*people\$unit_created/);
});

test('when an indexed field held arrays, then element equality uses the multikey rows and is not exact', () => {
  const e = b.explain('items', { tags: 't1' });
  expect(e).toMatchObject({ exact: false, served: true });
  expect(e.sqlite.join(' ')).toMatch(/items\$mk\$k/);
});

test('when an indexed field held numbers and booleans, then numeric equality is narrowed but left to mingo', () => {
  expect(b.explain('items', { score: 1 })).toMatchObject({ exact: false, served: true });
  expect(b.explain('items', { code: 'x' })).toMatchObject({ exact: true, served: true });
});

test('when a condition is not expressible in SQL, then it is not exact, and unindexed fields do not serve', () => {
  expect(b.explain('people', { unitId: 'u1', name: { $ne: 'x' } })).toMatchObject({ exact: false, served: true });
  expect(b.explain('people', { name: 'x' })).toMatchObject({ where: '1', exact: false, served: false });
  expect(b.explain('people', { createdAt: { $gt: new Date(0) } })).toMatchObject({ served: false });
});
