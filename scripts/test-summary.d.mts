// Types of scripts/test-summary.mjs for the TypeScript that imports it (tests/unit/test-summary.test.ts).
export declare const suites: readonly string[];

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  /** Files that failed to run, whose hooks failed or whose tests failed, with a short reason. */
  failedFiles: { suite: string; file: string; reason: string }[];
  /** `tests: <n> passed, <n> failed, <n> skipped` */
  line: string;
  exitCode: 0 | 1;
}

/** Counts vitest JSON reports (`--reporter=json`), one per suite name. */
export declare function summarize(reports: Record<string, unknown>, options?: { root?: string }): Summary;
