// The build-time plugin that lets a bundle leave out the zod schemas it never reads (infra/schema-shaking.ts).

import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptions, repoRoot } from '../../infra/bundling';
import { inlineSchemaKeys, markSchemasPure } from '../../infra/schema-shaking';

const PURE = '/* @__PURE__ */ ';
// A module beside the schemas, importing zod through shared/schemas/zod.ts as every module does.
const file = join(repoRoot, 'shared', 'domain', 'example.ts');
const zodImport = "import * as z from '../schemas/zod';\n";

describe('markSchemasPure', () => {
  it('marks every call of a module-level zod chain, once per call, where the chain starts', () => {
    const source = `${zodImport}export const a = z.string().check(z.minLength(1));\n`;
    expect(markSchemasPure(file, source)).toBe(
      `${zodImport}export const a = ${PURE}${PURE}z.string().check(${PURE}z.minLength(1));\n`,
    );
  });

  it('marks calls that start at a schema or a schema builder, and never a call that runs a schema', () => {
    const source = `${zodImport}const a = pageSchema(itemSchema);\nconst b = itemSchema.shape.id.check(x);\nconst c = itemSchema.parse(input);\nconst d = z.safeParse(itemSchema, input);\n`;
    expect(markSchemasPure(file, source)).toBe(
      `${zodImport}const a = ${PURE}pageSchema(itemSchema);\nconst b = ${PURE}itemSchema.shape.id.check(x);\nconst c = itemSchema.parse(input);\nconst d = z.safeParse(itemSchema, input);\n`,
    );
  });

  it('leaves statements, functions and modules without the zod namespace as they are', () => {
    const statements = `${zodImport}z.config({});\nconst f = () => z.string();\nlet b = z.number();\n`;
    expect(markSchemasPure(file, statements)).toBe(statements);
    const other = "import * as z from './elsewhere';\nconst a = z.string();\n";
    expect(markSchemasPure(file, other)).toBe(other);
  });
});

describe('inlineSchemaKeys', () => {
  const sdkFile = join(
    repoRoot,
    'node_modules',
    '@aws-sdk',
    'client-x',
    'dist-es',
    'schemas',
    'schemas_0.js',
  );

  it('writes a computed key naming a module-level string constant as that string, at any depth', () => {
    const source =
      'const _h = "http";\nconst _q = "x-\\"q";\nexport var Op$ = [9, n0, _h, { [_h]: ["GET", "/"], a: [{ [ _q ]: 1 }] }];\n';
    expect(inlineSchemaKeys(sdkFile, source)).toBe(
      'const _h = "http";\nconst _q = "x-\\"q";\nexport var Op$ = [9, n0, _h, { "http": ["GET", "/"], a: [{ "x-\\"q": 1 }] }];\n',
    );
  });

  it('leaves keys computed from anything else, and modules without such keys, as they are', () => {
    const source =
      'const _n = 1;\nlet _l = "l";\nconst f = (_h) => ({ [_h]: 1 });\nexport var A$ = { [_n]: 1, [_l]: 2, [`t`]: 3, [_m]: 4 };\n';
    expect(inlineSchemaKeys(sdkFile, source)).toBe(source);
  });
});

describe('function bundles', () => {
  async function bundled(entry: string): Promise<string> {
    const { outputFiles } = await build({
      ...esbuildOptions(entry, '.tmp/tests/schema-shaking'),
      minify: false,
      sourcemap: false,
      write: false,
      logLevel: 'silent',
    });
    return outputFiles.find((file) => file.path.endsWith('.cjs'))!.text;
  }

  it("carry their own route's schemas and not the other routes' of the same module", async () => {
    const tracking = await bundled('functions/dossiers/track-dossier.ts');
    expect(tracking).toContain('var trackingSchema =');
    expect(tracking).not.toContain('var fileDossierSchema =');
    expect(tracking).not.toContain('var fileDossier =');
    const filing = await bundled('functions/dossiers/file-dossier.ts');
    expect(filing).toContain('var fileDossierSchema =');
    expect(filing).not.toContain('var trackingSchema =');
  });

  it("carry the S3 operations' schemas they call and not the others'", async () => {
    const filing = await bundled('functions/dossiers/file-dossier.ts');
    expect(filing).toContain('var CopyObject$ =');
    expect(filing).not.toContain('var WriteGetObjectResponse$ =');
    expect(filing).not.toContain('var PutBucketLifecycleConfiguration$ =');
  });
});
