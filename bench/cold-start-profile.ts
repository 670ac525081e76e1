// `npx tsx bench/cold-start-profile.ts [routeId…]`: where a bundle's cold module load goes. Each handler is built as
// the cold-start bench builds it (infra/bundling.ts), with lines broken every 160 characters so V8's per-line ticks
// can be mapped back to source modules; it is then imported in fresh node processes under --cpu-prof and the CPU
// samples are summed per package or folder. Samples outside the bundle's code (compiling it, GC, node's own module
// loader) are listed under their V8 names. An attribution aid: the bench's load ms stays the measured figure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleFile, esbuildOptions } from '../infra/bundling';
import { routeList } from '../shared/http/routes';
import { groupOf } from './bundle-groups';
import { benchEnv, loadArgs } from './cold-start';
import { table } from './stats';

const runs = Number(process.env.PROFILE_RUNS ?? 10);
const intervalUs = Number(process.env.PROFILE_INTERVAL_US ?? 100);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  positionTicks?: { line: number; ticks: number }[];
}

/** Samples outside the bundle's code, by what they are. */
function outsideBundle({ functionName, url }: ProfileNode['callFrame']): string {
  // wrapSafe compiles a CommonJS module (the bundle); compileSourceTextModule, an ES module.
  if (functionName === 'wrapSafe' || functionName === 'compileSourceTextModule')
    return 'V8: compiling the bundle';
  // node:http's ESM facade reads every export, WebSocket and fetch's included, which loads undici.
  if (url.includes('deps/undici')) return 'node: undici (node:http ESM facade)';
  if (functionName === 'compileForInternalLoader' || functionName === 'requireBuiltin')
    return 'node: loading built-in modules';
  if (!url) return `(${functionName.replace(/^\((.*)\)$/, '$1') || 'anonymous'})`;
  return 'node: other internals';
}

async function profile(name: string, entry: string) {
  const outdir = resolve('.tmp', 'bench', 'profile', name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, 'prof'), { recursive: true });
  await build({ ...esbuildOptions(entry, outdir), lineLimit: 160, logLevel: 'silent' });
  const file = join(outdir, bundleFile);
  const url = pathToFileURL(file).href;
  const map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const out = execFileSync(
      process.execPath,
      loadArgs(file, [
        '--cpu-prof',
        `--cpu-prof-dir=${join(outdir, 'prof')}`,
        `--cpu-prof-interval=${intervalUs}`,
      ]),
      { env: benchEnv(), encoding: 'utf8' },
    );
    ms.push(Number(out.split(' ')[0]));
  }
  const groups = new Map<string, number>();
  const add = (group: string, ticks: number) => groups.set(group, (groups.get(group) ?? 0) + ticks);
  for (const profileFile of readdirSync(join(outdir, 'prof'))) {
    const { nodes } = JSON.parse(readFileSync(join(outdir, 'prof', profileFile), 'utf8')) as {
      nodes: ProfileNode[];
    };
    for (const node of nodes) {
      if (node.callFrame.url !== url) {
        add(outsideBundle(node.callFrame), node.hitCount ?? 0);
        continue;
      }
      for (const { line, ticks } of node.positionTicks ?? []) {
        const found = map.findEntry(line - 1, 0) as { originalSource?: string };
        add(found.originalSource ? groupOf(found.originalSource) : '(bundle, unmapped)', ticks);
      }
    }
  }
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  const msPerTick = intervalUs / 1000 / runs;
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(
    `\n${name} (${entry}): import median ${sorted[Math.floor(runs / 2)]!.toFixed(1)} ms over ${runs} runs; ${(total * msPerTick).toFixed(1)} ms of CPU samples a run`,
  );
  console.log(
    table(
      ['where', 'ms a run', 'share'],
      [...groups]
        .sort((a, b) => b[1] - a[1])
        .filter(([, ticks]) => ticks * msPerTick >= 0.3)
        .map(([group, ticks]) => [
          group,
          (ticks * msPerTick).toFixed(1),
          `${((100 * ticks) / total).toFixed(0)}%`,
        ]),
    ),
  );
}

const wanted = process.argv.slice(2);
await profile('reference', 'bench/reference-handler.ts');
for (const route of routeList.filter((r) => wanted.length === 0 || wanted.includes(r.id))) {
  await profile(route.id, route.handler);
}
