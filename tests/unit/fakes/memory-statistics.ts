// In-memory fake of the statistics store, with the adapter's rules: one transaction per change, the marks first (any
// that exists makes it a duplicate), the profile's rev checked, counters added.
import {
  addCounters,
  type CounterRow,
  levelOf,
  rowId,
  type StatsProfile,
} from '../../../shared/domain/statistics';
import {
  MAX_APPLY_ITEMS,
  ProfileMovedError,
  type StatisticsStore,
  type StoredRow,
} from '../../../shared/ports/statistics';

export function memoryStatistics() {
  const marks = new Set<string>();
  const profiles = new Map<string, { profile: StatsProfile; rev: number }>();
  const rows = new Map<string, StoredRow>();
  let reads = 0;
  let applies = 0;
  /** Runs before each apply writes: lets a test slip a concurrent write in between. */
  const beforeApply: (() => Promise<void>)[] = [];
  const store: StatisticsStore & {
    rowCount: () => number;
    calls: () => { reads: number; applies: number };
    beforeApply: (() => Promise<void>)[];
  } = {
    async profile(code) {
      const p = profiles.get(code);
      return p ? structuredClone(p) : undefined;
    },
    async read(codes, consumer, eventIds) {
      reads += 1;
      const found = new Map<string, { profile: StatsProfile; rev: number }>();
      for (const code of codes) {
        const p = profiles.get(code);
        if (p) found.set(code, structuredClone(p));
      }
      return { profiles: found, counted: new Set(eventIds.filter((id) => marks.has(`${consumer}#${id}`))) };
    },
    async apply(change, newMarks) {
      await beforeApply.shift()?.();
      applies += 1;
      if (newMarks.length + 1 + change.adds.length > MAX_APPLY_ITEMS)
        throw new Error('too many items for one transaction');
      if (newMarks.some((mark) => marks.has(`${mark.consumer}#${mark.eventId}`))) return 'duplicate';
      if (profiles.get(change.code)?.rev !== change.rev) throw new ProfileMovedError(change.code);
      for (const mark of newMarks) marks.add(`${mark.consumer}#${mark.eventId}`);
      profiles.set(change.code, { profile: structuredClone(change.profile), rev: (change.rev ?? 0) + 1 });
      for (const { row, counters } of change.adds) {
        const id = rowId(row);
        rows.set(id, { row, counters: addCounters(rows.get(id)?.counters ?? {}, counters) });
      }
      return 'applied';
    },
    async rows(unit, from, to, level) {
      return [...rows.values()]
        .filter(
          (r) => r.row.unit === unit && r.row.day >= from && r.row.day <= to && levelOf(r.row) === level,
        )
        .map((r) => structuredClone(r));
    },
    async overwrite(next, nextProfiles) {
      for (const r of next) rows.set(rowId(r.row), structuredClone(r));
      for (const p of nextProfiles) profiles.set(p.code, { profile: structuredClone(p), rev: 1 });
    },
    rowCount: () => rows.size,
    calls: () => ({ reads, applies }),
    beforeApply,
  };
  return store;
}

export type { CounterRow };
