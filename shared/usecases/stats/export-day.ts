// The daily data-sharing export: every branch's dossiers received on one Vietnam-local day, de-identified, as one
// gzipped NDJSON part per branch under the day's Hive partition (`dossier-facts/day=YYYY-MM-DD/part-<unit>.ndjson.gz`).
// Read per branch from its register index (one Query partition per branch and year, page by page, never a Scan). A
// re-run of a day writes the same keys again, so it replaces that day's parts: every branch gets a part, an empty one
// when it received nothing, so a day's partition always has one part per branch and nothing stale stays beside it.
import { gzipSync } from 'node:zlib';
import { factKey } from '../../data/sharing';
import { dayNumber, dayString, localParts } from '../../domain/calendar-core';
import { deidentify } from '../../domain/deidentify';
import type { Dossier } from '../../domain/dossier';
import { registerBook } from '../../domain/register';
import { ValidationError } from '../../errors';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { DossierRepository } from '../../ports/dossier-repository';
import type { ExportStore } from '../../ports/export-store';

export interface ExportDayDeps {
  dossiers: Pick<DossierRepository, 'listReceived'>;
  catalogue: Pick<CatalogueRepository, 'branches'>;
  exports: ExportStore;
  /** The pseudonym key (shared/data/sharing.ts `pseudonymSecret`), read once per warm instance. */
  pseudonymKey: () => Promise<string>;
  clock: () => Date;
}

export interface ExportReport {
  day: string;
  /** Dossiers exported, all branches together. */
  rows: number;
  parts: { unit: string; key: string; rows: number }[];
}

/** Dossiers per Query page (a 1 MB page holds a few hundred). */
export const EXPORT_PAGE_SIZE = 500;

// Unit codes go into object keys: only what the catalogue's codes are made of (000.02.01.H26).
const UNIT_CODE = /^[A-Za-z0-9.]+$/;

/** The Vietnam-local day before the one `instant` falls on: what the nightly run exports. */
export function previousLocalDay(instant: Date): string {
  return dayString(localParts(instant).day - 1);
}

/** The instant a Vietnam-local day starts, as the ISO string receipts are stored in. */
const dayStart = (day: number) => new Date(day * 86_400_000 - 7 * 3_600_000).toISOString();

export async function exportDay(input: { day: string }, deps: ExportDayDeps): Promise<ExportReport> {
  let day: number;
  try {
    day = dayNumber(input.day);
  } catch {
    throw new ValidationError(`Not a YYYY-MM-DD day: ${JSON.stringify(input.day)}`);
  }
  const today = localParts(deps.clock()).day;
  if (day > today) throw new ValidationError(`${input.day} has not begun in Vietnam yet`);
  const key = await deps.pseudonymKey();
  const parts: ExportReport['parts'] = [];
  for await (const unit of branchCodes(deps.catalogue)) {
    if (!UNIT_CODE.test(unit)) throw new ValidationError(`Unexpected branch code ${JSON.stringify(unit)}`);
    const lines: string[] = [];
    for await (const dossier of receivedOn(unit, day, deps.dossiers)) {
      lines.push(JSON.stringify(deidentify(dossier, key)));
    }
    const objectKey = factKey(input.day, unit);
    const ndjson = lines.length ? `${lines.join('\n')}\n` : '';
    // gzip without a file name or time in its header: the same rows give the same bytes on every run.
    await deps.exports.put(objectKey, gzipSync(Buffer.from(ndjson, 'utf8')), 'application/gzip');
    parts.push({ unit, key: objectKey, rows: lines.length });
  }
  return { day: input.day, rows: parts.reduce((sum, p) => sum + p.rows, 0), parts };
}

async function* branchCodes(catalogue: ExportDayDeps['catalogue']): AsyncGenerator<string> {
  let cursor: string | undefined;
  do {
    const page = await catalogue.branches({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const branch of page.items) yield branch.code;
    cursor = page.nextCursor;
  } while (cursor);
}

/** The branch's dossiers received on `day`, in receipt order, from its register book of that day's year. */
async function* receivedOn(
  unit: string,
  day: number,
  dossiers: ExportDayDeps['dossiers'],
): AsyncGenerator<Dossier> {
  const from = dayStart(day);
  const until = dayStart(day + 1);
  const { year } = registerBook(unit, from);
  let cursor: string | undefined;
  do {
    const page = await dossiers.listReceived(unit, year, from, until, {
      limit: EXPORT_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    for (const dossier of page.items) {
      // The book's sort key bounds the day; a dossier on its boundary is checked once more by its own receipt.
      if (dossier.receivedAt && localParts(new Date(dossier.receivedAt)).day === day) yield dossier;
    }
    cursor = page.nextCursor;
  } while (cursor);
}
