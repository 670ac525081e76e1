// Specification of the working calendar: days off, appointment dates and the paused clock.
import { describe, expect, it } from 'vitest';
import { appointmentDay, dueTime, isWorkingDay, pausedAppointmentDay } from '../../shared/domain/calendar';
import {
  dayNumber,
  dayString,
  isWeekend,
  statutoryDaysOff,
  weekday,
} from '../../shared/domain/calendar-core';
import { calendarBasis, decisionFor, YEAR_DECISIONS } from '../../shared/domain/calendar-data';

// Every instant in these tests is written in Hanoi local time.
const at = (local: string) => new Date(`${local}+07:00`);

describe('isWorkingDay', () => {
  it('counts Monday to Friday and not the weekend', () => {
    expect(isWorkingDay('2026-03-06')).toBe(true);
    expect(isWorkingDay('2026-03-07')).toBe(false);
    expect(isWorkingDay('2026-03-08')).toBe(false);
    expect(isWorkingDay('2026-03-09')).toBe(true);
  });

  it('takes Tết 2026 off from Monday 16 to Friday 20 February', () => {
    for (const day of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      expect(isWorkingDay(day), day).toBe(false);
    }
    expect(isWorkingDay('2026-02-13')).toBe(true);
    expect(isWorkingDay('2026-02-23')).toBe(true);
  });

  it('takes 30 April and 1 May 2026 (Thursday and Friday) off', () => {
    expect(isWorkingDay('2026-04-29')).toBe(true);
    expect(isWorkingDay('2026-04-30')).toBe(false);
    expect(isWorkingDay('2026-05-01')).toBe(false);
    expect(isWorkingDay('2026-05-04')).toBe(true);
  });

  it('makes up the Hùng Kings day of 2026, a Sunday, on Monday 27 April', () => {
    expect(isWorkingDay('2026-04-27')).toBe(false);
    expect(isWorkingDay('2026-04-28')).toBe(true);
  });

  it('takes National Day 2026 off with the swapped Monday 31 August and the adjacent 1 September', () => {
    expect(isWorkingDay('2026-08-31')).toBe(false);
    expect(isWorkingDay('2026-09-01')).toBe(false);
    expect(isWorkingDay('2026-09-02')).toBe(false);
    expect(isWorkingDay('2026-09-03')).toBe(true);
  });

  it('treats a make-up Saturday from decision data as a working day', () => {
    expect(isWorkingDay('2026-01-02')).toBe(false);
    expect(isWorkingDay('2026-01-10')).toBe(true);
    expect(isWorkingDay('2026-08-22')).toBe(true);
  });

  it('applies the 2025 swap: Friday 2 May off, Saturday 26 April worked', () => {
    expect(isWorkingDay('2025-05-02')).toBe(false);
    expect(isWorkingDay('2025-04-26')).toBe(true);
    expect(isWorkingDay('2025-04-30')).toBe(false);
    expect(isWorkingDay('2025-09-01')).toBe(false);
    expect(isWorkingDay('2025-09-02')).toBe(false);
  });

  it('takes Vietnamese Culture Day, 24 November, off from 2026', () => {
    expect(isWorkingDay('2026-11-24')).toBe(false);
    expect(isWorkingDay('2026-11-23')).toBe(true);
    expect(isWorkingDay('2025-11-24')).toBe(true);
  });

  it('follows the 2027 decision for Tết and National Day and the statute for the rest', () => {
    for (const day of ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10']) {
      expect(isWorkingDay(day), day).toBe(false);
    }
    expect(isWorkingDay('2027-02-11')).toBe(true);
    expect(isWorkingDay('2027-09-03')).toBe(false);
    expect(isWorkingDay('2027-09-01')).toBe(true);
    // 1 May 2027 is a Saturday: made up on Monday 3 May by statute.
    expect(isWorkingDay('2027-05-03')).toBe(false);
    expect(isWorkingDay('2027-04-16')).toBe(false);
  });

  it('gives a compensatory day for a statutory holiday on a weekend in a year without decision data', () => {
    // 2028: 1 January is a Saturday; Tết runs Tue 25 – Sat 29 January; 2 September is a Saturday.
    expect(decisionFor(2028)).toBeUndefined();
    expect(isWorkingDay('2028-01-03')).toBe(false);
    expect(isWorkingDay('2028-01-25')).toBe(false);
    expect(isWorkingDay('2028-01-28')).toBe(false);
    expect(isWorkingDay('2028-01-31')).toBe(false);
    expect(isWorkingDay('2028-02-01')).toBe(true);
    expect(isWorkingDay('2028-09-01')).toBe(false);
    expect(isWorkingDay('2028-09-04')).toBe(false);
    expect(isWorkingDay('2028-09-05')).toBe(true);
  });

  it('pushes make-up days past a run of holidays', () => {
    // 2029: 2 September is a Sunday and the adjacent 1 September a Saturday: both made up, Mon 3 and Tue 4.
    expect(isWorkingDay('2029-09-03')).toBe(false);
    expect(isWorkingDay('2029-09-04')).toBe(false);
    expect(isWorkingDay('2029-09-05')).toBe(true);
  });

  it.each(['2026-2-01', '2026-02-30', '2026-13-01', '', 'tomorrow', '2026-02-01T00:00'])(
    'throws a RangeError on malformed day %j',
    (day) => {
      expect(() => isWorkingDay(day)).toThrow(RangeError);
    },
  );
});

