// Working days and appointment dates on the civil-service calendar of Hanoi (Asia/Ho_Chi_Minh, UTC+7).
import {
  dayNumber,
  dayString,
  isWeekend,
  localInstant,
  localParts,
  statutoryDaysOff,
  WORK_DAY_MS,
  WORK_END_MS,
  WORK_START_MS,
  yearOf,
} from './calendar-core';
import { decisionFor } from './calendar-data';

interface YearCalendar {
  off: ReadonlySet<number>;
  work: ReadonlySet<number>;
}

// Deadline arithmetic asks about the same few years over and over; a year's days off are computed once.
const yearCalendars = new Map<number, YearCalendar>();

function yearCalendar(year: number): YearCalendar {
  const cached = yearCalendars.get(year);
  if (cached) return cached;
  const decision = decisionFor(year);
  let calendar: YearCalendar;
  if (!decision) {
    calendar = { off: statutoryDaysOff(year), work: new Set() };
  } else {
    const decided = new Set(decision.daysOff.map(dayNumber));
    let off: Set<number> = decided;
    if (decision.covers !== 'all') {
      // Holidays the decision leaves open follow the statute; their make-up days must avoid the decided ones.
      off = statutoryDaysOff(year, new Set(decision.covers), decided);
      for (const n of decided) off.add(n);
    }
    calendar = { off, work: new Set(decision.workingDays.map(dayNumber)) };
  }
  yearCalendars.set(year, calendar);
  return calendar;
}

function isWorkingDayNumber(n: number): boolean {
  const calendar = yearCalendar(yearOf(n));
  if (calendar.work.has(n)) return true;
  return !isWeekend(n) && !calendar.off.has(n);
}

function nextWorkingDay(n: number): number {
  let next = n + 1;
  while (!isWorkingDayNumber(next)) next += 1;
  return next;
}

function checkWorkingDays(workingDays: number): void {
  if (!Number.isInteger(workingDays) || workingDays < 0) {
    throw new RangeError(`workingDays must be a non-negative integer, got ${workingDays}`);
  }
}

function checkDate(name: string, value: unknown): number {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
  return value.getTime();
}

// The working-hours rule: before 08:00 on a working day the clock starts at 08:00 that day (an online filing at
// 07:30 is handled from the opening of that day); at or after 17:00, or on a day off, it starts at 08:00 of the next
// working day. 17:00 itself is already outside.
function normaliseReceipt(receivedAt: Date): { day: number; instant: number } {
  const instant = checkDate('receivedAt', receivedAt);
  const { day, msOfDay } = localParts(receivedAt);
  if (isWorkingDayNumber(day) && msOfDay < WORK_END_MS) {
    return { day, instant: msOfDay < WORK_START_MS ? localInstant(day, WORK_START_MS) : instant };
  }
  const next = nextWorkingDay(day);
  return { day: next, instant: localInstant(next, WORK_START_MS) };
}

/** Whether `day` (YYYY-MM-DD) is a working day: Mon–Fri minus official days off, plus decided make-up Saturdays. */
export function isWorkingDay(day: string): boolean {
  return isWorkingDayNumber(dayNumber(day));
}

/**
 * When the result is due. The clock starts at the receipt (after the working-hours rule) and runs only from 08:00 to
 * 17:00 on working days and never during a pause, for a budget of `workingDays` × 9 h; a same-day procedure
 * (`workingDays` 0) has the rest of the receipt day instead. Without pauses that is the receipt's time of day,
 * `workingDays` working days later (Wed 11:33 + 3 → Mon 11:33), or 17:00 of the receipt day for 0. A pause adds back
 * exactly the working time it covered, up to the moment the budget runs out: a pause that starts once the dossier is
 * already due changes nothing. A budget that runs out at 17:00 is due at 08:00 of the next working day, the same
 * instant on the working clock (as a receipt at 08:00 keeps its time of day), except for a same-day procedure, which
 * is due at the close of its day. Pause parts before the receipt are ignored; overlapping pauses count once.
 */
export function dueTime(
  receivedAt: Date,
  workingDays: number,
  pauses: readonly { from: Date; to: Date }[] = [],
): Date {
  checkWorkingDays(workingDays);
  if (!Array.isArray(pauses)) throw new RangeError('pauses must be an array');
  const receipt = normaliseReceipt(receivedAt);
  const stops = mergePauses(pauses, receipt.instant);
  // Positive from the start: the normalised receipt is before 17:00.
  let remaining =
    workingDays === 0 ? localInstant(receipt.day, WORK_END_MS) - receipt.instant : workingDays * WORK_DAY_MS;
  let p = 0;
  for (let day = receipt.day; ; day = nextWorkingDay(day)) {
    let start = day === receipt.day ? receipt.instant : localInstant(day, WORK_START_MS);
    const end = localInstant(day, WORK_END_MS);
    while (start < end) {
      while (p < stops.length && stops[p]!.to <= start) p += 1;
      const stop = stops[p];
      const stopsToday = stop !== undefined && stop.from < end;
      const runEnd = stopsToday ? Math.max(start, stop.from) : end;
      if (runEnd - start >= remaining) {
        const due = start + remaining;
        if (due === end && workingDays > 0) return new Date(localInstant(nextWorkingDay(day), WORK_START_MS));
        return new Date(due);
      }
      remaining -= runEnd - start;
      if (!stopsToday) break;
      start = Math.min(end, stop.to);
    }
  }
}

/**
 * The local day (YYYY-MM-DD) the result is due: the day of `dueTime` without pauses, that is `workingDays` working
 * days after the receipt day, which itself is not counted; 0 means the receipt day. Receipt is normalised to working
 * hours first.
 */
export function appointmentDay(receivedAt: Date, workingDays: number): string {
  return localDay(dueTime(receivedAt, workingDays));
}

/** `appointmentDay` with the clock stopped while supplements were awaited: the day of `dueTime` with the pauses. */
export function pausedAppointmentDay(
  receivedAt: Date,
  workingDays: number,
  pauses: { from: Date; to: Date }[],
): string {
  return localDay(dueTime(receivedAt, workingDays, pauses));
}

function localDay(instant: Date): string {
  return dayString(localParts(instant).day);
}

function mergePauses(
  pauses: readonly { from: Date; to: Date }[],
  notBefore: number,
): { from: number; to: number }[] {
  const intervals: { from: number; to: number }[] = [];
  for (const [i, pause] of pauses.entries()) {
    const from = checkDate(`pauses[${i}].from`, pause?.from);
    const to = checkDate(`pauses[${i}].to`, pause?.to);
    if (to <= from) throw new RangeError(`pauses[${i}]: 'to' must be after 'from'`);
    if (to > notBefore) intervals.push({ from: Math.max(from, notBefore), to });
  }
  intervals.sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const interval of intervals) {
    const last = merged.at(-1);
    if (last && interval.from <= last.to) last.to = Math.max(last.to, interval.to);
    else merged.push({ ...interval });
  }
  return merged;
}
