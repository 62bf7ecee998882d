/** `npm test`'s own verdict (issue 9 "a green you can trust"): stale files and exit codes. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { jestVerdict } from '../../scripts/test-verdict';

const dir = mkdtempSync(join(tmpdir(), 'verdict-'));
const file = join(dir, 'jest-results.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (r: object) => writeFileSync(file, JSON.stringify(r));
const green = { numPassedTests: 472, numFailedTests: 0, numRuntimeErrorTestSuites: 0, success: true };

test('when jest died before writing, there is no result file and the run fails', () => {
  rmSync(file, { force: true });
  expect(jestVerdict(1, file)).toMatchObject({ passed: 0, failed: 1 });
});

test('when jest exits non-zero although its file lists no failure, the run fails', () => {
  write(green);
  expect(jestVerdict(1, file)).toMatchObject({ passed: 472, failed: 1 });
  expect(jestVerdict(null, file).failed).toBe(1);
});

test('when the file lists failures, they count whatever the exit status says', () => {
  write({ ...green, numFailedTests: 2, numRuntimeErrorTestSuites: 1, success: false });
  expect(jestVerdict(1, file)).toMatchObject({ failed: 3 });
  expect(jestVerdict(0, file).failed).toBe(3);
});

test('a clean file with exit status 0 is green', () => {
  write(green);
  expect(jestVerdict(0, file)).toEqual({ passed: 472, failed: 0 });
});
