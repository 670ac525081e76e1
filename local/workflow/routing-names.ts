// The routing workflow's local function names, and its definition cached on disk: synthesizing it loads aws-cdk-lib
// (about 2 s on 2 cores), which every stack start (each integration test file) would otherwise pay again. The cache
// key is the content of every file the definition comes from and the CDK version, so any change re-synthesizes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../infra/bundling';
import { type RoutingTaskKey, routingTasks } from '../../shared/workflow/tasks';

export const localTaskFunctionName = (key: RoutingTaskKey) => `motcua-local-${routingTasks[key].id}`;

/** The task a local function name stands for, if it is one. */
export function routingTaskOf(functionName: string): RoutingTaskKey | undefined {
  return (Object.keys(routingTasks) as RoutingTaskKey[]).find((key) =>
    functionName.endsWith(localTaskFunctionName(key)),
  );
}

const sources = [
  'infra/workflow/routing-definition.ts',
  'shared/workflow/tasks.ts',
  'local/workflow/routing-machine.ts',
  'local/workflow/routing-names.ts',
  'local/workflow/resolve.ts',
  'node_modules/aws-cdk-lib/package.json',
];

/** `localRoutingDefinition(region)`, from `.tmp/workflow/` when nothing it comes from has changed. */
export async function cachedRoutingDefinition(region: string): Promise<string> {
  const hash = createHash('sha256').update(region);
  for (const file of sources) hash.update(readFileSync(join(repoRoot, file)));
  const dir = join(repoRoot, '.tmp', 'workflow');
  const file = join(dir, `routing-${hash.digest('hex').slice(0, 16)}.asl.json`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const { localRoutingDefinition } = await import('./routing-machine');
    const definition = localRoutingDefinition(region);
    mkdirSync(dir, { recursive: true });
    // Written whole, then renamed: a parallel test file never reads half of it.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, definition);
    renameSync(partial, file);
    return definition;
  }
}
