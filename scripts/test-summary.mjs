// Prints one closing line over every suite of `npm test`, from the JSON each vitest run wrote.
// A file that failed to run, or whose hook failed, is a failure even when none of its tests failed.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const suites = ['unit', 'integration', 'infra'];

// Lint forbids .skip and .todo (scripts/no-focused-tests.mjs), so a test that did not run inside a failed
// file was stopped by that failure (a hook that threw or timed out, a worker that died): it failed.
const didNotRun = new Set(['skipped', 'pending', 'todo']);

/**
 * Counts one or more vitest JSON reports (`--reporter=json`).
 * @param {Record<string, any>} reports vitest JSON report per suite name
 * @param {{ root?: string }} [options] paths in `failedFiles` are relative to `root` (the cwd by default)
 */
export function summarize(reports, options = {}) {
  const root = options.root ?? process.cwd();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  /** @type {{ suite: string; file: string; reason: string }[]} */
  const failedFiles = [];
  for (const [suite, report] of Object.entries(reports)) {
    let failedInSuite = 0;
    for (const file of report.testResults ?? []) {
      let bad = 0;
      let notRun = 0;
      for (const test of file.assertionResults ?? []) {
        if (test.status === 'passed') passed += 1;
        else if (test.status === 'failed') bad += 1;
        else if (didNotRun.has(test.status)) notRun += 1;
      }
      if (file.status !== 'failed') {
        skipped += notRun;
        continue;
      }
      // Every failed file weighs at least one: a file that never loaded has no tests to blame.
      const weight = Math.max(1, bad + notRun);
      failed += weight;
      failedInSuite += weight;
      failedFiles.push({ suite, file: relative(root, file.name), reason: reasonOf(file, bad, notRun) });
    }
    // vitest says the run failed but no file shows it (e.g. a report without per-file results).
    if (report.success === false && failedInSuite === 0) {
      failed += 1;
      failedFiles.push({ suite, file: '(run)', reason: 'vitest reported the run as failed' });
    }
  }
  const line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
  return { passed, failed, skipped, failedFiles, line, exitCode: failed > 0 || passed === 0 ? 1 : 0 };
}

/** Why a failed file failed, in a few words. */
function reasonOf(file, bad, notRun) {
  const message = String(file.message ?? '')
    .split('\n')[0]
    ?.trim();
  const parts = [];
  if (bad > 0) parts.push(`${bad} failed`);
  if (notRun > 0) parts.push(`${notRun} did not run (a hook or the file failed)`);
  if (message) parts.push(message);
  if (parts.length === 0) parts.push('a hook failed after its tests passed');
  return parts.join('; ');
}

function main(resultsDir) {
  /** @type {Record<string, any>} */
  const reports = {};
  for (const suite of suites) {
    const file = join(resultsDir, `${suite}.json`);
    if (!existsSync(file)) {
      console.error(`no results for the ${suite} suite (${file})`);
      return 1;
    }
    reports[suite] = JSON.parse(readFileSync(file, 'utf8'));
  }
  const summary = summarize(reports);
  console.log(summary.line);
  for (const { suite, file, reason } of summary.failedFiles)
    console.log(`  failed (${suite}) ${file}: ${reason}`);
  return summary.exitCode;
}

// Run as `node scripts/test-summary.mjs [resultsDir]`; importing it (the unit test) runs nothing.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv[2] ?? join('.tmp', 'results'));
}
