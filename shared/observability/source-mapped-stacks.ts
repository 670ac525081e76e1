// Stack traces through a bundle's source map, worked out when a trace is read rather than at every cold start.
//
// Node's --enable-source-maps reads and parses the map of every module as it is compiled: for a function bundle
// that is a 0.5–1 MB JSON file at each cold start, 11–13 ms of trackDossier's and fileDossier's (README, "Tests and
// benchmarks"). A trace is read far less often than a function starts (an unexpected error, logged with its stack),
// so the functions run without the flag and V8's own hook formats their traces: it gets the frames when `stack` is
// first read, and the frames that point into a bundle with a map beside it name the source file, line, column and
// function instead, as the flag would.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One map per bundle, read once; `null` for a file without a readable one (node's own modules, a plain script). */
const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      // No map beside it, or not one node can read: the frame stays as V8 wrote it.
    }
    maps.set(file, map);
  }
  return map;
}

function sourcePath(file: string, source: string): string {
  if (source.startsWith('file://')) return fileURLToPath(source);
  return isAbsolute(source) ? source : resolve(dirname(file), source);
}

/** V8's text for one frame, through the map when it has one (node's own rules, lib/internal/source_map). */
function frameText(site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string {
  const raw = site.getFileName() ?? undefined;
  const file = raw?.startsWith('file://') ? fileURLToPath(raw) : raw;
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  const map = file && /\.c?js$/.test(file) ? mapOf(file) : null;
  if (!map || !file || line === null || column === null) return String(site);
  const entry = map.findEntry(line - 1, column - 1);
  if (!('originalSource' in entry) || entry.originalSource === undefined) return String(site);
  const original = originalName(map, site, caller);
  const typeName = site.getTypeName();
  const name = `${typeName && typeName !== 'global' ? `${typeName}.` : ''}${
    original || site.getFunctionName() || site.getMethodName() || '<anonymous>'
  }`;
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  const where = `${sourcePath(file, entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  return `${prefix}${name} (${where})`;
}

/**
 * The name the minifier took away: the one the map gives the enclosing function's position, else the one it gives
 * the call in the caller's frame when the caller is in the same file.
 */
function originalName(map: SourceMap, site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined) {
  const nameAt = (line: number | null | undefined, column: number | null | undefined) => {
    if (!line || !column) return undefined;
    const entry = map.findEntry(line - 1, column - 1);
    return 'name' in entry ? entry.name : undefined;
  };
  const enclosing = nameAt(site.getEnclosingLineNumber(), site.getEnclosingColumnNumber());
  if (enclosing) return enclosing;
  if (caller && caller.getFileName() === site.getFileName()) {
    return nameAt(caller.getLineNumber(), caller.getColumnNumber());
  }
  return undefined;
}

/** A frame the map cannot place is left as V8 wrote it: reading a trace must never throw. */
function safeFrameText(site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string {
  try {
    return frameText(site, caller);
  } catch {
    return String(site);
  }
}

/** Node's own first line (`TypeError: …`, `Error [ERR_…]: …` for its errors), then the frames. */
function hook(nodeDefault: typeof Error.prepareStackTrace) {
  return function mappedStack(error: Error, sites: NodeJS.CallSite[]): string {
    const head = nodeDefault ? String(nodeDefault(error, [])) : Error.prototype.toString.call(error);
    return head + sites.map((site, i) => `\n    at ${safeFrameText(site, sites[i + 1])}`).join('');
  };
}

let installed: typeof Error.prepareStackTrace;

/**
 * Installs the hook once, in a function bundle (a `.cjs` file) only: under tsx or a test runner the sources run as
 * they are, and a runner's own hook stays. With --enable-source-maps node already maps, and nothing is installed.
 */
export function mapStacksLazily(bundle: string | undefined): boolean {
  if (!bundle?.endsWith('.cjs') || process.sourceMapsEnabled) return false;
  if (installed && Error.prepareStackTrace === installed) return true;
  installed = hook(Error.prepareStackTrace);
  Error.prepareStackTrace = installed;
  return true;
}
