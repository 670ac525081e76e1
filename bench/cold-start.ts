// Bundles each handler exactly as the CDK construct does and measures its size and cold module-load time.

import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { bundleFile, esbuildOptions, lambdaNodeOptions } from '../infra/bundling';
import { buckets, tables } from '../shared/data/resources';
import { secrets } from '../shared/data/secrets';
import { routeList } from '../shared/http/routes';
import { ROUTING_STATE_MACHINE_ENV } from '../shared/workflow/tasks';
import { median, table } from './stats';

export interface ColdStartRow {
  name: string;
  bytes: number;
  loadMs: number;
}

const outRoot = join('.tmp', 'bench', 'bundles');

/**
 * What the function construct sets: every table and bucket name, the stage and the public URL (validated at cold
 * start), so each bundle loads as it would in Lambda.
 */
export function benchEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...Object.fromEntries(Object.values(tables).map((t) => [t.envVar, `bench-${t.id}`])),
    ...Object.fromEntries(Object.values(buckets).map((b) => [b.envVar, `bench-${b.id}`])),
    STAGE: 'local',
    PUBLIC_BASE_URL: 'http://localhost:3000',
    CORS_ORIGINS: 'http://localhost:5173',
    AWS_REGION: 'ap-southeast-1',
    LOG_LEVEL: 'silent',
    [ROUTING_STATE_MACHINE_ENV]: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:bench-routing',
    // Read on first use, never at load: an ARN is all a cold start checks.
    [secrets['payment-vnpay'].envVar]:
      'arn:aws:secretsmanager:ap-southeast-1:000000000000:secret:bench-vnpay',
  };
}

/** The node arguments of one timed load: Lambda's node flags (the construct's NODE_OPTIONS), then the script. */
export function loadArgs(file: string, flags: readonly string[] = []): string[] {
  return [...lambdaNodeOptions, ...flags, '--input-type=module', '-e', loadScript(file)];
}

/**
 * The script a fresh node process runs to time one cold module load of a bundle: an ES module, as Lambda's runtime
 * client is, that require()s the `.cjs` bundle as the runtime does and prints the wall time, then, after a space, the
 * CPU time (user + system) of the same load, in ms.
 */
function loadScript(file: string): string {
  const path = JSON.stringify(resolve(file));
  return `import{createRequire}from'node:module';const t=performance.now(),c=process.cpuUsage();createRequire(${path})(${path});const u=process.cpuUsage(c);process.stdout.write(String(performance.now()-t)+' '+String((u.user+u.system)/1000));`;
}

// A fresh node process per sample: that is what a cold start pays for module loading.
function loadTimeMs(file: string, samples: number): number {
  const env = benchEnv();
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const out = execFileSync(process.execPath, loadArgs(file), {
      env,
      encoding: 'utf8',
    });
    times.push(Number(out.split(' ')[0]));
  }
  return median(times);
}

async function bundle(name: string, entry: string) {
  const outdir = join(outRoot, name);
  mkdirSync(outdir, { recursive: true });
  await build({ ...esbuildOptions(entry, outdir), logLevel: 'silent' });
  const file = join(outdir, bundleFile);
  return { file, bytes: statSync(file).size };
}

export async function coldStarts(samples: number): Promise<ColdStartRow[]> {
  const entries = [
    { name: 'reference: middy + DynamoDB document client', entry: 'bench/reference-handler.ts' },
    ...routeList.map((route) => ({ name: route.id, entry: route.handler })),
  ];
  const rows: ColdStartRow[] = [];
  for (const { name, entry } of entries) {
    const { file, bytes } = await bundle(name.startsWith('reference') ? 'reference' : name, entry);
    rows.push({ name, bytes, loadMs: loadTimeMs(file, samples) });
  }
  return rows;
}

/** The cold-start table as `npm run bench` prints it: each bundle beside the reference (the first row). */
export function coldStartTable(rows: readonly ColdStartRow[]): string {
  const reference = rows[0]!;
  return [
    'Handler bundles (esbuild, as the CDK construct builds them) and cold module load (median of fresh processes)',
    table(
      ['bundle', 'size KiB', 'load ms', '× reference load'],
      rows.map((row) => [
        row.name,
        (row.bytes / 1024).toFixed(1),
        row.loadMs.toFixed(1),
        (row.loadMs / reference.loadMs).toFixed(2),
      ]),
    ),
  ].join('\n');
}
