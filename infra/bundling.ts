// How every function is bundled, declared once: the function bundles (infra/function-bundles.ts, which both the CDK
// construct and the local function pool use) and the benchmarks build from this.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Node 24 in Lambda; keep in step with Runtime.NODEJS_24_X in the function construct. */
export const nodeTarget = 'node24';

// CJS dependencies inside an ESM bundle still call require(); createRequire gives them one.
// The alias avoids clashing with a bundled module that imports createRequire itself.
export const requireBanner =
  "import { createRequire as __motcuaCreateRequire } from 'node:module'; const require = __motcuaCreateRequire(import.meta.url);";

/**
 * The node flags every function runs with: the construct sets them as NODE_OPTIONS (stack traces through the bundles'
 * source maps) and the local function pool starts its instances with exactly these.
 */
export const lambdaNodeOptions = ['--enable-source-maps'] as const;

/** The Lambda runtime loads `index.mjs` as ESM; the handler export is `handler`. */
export const bundleFile = 'index.mjs';

/**
 * fontkit reaches for brotli only to read WOFF2 fonts; the form fonts are TrueType (shared/forms/font-data.ts), so
 * the decoder is replaced by a module that says so, and every bundle is ~475 KiB lighter.
 */
export const bundleAliases = { 'brotli/decompress.js': './shared/forms/woff2-unsupported.ts' } as const;

/**
 * esbuild's options for one function: what Lambda runs (through infra/function-bundles.ts), so a benchmark that
 * builds with them measures what Lambda runs.
 */
export function esbuildOptions(entry: string, outdir: string) {
  return {
    entryPoints: [entry],
    outfile: join(outdir, bundleFile),
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: nodeTarget,
    mainFields: ['module', 'main'],
    banner: { js: requireBanner },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    // The SDK is bundled on purpose: loading it from the bundle roughly halves module load time (FACTS.md).
    external: [] as string[],
    alias: { ...bundleAliases },
    absWorkingDir: repoRoot,
    logLevel: 'warning' as const,
  };
}
