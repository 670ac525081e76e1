// `npx tsx bench/compare-loads.ts <entry.ts|routeId>…`: cold module load of several bundles measured interleaved
// (one fresh process of each, in a shuffled order, per round), so that a shared, noisy machine slows them alike.
// The first argument is the baseline of the ratios (default: the reference). Built and loaded exactly as
// bench/cold-start.ts does; an aid for attributing and comparing, not a replacement for its table.
// BENCH_FLAGS (e.g. `--enable-source-maps`) adds a row per bundle loaded with those node flags besides Lambda's, in
// the same rounds: what a flag in NODE_OPTIONS would cost each cold start.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleFile, esbuildOptions } from '../infra/bundling';
import { routeList } from '../shared/http/routes';
import { benchEnv, loadArgs } from './cold-start';
import { median, table } from './stats';

const rounds = Number(process.env.BENCH_SAMPLES ?? 21);
const extraFlags = (process.env.BENCH_FLAGS ?? '').split(' ').filter(Boolean);
const args = process.argv.slice(2);
const entries = (args.length ? args : ['bench/reference-handler.ts']).map((arg) => {
  const route = routeList.find((r) => r.id === arg);
  return { name: arg, entry: route ? route.handler : arg };
});

const bundles = [];
for (const [i, { name, entry }] of entries.entries()) {
  const outdir = join('.tmp', 'bench', 'compare', String(i));
  mkdirSync(outdir, { recursive: true });
  await build({ ...esbuildOptions(entry, outdir), logLevel: 'silent' });
  const file = join(outdir, bundleFile);
  const bytes = statSync(file).size;
  for (const flags of extraFlags.length ? [[], extraFlags] : [[]]) {
    const label = flags.length ? `${name} ${flags.join(' ')}` : name;
    bundles.push({ name: label, file, flags, bytes, times: [] as number[], cpu: [] as number[] });
  }
}

const env = benchEnv();
for (let round = 0; round < rounds; round += 1) {
  const order = bundles.map((_, i) => i).sort(() => Math.random() - 0.5);
  for (const i of order) {
    // Wall time as bench/cold-start.ts measures it, and the CPU time (user + system) of the same load, which a
    // machine shared with other jobs inflates far less.
    const out = execFileSync(process.execPath, loadArgs(bundles[i]!.file, bundles[i]!.flags), {
      env,
      encoding: 'utf8',
    });
    const [wall, cpu] = out.split(' ').map(Number);
    bundles[i]!.times.push(wall!);
    bundles[i]!.cpu.push(cpu!);
  }
}

const base = median(bundles[0]!.times);
const cpuBase = median(bundles[0]!.cpu);
console.log(`${rounds} interleaved rounds, node ${process.version}`);
console.log(
  table(
    ['bundle', 'size KiB', 'median ms', 'min ms', '× first', 'CPU ms (median)', 'CPU × first'],
    bundles.map((b) => [
      b.name,
      (b.bytes / 1024).toFixed(1),
      median(b.times).toFixed(1),
      Math.min(...b.times).toFixed(1),
      (median(b.times) / base).toFixed(2),
      median(b.cpu).toFixed(1),
      (median(b.cpu) / cpuBase).toFixed(2),
    ]),
  ),
);