describe('appointmentDay', () => {
  it('does not count the receipt day', () => {
    expect(appointmentDay(at('2026-03-02T09:00:00'), 1)).toBe('2026-03-03');
    expect(appointmentDay(at('2026-03-02T09:00:00'), 3)).toBe('2026-03-05');
  });

  it('skips weekends', () => {
    expect(appointmentDay(at('2026-03-05T10:00:00'), 2)).toBe('2026-03-09');
  });

  it('skips Tết: a dossier received Friday 13 Feb 2026 with 1 working day is due Monday 23 Feb', () => {
    expect(appointmentDay(at('2026-02-13T10:00:00'), 1)).toBe('2026-02-23');
  });

  it('counts a receipt at or after 17:00 as received the next working day', () => {
    expect(appointmentDay(at('2026-03-02T16:59:59'), 1)).toBe('2026-03-03');
    expect(appointmentDay(at('2026-03-02T17:00:00'), 1)).toBe('2026-03-04');
    expect(appointmentDay(at('2026-03-06T18:30:00'), 1)).toBe('2026-03-10');
  });

  it('counts a receipt before 08:00 on a working day as received at 08:00 that day', () => {
    expect(appointmentDay(at('2026-03-02T07:59:00'), 1)).toBe('2026-03-03');
    expect(appointmentDay(at('2026-03-02T00:00:00'), 0)).toBe('2026-03-02');
    expect(appointmentDay(at('2026-03-02T08:00:00'), 0)).toBe('2026-03-02');
    expect(appointmentDay(at('2026-03-06T07:00:00'), 0)).toBe('2026-03-06');
  });

  it('counts a receipt before 08:00 on a day off as received at 08:00 on the next working day', () => {
    expect(appointmentDay(at('2026-03-07T07:00:00'), 0)).toBe('2026-03-09');
    expect(appointmentDay(at('2026-02-16T06:30:00'), 1)).toBe('2026-02-24');
  });

  it('counts a receipt on Saturday as received on Monday', () => {
    expect(appointmentDay(at('2026-03-07T10:00:00'), 1)).toBe('2026-03-10');
  });

  it('counts a receipt on a make-up Saturday on that Saturday', () => {
    expect(appointmentDay(at('2026-01-09T10:00:00'), 1)).toBe('2026-01-10');
    expect(appointmentDay(at('2026-01-10T10:00:00'), 1)).toBe('2026-01-12');
  });

  it('returns the normalised receipt day for 0 working days', () => {
    expect(appointmentDay(at('2026-03-02T10:00:00'), 0)).toBe('2026-03-02');
    expect(appointmentDay(at('2026-03-07T10:00:00'), 0)).toBe('2026-03-09');
    expect(appointmentDay(at('2026-02-13T17:30:00'), 0)).toBe('2026-02-23');
  });

  it('reads the instant in Hanoi time whatever zone it was written in', () => {
    // 01:00 UTC is 08:00 in Hanoi; 16:30 UTC on Monday is 23:30 Monday in Hanoi.
    expect(appointmentDay(new Date('2026-03-02T01:00:00Z'), 0)).toBe('2026-03-02');
    expect(appointmentDay(new Date('2026-03-02T16:30:00Z'), 0)).toBe('2026-03-03');
  });

  it('skips the 2026 National Day break', () => {
    expect(appointmentDay(at('2026-08-28T10:00:00'), 1)).toBe('2026-09-03');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws a RangeError for workingDays %s', (n) => {
    expect(() => appointmentDay(at('2026-03-02T10:00:00'), n)).toThrow(RangeError);
  });

  it('throws a RangeError for an invalid Date', () => {
    expect(() => appointmentDay(new Date('not a date'), 1)).toThrow(RangeError);
  });
});

