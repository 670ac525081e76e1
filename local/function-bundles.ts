// The local function pool runs what Lambda runs: each handler bundled by esbuild with the options the CDK construct
// uses (infra/bundling.ts), loaded by a plain worker thread with no TypeScript loader. A bundle is rebuilt only
// when one of the files it was built from changed (their sizes and mtimes are kept beside it), so the integration
// suite's many stacks and every `npm start` share the builds.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { bundleFile, esbuildOptions, repoRoot } from '../infra/bundling';

const cacheRoot = join(repoRoot, '.tmp', 'functions');

type Inputs = Record<string, { size: number; mtimeMs: number }>;

function fingerprint(paths: string[]): Inputs {
  const inputs: Inputs = {};
  for (const path of paths) {
    const stat = statSync(resolve(repoRoot, path));
    inputs[path] = { size: stat.size, mtimeMs: stat.mtimeMs };
  }
  return inputs;
}

function unchanged(recorded: Inputs): boolean {
  try {
    const now = fingerprint(Object.keys(recorded));
    return Object.entries(recorded).every(
      ([path, was]) => now[path]!.size === was.size && now[path]!.mtimeMs === was.mtimeMs,
    );
  } catch {
    return false;
  }
}

const building = new Map<string, Promise<string>>();

/** The bundle of `entry` (absolute or repository-relative), built or reused; resolves to its absolute path. */
export function functionBundle(entry: string): Promise<string> {
  const source = resolve(repoRoot, entry);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 16);
  let pending = building.get(key);
  if (!pending) {
    pending = buildOnce(source, join(cacheRoot, key));
    building.set(key, pending);
    pending.catch(() => building.delete(key));
  }
  return pending;
}

async function buildOnce(source: string, dir: string): Promise<string> {
  const file = join(dir, bundleFile);
  const manifest = join(dir, 'inputs.json');
  if (existsSync(file) && existsSync(manifest)) {
    const recorded = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; inputs: Inputs };
    if (recorded.source === source && unchanged(recorded.inputs)) return file;
  }
  mkdirSync(dir, { recursive: true });
  // Built beside and renamed into place, so a process reading the cache never sees half a bundle.
  const staging = join(dir, `build-${process.pid}-${Date.now()}`);
  const result = await build({ ...esbuildOptions(source, staging), metafile: true, logLevel: 'error' });
  const inputs = fingerprint(Object.keys(result.metafile.inputs));
  renameSync(join(staging, `${bundleFile}.map`), `${file}.map`);
  renameSync(join(staging, bundleFile), file);
  writeFileSync(manifest, JSON.stringify({ source, inputs }));
  rmSync(staging, { recursive: true, force: true });
  return file;
}
