// An esbuild plugin that lets a function bundle leave out the zod schemas it never reaches. A module-level
// `const x = z.object({…}).check(z.describe('…'))` is a chain of calls, and esbuild keeps any call it cannot prove
// free of side effects, so every bundle used to build every schema of every module it imported: trackDossier built
// all the dossier routes' schemas, ~20 ms of its cold start. zod's own `@__NO_SIDE_EFFECTS__` marks are not honoured
// across modules by esbuild, and its `pure` option does not match calls through a namespace import.
//
// So, at build time only, each call of a module-level `const` initializer that builds a schema is marked
// `/* @__PURE__ */`: built if the bundle reads the constant, left out if not. A call builds a schema when its chain
// starts at the zod namespace (`z.…(…)`, `z.….check(…)`, `z.….register(…)`) or at a schema or schema builder, which
// this code base names `…Schema` (`questionSchema.shape.id.check(…)`, `pageSchema(item, 'Id')`); a call that runs a
// schema (`parse`, `safeParse`, …) never is. Building a schema has no effect anyone else sees: `register` only adds
// it to the registry that `npm run openapi` reads in its own process, never a bundle. Calls inside functions, and statements (such as
// `config(en())`), are left as they are. The source keeps no annotation; the plugin sees only our own `.ts` files.
//
// The AWS SDK's clients declare every operation's and shape's schema as a module-level array
// (`var GetObject$ = [9, n0, _GO, { [_h]: ["GET", "/{Key+}?x-id=GetObject", 200] }, …]`), one module per client. Their
// trait keys are computed from string constants (`[_h]` for `"http"`), and esbuild keeps any object literal with a
// computed key, so a bundle carried the schemas of all of S3's operations (65 KiB) to call four. In those modules only,
// a computed key naming a module-level string constant becomes that string, which is the same object; esbuild then
// leaves out the schemas nothing reaches.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { parseSync } from 'rolldown/utils';

const PURE = '/* @__PURE__ */ ';
/** The namespace every module imports zod through, and the module it comes from (in any checkout of the repo). */
const ZOD_NAMESPACE = 'z';
const ZOD_MODULE = '/shared/schemas/zod';

interface Node {
  type: string;
  start: number;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

/** The identifier a call chain starts at: `z` for `z.object({…}).check(…)`. */
function chainRoot(node: Node): Node | undefined {
  let current: Node | undefined = node;
  while (current) {
    switch (current.type) {
      case 'CallExpression':
        current = current.callee as Node;
        break;
      case 'MemberExpression':
        current = current.object as Node;
        break;
      case 'ParenthesizedExpression':
      case 'TSNonNullExpression':
        current = current.expression as Node;
        break;
      case 'Identifier':
        return current;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Calls that run a schema rather than build one: never marked, whatever they start from. */
const RUNS_A_SCHEMA = new Set([
  'parse',
  'safeParse',
  'parseAsync',
  'safeParseAsync',
  'decode',
  'encode',
  'safeDecode',
  'safeEncode',
  'config',
]);

/** What a call is named: `check` for `x.check(…)`, `pageSchema` for `pageSchema(…)`. */
function calleeName(call: Node): string | undefined {
  const callee = call.callee as Node;
  if (callee.type === 'Identifier') return callee.name as string;
  if (callee.type === 'MemberExpression') return (callee.property as Node).name as string | undefined;
  return undefined;
}

/**
 * A call that builds a schema: its chain starts at the zod namespace (in a module that imports it), or at a schema or
 * a schema builder, which the code base names `…Schema` (`questionSchema.shape.id.check(…)`, `pageSchema(…)`).
 */
function buildsSchema(call: Node, zod: boolean): boolean {
  const name = calleeName(call);
  if (name !== undefined && RUNS_A_SCHEMA.has(name)) return false;
  const root = chainRoot(call)?.name as string | undefined;
  return (zod && root === ZOD_NAMESPACE) || (root !== undefined && /Schema$/.test(root));
}

/** Where the schema-building calls of one initializer start; the functions it defines are not looked into. */
function schemaCalls(node: Node, zod: boolean, starts: number[]) {
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') return;
  if (node.type === 'CallExpression' && buildsSchema(node, zod)) starts.push(node.start);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'typeAnnotation' || key === 'typeArguments') continue;
    if (Array.isArray(value)) for (const item of value) isNode(item) && schemaCalls(item, zod, starts);
    else if (isNode(value)) schemaCalls(value, zod, starts);
  }
}

/** Imports the zod namespace as `z` (from zod itself or from shared/schemas/zod.ts). */
function importsZodNamespace(path: string, body: Node[]): boolean {
  const isZod = (from: string) =>
    /^zod(\/|$)/.test(from) || (from.startsWith('.') && resolve(dirname(path), from).endsWith(ZOD_MODULE));
  return body.some(
    (statement) =>
      statement.type === 'ImportDeclaration' &&
      (statement.specifiers as Node[]).some(
        (specifier) =>
          specifier.type === 'ImportNamespaceSpecifier' && (specifier.local as Node).name === ZOD_NAMESPACE,
      ) &&
      isZod((statement.source as Node).value as string),
  );
}

/** `source` with every module-level schema-building call marked pure; unchanged when there is none. */
export function markSchemasPure(path: string, source: string): string {
  if (!source.includes(`${ZOD_NAMESPACE}.`) && !source.includes('Schema')) return source;
  const { program, errors } = parseSync(path, source, { lang: 'ts' });
  if (errors.length > 0) return source; // esbuild reports the error, with its own message
  const body = program.body as unknown as Node[];
  const zod = importsZodNamespace(path, body);
  const starts: number[] = [];
  for (const statement of body) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node) : statement;
    if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') continue;
    for (const declarator of declaration.declarations as Node[]) {
      if (isNode(declarator.init)) schemaCalls(declarator.init, zod, starts);
    }
  }
  if (starts.length === 0) return source;
  // A chain's calls share a start (`z.string().check(…)`): one mark each, all at that position.
  let marked = '';
  let from = 0;
  for (const start of starts.sort((a, b) => a - b)) {
    marked += source.slice(from, start) + PURE;
    from = start;
  }
  return marked + source.slice(from);
}

