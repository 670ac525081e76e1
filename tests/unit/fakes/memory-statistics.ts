// In-memory fake of the statistics store, with the adapter's rules: one transaction per event, the mark first, the
// profile's rev checked, counters added.
import {
  addCounters,
  type CounterRow,
  levelOf,
  rowId,
  type StatsProfile,
} from '../../../shared/domain/statistics';
import { ProfileMovedError, type StatisticsStore, type StoredRow } from '../../../shared/ports/statistics';

export function memoryStatistics() {
  const marks = new Set<string>();
  const profiles = new Map<string, { profile: StatsProfile; rev: number }>();
  const rows = new Map<string, StoredRow>();
  const store: StatisticsStore & { rowCount: () => number } = {
    async profile(code) {
      const p = profiles.get(code);
      return p ? structuredClone(p) : undefined;
    },
    async apply(change, mark) {
      const markKey = `${mark.consumer}#${mark.eventId}`;
      if (marks.has(markKey)) return 'duplicate';
      if (profiles.get(change.code)?.rev !== change.rev) throw new ProfileMovedError(change.code);
      marks.add(markKey);
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
  };
  return store;
}

export type { CounterRow };
