// A dossier's deadline: computed at receipt with the working calendar, paused while a supplement is awaited.
import { dueTime } from './calendar';
import { calendarBasis } from './calendar-data';
import type { Deadline } from './dossier';

const localDay = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

function withBasis(deadline: Omit<Deadline, 'basis'>): Deadline {
  const from = localDay(new Date(deadline.receivedAt));
  // A same-day procedure received after hours is due on a later day; the basis spans at least the receipt day.
  const to = [from, deadline.appointmentDay].sort()[1]!;
  return { ...deadline, basis: calendarBasis(from, to).years };
}

function closedPauses(pauses: Deadline['pauses']): { from: Date; to: Date }[] {
  return pauses
    .filter((pause) => pause.to)
    .map((pause) => ({ from: new Date(pause.from), to: new Date(pause.to!) }))
    .filter((pause) => pause.to > pause.from);
}

/** The instant the result is due: the receipt plus the working days plus the working time of the ended pauses. */
export function dueAt(deadline: Pick<Deadline, 'receivedAt' | 'workingDays' | 'pauses'>): Date {
  return dueTime(new Date(deadline.receivedAt), deadline.workingDays, closedPauses(deadline.pauses));
}

export function startDeadline(receivedAt: Date, workingDays: number, now = receivedAt): Deadline {
  const days = Math.ceil(workingDays);
  const started = { workingDays: days, receivedAt: receivedAt.toISOString(), pauses: [] };
  return withBasis({
    ...started,
    appointmentDay: localDay(dueAt(started)),
    computedAt: now.toISOString(),
  });
}

/** The clock stops; the appointment day stays as it was until the pause ends. */
export function pauseDeadline(deadline: Deadline, at: Date): Deadline {
  if (deadline.pauses.some((pause) => !pause.to)) return deadline;
  return {
    ...deadline,
    pauses: [...deadline.pauses, { from: at.toISOString() }],
    computedAt: at.toISOString(),
  };
}

/**
 * The clock restarts; the due time moves by the working time the pause covered, and the appointment day with it
 * only when that pushes the due time onto another day.
 */
export function resumeDeadline(deadline: Deadline, at: Date): Deadline {
  const pauses = deadline.pauses.map((pause) => (pause.to ? pause : { ...pause, to: at.toISOString() }));
  const day = localDay(dueAt({ ...deadline, pauses }));
  return withBasis({ ...deadline, pauses, appointmentDay: day, computedAt: at.toISOString() });
}

/** The processing time is extended by `workingDays` (form 04): the appointment day moves with it. */
export function extendDeadline(deadline: Deadline, workingDays: number, at: Date): Deadline {
  const extended = { ...deadline, workingDays: deadline.workingDays + Math.ceil(workingDays) };
  const day = localDay(dueAt({ ...extended, pauses: closedOrNow(extended.pauses, at) }));
  return withBasis({ ...extended, appointmentDay: day, computedAt: at.toISOString() });
}

// An open pause counts as ended now for a projection (it is not closed in the record).
const closedOrNow = (pauses: Deadline['pauses'], at: Date) =>
  pauses.map((pause) => (pause.to ? pause : { ...pause, to: at.toISOString() }));

/** `YYYY-MM-DD` of an instant in Asia/Ho_Chi_Minh. */
export const localDayOf = localDay;

export function isPaused(deadline: Deadline | undefined): boolean {
  return !!deadline?.pauses.some((pause) => !pause.to);
}

/** The history note for a moved appointment day, in Vietnamese and English (days as YYYY-MM-DD). */
export function appointmentChangeNote(from: string, to: string): string {
  return `Ngày hẹn trả kết quả thay đổi từ ${from} sang ${to} / Appointment day changed from ${from} to ${to}`;
}
