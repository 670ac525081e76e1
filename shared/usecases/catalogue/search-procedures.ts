// GET /v1/procedures: diacritic-blind search with filters and an opaque cursor.
import { decodeCursor, encodeCursor } from '../../cursor';
import { queryHash, type SearchCursor, searchIndex } from '../../domain/catalogue-search';
import { ValidationError } from '../../errors';
import type { ProcedurePage, SearchProceduresQuery } from '../../schemas/catalogue';
import type { CatalogueSnapshot } from './catalogue-snapshot';

const isSearchCursor = (value: unknown): value is SearchCursor => {
  const v = value as SearchCursor;
  return (
    !!v &&
    typeof v.s === 'number' &&
    typeof v.l === 'number' &&
    typeof v.c === 'string' &&
    typeof v.h === 'string'
  );
};

export async function searchProcedures(
  query: SearchProceduresQuery,
  deps: { snapshot: CatalogueSnapshot },
): Promise<ProcedurePage> {
  const after = decodeCursor(query.cursor, isSearchCursor);
  if (after && after.h !== queryHash(query)) {
    throw new ValidationError('This cursor belongs to a different search', 'INVALID_CURSOR');
  }
  const result = searchIndex(await deps.snapshot.current(), query, after);
  return { items: result.items, ...(result.next ? { nextCursor: encodeCursor(result.next) } : {}) };
}
