// Reading the statistics: the service index, the daily trend and the branches compared are public aggregates (no
// personal data in them); a unit's procedures are for its staff and the center's supervisors.
import { dayNumber, dayString, localParts } from '../../domain/calendar-core';
import type { Caller } from '../../domain/caller';
import { serviceIndex } from '../../domain/service-index';
import { addCounters, CENTER, type Counters, fullCounters } from '../../domain/statistics';
import { scopeCovers, supervisionScope } from '../../domain/supervision-scope';
import { AppError, ForbiddenError } from '../../errors';
import type { CatalogueRepository } from '../../ports/catalogue-repository';
import type { StatisticsStore } from '../../ports/statistics';
import type { BranchStats, DailyStats, ProcedureStats, ServiceIndexView } from '../../schemas/stats';

export interface ReadStatisticsDeps {
  stats: Pick<StatisticsStore, 'rows'>;
  catalogue: Pick<CatalogueRepository, 'branches'>;
  clock: () => Date;
}

export const MAX_PERIOD_DAYS = 366;
const DEFAULT_PERIOD_DAYS = 30;

export interface Period {
  from: string;
  to: string;
}

/** The asked period, defaulting to the 30 days up to today (Vietnam-local); at most 366 days. */
export function periodOf(query: { from?: string; to?: string }, now: Date): Period {
  const to = query.to ?? dayString(localParts(now).day);
  const from = query.from ?? dayString(dayNumber(to) - (DEFAULT_PERIOD_DAYS - 1));
  if (from > to) throw new AppError('VALIDATION_FAILED', '`to` is before `from`', 400, { from, to });
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_PERIOD_DAYS) {
    throw new AppError(
      'STATS_PERIOD_TOO_LONG',
      `Statistics cover at most ${MAX_PERIOD_DAYS} days at a time; ask for a shorter period`,
      422,
      { from, to },
    );
  }
  return { from, to };
}

const onTimeRate = (c: Counters) => {
  const finished = c.finished ?? 0;
  return finished > 0
    ? {
        onTimeRate:
          Math.round((((c.finishedEarly ?? 0) + (c.finishedOnTime ?? 0)) / finished) * 10_000) / 10_000,
      }
    : {};
};

export async function getServiceIndex(
  query: { unit?: string; from?: string; to?: string },
  deps: ReadStatisticsDeps,
): Promise<ServiceIndexView> {
  const period = periodOf(query, deps.clock());
  const rows = await deps.stats.rows(query.unit ?? CENTER, period.from, period.to, 'day');
  const totals = rows.reduce<Counters>((sum, r) => addCounters(sum, r.counters), {});
  return {
    ...(query.unit ? { unit: query.unit } : {}),
    ...period,
    ...serviceIndex(totals),
    counters: fullCounters(totals),
  };
}

export async function getDailyStats(
  query: { unit?: string; from?: string; to?: string },
  deps: ReadStatisticsDeps,
): Promise<DailyStats> {
  const period = periodOf(query, deps.clock());
  const rows = await deps.stats.rows(query.unit ?? CENTER, period.from, period.to, 'day');
  const byDay = new Map<string, { counters: Counters; online: number }>();
  for (let d = dayNumber(period.from); d <= dayNumber(period.to); d++) {
    byDay.set(dayString(d), { counters: {}, online: 0 });
  }
  for (const { row, counters } of rows) {
    const day = byDay.get(row.day)!;
    day.counters = addCounters(day.counters, counters);
    if (row.channel === 'online') day.online += counters.received ?? 0;
  }
  return {
    ...(query.unit ? { unit: query.unit } : {}),
    ...period,
    days: [...byDay].map(([day, { counters, online }]) => ({
      day,
      counters: fullCounters(counters),
      online,
      ...onTimeRate(counters),
    })),
  };
}

