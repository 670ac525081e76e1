import { defineConfig } from 'vitest/config';

// Three suites: unit (no network), integration (real local emulators), infra (CDK assertions + cdk-nag).
// Forks, not threads: esbuild bundling inside CDK synth breaks under worker threads (FACTS.md).
// Timeouts only catch hangs: they are generous so a loaded 2-core machine passes (CONVENTIONS.md, habit 20);
// vitest's defaults (5 s a test, 10 s a hook) fail a CDK synth or a PDF render there.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // vitest's default is one worker fewer than the cores: one worker on 2 cores. Two: 27.8 s -> 18.0 s.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Files share the emulators (each file has its own tables and stack), three at a time: most of a
          // file's time is spent waiting on the emulators, so on 2 cores 247 tests took 234 s with three
          // workers against 253 s with two (and ~330 s one file at a time).
          maxWorkers: 3,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          // One module graph per worker rather than per file: aws-cdk-lib loads once, not 16 times (74 s -> 42 s on
          // 2 cores). The files share no state beyond process.env, which the deploy-account tests restore; green in
          // shuffled file orders too (--sequence.shuffle.files).
          isolate: false,
          // Two workers, not vitest's one on 2 cores (cores - 1): aws-cdk-lib then loads twice, and 40.3 s -> 32.5 s.
          maxWorkers: 2,
          // A beforeAll that synthesizes a whole environment takes ~1 s idle and over 10 s under load;
          // tests/infra/support.ts's synthTimeoutMs gives such a hook the same budget explicitly.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
