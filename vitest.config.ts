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
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two files at a time share the emulators (each file has its own tables and stack): on 2 cores
          // 229 tests took ~200 s against ~250 s one file at a time.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          // A beforeAll that synthesizes a whole environment takes ~1 s idle and over 10 s under load;
          // tests/infra/support.ts's synthTimeoutMs gives such a hook the same budget explicitly.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
