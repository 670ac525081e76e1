// The `statistics` consumer: folds each event into its dossier's profile and adds what it counts to the sharded
// counters, profile, counters and consumed marks in one write (per event, or per dossier of a stream batch); a
// redelivered event adds nothing. The rebuild folds the stored events the same way, so live and rebuilt counters can
// be compared row by row.
import type { DomainEvent } from '../../domain/events';
import {
  addCounters,
  type CounterRow,
  type Counters,
  type FoldResult,
  foldEvent,
  rowId,
  rowsOf,
  type StatsProfile,
  statisticsEvents,
} from '../../domain/statistics';
import type { ConsumedMark } from '../../ports/consumed-events';
import {
  MAX_APPLY_ITEMS,
  ProfileMovedError,
  type StatisticsStore,
  type StoredRow,
} from '../../ports/statistics';

export const STATISTICS_CONSUMER = 'statistics';

export interface RecordStatisticsDeps {
  stats: Pick<StatisticsStore, 'profile' | 'read' | 'apply'>;
  clock: () => Date;
}

type Outcome = 'applied' | 'duplicate' | 'ignored';

const sameProfile = (a: StatsProfile | undefined, b: StatsProfile | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

export async function countEvent(event: DomainEvent, deps: RecordStatisticsDeps): Promise<Outcome> {
  // A profile moved under us means a concurrent delivery of the same dossier's events: read it again, once.
  for (let attempt = 0; ; attempt++) {
    const stored = await deps.stats.profile(event.dossierCode);
    const { profile, increment }: FoldResult = foldEvent(stored?.profile, event);
    if (!profile || (!increment && sameProfile(profile, stored?.profile))) return 'ignored';
    try {
      return await deps.stats.apply(
        {
          code: event.dossierCode,
          ...(stored ? { rev: stored.rev } : {}),
          profile,
          adds: increment
            ? rowsOf(event.dossierCode, increment).map((row) => ({ row, counters: increment.counters }))
            : [],
        },
        [{ consumer: STATISTICS_CONSUMER, eventId: event.id, at: deps.clock().toISOString() }],
      );
    } catch (error) {
      if (error instanceof ProfileMovedError && attempt === 0) continue;
      throw error;
    }
  }
}

/** Events by dossier, each dossier's in the order given. */
function groupByDossier(events: Iterable<DomainEvent>): Map<string, DomainEvent[]> {
  const byDossier = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const list = byDossier.get(event.dossierCode) ?? [];
    list.push(event);
    byDossier.set(event.dossierCode, list);
  }
  return byDossier;
}

/**
 * A stream batch's events at once: the profiles and marks in one read, each dossier's events folded in stream order
 * from its stored profile, and one write per dossier (its profile, the counters summed, a mark per event folded). What
 * the batch gives is what counting its events one by one gives (tests/unit/statistics.test.ts): an event already
 * counted is left out before the fold, one that counts nothing and changes nothing is ignored. A dossier whose profile
 * moved meanwhile, or whose write would not fit one transaction, is counted event by event instead.
 */
export async function countEvents(
  events: readonly DomainEvent[],
  deps: RecordStatisticsDeps,
): Promise<Record<Outcome, number>> {
  const tally: Record<Outcome, number> = { applied: 0, duplicate: 0, ignored: 0 };
  const byDossier = groupByDossier(events);
  if (byDossier.size === 0) return tally;
  const { profiles, counted } = await deps.stats.read(
    [...byDossier.keys()],
    STATISTICS_CONSUMER,
    events.map((event) => event.id),
  );
  const at = deps.clock().toISOString();
  for (const [code, list] of byDossier) {
    const stored = profiles.get(code);
    const mine: Record<Outcome, number> = { applied: 0, duplicate: 0, ignored: 0 };
    let profile = stored?.profile;
    const adds = new Map<string, { row: CounterRow; counters: Counters }>();
    const marks: ConsumedMark[] = [];
    for (const event of list) {
      if (counted.has(event.id)) {
        mine.duplicate += 1;
        continue;
      }
      const { profile: next, increment } = foldEvent(profile, event);
      if (!next || (!increment && sameProfile(next, profile))) {
        mine.ignored += 1;
        continue;
      }
      profile = next;
      for (const row of increment ? rowsOf(code, increment) : []) {
        const id = rowId(row);
        adds.set(id, { row, counters: addCounters(adds.get(id)?.counters ?? {}, increment!.counters) });
      }
      marks.push({ consumer: STATISTICS_CONSUMER, eventId: event.id, at });
      mine.applied += 1;
    }
    let written = marks.length === 0;
    if (!written && marks.length + 1 + adds.size <= MAX_APPLY_ITEMS) {
      try {
        const change = {
          code,
          ...(stored ? { rev: stored.rev } : {}),
          profile: profile!,
          adds: [...adds.values()],
        };
        written = (await deps.stats.apply(change, marks)) === 'applied';
      } catch (error) {
        if (!(error instanceof ProfileMovedError)) throw error;
      }
    }
    if (written) {
      for (const outcome of Object.keys(tally) as Outcome[]) tally[outcome] += mine[outcome];
      continue;
    }
    // Raced by another write, or too large for one transaction: each event reads the profile again.
    for (const event of list) tally[await countEvent(event, deps)] += 1;
  }
  return tally;
}