describe('dueTime', () => {
  it('keeps the time of day of the receipt, N working days later', () => {
    // Wed 2 Dec 2026 + 3 working days: Thu 3, Fri 4, Mon 7.
    expect(dueTime(at('2026-12-02T11:33:00'), 3)).toEqual(at('2026-12-07T11:33:00'));
    expect(dueTime(at('2026-03-02T09:00:00'), 1)).toEqual(at('2026-03-03T09:00:00'));
  });

  it('is due at 17:00 of the receipt day for a same-day procedure', () => {
    expect(dueTime(at('2026-03-02T10:00:00'), 0)).toEqual(at('2026-03-02T17:00:00'));
    expect(dueTime(at('2026-03-02T06:00:00'), 0)).toEqual(at('2026-03-02T17:00:00'));
    expect(dueTime(at('2026-03-07T10:00:00'), 0)).toEqual(at('2026-03-09T17:00:00'));
  });

  it('starts the clock at 08:00 that day for a receipt before opening', () => {
    expect(dueTime(at('2026-03-02T07:30:00'), 1)).toEqual(at('2026-03-03T08:00:00'));
  });

  it('starts the clock at 08:00 of the next working day for a receipt at or after 17:00 or on a day off', () => {
    expect(dueTime(at('2026-03-02T17:00:00'), 1)).toEqual(at('2026-03-04T08:00:00'));
    expect(dueTime(at('2026-03-06T18:30:00'), 2)).toEqual(at('2026-03-11T08:00:00'));
    expect(dueTime(at('2026-02-13T17:30:00'), 1)).toEqual(at('2026-02-24T08:00:00'));
  });

  it('adds back exactly the working time a pause covered', () => {
    const sixSeconds = { from: at('2026-12-03T09:00:00'), to: at('2026-12-03T09:00:06') };
    expect(dueTime(at('2026-12-02T11:33:00'), 3, [sixSeconds])).toEqual(at('2026-12-07T11:33:06'));
    // Tue 10:00 – Wed 15:00 is 7 h + 7 h of working time: Thu 09:00 becomes Fri 14:00.
    const pause = { from: at('2026-03-03T10:00:00'), to: at('2026-03-04T15:00:00') };
    expect(dueTime(at('2026-03-02T09:00:00'), 3, [pause])).toEqual(at('2026-03-06T14:00:00'));
  });

  it('adds nothing for a pause that starts once the dossier is already due', () => {
    const late = { from: at('2026-03-04T10:00:00'), to: at('2026-03-06T10:00:00') };
    expect(dueTime(at('2026-03-02T09:00:00'), 1, [late])).toEqual(at('2026-03-03T09:00:00'));
  });
});

