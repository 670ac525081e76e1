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
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { parseSync } from 'rolldown/utils';

const PURE = '/* @__PURE__ */ ';
/** The namespace every module imports zod through, and the module it comes from. */
const ZOD_NAMESPACE = 'z';
const ZOD_MODULE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../shared/schemas/zod');

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
    /^zod(\/|$)/.test(from) || (from.startsWith('.') && resolve(dirname(path), from) === ZOD_MODULE);
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

/** The plugin: our own TypeScript modules (not node_modules) are loaded with their schemas marked pure. */
export function schemaShaking(): Plugin {
  return {
    name: 'motcua-schema-shaking',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        return { contents: markSchemasPure(args.path, source), loader: 'ts' };
      });
    },
  };
}