const countedNames = new Set<string>(statisticsEvents);

/**
 * The counters and profiles the stored events give, folded per dossier in version order (the order the stream
 * delivers them in; a counter intake's filing and receipt share a version and fold the same either way).
 */
export function foldStoredEvents(events: Iterable<DomainEvent>): {
  rows: Map<string, StoredRow>;
  profiles: StatsProfile[];
} {
  const byDossier = groupByDossier([...events].filter((event) => countedNames.has(event.name)));
  const rows = new Map<string, StoredRow>();
  const profiles: StatsProfile[] = [];
  for (const [code, list] of byDossier) {
    list.sort(
      (a, b) => a.dossierVersion - b.dossierVersion || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    let profile: StatsProfile | undefined;
    for (const event of list) {
      const folded = foldEvent(profile, event);
      profile = folded.profile;
      if (!folded.increment) continue;
      for (const row of rowsOf(code, folded.increment)) {
        const id = rowId(row);
        rows.set(id, { row, counters: addCounters(rows.get(id)?.counters ?? {}, folded.increment.counters) });
      }
    }
    if (profile) profiles.push(profile);
  }
  return { rows, profiles };
}

export interface RowDifference {
  row: string;
  counter: string;
  stored: number;
  rebuilt: number;
}

/**
 * Compares the rebuilt rows with the stored ones, over every unit and day the rebuilt rows cover; a counter stored
 * but not rebuilt (or the other way) is a difference too.
 */
export async function compareWithStore(
  rebuilt: Map<string, StoredRow>,
  store: Pick<StatisticsStore, 'rows'>,
): Promise<RowDifference[]> {
  const units = new Set([...rebuilt.values()].map((r) => r.row.unit));
  const days = [...rebuilt.values()]
    .map((r) => r.row.day)
    .filter((d) => d.length === 10)
    .sort();
  if (days.length === 0) return [];
  const [first, last] = [days[0]!, days.at(-1)!];
  const stored = new Map<string, StoredRow>();
  for (const unit of units) {
    for (const level of ['day', 'procedure', 'branch', 'branch-month'] as const) {
      const [from, to] = level === 'branch-month' ? [first.slice(0, 7), last.slice(0, 7)] : [first, last];
      for (const row of await store.rows(unit, from, to, level)) stored.set(rowId(row.row), row);
    }
  }
  const differences: RowDifference[] = [];
  for (const id of new Set([...rebuilt.keys(), ...stored.keys()])) {
    const a = stored.get(id)?.counters ?? {};
    const b = rebuilt.get(id)?.counters ?? {};
    for (const counter of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof typeof a>) {
      if ((a[counter] ?? 0) !== (b[counter] ?? 0)) {
        differences.push({ row: id, counter, stored: a[counter] ?? 0, rebuilt: b[counter] ?? 0 });
      }
    }
  }
  return differences;
}

export interface RebuildDeps {
  events: () => Promise<Iterable<DomainEvent>>;
  stats: Pick<StatisticsStore, 'rows' | 'overwrite'>;
}

/**
 * The operator's rebuild: folds every stored event again and compares with the live counters; with `write`, sets the
 * rows and profiles to the rebuilt values (run it while the consumer is paused, or its adds in between are lost).
 */
export async function rebuildStatistics(
  deps: RebuildDeps,
  options: { write: boolean },
): Promise<{
  events: number;
  dossiers: number;
  rows: number;
  differences: RowDifference[];
  written: boolean;
}> {
  const events = [...(await deps.events())];
  const { rows, profiles } = foldStoredEvents(events);
  const differences = await compareWithStore(rows, deps.stats);
  if (options.write && differences.length > 0) await deps.stats.overwrite([...rows.values()], profiles);
  return {
    events: events.length,
    dossiers: profiles.length,
    rows: rows.size,
    differences,
    written: options.write && differences.length > 0,
  };
}
