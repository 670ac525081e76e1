// Full-text search over the current catalogue, held in memory: ranking, filters and keyset pagination.
import type { ProcedureSummary, ProcedureVersion, SearchProceduresQuery } from '../schemas/catalogue';
import { foldText, foldTokens } from './text';

interface IndexedProcedure {
  summary: ProcedureSummary;
  agencies: Set<string>;
  nameVi: string[];
  nameEn: string[];
  other: string[];
  phrase: string;
}

export interface CatalogueIndex {
  revision: number;
  entries: IndexedProcedure[];
}

/** Where the previous page stopped: its last score and code, plus the query it belongs to. */
export interface SearchCursor {
  s: number;
  l: number;
  c: string;
  h: string;
}

export function summarize(procedure: ProcedureVersion): ProcedureSummary {
  return {
    code: procedure.code,
    version: procedure.version,
    name: procedure.name,
    field: procedure.field,
    fieldName: procedure.fieldName,
    competentAgency: procedure.competentAgency,
    onlineLevel: procedure.onlineLevel,
    processingDays: procedure.processingTime.workingDays,
    feeFromVnd: procedure.fees.length ? Math.min(...procedure.fees.map((fee) => fee.amountVnd)) : 0,
    interconnected: procedure.interconnected,
  };
}

export function buildIndex(revision: number, procedures: ProcedureVersion[]): CatalogueIndex {
  const entries = procedures.map((procedure) => ({
    summary: summarize(procedure),
    agencies: new Set([
      procedure.competentAgency,
      // A step's agency, and those it may be forwarded to: work of the procedure can reach each of them.
      ...procedure.route.flatMap((stage) =>
        stage.steps.flatMap((step) => [step.agency, ...(step.forwardTo ?? [])]),
      ),
    ]),
    nameVi: foldTokens(procedure.name.vi),
    nameEn: foldTokens(procedure.name.en),
    other: foldTokens(
      [procedure.code, procedure.fieldName.vi, procedure.fieldName.en, procedure.resultType.vi].join(' '),
    ),
    phrase: ` ${foldText(procedure.name.vi)} `,
  }));
  return { revision, entries };
}

function matches(words: string[], token: string) {
  return words.some((word) => word.startsWith(token));
}

/** 0 when a query token is found nowhere; otherwise higher for matches in the Vietnamese name and whole phrases. */
export function score(entry: IndexedProcedure, tokens: string[], phrase: string): number {
  let total = 1;
  for (const token of tokens) {
    if (entry.summary.code === token) total += 20;
    else if (matches(entry.nameVi, token)) total += 3;
    else if (matches(entry.nameEn, token)) total += 2;
    else if (matches(entry.other, token)) total += 1;
    else return 0;
  }
  if (phrase && entry.phrase === ` ${phrase} `) total += 10;
  else if (phrase && entry.phrase.includes(` ${phrase} `)) total += 5;
  return total;
}

export function queryHash(query: SearchProceduresQuery): string {
  return [foldText(query.q ?? ''), query.field ?? '', query.agency ?? '', query.onlineLevel ?? ''].join('|');
}

export function searchIndex(index: CatalogueIndex, query: SearchProceduresQuery, after?: SearchCursor) {
  const tokens = foldTokens(query.q ?? '');
  const phrase = tokens.join(' ');
  const hits: { score: number; length: number; summary: ProcedureSummary }[] = [];
  for (const entry of index.entries) {
    if (query.field && entry.summary.field !== query.field) continue;
    if (query.onlineLevel && entry.summary.onlineLevel !== query.onlineLevel) continue;
    if (query.agency && !entry.agencies.has(query.agency)) continue;
    const points = score(entry, tokens, phrase);
    if (points > 0) hits.push({ score: points, length: entry.nameVi.length, summary: entry.summary });
  }
  // Best score first; among equals the shorter (more specific) name, then the code, so the order is total.
  const order = (a: { score: number; length: number; code: string }, b: typeof a) =>
    b.score - a.score || a.length - b.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const key = (hit: (typeof hits)[number]) => ({
    score: hit.score,
    length: hit.length,
    code: hit.summary.code,
  });
  hits.sort((a, b) => order(key(a), key(b)));
  const start = after
    ? hits.findIndex((hit) => order(key(hit), { score: after.s, length: after.l, code: after.c }) > 0)
    : 0;
  const page = start < 0 ? [] : hits.slice(start, start + query.limit);
  const last = page.at(-1);
  const more = start >= 0 && start + query.limit < hits.length;
  return {
    items: page.map((hit) => hit.summary),
    next:
      more && last ? { s: last.score, l: last.length, c: last.summary.code, h: queryHash(query) } : undefined,
  };
}
