// Run in a child process by tests/unit/function-bundles.test.ts (the builds are memoized per process): builds the
// entries named on the command line, `many` in one functionBundles call or `each` one functionBundle call apiece,
// and prints each bundle's bytes, source map, manifest inputs and the map's sources that do not exist, as JSON.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleFile } from '../../../../infra/bundling';
import { functionBundle, functionBundles } from '../../../../infra/function-bundles';

const [mode, ...entries] = process.argv.slice(2);
const dirs =
  mode === 'many' ? await functionBundles(entries) : await Promise.all(entries.map((e) => functionBundle(e)));
process.stdout.write(
  JSON.stringify(
    dirs.map((dir) => ({
      dir,
      code: readFileSync(join(dir, bundleFile), 'utf8'),
      map: readFileSync(join(dir, `${bundleFile}.map`), 'utf8'),
      mtimeMs: statSync(join(dir, bundleFile)).mtimeMs,
      inputs: Object.keys(JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8')).inputs).sort(),
      // The map's sources, resolved from the map's own directory as a stack trace through it resolves them.
      missingSources: (
        JSON.parse(readFileSync(join(dir, `${bundleFile}.map`), 'utf8')) as { sources: string[] }
      ).sources
        .map((source) => resolve(dir, source))
        .filter((path) => !existsSync(path)),
    })),
  ),
);
