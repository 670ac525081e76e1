// Function bundles run without --enable-source-maps, which parses each bundle's whole map at every cold start; their
// traces still name the sources, mapped when they are read (shared/observability/source-mapped-stacks.ts). A fixture
// is bundled with the functions' own options and run in a child node, as Lambda runs a bundle.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFile, esbuildOptions, lambdaNodeOptions } from '../../infra/bundling';

const fixture = 'tests/unit/support/stack-fixtures/fails.ts';
const thrownLine =
  readFileSync(fixture, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes('// the thrown line')) + 1;

let dir: string;
let bundle: string;

beforeAll(async () => {
  // A fresh clone has no .tmp yet.
  mkdirSync('.tmp', { recursive: true });
  dir = mkdtempSync(join('.tmp', 'stacks-'));
  await build({ ...esbuildOptions(fixture, dir), logLevel: 'silent' });
  bundle = resolve(dir, bundleFile);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  /** Source-map files the bundle's own code read, while it loaded and after. */
  mapReadsAtLoad: string[];
  mapReadsAfter: string[];
  hookInstalled: boolean;
  stack: string;
  refused: { name: string; head: string };
  logged: { error: { name: string; location: string; message: string; stack: string } };
}

/** Loads the bundle in a fresh node, as the runtime does (an ES module that require()s it), and calls its handler. */
function run(flags: readonly string[] = lambdaNodeOptions): Run {
  const script = `
    import fs from 'node:fs';
    import { createRequire } from 'node:module';
    const reads = [];
    const read = fs.readFileSync;
    fs.readFileSync = function (path, ...rest) {
      if (String(path).endsWith('.map')) reads.push(String(path));
      return read.call(this, path, ...rest);
    };
    const { handler, refuse } = createRequire(${JSON.stringify(bundle)})(${JSON.stringify(bundle)});
    const mapReadsAtLoad = [...reads];
    // Node 24 has a default hook of its own; ours replaces it.
    const hookInstalled = Error.prepareStackTrace?.name !== 'ErrorPrepareStackTrace';
    const stack = await handler();
    const refusal = refuse();
    const refused = { name: refusal.name, head: refusal.stack.split('\\n')[0] };
    process.stdout.write('RESULT ' + JSON.stringify({ mapReadsAtLoad, mapReadsAfter: reads, hookInstalled, stack, refused }) + '\\n');
  `;
  const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const lines = out.trim().split('\n');
  const result = JSON.parse(lines.find((l) => l.startsWith('RESULT '))!.slice('RESULT '.length));
  const logged = JSON.parse(lines.find((l) => l.includes('"unexpected error"'))!);
  return { ...result, logged };
}

const source = resolve(fixture);

describe('stack traces of a function bundle', () => {
  it('name the source file, line and function, and the map is read when a trace is, not at the cold start', () => {
    expect(lambdaNodeOptions).not.toContain('--enable-source-maps');
    const { mapReadsAtLoad, mapReadsAfter, hookInstalled, stack, logged } = run();
    expect(hookInstalled).toBe(true);
    expect(mapReadsAtLoad).toEqual([]);
    // Read once for the logged trace and the answered one alike.
    expect(mapReadsAfter).toEqual([`${bundle}.map`]);
    const [head, first] = stack.split('\n');
    expect(head).toBe('TypeError: failed on purpose');
    // The minifier renamed the function; the map gives its name back.
    expect(first).toMatch(new RegExp(`^ {4}at failOnPurpose \\(${source}:${thrownLine}:\\d+\\)$`));
    expect(stack).not.toContain(bundleFile);
    // The log line carries the same trace, and Powertools' location from its first frame.
    expect(logged.error).toMatchObject({ name: 'TypeError', message: 'failed on purpose', stack });
    expect(logged.error.location).toBe(`${source}:${thrownLine}`);
  });

  it('keep the names of the API’s errors, which the minifier would rename', () => {
    expect(run().refused).toEqual({ name: 'ConflictError', head: 'ConflictError: refused on purpose' });
  });

  it('are left as V8 writes them when the bundle has no map beside it', () => {
    const map = readFileSync(`${bundle}.map`);
    rmSync(`${bundle}.map`);
    try {
      const { stack } = run();
      expect(stack.split('\n')[1]).toContain(`${bundle}:`);
      expect(stack).not.toContain(source);
    } finally {
      // Put back for the other tests, whatever their order.
      writeFileSync(`${bundle}.map`, map);
    }
  });

  it('are node’s own under --enable-source-maps, with no hook of ours in its way', () => {
    const { hookInstalled, stack } = run(['--enable-source-maps']);
    expect(hookInstalled).toBe(false);
    expect(stack.split('\n')[1]).toContain(`${source}:${thrownLine}:`);
  });
});
