// The function bundle cache (infra/function-bundles.ts): many bundles built in one esbuild run are byte for byte the
// bundles built one by one, with the same inputs in their manifests, and are reused afterwards. Each build runs in a
// child process, since builds are memoized per process; the fixtures' cache directories are theirs alone.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const fixtures = 'tests/unit/support/bundle-fixtures';
const entries = [`${fixtures}/entry-a.ts`, `${fixtures}/entry-b.ts`];

interface Built {
  dir: string;
  code: string;
  map: string;
  mtimeMs: number;
  inputs: string[];
  missingSources: string[];
}

const run = (mode: 'many' | 'each'): Built[] =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', `${fixtures}/build.ts`, mode, ...entries], {
      encoding: 'utf8',
    }),
  ) as Built[];

const forget = (built: Built[]) => {
  for (const { dir } of built) rmSync(dir, { recursive: true, force: true });
};

describe('function bundles built together', () => {
  it('are the bundles built one by one, list every input each build reads, and are reused after', () => {
    forget(run('each'));
    const many = run('many');
    const again = run('many');
    forget(many);
    const each = run('each');
    forget(each);

    expect(many.map((b) => b.dir)).toEqual(each.map((b) => b.dir));
    for (const [i, built] of many.entries()) {
      expect(built.code).toBe(each[i]!.code);
      expect(built.map).toBe(each[i]!.map);
      expect(built.inputs).toEqual(each[i]!.inputs);
    }
    // entry-a reaches shaken.ts only through a re-export it never uses: none of it is in the bundle, yet it is an input.
    expect(many[0]!.code).not.toContain('used by entry-b only');
    expect(many[1]!.code).toContain('used by entry-b only');
    expect(many[0]!.inputs).toEqual([
      `${fixtures}/entry-a.ts`,
      `${fixtures}/shaken.ts`,
      `${fixtures}/shared-part.ts`,
    ]);
    // Stack traces through the maps name real files: each source resolves from the map's directory.
    for (const built of [...many, ...each]) expect(built.missingSources).toEqual([]);
    // Nothing changed: the second run reused both bundles instead of rewriting them.
    expect(again.map((b) => b.mtimeMs)).toEqual(many.map((b) => b.mtimeMs));
  });
});
