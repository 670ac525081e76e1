// How every function is bundled, declared once: the function bundles (infra/function-bundles.ts, which both the CDK
// construct and the local function pool use) and the benchmarks build from this.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaShaking } from './schema-shaking';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Node 24 in Lambda; keep in step with Runtime.NODEJS_24_X in the function construct. */
export const nodeTarget = 'node24';

/**
 * The node flags every function runs with: the construct sets them as NODE_OPTIONS and the local function pool starts
 * its instances with exactly these, and the cold-start benches load every bundle with them. None: not even
 * --enable-source-maps, which reads and parses each bundle's whole map at every cold start (11–13 ms of trackDossier's
 * and fileDossier's). Traces still name the sources: the function wrappers map them when they are read
 * (shared/observability/source-mapped-stacks.ts).
 */
export const lambdaNodeOptions: readonly string[] = [];

/**
 * Every bundle is CommonJS, `index.cjs` (Lambda's runtime and node both load a `.cjs` file as CommonJS, whatever a
 * package.json says); the handler export is `handler`. CommonJS, not ESM, because an ES module's `import` of a
 * built-in builds a facade that reads every export of it: for `node:http` that loads undici (fetch, WebSocket),
 * 15–25 ms of every cold start that `require('node:http')` never pays. Measured in the README's "Tests and
 * benchmarks": the reference handler loads in about 0.74× the time as CommonJS, the median handler in 0.83×.
 */
export const bundleFile = 'index.cjs';

/**
 * A CommonJS bundle has no `import.meta`; the one ES module that reads `import.meta.url` (pdfkit, to name its
 * colour profile beside itself) gets the bundle's own file URL instead, as it would in an ESM bundle.
 */
export const importMetaUrlBanner =
  "var __motcuaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;";

/**
 * Modules every bundle gets in place of another:
 * - fontkit reaches for brotli only to read WOFF2 fonts; the form fonts are TrueType (shared/forms/font-data.ts), so
 *   the decoder is replaced by a module that says so, and every bundle is ~475 KiB lighter;
 * - the SDK's default credential chain becomes the environment's credentials, where Lambda puts the role's
 *   (shared/adapters/lambda-credentials.ts): ~134 KiB and ~8–11 ms of every cold start.
 */
export const bundleAliases = {
  'brotli/decompress.js': './shared/forms/woff2-unsupported.ts',
  '@aws-sdk/credential-provider-node': './shared/adapters/lambda-credentials.ts',
} as const;

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
    format: 'cjs' as const,
    target: nodeTarget,
    mainFields: ['module', 'main'],
    banner: { js: importMetaUrlBanner },
    define: { 'import.meta.url': '__motcuaImportMetaUrl' },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    // The SDK is bundled on purpose: loading it from the bundle roughly halves module load time (FACTS.md).
    external: [] as string[],
    alias: { ...bundleAliases },
    // Module-level schemas a bundle never reads are left out of it (infra/schema-shaking.ts).
    plugins: [schemaShaking()],
    absWorkingDir: repoRoot,
    logLevel: 'warning' as const,
  };
}
