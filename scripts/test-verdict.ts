/**
 * How `npm test` reads jest's verdict: the JSON result file of *this* run (the caller deletes any
 * old one first) and jest's exit status must agree, or the run fails. A jest that dies before
 * writing, or writes a clean file and still exits non-zero, is never reported green.
 */
import { readFileSync } from 'fs';

export function jestVerdict(status: number | null, reportFile: string): { passed: number; failed: number; why?: string } {
  let r: { numPassedTests: number; numFailedTests: number; numRuntimeErrorTestSuites: number; success?: boolean };
  try {
    r = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return { passed: 0, failed: 1, why: `jest produced no result file (exit status ${status})` };
  }
  const passed = r.numPassedTests;
  // Suites that failed to run count as failures even when they reported no test.
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  if (status !== 0 && failed === 0)
    return { passed, failed: 1, why: `jest exited with status ${status} although its result file lists no failure` };
  if (status === 0 && (failed > 0 || r.success === false))
    return { passed, failed: Math.max(failed, 1), why: 'jest exited 0 but its result file lists failures' };
  return { passed, failed };
}
