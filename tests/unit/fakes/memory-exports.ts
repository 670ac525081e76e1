// In-memory fakes for the data-sharing export: the exports bucket, the branches' register books (paged like the
// index Query), and the catalogue's branches (paged).

import type { Dossier } from '../../../shared/domain/dossier';
import { registerBook } from '../../../shared/domain/register';
import type { CatalogueRepository } from '../../../shared/ports/catalogue-repository';
import type { DossierRepository } from '../../../shared/ports/dossier-repository';
import type { ExportStore } from '../../../shared/ports/export-store';

export function memoryExportStore() {
  const objects = new Map<string, { body: Uint8Array; contentType: string }>();
  let puts = 0;
  const store: ExportStore = {
    async put(key, body, contentType) {
      puts += 1;
      objects.set(key, { body: new Uint8Array(body), contentType });
    },
  };
  return {
    ...store,
    objects,
    get puts() {
      return puts;
    },
  };
}

/** Pages of `items` from an offset cursor. */
function paged<T>(items: T[], limit: number, cursor: string | undefined) {
  const start = cursor ? Number(cursor) : 0;
  const end = start + limit;
  return { items: items.slice(start, end), ...(end < items.length ? { nextCursor: String(end) } : {}) };
}

/**
 * The `byBranchReceipt` index: a book per branch and Vietnam-local year, sorted by `<receivedAt>#<code>`, read between
 * two bounds; each call is one Query page (at most `pageSize`, whatever the caller asks).
 */
export function memoryRegisterBooks(dossiers: readonly Dossier[], options: { pageSize?: number } = {}) {
  const queries: { unit: string; year: number; from: string; until: string }[] = [];
  const repository: Pick<DossierRepository, 'listReceived'> = {
    async listReceived(unit, year, from, until, page) {
      queries.push({ unit, year, from, until });
      const key = (d: Dossier) => `${d.receivedAt}#${d.code}`;
      const book = dossiers
        .filter((d) => d.unit === unit && d.receivedAt && registerBook(unit, d.receivedAt).year === year)
        .filter((d) => key(d) >= from && key(d) <= until)
        .sort((a, b) => key(a).localeCompare(key(b)))
        .map((d) => structuredClone(d));
      return paged(book, Math.min(page.limit, options.pageSize ?? page.limit), page.cursor);
    },
  };
  return { ...repository, queries };
}

export function memoryBranches(codes: readonly string[], options: { pageSize?: number } = {}) {
  const catalogue: Pick<CatalogueRepository, 'branches'> = {
    async branches(page) {
      const items = codes.map((code) => ({
        code,
        name: { vi: `Chi nhánh ${code}`, en: `Branch ${code}` },
        address: 'Hà Nội',
        communes: [],
      }));
      return paged(items, Math.min(page.limit, options.pageSize ?? page.limit), page.cursor);
    },
  };
  return catalogue;
}