/** A period as its whole calendar months (`YYYY-MM` bounds) and the day ranges before and after them. */
export function monthSplit(period: Period): { days: Period[]; months?: Period } {
  const from = dayNumber(period.from);
  const to = dayNumber(period.to);
  const monthStart = (d: number) => dayNumber(`${dayString(d).slice(0, 7)}-01`);
  // The first day of the first whole month, and the last day of the last one.
  const firstWhole = dayString(from).endsWith('-01') ? from : nextMonth(from);
  const afterLastWhole = monthStart(to + 1);
  if (afterLastWhole <= firstWhole) return { days: [period] };
  const days: Period[] = [];
  if (from < firstWhole) days.push({ from: period.from, to: dayString(firstWhole - 1) });
  if (afterLastWhole <= to) days.push({ from: dayString(afterLastWhole), to: period.to });
  return {
    days,
    months: { from: dayString(firstWhole).slice(0, 7), to: dayString(afterLastWhole - 1).slice(0, 7) },
  };

  function nextMonth(d: number): number {
    const [y, m] = dayString(d).split('-').map(Number) as [number, number];
    return dayNumber(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`);
  }
}

export async function getBranchStats(
  query: { from?: string; to?: string },
  deps: ReadStatisticsDeps,
): Promise<BranchStats> {
  const period = periodOf(query, deps.clock());
  // Whole months from their month rows, the days before and after them from day rows.
  const split = monthSplit(period);
  const rows = (
    await Promise.all([
      ...split.days.map((d) => deps.stats.rows(CENTER, d.from, d.to, 'branch')),
      ...(split.months ? [deps.stats.rows(CENTER, split.months.from, split.months.to, 'branch-month')] : []),
    ])
  ).flat();
  const totals = new Map<string, Counters>();
  for (const { row, counters } of rows) {
    totals.set(row.branch!, addCounters(totals.get(row.branch!) ?? {}, counters));
  }
  // Every branch of the catalogue is listed, those with nothing counted too.
  const names = new Map<string, { vi: string; en: string }>();
  let cursor: string | undefined;
  do {
    const page = await deps.catalogue.branches({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const branch of page.items) names.set(branch.code, branch.name);
    cursor = page.nextCursor;
  } while (cursor);
  const units = [...new Set([...names.keys(), ...totals.keys()])].sort();
  return {
    ...period,
    branches: units.map((unit) => {
      const counters = totals.get(unit) ?? {};
      const name = names.get(unit);
      return { unit, ...(name ? { name } : {}), counters: fullCounters(counters), ...onTimeRate(counters) };
    }),
  };
}

export async function getProcedureStats(
  input: { unit: string; from?: string; to?: string; caller: Caller },
  deps: ReadStatisticsDeps,
): Promise<ProcedureStats> {
  const scope = supervisionScope(input.caller);
  if (!scope)
    throw new ForbiddenError('This needs a staff account scoped to a branch or the center', 'FORBIDDEN');
  if (!scopeCovers(scope, input.unit)) {
    throw new ForbiddenError(`${input.unit} is outside your supervision scope`, 'OUT_OF_SCOPE', {
      unit: input.unit,
    });
  }
  const period = periodOf(input, deps.clock());
  const rows = await deps.stats.rows(input.unit, period.from, period.to, 'procedure');
  const totals = new Map<
    string,
    { procedureCode: string; channel: 'online' | 'counter'; counters: Counters }
  >();
  for (const { row, counters } of rows) {
    const key = `${row.procedureCode}#${row.channel}`;
    const entry = totals.get(key) ?? {
      procedureCode: row.procedureCode!,
      channel: row.channel,
      counters: {},
    };
    entry.counters = addCounters(entry.counters, counters);
    totals.set(key, entry);
  }
  return {
    unit: input.unit,
    ...period,
    procedures: [...totals.values()]
      .sort(
        (a, b) =>
          (b.counters.received ?? 0) - (a.counters.received ?? 0) ||
          (a.procedureCode < b.procedureCode ? -1 : 1),
      )
      .map((p) => ({ ...p, counters: fullCounters(p.counters), ...onTimeRate(p.counters) })),
  };
}
