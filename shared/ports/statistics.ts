// The statistics store: each dossier's fold profile and the sharded counter rows it adds to (shared/domain/statistics.ts).
import type { CounterRow, Counters, RowLevel, StatsProfile } from '../domain/statistics';
import type { ConsumedMark } from './consumed-events';

export interface StoredProfile {
  profile: StatsProfile;
  /** Bumped by every write: the next write is conditional on it. */
  rev: number;
}

export interface StatChange {
  code: string;
  /** The profile's rev before the fold; undefined when it had none. */
  rev?: number;
  profile: StatsProfile;
  /** What to add, row by row (the detail row, the unit's day, the center's day). */
  adds: { row: CounterRow; counters: Counters }[];
}

export interface StoredRow {
  row: CounterRow;
  counters: Counters;
}

/** The most items one `apply` writes: a DynamoDB transaction's 100 (the marks, the profile and the rows added to). */
export const MAX_APPLY_ITEMS = 100;

export interface StatisticsStore {
  profile(code: string): Promise<StoredProfile | undefined>;
  /**
   * What a stream batch's fold starts from, in one read (strongly consistent): the dossiers' profiles, and which of
   * the events already have the consumer's mark.
   */
  read(
    codes: readonly string[],
    consumer: string,
    eventIds: readonly string[],
  ): Promise<{ profiles: Map<string, StoredProfile>; counted: Set<string> }>;
  /**
   * Writes the profile, adds the counters and the marks (one per event folded into the change), in one transaction.
   * 'duplicate' when a mark exists (an event was already counted: nothing is written); `ProfileMovedError` when
   * another write moved the profile first.
   */
  apply(change: StatChange, marks: readonly ConsumedMark[]): Promise<'applied' | 'duplicate'>;
  /**
   * The rows of a unit (or the center, `*`) between two Vietnam-local days, inclusive, from every shard, at one level:
   * the day rows, the detail by procedure, or the center's rows by branch.
   */
  rows(unit: string, from: string, to: string, level: RowLevel): Promise<StoredRow[]>;
  /** The rebuild's write: sets rows and profiles to the given absolute values (rows not listed are left alone). */
  overwrite(rows: StoredRow[], profiles: StatsProfile[]): Promise<void>;
}

export class ProfileMovedError extends Error {
  constructor(code: string) {
    super(`the statistics profile of ${code} was moved by another write`);
    this.name = 'ProfileMovedError';
  }
}