describe('pausedAppointmentDay', () => {
  it('equals appointmentDay without pauses', () => {
    const receipts = [
      '2026-02-12T09:30:00',
      '2026-02-13T16:00:00',
      '2026-03-02T07:00:00',
      '2026-03-06T17:00:00',
      '2026-03-07T12:00:00',
      '2026-08-28T08:00:00',
      '2026-12-31T10:00:00',
    ];
    for (const local of receipts) {
      for (const n of [0, 1, 2, 5, 15, 30]) {
        expect(pausedAppointmentDay(at(local), n, []), `${local} + ${n}`).toBe(appointmentDay(at(local), n));
      }
    }
  });

  it('moves the due day by the working time spent paused', () => {
    // Due Thu 5 Mar 09:00; paused Tue 10:00 – Wed 15:00, 14 working hours: due Fri 14:00.
    const pause = { from: at('2026-03-03T10:00:00'), to: at('2026-03-04T15:00:00') };
    expect(pausedAppointmentDay(at('2026-03-02T09:00:00'), 3, [pause])).toBe('2026-03-06');
  });

  it('keeps the day when a short pause does not push the due time past 17:00', () => {
    // Received Wed 2 Dec 2026 11:33 with 3 working days: due Mon 7 Dec 11:33, and 11:33:06 after a 6 s pause.
    const sixSeconds = { from: at('2026-12-02T14:00:00'), to: at('2026-12-02T14:00:06') };
    expect(pausedAppointmentDay(at('2026-12-02T11:33:00'), 3, [sixSeconds])).toBe('2026-12-07');
  });

  it('moves the day when a pause pushes the due time past 17:00', () => {
    // Due Mon 7 Dec 16:00; a pause of 1 h 30 of working time makes it Tue 8 Dec 08:30.
    const pause = { from: at('2026-12-03T09:00:00'), to: at('2026-12-03T10:30:00') };
    expect(pausedAppointmentDay(at('2026-12-02T16:00:00'), 3, [pause])).toBe('2026-12-08');
  });

  it('counts overlapping pauses once', () => {
    const pauses = [
      { from: at('2026-03-03T10:00:00'), to: at('2026-03-04T09:00:00') },
      { from: at('2026-03-03T14:00:00'), to: at('2026-03-04T15:00:00') },
      { from: at('2026-03-04T11:00:00'), to: at('2026-03-04T12:00:00') },
    ];
    expect(pausedAppointmentDay(at('2026-03-02T09:00:00'), 3, pauses)).toBe('2026-03-06');
  });

  it('ignores the part of a pause before the receipt', () => {
    const before = { from: at('2026-02-25T09:00:00'), to: at('2026-02-27T17:00:00') };
    expect(pausedAppointmentDay(at('2026-03-02T09:00:00'), 3, [before])).toBe('2026-03-05');
    // Straddling: only Mon 09:00–17:00 counts, 8 h, so Thursday 09:00 becomes Friday 08:00.
    const straddling = { from: at('2026-02-27T09:00:00'), to: at('2026-03-02T17:00:00') };
    expect(pausedAppointmentDay(at('2026-03-02T09:00:00'), 3, [straddling])).toBe('2026-03-06');
  });

  it('measures a pause from the normalised receipt, not the raw one', () => {
    // Received Saturday, normalised to Monday 08:00; a pause over the weekend costs nothing.
    const weekend = { from: at('2026-03-07T09:00:00'), to: at('2026-03-09T08:00:00') };
    expect(pausedAppointmentDay(at('2026-03-07T10:00:00'), 1, [weekend])).toBe('2026-03-10');
  });

  it('ignores pauses outside working time', () => {
    const night = { from: at('2026-03-02T17:00:00'), to: at('2026-03-03T08:00:00') };
    const weekend = { from: at('2026-03-07T00:00:00'), to: at('2026-03-09T00:00:00') };
    expect(pausedAppointmentDay(at('2026-03-02T09:00:00'), 3, [night, weekend])).toBe('2026-03-05');
  });

  it('moves a due time by one day for one whole working day paused', () => {
    const tuesday = { from: at('2026-03-03T08:00:00'), to: at('2026-03-03T17:00:00') };
    expect(dueTime(at('2026-03-02T09:00:00'), 3, [tuesday])).toEqual(at('2026-03-06T09:00:00'));
    // Received at 08:00: due at 08:00, so Thu 08:00 becomes Fri 08:00, never Thu 17:00.
    expect(dueTime(at('2026-03-02T08:00:00'), 3, [tuesday])).toEqual(at('2026-03-06T08:00:00'));
    expect(pausedAppointmentDay(at('2026-03-02T08:00:00'), 3, [tuesday])).toBe('2026-03-06');
  });

  it('keeps a same-day procedure due at the close of a day after a pause', () => {
    // Received Mon 10:00, due Mon 17:00; Mon 11:00 – Tue 11:00 is one working day paused: due Tue 17:00.
    const day = { from: at('2026-03-02T11:00:00'), to: at('2026-03-03T11:00:00') };
    expect(dueTime(at('2026-03-02T10:00:00'), 0, [day])).toEqual(at('2026-03-03T17:00:00'));
    expect(pausedAppointmentDay(at('2026-03-02T10:00:00'), 0, [day])).toBe('2026-03-03');
  });

  it('skips days off while the clock runs after a pause', () => {
    // Due Fri 13 Feb 2026 14:00 from Thu 14:00; a 4 h pause pushes the last hour past Tết to Mon 23 Feb 09:00.
    const pause = { from: at('2026-02-12T14:00:00'), to: at('2026-02-13T09:00:00') };
    expect(dueTime(at('2026-02-12T14:00:00'), 1, [pause])).toEqual(at('2026-02-23T09:00:00'));
    expect(pausedAppointmentDay(at('2026-02-12T14:00:00'), 1, [pause])).toBe('2026-02-23');
  });

  it('throws a RangeError for a pause that does not end after it starts', () => {
    const receivedAt = at('2026-03-02T09:00:00');
    const same = at('2026-03-03T10:00:00');
    expect(() => pausedAppointmentDay(receivedAt, 3, [{ from: same, to: same }])).toThrow(RangeError);
    expect(() =>
      pausedAppointmentDay(receivedAt, 3, [
        { from: at('2026-03-04T10:00:00'), to: at('2026-03-03T10:00:00') },
      ]),
    ).toThrow(RangeError);
    expect(() => pausedAppointmentDay(receivedAt, 3, [{ from: new Date('x'), to: same }])).toThrow(
      RangeError,
    );
  });

  it('throws a RangeError for workingDays that are not a non-negative integer', () => {
    expect(() => pausedAppointmentDay(at('2026-03-02T09:00:00'), -2, [])).toThrow(RangeError);
    expect(() => pausedAppointmentDay(at('2026-03-02T09:00:00'), 0.5, [])).toThrow(RangeError);
  });
});

