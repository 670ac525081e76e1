// The append-only audit log: entries are only ever added, each linked to the one before (shared/domain/audit.ts).
import type { AuditEntry, ChainHead } from '../domain/audit';
import type { ConsumedMark } from './consumed-events';

/** An entry to append, with the consumed mark of the event it records. */
export interface AuditLink {
  entry: AuditEntry;
  mark?: ConsumedMark;
}

/** The most links one `appendAll` takes: a DynamoDB transaction holds 100 items, the head and two per link. */
export const MAX_LINKS_PER_APPEND = 49;

export interface AuditLog {
  /** The newest entry's seq and hash, read strongly consistent; undefined for an empty log. */
  head(): Promise<ChainHead | undefined>;
  /**
   * Adds entry `seq` and moves the head from `seq - 1` to it, in one write; with a mark, the mark too. 'duplicate'
   * when the mark exists (the event is already in the log); `ChainMovedError` when another append took `seq` first.
   */
  append(entry: AuditEntry, mark?: ConsumedMark): Promise<'appended' | 'duplicate'>;
  /**
   * Adds consecutive entries (the first at the head's seq + 1, each linked to the one before) and their marks, and
   * moves the head to the last, all in one write or none of it: `ChainMovedError` when another append moved the head
   * first, `RecordedMarksError` naming the links whose mark exists (their events are already in the log).
   */
  appendAll(links: readonly AuditLink[]): Promise<void>;
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

/** Some links' marks exist: nothing was written; the rest can be appended without them. */
export class RecordedMarksError extends Error {
  constructor(readonly indexes: readonly number[]) {
    super(`links ${indexes.join(', ')} record events already in the audit log`);
    this.name = 'RecordedMarksError';
  }
}
