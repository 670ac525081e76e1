// How the cold-start attribution scripts name a bundle's inputs: by npm package, or by folder of the repository.

/** `…/node_modules/@aws-sdk/core/dist-es/x.js` → `@aws-sdk/core`; `shared/http/x.ts` (or `../../shared/…`) → `shared/http`. */
export function groupOf(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = source.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = source.replace(/^(\.\.\/)+/, '').split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0]!;
}
