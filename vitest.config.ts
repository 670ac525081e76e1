import { defineConfig } from 'vitest/config';

// Three suites: unit (no network), integration (real local emulators), infra (CDK assertions + cdk-nag).
// Forks, not threads: esbuild bundling inside CDK synth breaks under worker threads (FACTS.md).
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      { test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
