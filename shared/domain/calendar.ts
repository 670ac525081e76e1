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

// Outside 08:00–17:00 or on a day off, a dossier counts as received at 08:00 of the next working day: an online
// filing at 07:30 is handled from the next working day, like one at 18:00. 17:00 itself is already outside.
function normaliseReceipt(receivedAt: Date): { day: number; instant: number } {
  const instant = checkDate('receivedAt', receivedAt);
  const { day, msOfDay } = localParts(receivedAt);
  if (isWorkingDayNumber(day) && msOfDay >= WORK_START_MS && msOfDay < WORK_END_MS) return { day, instant };
  const next = nextWorkingDay(day);
  return { day: next, instant: localInstant(next, WORK_START_MS) };
}

/** Whether `day` (YYYY-MM-DD) is a working day: Mon–Fri minus official days off, plus decided make-up Saturdays. */
export function isWorkingDay(day: string): boolean {
  return isWorkingDayNumber(dayNumber(day));
}

/**
 * The local day (YYYY-MM-DD) the result is due: `workingDays` working days after the receipt day, which
 * itself is not counted; 0 means the receipt day. Receipt is normalised to working hours first.
 */
export function appointmentDay(receivedAt: Date, workingDays: number): string {
  checkWorkingDays(workingDays);
  let day = normaliseReceipt(receivedAt).day;
  for (let i = 0; i < workingDays; i += 1) day = nextWorkingDay(day);
  return dayString(day);
}

/**
 * `appointmentDay` with the clock stopped while supplements were awaited. The result is due at 17:00 of
 * the appointment day; the working time between the (normalised) receipt and that instant is the budget,
 * consumed from the receipt onwards, skipping non-working time and the pauses. The due day is the day the
 * budget runs out (ending exactly at 17:00 still belongs to that day). Pause parts before the receipt are
 * ignored; overlapping pauses count once.
 */
export function pausedAppointmentDay(
  receivedAt: Date,
  workingDays: number,
  pauses: { from: Date; to: Date }[],
): string {
  checkWorkingDays(workingDays);
  if (!Array.isArray(pauses)) throw new RangeError('pauses must be an array');
  const receipt = normaliseReceipt(receivedAt);
  const stops = mergePauses(pauses, receipt.instant);
  let remaining = localInstant(receipt.day, WORK_END_MS) - receipt.instant + workingDays * WORK_DAY_MS;
  let p = 0;
  for (let day = receipt.day; ; day = nextWorkingDay(day)) {
    let start = day === receipt.day ? receipt.instant : localInstant(day, WORK_START_MS);
    const end = localInstant(day, WORK_END_MS);
    while (start < end) {
      while (p < stops.length && stops[p]!.to <= start) p += 1;
      const stop = stops[p];
      const stopsToday = stop !== undefined && stop.from < end;
      const runEnd = stopsToday ? Math.max(start, stop.from) : end;
      // remaining > 0 throughout: the receipt instant is before 17:00, so the budget starts positive.
      if (runEnd - start >= remaining) return dayString(day);
      remaining -= runEnd - start;
      if (!stopsToday) break;
      start = Math.min(end, stop.to);
    }
  }
}

function mergePauses(pauses: { from: Date; to: Date }[], notBefore: number): { from: number; to: number }[] {
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
