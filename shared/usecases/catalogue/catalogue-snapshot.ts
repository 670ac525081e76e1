// Keeps the searchable catalogue in memory and reloads it only when the catalogue's revision moves.
import { buildIndex, type CatalogueIndex } from '../../domain/catalogue-search';
import type { CatalogueRepository } from '../../ports/catalogue-repository';

export interface CatalogueSnapshot {
  current(): Promise<CatalogueIndex>;
}

/**
 * The catalogue is small (about 2,000 national procedures) and read far more than written, so one
 * GetItem on the revision (at most every `recheckMs`) replaces a query per search.
 */
export function catalogueSnapshot(
  repository: CatalogueRepository,
  recheckMs = 5_000,
  now = () => Date.now(),
): CatalogueSnapshot {
  let index: CatalogueIndex | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<CatalogueIndex> | undefined;
  return {
    async current() {
      if (index && now() - checkedAt < recheckMs) return index;
      loading ??= (async () => {
        const revision = await repository.revision();
        if (!index || index.revision !== revision) {
          index = buildIndex(revision, await repository.currentProcedures());
        }
        checkedAt = now();
        return index;
      })().finally(() => {
        loading = undefined;
      });
      return loading;
    },
  };
}