/** Every node under `node`, `node` included. */
function* nodesOf(node: Node): Generator<Node> {
  yield node;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const item of value) if (isNode(item)) yield* nodesOf(item);
    if (isNode(value)) yield* nodesOf(value);
  }
}

/**
 * `source` (an SDK client's schema module) with each computed key that names a module-level string constant written
 * as that string: `{ [_h]: x }` becomes `{ "http": x }`. Unchanged when there is none.
 */
export function inlineSchemaKeys(path: string, source: string): string {
  const { program, errors } = parseSync(path, source, { lang: 'js' });
  if (errors.length > 0) return source;
  const strings = new Map<string, string>();
  for (const statement of program.body as unknown as Node[]) {
    if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') continue;
    for (const { id, init } of statement.declarations as unknown as { id: Node; init: Node | null }[]) {
      if (id.type === 'Identifier' && init?.type === 'Literal' && typeof init.value === 'string') {
        strings.set(id.name as string, init.value);
      }
    }
  }
  const keys: { open: number; close: number; value: string }[] = [];
  for (const node of nodesOf(program as unknown as Node)) {
    const key = node.key as Node | undefined;
    if (node.type !== 'Property' || !node.computed || key?.type !== 'Identifier') continue;
    const value = strings.get(key.name as string);
    if (value === undefined) continue;
    const open = source.lastIndexOf('[', key.start);
    const close = source.indexOf(']', key.end as number);
    // Only `[name]`, brackets and the name with nothing but spaces between.
    if (source.slice(open + 1, close).trim() === key.name) keys.push({ open, close, value });
  }
  if (keys.length === 0) return source;
  let inlined = '';
  let from = 0;
  for (const { open, close, value } of keys.sort((a, b) => a.open - b.open)) {
    inlined += source.slice(from, open) + JSON.stringify(value);
    from = close + 1;
  }
  return inlined + source.slice(from);
}

/** An SDK client's module of operation and shape schemas. */
const SDK_SCHEMAS = /\/node_modules\/@aws-sdk\/client-[a-z0-9-]+\/dist-es\/schemas\/[^/]+\.js$/;

/**
 * The plugin: our own TypeScript modules (not node_modules) are loaded with their schemas marked pure, and the SDK
 * clients' schema modules with their trait keys written as strings.
 */
export function schemaShaking(): Plugin {
  return {
    name: 'motcua-schema-shaking',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        return { contents: markSchemasPure(args.path, source), loader: 'ts' };
      });
      build.onLoad({ filter: SDK_SCHEMAS }, (args) => ({
        contents: inlineSchemaKeys(args.path, readFileSync(args.path, 'utf8')),
        loader: 'js',
      }));
    },
  };
}
