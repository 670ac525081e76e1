// How every function is bundled, declared once: the CDK construct and the benchmark script build from this.
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BundlingOptions,
  type ICommandHooks,
  LogLevel,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Node 24 in Lambda; keep in step with Runtime.NODEJS_24_X in the function construct. */
export const nodeTarget = 'node24';

// CJS dependencies inside an ESM bundle still call require(); createRequire gives them one.
// The alias avoids clashing with a bundled module that imports createRequire itself.
export const requireBanner =
  "import { createRequire as __motcuaCreateRequire } from 'node:module'; const require = __motcuaCreateRequire(import.meta.url);";

/** The Lambda runtime loads `index.mjs` as ESM; the handler export is `handler`. */
export const bundleFile = 'index.mjs';

/** Font files the PDF forms embed (shared/forms/fonts.ts looks in `<bundle dir>/fonts`). */
export const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
export const fontSourceDir = join(repoRoot, 'node_modules', 'dejavu-fonts-ttf', 'ttf');
export const bundledFontDir = 'fonts';

/**
 * esbuild's own options, for `esbuild.build()` callers (the benchmark): the same switches the construct
 * passes to the esbuild CLI through NodejsFunction, so a benchmark measures what Lambda runs.
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
    absWorkingDir: repoRoot,
    logLevel: 'warning' as const,
  };
}

/** Copies the form fonts beside the bundle; NodejsFunction runs these shell commands after esbuild. */
export const copyFontsHooks: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  // From the hook's own input directory (the project root), so the commands hold in a bundling container too.
  afterBundling: (inputDir: string, outputDir: string) => [
    `mkdir -p "${join(outputDir, bundledFontDir)}"`,
    ...fontFiles.map(
      (file) =>
        `cp "${join(inputDir, relative(repoRoot, fontSourceDir), file)}" "${join(outputDir, bundledFontDir, file)}"`,
    ),
  ],
};

/** NodejsFunction's bundling options, equivalent to `esbuildOptions`. */
export function nodejsBundling(options: { copyFonts?: boolean } = {}): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: nodeTarget,
    mainFields: ['module', 'main'],
    banner: requireBanner,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    externalModules: [],
    // esbuild's per-file size table would drown synth output; warnings and errors still show.
    logLevel: LogLevel.WARNING,
    ...(options.copyFonts ? { commandHooks: copyFontsHooks } : {}),
  };
}
