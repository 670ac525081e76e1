// The closing line of `npm test` (scripts/test-summary.mjs) fed vitest 5 JSON reports shaped like real ones.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarize } from '../../scripts/test-summary.mjs';

type Status = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
type FileResult = { name: string; status: 'passed' | 'failed'; message: string; tests: [string, Status][] };

/** A vitest JSON report (`--reporter=json`) with the fields vitest 5 writes, for the given files. */
function report(files: FileResult[], overrides: { success?: boolean } = {}) {
  const tests = files.flatMap((f) => f.tests);
  const count = (status: Status) => tests.filter(([, s]) => s === status).length;
  const failedFiles = files.filter((f) => f.status === 'failed').length;
  return {
    numTotalTestSuites: files.length,
    numPassedTestSuites: files.length - failedFiles,
    numFailedTestSuites: failedFiles,
    numPendingTestSuites: 0,
    numTotalTests: tests.length,
    numPassedTests: count('passed'),
    numFailedTests: count('failed'),
    numPendingTests: count('skipped') + count('pending'),
    numTodoTests: count('todo'),
    startTime: 1_700_000_000_000,
    success: overrides.success ?? (failedFiles === 0 && count('failed') === 0),
    testResults: files.map((f) => ({
      name: `/repo/${f.name}`,
      status: f.status,
      message: f.message,
      startTime: 1_700_000_000_000,
      endTime: 1_700_000_001_000,
      assertionResults: f.tests.map(([title, status]) => ({
        ancestorTitles: [],
        fullName: title,
        title,
        status,
        failureMessages: status === 'failed' ? ['AssertionError: expected 1 to be 2'] : [],
        meta: {},
        tags: [],
      })),
    })),
  };
}

const times = (n: number, status: Status, prefix: string) =>
  Array.from({ length: n }, (_, i): [string, Status] => [`${prefix} ${i}`, status]);

// What vitest wrote when the dev environment's beforeAll synth hit HookTimeoutError: its 33 tests are
// "skipped", numFailedTests is 0, and only the file's status and `success` say something went wrong.
const hookTimedOut: FileResult = {
  name: 'tests/infra/stacks.test.ts',
  status: 'failed',
  message: '',
  tests: [
    ...times(33, 'skipped', 'the dev environment'),
    ...times(33, 'passed', 'the staging environment'),
    ...times(33, 'passed', 'the prod environment'),
  ],
};
const passing = (name: string, n: number): FileResult => ({
  name,
  status: 'passed',
  message: '',
  tests: times(n, 'passed', name),
});

describe('summarize', () => {
  it('counts the tests a failed hook kept from running as failed, not skipped', () => {
    const summary = summarize(
      { infra: report([hookTimedOut, passing('tests/infra/route-mapping.test.ts', 13)]) },
      { root: '/repo' },
    );
    expect(summary.line).toBe('tests: 79 passed, 33 failed, 0 skipped');
    expect(summary.exitCode).toBe(1);
    expect(summary.failedFiles).toEqual([
      {
        suite: 'infra',
        file: 'tests/infra/stacks.test.ts',
        reason: '33 did not run (a hook or the file failed)',
      },
    ]);
  });

  it('counts a file that failed to load as one failure and says why', () => {
    const broken: FileResult = {
      name: 'tests/unit/forms.test.ts',
      status: 'failed',
      message: "Cannot find module './nope' imported from /repo/tests/unit/forms.test.ts",
      tests: [],
    };
    const summary = summarize(
      { unit: report([broken, passing('tests/unit/lunar.test.ts', 4)]) },
      { root: '/repo' },
    );
    expect(summary.line).toBe('tests: 4 passed, 1 failed, 0 skipped');
    expect(summary.exitCode).toBe(1);
    expect(summary.failedFiles[0]?.reason).toMatch(/^Cannot find module/);
  });

  it('counts a file whose afterAll failed after all its tests passed as one failure', () => {
    const cleanupFailed: FileResult = { ...passing('tests/infra/synth-guards.test.ts', 1), status: 'failed' };
    const summary = summarize({ infra: report([cleanupFailed]) }, { root: '/repo' });
    expect(summary.line).toBe('tests: 1 passed, 1 failed, 0 skipped');
    expect(summary.exitCode).toBe(1);
  });

  it('adds failed tests and not-run tests of one file without counting the file again', () => {
    const mixed: FileResult = {
      name: 'tests/integration/dossiers.test.ts',
      status: 'failed',
      message: '',
      tests: [...times(2, 'failed', 'a'), ...times(3, 'skipped', 'b'), ...times(5, 'passed', 'c')],
    };
    expect(summarize({ integration: report([mixed]) }).line).toBe('tests: 5 passed, 5 failed, 0 skipped');
  });

  it('keeps tests skipped in a passing file as skipped and exits 0', () => {
    const withSkip: FileResult = {
      ...passing('tests/unit/calendar.test.ts', 3),
      tests: [...times(3, 'passed', 'p'), ['later', 'todo']],
    };
    const summary = summarize({
      unit: report([withSkip]),
      infra: report([passing('tests/infra/x.test.ts', 2)]),
    });
    expect(summary.line).toBe('tests: 5 passed, 0 failed, 1 skipped');
    expect(summary.exitCode).toBe(0);
  });

  it('fails a run vitest marked unsuccessful even when no file shows a failure', () => {
    const summary = summarize({ unit: report([passing('tests/unit/a.test.ts', 2)], { success: false }) });
    expect(summary.line).toBe('tests: 2 passed, 1 failed, 0 skipped');
    expect(summary.exitCode).toBe(1);
  });

  it('fails when nothing passed', () => {
    expect(summarize({ unit: report([]) }).exitCode).toBe(1);
  });
});

describe('node scripts/test-summary.mjs', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  /** Runs the CLI over a fresh results folder holding these reports. */
  function runWith(reports: Record<string, unknown>) {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-test-summary-'));
    dirs.push(dir);
    for (const [suite, content] of Object.entries(reports)) {
      writeFileSync(join(dir, `${suite}.json`), JSON.stringify(content));
    }
    return spawnSync(process.execPath, ['scripts/test-summary.mjs', dir], { encoding: 'utf8' });
  }
  const unit = report([passing('tests/unit/a.test.ts', 300)]);
  const integration = report([passing('tests/integration/b.test.ts', 7)]);

  it('prints the closing line with the failed hook counted and exits 1', () => {
    const result = runWith({ unit, integration, infra: report([hookTimedOut]) });
    expect(result.stdout.split('\n')[0]).toBe('tests: 373 passed, 33 failed, 0 skipped');
    expect(result.stdout).toContain('stacks.test.ts: 33 did not run (a hook or the file failed)');
    expect(result.status).toBe(1);
  });

  it('exits 0 when every suite passed', () => {
    const result = runWith({ unit, integration, infra: report([passing('tests/infra/c.test.ts', 5)]) });
    expect(result.stdout).toBe('tests: 312 passed, 0 failed, 0 skipped\n');
    expect(result.status).toBe(0);
  });

  it('exits 1 naming the suite whose results are missing', () => {
    const result = runWith({ unit, infra: report([passing('tests/infra/c.test.ts', 5)]) });
    expect(result.stderr).toContain('no results for the integration suite');
    expect(result.status).toBe(1);
  });
});
