// The append-only audit log: entries are only ever added, each linked to the one before (shared/domain/audit.ts).
import type { AuditEntry, ChainHead } from '../domain/audit';
import type { ConsumedMark } from './consumed-events';

export interface AuditLog {
  /** The newest entry's seq and hash, read strongly consistent; undefined for an empty log. */
  head(): Promise<ChainHead | undefined>;
  /**
   * Adds entry `seq` and moves the head from `seq - 1` to it, in one write; with a mark, the mark too. 'duplicate'
   * when the mark exists (the event is already in the log); `ChainMovedError` when another append took `seq` first.
   */
  append(entry: AuditEntry, mark?: ConsumedMark): Promise<'appended' | 'duplicate'>;
  /** Every entry in seq order, a page at a time. */
  entries(): AsyncIterable<AuditEntry[]>;
}

/** Another writer appended first: read the head again and relink. */
export class ChainMovedError extends Error {
  constructor(seq: number) {
    super(`audit entry ${seq} was taken by another append`);
    this.name = 'ChainMovedError';
  }
}
