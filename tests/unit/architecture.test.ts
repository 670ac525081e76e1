// The layering the architecture promises, checked on the source: the domain and the use cases know no HTTP.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('layering', () => {
  it('keeps shared/domain free of AWS, HTTP, the file system and the use cases', () => {
    const offending = sources('shared/domain').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^@aws-sdk\/|\/http\/|^node:fs|\/usecases\/|\/adapters\//.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps shared/usecases free of HTTP and the SDK: they take a domain caller and return domain results', () => {
    const offending = sources('shared/usecases').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /\/http\/|^@aws-sdk\//.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the SDK out of handlers (adapters hold it)', () => {
    const offending = sources('functions').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('@aws-sdk/'))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('scans no table from what a function can bundle: the one Scan is the operator’s rebuild, in scripts/', () => {
    const offending = [...sources('shared'), ...sources('functions')].filter((file) =>
      /\bScanCommand\b|\bParallelScan\b/.test(readFileSync(file, 'utf8')),
    );
    expect(offending).toEqual([]);
    expect(readFileSync('scripts/stored-events.ts', 'utf8')).toContain('ScanCommand');
  });

  it('has no use case answer an HTTP status: the route declares it', () => {
    const offending = sources('shared/usecases').filter((file) =>
      /\bstatus:\s*[1-5]\d\d\b/.test(readFileSync(file, 'utf8')),
    );
    expect(offending).toEqual([]);
  });

  it('moves a dossier only through the domain’s transition functions: nobody else calls move() or builds events', () => {
    const outside = [...sources('shared/usecases'), ...sources('functions'), ...sources('local')];
    const offending = outside.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const named = [
        ...text.matchAll(/^import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm),
      ].flatMap(([, names, from]) =>
        /domain\/(dossier|dossier-events)$/.test(from!)
          ? names!
              .split(',')
              .map((n) => n.trim().replace(/^type\s+/, ''))
              .filter((n) => ['move', 'nextStatus', 'transitionEvents'].includes(n))
          : [],
      );
      return named.map((name) => `${file} imports ${name}`);
    });
    expect(offending).toEqual([]);
  });
});
