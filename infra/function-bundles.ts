// One build of each function, shared by everything that needs it: the local function pool runs it, `cdk synth`
// packages it (infra/constructs/motcua-function.ts), so the embedded stack runs exactly the bytes Lambda gets. Each
// handler is bundled by esbuild with the options of infra/bundling.ts; a bundle is rebuilt only when the options, the
// esbuild version or one of the files it was built from changed. Beside each bundle its manifest keeps every input's
// size, mtime and SHA-256: the pool trusts an unchanged size and mtime (it starts for every test file), a deploy's
// synth re-hashes every input, so a stale bundle can never ship.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { build, version as esbuildVersion, type Metafile } from 'esbuild';
import { bundleFile, esbuildOptions, repoRoot } from './bundling';

const cacheRoot = join(repoRoot, '.tmp', 'functions');

/** How much a cached bundle's inputs are checked before it is reused. */
type Verify = 'stat' | 'content';

interface Input {
  size: number;
  mtimeMs: number;
  sha256: string;
}

interface Manifest {
  source: string;
  /** The esbuild version and options the bundle was built with. */
  build: string;
  inputs: Record<string, Input>;
}

// Within one process a file is hashed once, for as long as its size and mtime hold.
const hashes = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

function describe(path: string): Input {
  const absolute = resolve(repoRoot, path);
  const { size, mtimeMs } = statSync(absolute);
  const known = hashes.get(absolute);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return known;
  const input = { size, mtimeMs, sha256: createHash('sha256').update(readFileSync(absolute)).digest('hex') };
  hashes.set(absolute, input);
  return input;
}

// A plugin is code, not options: its source is part of the key, so a changed plugin rebuilds every bundle. Read once
// per process, as the options are fixed for its life.
let pluginSource: string | undefined;

function buildKey(source: string): string {
  const { absWorkingDir: _, ...options } = esbuildOptions(source, 'out');
  pluginSource ??= readFileSync(join(repoRoot, 'infra', 'schema-shaking.ts'), 'utf8');
  return createHash('sha256')
    .update(JSON.stringify({ esbuildVersion, options, plugins: pluginSource }))
    .digest('hex');
}

function reusable(dir: string, source: string, verify: Verify): boolean {
  const manifestFile = join(dir, 'inputs.json');
  if (!existsSync(join(dir, bundleFile)) || !existsSync(manifestFile)) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (manifest.source !== source || manifest.build !== buildKey(source)) return false;
    return Object.entries(manifest.inputs).every(([path, was]) => {
      if (verify === 'stat') {
        const now = statSync(resolve(repoRoot, path));
        if (now.size === was.size && now.mtimeMs === was.mtimeMs) return true;
      }
      return describe(path).sha256 === was.sha256;
    });
  } catch {
    return false;
  }
}

function cacheDir(source: string): string {
  return join(cacheRoot, createHash('sha256').update(source).digest('hex').slice(0, 16));
}

