// What each function's bundle carries: every handler built as Lambda gets it (infra/bundling.ts), read from esbuild's
// metafile. PDF rendering (pdfkit, fontkit, the QR encoder, the fonts) belongs to the two downloads alone: forms and
// e-receipts, each rendered on its first download.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling';
import { dossierFactsExport } from '../../shared/data/sharing';
import { consumerList } from '../../shared/events/consumers';
import { routeList } from '../../shared/http/routes';
import { scheduleList } from '../../shared/schedules';
import { routingSweep, routingTasks } from '../../shared/workflow/tasks';

const FORM_HANDLER = 'functions/dossiers/get-dossier-form.ts';
const RECEIPT_HANDLER = 'functions/receipts/get-receipt.ts';
// Form 07 serves JSON and CSV too: it imports the renderer lazily (await import), so only a PDF request loads it.
const REGISTER_HANDLER = 'functions/dossiers/get-register.ts';
const PDF_HANDLERS = [FORM_HANDLER, RECEIPT_HANDLER, REGISTER_HANDLER];

function handlers(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? handlers(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    )
    .sort();
}

/** Inputs that exist only to render PDFs: the renderer, its font engine and what they alone pull in. */
const rendering = [
  /node_modules\/pdfkit\//,
  /node_modules\/fontkit\//,
  /node_modules\/(restructure|unicode-properties|unicode-trie|linebreak|png-js|brotli|dfa)\//,
  /node_modules\/qrcode\//,
  /^shared\/forms\/(render|fonts|font-data)\.ts$/,
];

let inputsByHandler: Map<string, Metafile['outputs'][string]['inputs']>;

beforeAll(async () => {
  const entries = handlers('functions');
  const { outfile: _, ...options } = esbuildOptions(entries[0]!, '.tmp/bundles');
  const result = await build({
    ...options,
    entryPoints: entries,
    outdir: '.tmp/bundles',
    outbase: '.',
    sourcemap: false,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  inputsByHandler = new Map(
    Object.values(result.metafile.outputs)
      .filter((output) => output.entryPoint)
      .map((output) => [output.entryPoint!, output.inputs]),
  );
}, 120_000);

const carries = (handler: string, pattern: RegExp) =>
  Object.keys(inputsByHandler.get(handler) ?? {}).some((input) => pattern.test(input));

describe('function bundles', () => {
  it('builds every handler under functions/', () => {
    expect([...inputsByHandler.keys()].sort()).toEqual(handlers('functions'));
    for (const handler of PDF_HANDLERS) expect(inputsByHandler.has(handler), handler).toBe(true);
  });

  it('puts pdfkit, fontkit, the QR encoder and the fonts into the form and receipt download handlers only', () => {
    const offenders = [...inputsByHandler.keys()]
      .filter((handler) => !PDF_HANDLERS.includes(handler))
      .flatMap((handler) =>
        rendering.filter((pattern) => carries(handler, pattern)).map((pattern) => `${handler}: ${pattern}`),
      );
    expect(offenders).toEqual([]);
  });

  it.each(PDF_HANDLERS)('gives %s the renderer and the fonts it embeds', (handler) => {
    for (const pattern of [
      /node_modules\/pdfkit\//,
      /node_modules\/fontkit\//,
      /node_modules\/qrcode\//,
      /^shared\/forms\/font-data\.ts$/,
    ]) {
      expect(carries(handler, pattern), String(pattern)).toBe(true);
    }
  });

  it.each(PDF_HANDLERS)(
    'ships %s the fonts as compressed subsets and the QR encoder without its image renderers',
    (handler) => {
      const inputs = inputsByHandler.get(handler)!;
      // Two DejaVu files are 1.4 MB; the subsets, brotli-compressed and base64-encoded, are a few hundred KB at most.
      expect(inputs['shared/forms/font-data.ts']?.bytesInOutput).toBeLessThan(250_000);
      expect(
        Object.keys(inputs).filter((input) => /node_modules\/(pngjs|qrcode\/lib\/renderer)\//.test(input)),
      ).toEqual([]);
    },
  );

  it('leaves the WOFF2 decoder (brotli) out of every bundle: the form fonts are TrueType', () => {
    expect(
      [...inputsByHandler.keys()].filter((handler) => carries(handler, /node_modules\/brotli\//)),
    ).toEqual([]);
  });

  // The bundles are CommonJS: `import.meta` does not exist there. esbuild would quietly make it `{}` in a dependency
  // (it warns only for our own files), so pdfkit's `new URL(…, import.meta.url)` threw at load until the bundling
  // defined import.meta.url. Any other use of import.meta in what a bundle carries would break the same way.
  it('carries no input reading import.meta other than import.meta.url, which the CommonJS bundles define (pdfkit does)', () => {
    const inputs = new Set([...inputsByHandler.values()].flatMap((each) => Object.keys(each)));
    const readers = [...inputs].filter((input) => /import\.meta\b/.test(readFileSync(input, 'utf8')));
    expect(readers.length).toBeGreaterThan(0);
    const others = readers.filter((input) => /import\.meta(?!\.url\b)/.test(readFileSync(input, 'utf8')));
    expect(others).toEqual([]);
  });

  // The S3 client and its XML and checksum layers are a third of a bundle: a function granted no bucket must not
  // carry them (the dossier moves take their ports from dossierDeps, which has no document store; filings take
  // filingDeps). Every function the stacks build: routes, consumers, workflow tasks and schedules.
  it('gives the S3 client only to functions that use a bucket', () => {
    const s3 = /node_modules\/@aws-sdk\/(client-s3|middleware-sdk-s3|s3-request-presigner)\//;
    const functions = [
      ...routeList,
      ...consumerList,
      ...Object.values(routingTasks),
      routingSweep,
      ...scheduleList,
      dossierFactsExport,
    ];
    for (const fn of functions) expect(inputsByHandler.has(fn.handler), fn.handler).toBe(true);
    const withoutBucket = functions.filter((fn) => !('documents' in fn.uses) && !('exports' in fn.uses));
    expect(withoutBucket.map((fn) => fn.id)).toEqual(
      expect.arrayContaining([
        'receiveDossier',
        'refuseDossier',
        'rateDossier',
        'createPayment',
        'audit-log',
      ]),
    );
    expect(withoutBucket.filter((fn) => carries(fn.handler, s3)).map((fn) => fn.id)).toEqual([]);
    expect(carries(routeList.find((route) => route.id === 'fileDossier')!.handler, s3)).toBe(true);
  });

  // A function's credentials are its role's, which Lambda puts in the environment: the rest of the SDK's default chain
  // (profiles, SSO, web identity, processes, instance metadata, and the STS and SSO clients they carry) stays out.
  it("gives every bundle the environment's credentials and none of the default chain's other providers", () => {
    const chain =
      /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients)\//;
    expect([...inputsByHandler.keys()].filter((handler) => carries(handler, chain))).toEqual([]);
    for (const handler of inputsByHandler.keys()) {
      expect(carries(handler, /^shared\/adapters\/lambda-credentials\.ts$/), handler).toBe(true);
    }
  });
});
