// A dossier's deadline: computed at receipt with the working calendar, paused while a supplement is awaited.
import { appointmentDay, pausedAppointmentDay } from './calendar';
import { calendarBasis } from './calendar-data';
import type { Deadline } from './dossier';

const localDay = (at: Date) => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

function withBasis(deadline: Omit<Deadline, 'basis'>): Deadline {
  const from = localDay(new Date(deadline.receivedAt));
  // A same-day procedure received after hours is due on a later day; the basis spans at least the receipt day.
  const to = [from, deadline.appointmentDay].sort()[1]!;
  return { ...deadline, basis: calendarBasis(from, to).years };
}

export function startDeadline(receivedAt: Date, workingDays: number, now = receivedAt): Deadline {
  const days = Math.ceil(workingDays);
  return withBasis({
    workingDays: days,
    receivedAt: receivedAt.toISOString(),
    appointmentDay: appointmentDay(receivedAt, days),
    pauses: [],
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

/** The clock restarts; the appointment day moves by the working time the pauses took. */
export function resumeDeadline(deadline: Deadline, at: Date): Deadline {
  const pauses = deadline.pauses.map((pause) => (pause.to ? pause : { ...pause, to: at.toISOString() }));
  const day = pausedAppointmentDay(
    new Date(deadline.receivedAt),
    deadline.workingDays,
    pauses
      .map((pause) => ({ from: new Date(pause.from), to: new Date(pause.to!) }))
      .filter((pause) => pause.to > pause.from),
  );
  return withBasis({ ...deadline, pauses, appointmentDay: day, computedAt: at.toISOString() });
}

export function isPaused(deadline: Deadline | undefined): boolean {
  return !!deadline?.pauses.some((pause) => !pause.to);
}