describe('yearly decision data', () => {
  it('lists days off on weekdays and working days on weekends, inside their year', () => {
    for (const decision of YEAR_DECISIONS) {
      expect(decision.sources.length).toBeGreaterThan(0);
      for (const day of decision.daysOff) {
        expect(day.startsWith(`${decision.year}-`), day).toBe(true);
        expect(isWeekend(dayNumber(day)), day).toBe(false);
      }
      for (const day of decision.workingDays) {
        expect(weekday(dayNumber(day)), day).toBe(6);
      }
      for (const source of decision.sources) {
        expect(() => dayNumber(source.date)).not.toThrow();
        expect(source.url).toMatch(/^https:\/\//);
      }
    }
  });

  it('agrees with the statutory rules for 2026 apart from the two swapped days', () => {
    const statutory = [...statutoryDaysOff(2026)].map(dayString);
    const decided = decisionFor(2026)?.daysOff ?? [];
    expect([...statutory, '2026-01-02', '2026-08-31'].sort()).toEqual([...decided].sort());
  });
});

describe('calendarBasis', () => {
  it('reports which years rest on decisions and which on statutory rules alone', () => {
    const { years } = calendarBasis('2026-12-15', '2028-02-10');
    expect(years.map((y) => [y.year, y.decided])).toEqual([
      [2026, true],
      [2027, true],
      [2028, false],
    ]);
    expect(years[0]?.source).toContain('9441/TB-BNV');
    expect(years[0]?.statutoryOnly).toEqual([]);
    // 2027's decision fixes only Tết and National Day.
    expect(years[1]?.source).toContain('10065/VPCP-KGVX');
    expect(years[1]?.statutoryOnly).toEqual([
      'newYear',
      'hungKings',
      'victoryDay',
      'labourDay',
      'cultureDay',
    ]);
    expect(years[2]?.source).toBeUndefined();
    expect(years[2]?.statutoryOnly).toContain('tet');
  });

  it('throws a RangeError on malformed or reversed days', () => {
    expect(() => calendarBasis('2026-01-01', '2025-12-31')).toThrow(RangeError);
    expect(() => calendarBasis('2026-1-1', '2026-12-31')).toThrow(RangeError);
  });
});
