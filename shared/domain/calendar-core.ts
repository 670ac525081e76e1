// Calendar primitives: YYYY-MM-DD day numbers, Hanoi local time at a fixed +07:00, and the statutory holiday rules.
import { lunarToSolar } from './lunar';

const MS_PER_DAY = 86_400_000;
// Vietnam has had no DST since 1975, so a fixed offset is exact for every date the service will see.
export const LOCAL_OFFSET_MS = 7 * 3_600_000;
export const WORK_START_MS = 8 * 3_600_000;
export const WORK_END_MS = 17 * 3_600_000;
export const WORK_DAY_MS = WORK_END_MS - WORK_START_MS;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` string; RangeError on anything that is not a real calendar date. */
export function dayNumber(day: string): number {
  const match = typeof day === 'string' ? DAY_PATTERN.exec(day) : null;
  if (!match) throw new RangeError(`expected a YYYY-MM-DD day, got ${JSON.stringify(day)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const date = Number(match[3]);
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  // Date.UTC silently rolls 2026-02-30 over to March; a round trip catches it.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) {
    throw new RangeError(`not a calendar date: ${day}`);
  }
  return ms / MS_PER_DAY;
}

export function dayString(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOf(n: number): number {
  return new Date(n * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function isWeekend(n: number): boolean {
  const w = weekday(n);
  return w === 0 || w === 6;
}

/** Local (UTC+7) day number and milliseconds since local midnight of an instant. */
export function localParts(instant: Date): { day: number; msOfDay: number } {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  const local = ms + LOCAL_OFFSET_MS;
  const day = Math.floor(local / MS_PER_DAY);
  return { day, msOfDay: local - day * MS_PER_DAY };
}

/** The instant (epoch ms) of a local time of day on a local day. */
export function localInstant(day: number, msOfDay: number): number {
  return day * MS_PER_DAY + msOfDay - LOCAL_OFFSET_MS;
}

// Labour Code 2019 Art. 112(1), plus Vietnamese Culture Day (Resolution 28/2026/QH16, from 2026).
export type HolidayGroup =
  | 'newYear'
  | 'tet'
  | 'hungKings'
  | 'victoryDay'
  | 'labourDay'
  | 'nationalDay'
  | 'cultureDay';

export const HOLIDAY_GROUPS: readonly HolidayGroup[] = [
  'newYear',
  'tet',
  'hungKings',
  'victoryDay',
  'labourDay',
  'nationalDay',
  'cultureDay',
];

export interface StatutoryHoliday {
  day: number;
  group: HolidayGroup;
  // Art. 111(3) moves a rest day that coincides with an Art. 112(1) holiday to the next working day.
  // Culture Day is created by a National Assembly resolution, not by Art. 112(1), so the make-up rule
  // is not applied to it until a text says so.
  compensable: boolean;
}

const CULTURE_DAY_FROM = 2026;

/**
 * The statutory holiday dates of a Gregorian year, weekends included, before any compensation.
 * Where Art. 112(3) leaves the choice to the Prime Minister (which five Tết days, which day beside 2 Sep),
 * this is the default used for a year without decision data:
 * - Tết: the last day of the old lunar year (29 or 30 of month 12) and days 1–4 of month 1;
 * - National Day: 2 Sep plus 3 Sep when 2 Sep is a Thursday (joining the weekend), otherwise 1 Sep.
 *   That reproduces every choice made from 2021 to 2027 once compensation is applied
 *   (2024: Mon 2 + Tue 3; 2025: Mon 1 + Tue 2; 2027: Thu 2 + Fri 3; 2023: Fri 1 + Sat 2 → Mon 4).
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const at = (month: number, date: number) => dayNumber(`${year}-${pad(month)}-${pad(date)}`);
  const tet = dayNumber(lunarToSolar(year, 1, 1));
  const nationalDay = at(9, 2);
  const holidays: StatutoryHoliday[] = [
    { day: at(1, 1), group: 'newYear', compensable: true },
    ...[-1, 0, 1, 2, 3].map((offset) => ({ day: tet + offset, group: 'tet' as const, compensable: true })),
    { day: dayNumber(lunarToSolar(year, 3, 10)), group: 'hungKings', compensable: true },
    { day: at(4, 30), group: 'victoryDay', compensable: true },
    { day: at(5, 1), group: 'labourDay', compensable: true },
    { day: nationalDay, group: 'nationalDay', compensable: true },
    { day: weekday(nationalDay) === 4 ? at(9, 3) : at(9, 1), group: 'nationalDay', compensable: true },
  ];
  if (year >= CULTURE_DAY_FROM) holidays.push({ day: at(11, 24), group: 'cultureDay', compensable: false });
  return holidays.sort((a, b) => a.day - b.day);
}

/**
 * Weekdays off by statute in `year` for the holiday groups not in `skip`, with Art. 111(3) compensation.
 * `alreadyOff` are weekdays off for other reasons (a decision's days): a compensatory day never lands on them.
 */
export function statutoryDaysOff(
  year: number,
  skip: ReadonlySet<HolidayGroup> = new Set(),
  alreadyOff: ReadonlySet<number> = new Set(),
): Set<number> {
  const holidays = statutoryHolidays(year).filter((h) => !skip.has(h.group));
  const off = new Set<number>();
  for (const h of holidays) if (!isWeekend(h.day)) off.add(h.day);
  const taken = (n: number) => isWeekend(n) || off.has(n) || alreadyOff.has(n);
  // In date order, so a run of holidays (a Tết block over a weekend) pushes its make-up days past the run.
  for (const h of holidays) {
    if (!h.compensable || !isWeekend(h.day)) continue;
    let n = h.day + 1;
    while (taken(n)) n += 1;
    off.add(n);
  }
  return off;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
