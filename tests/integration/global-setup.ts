// Starts the real local services once for the integration suite: DynamoDB Local (in memory) and s3rver.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, startS3 } from '../../local/emulators';
import { prebuildFunctions } from '../../local/function-pool';

declare module 'vitest' {
  export interface ProvidedContext {
    emulators: { dynamodb: string; s3: string };
  }
}

export default async function setup(project: TestProject) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'motcua-s3-'));
  // Every function bundle, built in one esbuild run while the emulators start, rather than one by one by the files.
  const bundles = prebuildFunctions();
  // A few minutes of tests: the JVM's quick compiler only (local/emulators.ts).
  const dynamodb = await startDynamoDbLocal({ port: 0, quickStart: true });
  const s3 = await startS3({ port: 0, dataDir: s3Dir });
  await bundles;
  project.provide('emulators', { dynamodb: dynamodb.url, s3: s3.url });
  return async () => {
    await s3.stop();
    await dynamodb.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  };
}