// Built beside and renamed into place, so another process reading the cache never sees half a bundle. Beside, at
// the same depth: the source map names its sources relative to where it was written.
function stagingDir(dir: string): string {
  return `${dir}.build-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function install(dir: string, staging: string, source: string, inputs: Record<string, unknown>) {
  const file = join(dir, bundleFile);
  const manifest: Manifest = {
    source,
    build: buildKey(source),
    inputs: Object.fromEntries(Object.keys(inputs).map((path) => [path, describe(path)])),
  };
  renameSync(join(staging, `${bundleFile}.map`), `${file}.map`);
  renameSync(join(staging, bundleFile), file);
  writeFileSync(join(dir, 'inputs.json'), JSON.stringify(manifest));
  rmSync(staging, { recursive: true, force: true });
  return dir;
}

const building = new Map<string, Promise<string>>();

/**
 * The directory holding the bundle of `entry` (absolute or repository-relative): `index.cjs` and its source map,
 * built or reused (its inputs trusted while their size and mtime hold, re-hashed when they do not).
 */
export function functionBundle(entry: string): Promise<string> {
  const source = resolve(repoRoot, entry);
  let pending = building.get(source);
  if (!pending) {
    pending = (async () => {
      const dir = cacheDir(source);
      return reusable(dir, source, 'stat') ? dir : rebuildFunction(source);
    })();
    building.set(source, pending);
    pending.catch(() => building.delete(source));
  }
  return pending;
}

/**
 * The inputs one entry's build reads, out of a build of many: everything its imports reach, tree-shaken or not, which
 * is what a build of that entry alone lists in its metafile.
 */
function reachable(metafile: Metafile, entry: string): Record<string, unknown> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const path = queue.pop()!;
    const input = metafile.inputs[path];
    if (seen.has(path) || !input) continue;
    seen.add(path);
    for (const imported of input.imports) if (!imported.external) queue.push(imported.path);
  }
  return Object.fromEntries([...seen].map((path) => [path, metafile.inputs[path]]));
}

/**
 * `functionBundle` for many entries at once: the stale ones are built by one esbuild run (it parses each shared module
 * once, not once per function: 69 handlers in ~9 s rather than ~32 s built one by one on 2 cores), each output
 * staged beside its own cache directory as `functionBundle` stages it, so every bundle is byte for byte the same.
 */
export function functionBundles(entries: readonly string[]): Promise<string[]> {
  const sources = [...new Set(entries.map((entry) => resolve(repoRoot, entry)))];
  const stale = sources
    .filter((source) => !building.has(source) && !reusable(cacheDir(source), source, 'stat'))
    .map((source) => {
      const dir = cacheDir(source);
      mkdirSync(dir, { recursive: true });
      return { source, dir, staging: stagingDir(dir) };
    });
  if (stale.length > 0) {
    const { entryPoints: _, outfile: __, ...options } = esbuildOptions(stale[0]!.source, 'out');
    const extension = extname(bundleFile);
    const built = build({
      ...options,
      entryPoints: stale.map(({ source, staging }) => ({
        in: source,
        out: relative(cacheRoot, join(staging, bundleFile.slice(0, -extension.length))),
      })),
      outdir: cacheRoot,
      outExtension: { '.js': extension },
      metafile: true,
      logLevel: 'error',
    });
    for (const { source, dir, staging } of stale) {
      const installed = built.then(({ metafile }) => {
        if (!metafile.outputs[relative(repoRoot, join(staging, bundleFile))])
          throw new Error(`esbuild wrote no bundle for ${source}`);
        return install(dir, staging, source, reachable(metafile, relative(repoRoot, source)));
      });
      building.set(source, installed);
      installed.catch(() => building.delete(source));
    }
  }
  return Promise.all(sources.map((source) => functionBundle(source)));
}

/** Builds `entry` whatever the cache holds: `functionBundle` when it is stale, infra/build-function.ts for the sync path. */
export async function rebuildFunction(entry: string): Promise<string> {
  const source = resolve(repoRoot, entry);
  const dir = cacheDir(source);
  mkdirSync(dir, { recursive: true });
  const staging = stagingDir(dir);
  const result = await build({ ...esbuildOptions(source, staging), metafile: true, logLevel: 'error' });
  return install(dir, staging, source, result.metafile.inputs);
}

/**
 * `functionBundle` for synchronous callers (CDK's local bundling); inputs are always checked by content. esbuild's
 * buildSync takes no plugins and the bundles need one (infra/schema-shaking.ts), so a stale bundle is built by the
 * asynchronous build in a child node process, which this one waits for.
 */
export function functionBundleSync(entry: string): string {
  const source = resolve(repoRoot, entry);
  const dir = cacheDir(source);
  if (reusable(dir, source, 'content')) return dir;
  execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'infra', 'build-function.ts'), source], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!reusable(dir, source, 'content')) throw new Error(`no bundle was built for ${source}`);
  return dir;
}
