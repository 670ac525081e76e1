// The payment ledger: settled payments by branch and Vietnam-local day, each written once per settlement.
import type { Page } from '../cursor';
import type { LedgerEntry } from '../domain/ledger';
import type { PageRequest } from './catalogue-repository';
import type { ConsumedMark } from './consumed-events';

export interface PaymentLedger {
  /**
   * Writes the entry and the consumer's mark in one write. 'duplicate' when the mark, or an entry for the same
   * settlement, was there already: nothing is written.
   */
  record(entry: LedgerEntry, mark: ConsumedMark): Promise<'recorded' | 'duplicate'>;
  /** One page of a branch's day, in settlement order. */
  listDay(unit: string, day: string, page: PageRequest): Promise<Page<LedgerEntry>>;
}
