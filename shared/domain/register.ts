// Form 07's book (sổ theo dõi hồ sơ): one per branch and Vietnam-local calendar year, entries in receipt order.
import { localParts, yearOf } from './calendar-core';

/**
 * The book a receipt is entered in: the receiving branch and the Vietnam-local year of `receivedAt`, printed
 * `<unit>/<year>`. An entry is cited by its dossier code, not by a number: a number in receipt order could only be
 * fixed by a counter taken inside the receive transaction, and a slip printed before a concurrent earlier receipt
 * commits would cite a number that receipt also gets. The register's STT is the row's place in the extract printed.
 */
export function registerBook(
  unit: string,
  receivedAt: string,
): { unit: string; year: number; label: string } {
  const year = yearOf(localParts(new Date(receivedAt)).day);
  return { unit, year, label: `${unit}/${year}` };
}
